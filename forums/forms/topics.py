"""The forum's forms (reactions use chat's ReactionForm: the same set, the same rule). Text rules come
from forums.validators, so a form says what the services would."""

import re
from collections.abc import Iterable
from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from forums.models import Category, Topic, WatchLevel
from forums.validators import TOPIC_TITLE_MAX_LENGTH, clean_post_body, clean_topic_title
from moderation.models import REASON_TEXT_MAX_LENGTH


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


# --- Moderators' forms ------------------------------------------------------------------------------


class ReasonField(forms.CharField):
    """Why a moderator acts: kept in the moderation log (public), and read by the author where it
    concerns them. moderation.services.forum says the same of an empty or too long one."""

    def __init__(self, *, required: bool, help_text: StrOrPromise = "") -> None:
        super().__init__(
            label=_("Reason") if required else _("Reason (optional)"),
            help_text=help_text or _("Shown in the network's public moderation log."),
            max_length=REASON_TEXT_MAX_LENGTH,
            required=required,
            widget=forms.Textarea(attrs={"rows": 2, "maxlength": str(REASON_TEXT_MAX_LENGTH)}),
            error_messages={"required": _("Give a reason.")},
        )


class HideForm(forms.Form):
    reason = ReasonField(
        required=True, help_text=_("Its author reads it on the hidden post; the moderation log shows it too.")
    )


class ReasonForm(forms.Form):
    """A moderator's action that needs no more than an optional reason (restoring, say)."""

    reason = ReasonField(required=False)


class DeleteReasonForm(forms.Form):
    """A moderator deleting someone else's post says why."""

    reason = ReasonField(required=True)


class ModerateSwitchForm(SwitchForm):
    """Pinning or locking, from the topic's moderation menu or its own page, with an optional reason.
    Which way it turns is chosen before the page, which only confirms it."""

    on = forms.BooleanField(required=False, widget=forms.HiddenInput)
    reason = ReasonField(required=False)


class MoveTopicForm(forms.Form):
    category = forms.ModelChoiceField(
        label=_("Move to the category"),
        queryset=Category.objects.none(),
        empty_label=None,
        error_messages={"invalid_choice": _("Choose one of the categories offered.")},
    )
    reason = ReasonField(required=False)

    def __init__(self, *args: Any, topic: Topic, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["category"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Category.objects.filter(network_id=topic.network_id).exclude(pk=topic.category_id)


# A topic's address, as pasted from the browser: `.../forum/t/<id>/...`.
_TOPIC_ADDRESS = re.compile(r"/forum/t/(\d+)(?:/|$)")


class MergeTopicForm(forms.Form):
    target = forms.CharField(
        label=_("Merge into the topic"),
        help_text=_("The address of the topic to merge this one into, or its number."),
        max_length=500,
        error_messages={"required": _("Say which topic to merge this one into.")},
    )
    reason = ReasonField(required=False)

    def clean_target(self) -> int:
        """The topic's id, from its address or its number."""
        given = self.cleaned_data["target"].strip()
        found = given if given.isdigit() else next(iter(_TOPIC_ADDRESS.findall(given)), "")
        if not found or int(found) >= 2**63:
            raise forms.ValidationError(
                _("Give the address of a topic of this forum, or its number."), code="invalid_target"
            )
        return int(found)


class SplitPostsForm(forms.Form):
    numbers = forms.TypedMultipleChoiceField(
        label=_("Posts to move"),
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The first one you choose opens the new topic."),
        error_messages={
            "required": _("Choose the posts to move."),
            "invalid_choice": _("Choose among the posts offered."),
        },
    )
    title = TopicTitleField()
    category = forms.ModelChoiceField(
        label=_("In the category"),
        queryset=Category.objects.none(),
        empty_label=None,
        error_messages={"invalid_choice": _("Choose one of the categories offered.")},
    )
    reason = ReasonField(required=False)

    def __init__(
        self, *args: Any, topic: Topic, posts: Iterable[tuple[int, StrOrPromise]], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        numbers = self.fields["numbers"]
        assert isinstance(numbers, forms.TypedMultipleChoiceField)
        numbers.choices = list(posts)
        category = self.fields["category"]
        assert isinstance(category, forms.ModelChoiceField)
        category.queryset = Category.objects.filter(network_id=topic.network_id)
        category.initial = topic.category_id
