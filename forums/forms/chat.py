from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from forums.models import ChatRoom, ReactionKind
from forums.services.chat import SLOW_MODE_MAX_SECONDS
from forums.validators import clean_message_body
from moderation.models import REASON_TEXT_MAX_LENGTH


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


class ReasonField(forms.CharField):
    """Why a moderator acts: the services say when one is missing, keeping the rest of the form."""

    def __init__(self, *, help_text: StrOrPromise) -> None:
        super().__init__(
            label=_("Reason"),
            help_text=help_text,
            max_length=REASON_TEXT_MAX_LENGTH,
            required=False,
            widget=forms.Textarea(attrs={"rows": 2}),
        )


class HideMessageForm(forms.Form):
    reason = ReasonField(help_text=_("Its author reads this reason; the moderation log keeps it."))


class RestoreMessageForm(forms.Form):
    reason = ReasonField(help_text=_("Optional: for the moderation log."))


class ModeratorDeleteForm(forms.Form):
    reason = ReasonField(help_text=_("The moderation log keeps this reason, with the message's text."))


class RoomModerationForm(forms.Form):
    state = forms.ChoiceField(label=_("State"), choices=ChatRoom.State.choices)
    # The bounds are the service's to say; the browser is told them too.
    slow_mode_seconds = forms.IntegerField(
        label=_("Slow mode (seconds)"),
        help_text=_("The least time between two messages of one member; 0 turns slow mode off."),
        widget=forms.NumberInput(attrs={"min": 0, "max": SLOW_MODE_MAX_SECONDS, "step": 1}),
    )
    reason = ReasonField(help_text=_("Optional: for the moderation log."))
