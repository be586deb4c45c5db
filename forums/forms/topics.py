"""The forum's forms (reactions use chat's ReactionForm: the same set, the same rule). Text rules come
from forums.validators, so a form says what the services would."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from forums.models import Category, WatchLevel
from forums.validators import TOPIC_TITLE_MAX_LENGTH, clean_post_body, clean_topic_title


class PostBodyField(forms.CharField):
    """A post's Markdown: said empty or too long by forums.validators, as the services say it."""

    def __init__(self, *, label: StrOrPromise | None = None) -> None:
        attrs = {"rows": 8, "maxlength": str(settings.FORUM_POST_MAX_LENGTH)}
        super().__init__(
            label=label or _("Your post"),
            help_text=_(
                "Markdown: **bold**, _italic_, `code`, > quotes, links. Mention someone with @handle."
            ),
            widget=forms.Textarea(attrs=attrs),
            required=False,
            strip=False,
        )

    def clean(self, value: object) -> str:
        return clean_post_body(super().clean(value))


class TopicTitleField(forms.CharField):
    def __init__(self) -> None:
        super().__init__(
            label=_("Title"),
            help_text=_("One line saying what the topic is about."),
            widget=forms.TextInput(attrs={"maxlength": str(TOPIC_TITLE_MAX_LENGTH)}),
            required=False,
        )

    def clean(self, value: object) -> str:
        return clean_topic_title(super().clean(value))


class ReplyForm(forms.Form):
    body = PostBodyField(label=_("Your reply"))
    # The id of the post this one answers, if any.
    reply_to = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)


class TopicForm(forms.Form):
    title = TopicTitleField()
    body = PostBodyField(label=_("Opening post"))


class EditPostForm(forms.Form):
    body = PostBodyField()


class RenameTopicForm(forms.Form):
    title = TopicTitleField()


class WatchForm(forms.Form):
    level = forms.ChoiceField(label=_("Notifications"), choices=WatchLevel.choices, widget=forms.RadioSelect)


class SwitchForm(forms.Form):
    """Turns one flag of a topic on or off: pinned, locked."""

    on = forms.BooleanField(required=False)


class AcceptAnswerForm(forms.Form):
    # The number of the reply to accept; empty takes the accepted answer back.
    number = forms.IntegerField(required=False, min_value=2)


class CategoryForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=Category._meta.get_field("name").max_length)
    description = forms.CharField(
        label=_("Description"),
        help_text=_("One or two lines saying what belongs here."),
        max_length=Category._meta.get_field("description").max_length,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    start_policy = forms.ChoiceField(
        label=_("Who may start topics"),
        choices=Category.StartPolicy.choices,
        initial=Category.StartPolicy.MEMBERS,
        widget=forms.RadioSelect,
        help_text=_("Every member may reply in either case."),
    )
