"""The site operators' view of stories, calls for case studies and compendiums.

What the site derives or announces is done here by the same services as on the site, with the operator
as the actor: a story's edited text is rendered by the writing service, publishing, unpublishing and
featuring are admin actions that go through the publishing service (which announces them to open feed
pages), a compendium is founded and versioned through the compendium service. What services alone
write is read-only here: comments (on the story's page), submissions and their reviews (on the call's
pages), and published versions, which are frozen.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any, TypeVar

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.options import InlineModelAdmin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Model, QuerySet
from django.forms import ModelForm
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy
from django_stubs_ext import StrOrPromise

from forums.admin import ReadOnlyAdmin
from profiles.models import User
from stories.models import (
    CaseStudyCall,
    CaseStudySubmission,
    Compendium,
    CompendiumChapter,
    CompendiumVersion,
    Story,
    StoryComment,
    SubmissionReview,
)
from stories.services import calls, compendiums, publishing, writing


def _actor(request: HttpRequest) -> User:
    actor = request.user
    assert isinstance(actor, User)
    return actor


def _reason(error: PermissionDenied | ValidationError) -> str:
    return " ".join(error.messages) if isinstance(error, ValidationError) else str(error)


Row = TypeVar("Row", bound=Model)


def _each(
    model_admin: admin.ModelAdmin, request: HttpRequest, rows: QuerySet[Row], service: Callable[[Row], object]
) -> int:
    """Run `service` on each row; say why for each it refuses. Returns how many it did."""
    done = 0
    for row in rows:
        try:
            service(row)
        except (PermissionDenied, ValidationError) as error:
            model_admin.message_user(request, f"{row}: {_reason(error)}", messages.WARNING)
        else:
            done += 1
    return done


def _report(model_admin: admin.ModelAdmin, request: HttpRequest, done: int, message: StrOrPromise) -> None:
    """Say how many rows were done; `message` counts them with `%(count)d`."""
    model_admin.message_user(request, message % {"count": done}, messages.SUCCESS if done else messages.INFO)


class ReadOnlyInline(admin.TabularInline):
    extra = 0

    def has_add_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


# --- Stories ----------------------------------------------------------------------------------------

# What an operator may correct in a story's text; the rest is set by its author or by the services.
STORY_TEXT_FIELDS = ("title", "summary", "body", "kind", "networks", "tags", "language", "co_authors")
STORY_DERIVED_FIELDS = (
    "slug", "author", "status", "publish_at", "published_at", "featured", "featured_at", "cover",
    "body_html", "preview_token", "created_at", "updated_at",
)  # fmt: skip


@admin.register(Story)
class StoryAdmin(admin.ModelAdmin):
    list_display = ("title", "kind", "status", "author", "published_at", "featured")
    list_filter = ("status", "kind", "featured", "networks", "language")
    list_select_related = ("author",)
    search_fields = ("title", "summary", "author__display_name", "author__username", "author__email")
    date_hierarchy = "published_at"
    filter_horizontal = ("networks",)
    raw_id_fields = ("co_authors",)
    fieldsets = (
        (None, {"fields": ("title", "slug", "author", "co_authors", "kind", "networks", "tags", "language")}),
        (_("Text"), {"fields": ("summary", "body", "body_html", "cover")}),
        (_("Publishing"), {"fields": ("status", "publish_at", "published_at", "featured", "featured_at")}),
        (_("History"), {"fields": ("preview_token", "created_at", "updated_at")}),
    )
    actions = ["publish_selected", "unpublish_selected", "feature_selected", "unfeature_selected"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        # A story is written by its author, who is the one the writing service makes it for.
        return False

    def get_readonly_fields(self, request: HttpRequest, obj: Story | None = None) -> tuple[str, ...]:
        if obj is not None and obj.status not in writing.EDITABLE_STATUSES:
            # Its reviewers decide on the text as it was sent: nobody edits it meanwhile.
            return STORY_DERIVED_FIELDS + STORY_TEXT_FIELDS
        return STORY_DERIVED_FIELDS

    def save_model(self, request: HttpRequest, obj: Story, form: ModelForm[Story], change: bool) -> None:
        data = form.cleaned_data
        writing.update_draft(
            actor=_actor(request),
            story=obj,
            text=writing.StoryText(
                title=obj.title,
                networks=list(data["networks"]),
                summary=obj.summary,
                body=obj.body,
                kind=obj.kind,
                tags=list(data["tags"]),
                language=obj.language,
                co_authors=list(data["co_authors"]),
            ),
        )

    def save_related(
        self, request: HttpRequest, form: ModelForm[Story], formsets: list[object], change: bool
    ) -> None:
        # The writing service has set the networks, tags and co-authors already.
        pass

    @admin.action(description=_("Publish the selected stories now"))
    def publish_selected(self, request: HttpRequest, queryset: QuerySet[Story]) -> None:
        self._run(
            request,
            queryset,
            publishing.publish_story,
            ngettext_lazy("%(count)d story published.", "%(count)d stories published.", "count"),
        )

    @admin.action(description=_("Unpublish the selected stories"))
    def unpublish_selected(self, request: HttpRequest, queryset: QuerySet[Story]) -> None:
        self._run(
            request,
            queryset,
            publishing.unpublish_story,
            ngettext_lazy("%(count)d story unpublished.", "%(count)d stories unpublished.", "count"),
        )

    @admin.action(description=_("Feature the selected stories"))
    def feature_selected(self, request: HttpRequest, queryset: QuerySet[Story]) -> None:
        self._run(
            request,
            queryset,
            publishing.feature_story,
            ngettext_lazy("%(count)d story featured.", "%(count)d stories featured.", "count"),
        )

    @admin.action(description=_("Stop featuring the selected stories"))
    def unfeature_selected(self, request: HttpRequest, queryset: QuerySet[Story]) -> None:
        self._run(
            request,
            queryset,
            partial(publishing.feature_story, featured=False),
            ngettext_lazy(
                "%(count)d story no longer featured.", "%(count)d stories no longer featured.", "count"
            ),
        )

    def _run(
        self,
        request: HttpRequest,
        queryset: QuerySet[Story],
        service: Callable[..., Story],
        message: StrOrPromise,
    ) -> None:
        """`service(actor=, story=)` on each selected story, with the operator as the actor."""
        actor = _actor(request)
        done = _each(self, request, queryset, lambda story: service(actor=actor, story=story))
        _report(self, request, done, message)


@admin.register(StoryComment)
class StoryCommentAdmin(ReadOnlyAdmin):
    list_display = ("__str__", "story", "author", "parent", "created_at", "deleted_at")
    list_filter = ("story__networks",)
    list_select_related = ("story", "author")
    search_fields = ("body", "author__display_name", "author__username", "story__title")
    fields = ("story", "parent", "author", "body", "created_at", "updated_at", "deleted_at")


# --- Calls for case studies -------------------------------------------------------------------------


class SubmissionInline(ReadOnlyInline):
    model = CaseStudySubmission
    fields = readonly_fields = ("story", "state", "round", "submitted_at")
    show_change_link = True


@admin.register(CaseStudyCall)
class CaseStudyCallAdmin(ReadOnlyAdmin):
    list_display = ("title", "network", "state", "deadline", "opened_by", "created_at")
    list_filter = ("state", "network")
    list_select_related = ("network", "opened_by")
    search_fields = ("title", "brief", "network__name")
    fields = ("network", "title", "brief", "deadline", "opened_by", "state", "created_at")
    inlines = [SubmissionInline]
    actions = ["close_selected"]

    @admin.action(description=_("Close the selected calls"))
    def close_selected(self, request: HttpRequest, queryset: QuerySet[CaseStudyCall]) -> None:
        actor = _actor(request)
        open_calls = queryset.filter(state=CaseStudyCall.State.OPEN).select_related("network")
        done = _each(self, request, open_calls, lambda call: calls.close_call(actor=actor, call=call))
        _report(
            self, request, done, ngettext_lazy("%(count)d call closed.", "%(count)d calls closed.", "count")
        )


class ReviewInline(ReadOnlyInline):
    model = SubmissionReview
    fields = readonly_fields = ("round", "decision", "reviewer", "comments", "created_at")


@admin.register(CaseStudySubmission)
class CaseStudySubmissionAdmin(ReadOnlyAdmin):
    list_display = ("story", "call", "state", "round", "submitted_at")
    list_filter = ("state", "call__network")
    list_select_related = ("story", "call")
    search_fields = ("story__title", "call__title")
    fields = ("call", "story", "state", "round", "submitted_at")
    inlines = [ReviewInline]


# --- Compendiums ------------------------------------------------------------------------------------


class ChapterInline(ReadOnlyInline):
    """Chapters are added and filled on the compendium's page, through the same services."""

    model = CompendiumChapter
    fields = readonly_fields = ("position", "title")


class CompendiumCreationForm(forms.ModelForm):
    chapters = forms.CharField(
        label=_("Chapters"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text=_("One chapter title a line, in order."),
    )

    class Meta:
        model = Compendium
        fields = ("network", "title")

    def clean_chapters(self) -> list[str]:
        titles = [line.strip() for line in self.cleaned_data["chapters"].splitlines() if line.strip()]
        # Checked here as the service checks it, so that the form shows the error beside the lines.
        if len(set(titles)) != len(titles):
            raise forms.ValidationError(_("Give each chapter its own title: two lines are the same."))
        return titles


@admin.register(Compendium)
class CompendiumAdmin(admin.ModelAdmin):
    list_display = ("title", "network", "created_at")
    list_filter = ("network",)
    list_select_related = ("network",)
    search_fields = ("title", "network__name")
    actions = ["publish_version_of_selected"]

    def get_inlines(self, request: HttpRequest, obj: Compendium | None) -> list[type[InlineModelAdmin]]:
        # A new compendium's chapters are the lines of its form.
        return [ChapterInline] if obj is not None else []

    def get_fields(self, request: HttpRequest, obj: Compendium | None = None) -> tuple[str, ...]:
        return ("network", "title") if obj is not None else ("network", "title", "chapters")

    def get_form(
        self, request: HttpRequest, obj: Compendium | None = None, change: bool = False, **kwargs: Any
    ) -> type[forms.ModelForm[Compendium]]:
        if obj is None:
            kwargs["form"] = CompendiumCreationForm
        return super().get_form(request, obj, change, **kwargs)

    def get_readonly_fields(self, request: HttpRequest, obj: Compendium | None = None) -> tuple[str, ...]:
        # Its versions were published as the network's: a compendium does not move to another.
        return ("network",) if obj is not None else ()

    def save_model(
        self, request: HttpRequest, obj: Compendium, form: forms.ModelForm[Compendium], change: bool
    ) -> None:
        if change:
            super().save_model(request, obj, form, change)
            return
        # Founded through the service, which checks that the operator may curate the network's stories.
        created = compendiums.create_compendium(
            actor=_actor(request),
            network=obj.network,
            title=obj.title,
            chapters=form.cleaned_data["chapters"],
        )
        # The admin goes on with the form's instance (log, redirect): make it the saved row.
        obj.pk = created.pk
        obj._state.adding = False
        obj.refresh_from_db()

    @admin.action(description=_("Publish a new version of the selected compendiums"))
    def publish_version_of_selected(self, request: HttpRequest, queryset: QuerySet[Compendium]) -> None:
        actor = _actor(request)
        done = _each(
            self,
            request,
            queryset.select_related("network"),
            lambda compendium: compendiums.publish_compendium_version(actor=actor, compendium=compendium),
        )
        _report(
            self,
            request,
            done,
            ngettext_lazy("%(count)d version published.", "%(count)d versions published.", "count"),
        )


@admin.register(CompendiumVersion)
class CompendiumVersionAdmin(ReadOnlyAdmin):
    """Versions are frozen: readers and printed copies refer to them by number."""

    list_display = ("__str__", "compendium", "number", "published_at", "published_by")
    list_filter = ("compendium__network",)
    list_select_related = ("compendium", "published_by")
    search_fields = ("compendium__title",)
    fields = ("compendium", "number", "published_at", "published_by", "contents")
