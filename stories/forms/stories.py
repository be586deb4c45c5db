"""The forms of writing, publishing and discussing one story. They parse what was typed; the services in
stories.services decide and write, and their ValidationErrors come back beside these fields (same names)."""

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from taggit.utils import edit_string_for_tags, parse_tags

from forums.models.reactions import ReactionKind
from network.models import Membership, Network
from profiles.models import Language, User
from stories.models import BODY_MAX_LENGTH, COMMENT_MAX_LENGTH, SUMMARY_MAX_LENGTH, TITLE_MAX_LENGTH, Story
from stories.services.writing import StoryText

TAGS_MAX = 10
TAG_MAX_LENGTH = 50
CO_AUTHORS_MAX = 10
# What a browser's datetime-local field sends, with or without seconds.
DATETIME_LOCAL_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S"]
IMAGE_TYPES = "image/jpeg,image/png,image/gif,image/webp"


def normalize_tags(names: list[str]) -> list[str]:
    """The tags to store for what was typed: a leading # dropped, inner spaces collapsed, repeats (whatever
    their case) kept once; each must have a letter or digit to make an address of."""
    tags: list[str] = []
    seen: set[str] = set()
    for name in names:
        tag = " ".join(name.lstrip("#").split())
        if not tag or tag.lower() in seen:
            continue
        if len(tag) > TAG_MAX_LENGTH:
            raise ValidationError(
                _("“%(tag)s” is too long: a tag has at most %(max)d characters."),
                code="tag_too_long",
                params={"tag": tag, "max": TAG_MAX_LENGTH},
            )
        if not slugify(tag, allow_unicode=True):
            raise ValidationError(
                _("“%(tag)s” needs at least one letter or digit."), code="tag_blank", params={"tag": tag}
            )
        seen.add(tag.lower())
        tags.append(tag)
    if len(tags) > TAGS_MAX:
        raise ValidationError(
            _("Give at most %(max)d tags (you gave %(count)d)."),
            code="too_many_tags",
            params={"max": TAGS_MAX, "count": len(tags)},
        )
    return tags


def writable_networks(author: User, story: Story | None) -> QuerySet[Network]:
    """The networks a story may be shared with in its form: the author's active ones (every network for
    a site operator), and those it is already shared with, which it keeps if the author has left them."""
    if author.is_superuser:
        return Network.objects.order_by("name")
    shared = Q(memberships__user=author, memberships__state=Membership.State.ACTIVE)
    if story is not None and story.pk:
        shared |= Q(pk__in=story.networks.values("pk"))
    return Network.objects.filter(pk__in=Network.objects.filter(shared).values("pk")).order_by("name")


class StoryForm(forms.Form):
    title = forms.CharField(
        label=_("Title"),
        max_length=TITLE_MAX_LENGTH,
        error_messages={"required": _("Give the story a title.")},
    )
    summary = forms.CharField(
        label=_("Summary"),
        max_length=SUMMARY_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One or two sentences shown in the feed under the title."),
    )
    body = forms.CharField(
        label=_("Story"),
        max_length=BODY_MAX_LENGTH,
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 18}),
        help_text=_(
            "Markdown: **bold**, _italic_, ## headings, lists, > quotes, [links](https://example.org)."
        ),
    )
    cover = forms.FileField(
        label=_("Cover picture"),
        required=False,
        widget=forms.FileInput(attrs={"accept": IMAGE_TYPES}),
        help_text=_(
            "A JPEG, PNG, GIF or WebP image, wide rather than tall; it is cropped to 1200 by 630 pixels."
        ),
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=Story.Kind.choices, initial=Story.Kind.STORY)
    networks = forms.ModelMultipleChoiceField(
        label=_("Share with"),
        queryset=Network.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": _("Choose at least one network to share the story with."),
            "invalid_choice": _("You can share a story only with networks you are an active member of."),
        },
    )
    tags = forms.CharField(label=_("Tags"), required=False)
    language = forms.ModelChoiceField(
        label=_("Language"), queryset=Language.objects.all(), required=False, empty_label="—"
    )
    co_authors = forms.CharField(
        label=_("Co-authors"),
        required=False,
        help_text=_("Their @handles, separated by commas. Co-authors may edit the story too."),
    )

    def __init__(self, *args: Any, author: User, story: Story | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.network_choices = writable_networks(author, story)
        networks = self.fields["networks"]
        assert isinstance(networks, forms.ModelMultipleChoiceField)
        networks.queryset = self.network_choices
        self.fields["tags"].help_text = gettext(
            "Separate tags with commas, such as “hybrid work, well-being”; at most %(max)d."
        ) % {"max": TAGS_MAX}

    @staticmethod
    def initial_for(story: Story) -> dict[str, Any]:
        return {
            "title": story.title,
            "summary": story.summary,
            "body": story.body,
            "kind": story.kind,
            "networks": list(story.networks.all()),
            "tags": edit_string_for_tags(list(story.tags.all())),
            "language": story.language,
            "co_authors": ", ".join(
                sorted((user.username for user in story.co_authors.all()), key=str.lower)
            ),
        }

    def clean_tags(self) -> list[str]:
        return normalize_tags(parse_tags(self.cleaned_data["tags"]))

    def clean_co_authors(self) -> list[User]:
        handles: list[str] = []
        for raw in self.cleaned_data["co_authors"].split(","):
            handle = raw.strip().lstrip("@")
            if handle and handle.lower() not in (known.lower() for known in handles):
                handles.append(handle)
        if len(handles) > CO_AUTHORS_MAX:
            raise ValidationError(
                _("Name at most %(max)d co-authors."),
                code="too_many_co_authors",
                params={"max": CO_AUTHORS_MAX},
            )
        if not handles:
            return []
        people = {
            user.username.lower(): user
            for user in User.objects.filter(is_active=True)
            .annotate(handle=Lower("username"))
            .filter(handle__in=[handle.lower() for handle in handles])
        }
        unknown = [handle for handle in handles if handle.lower() not in people]
        if unknown:
            raise ValidationError(
                ngettext(
                    "Nobody has the handle %(handles)s.",
                    "Nobody has the handles %(handles)s.",
                    len(unknown),
                )
                % {"handles": ", ".join(f"@{handle}" for handle in unknown)},
                code="unknown_co_author",
            )
        return [people[handle.lower()] for handle in handles]

    def story_text(self) -> StoryText:
        data = self.cleaned_data
        return StoryText(
            title=data["title"],
            networks=list(data["networks"]),
            summary=data["summary"],
            body=data["body"],
            kind=data["kind"],
            tags=data["tags"],
            language=data["language"],
            co_authors=data["co_authors"],
        )


class PublishForm(forms.Form):
    """Publish now, or (with `schedule` set) at `publish_at`, a time typed in the active time zone."""

    publish_at = forms.DateTimeField(
        label=_("Or publish later, on"),
        required=False,
        input_formats=DATETIME_LOCAL_FORMATS,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_LOCAL_FORMATS[0]),
        error_messages={"invalid": _("Enter a date and time, such as 2030-05-17 09:30.")},
    )
    schedule = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["publish_at"].help_text = gettext("Date and time in %(zone)s.") % {
            "zone": timezone.get_current_timezone_name()
        }

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not cleaned.get("schedule"):
            cleaned["publish_at"] = None
        elif cleaned.get("publish_at") is None and "publish_at" not in self.errors:
            self.add_error("publish_at", _("Choose the date and time to publish the story on."))
        return cleaned


class FeatureForm(forms.Form):
    """Feature the story (a checked `featured`) or stop featuring it."""

    featured = forms.BooleanField(required=False)


class ReactionForm(forms.Form):
    kind = forms.ChoiceField(choices=ReactionKind.choices)


class CommentForm(forms.Form):
    body = forms.CharField(
        label=_("Your comment"),
        max_length=COMMENT_MAX_LENGTH,
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Markdown: **bold**, _italic_, `code`, > quotes, links."),
    )
    # The top-level comment this one answers, if any.
    parent = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)
