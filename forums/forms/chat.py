from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from forums.models import ChatRoom, ReactionKind
from forums.validators import clean_message_body


class MessageBodyField(forms.CharField):
    """A message's text: said empty or too long by forums.validators, as the websocket says it."""

    def __init__(self) -> None:
        attrs = {"rows": 3, "maxlength": str(settings.CHAT_MESSAGE_MAX_LENGTH)}
        super().__init__(
            label=_("Message"),
            help_text=_("Markdown: **bold**, _italic_, `code`, links. Mention someone with @handle."),
            widget=forms.Textarea(attrs=attrs),
            required=False,
            strip=False,
        )

    def clean(self, value: object) -> str:
        return clean_message_body(super().clean(value))


class MessageForm(forms.Form):
    body = MessageBodyField()
    reply_to = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)


class EditMessageForm(forms.Form):
    body = MessageBodyField()


class ReactionForm(forms.Form):
    kind = forms.ChoiceField(label=_("Reaction"), choices=ReactionKind.choices)
    # "true" adds the reaction, "false" takes it back.
    on = forms.BooleanField(required=False, widget=forms.HiddenInput)


class RoomForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=ChatRoom._meta.get_field("name").max_length)
    topic = forms.CharField(
        label=_("Topic"),
        help_text=_("One line saying what the room is for."),
        max_length=ChatRoom._meta.get_field("topic").max_length,
        required=False,
    )


class RoomStateForm(forms.Form):
    state = forms.ChoiceField(label=_("State"), choices=ChatRoom.State.choices)
