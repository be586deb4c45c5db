"""One story's pages: writing it, reading it and its preview, an author's own list, and the actions on
it (sending it for review, publishing, featuring, reacting, commenting). Thin: the selectors read, the
services decide and write.

A story the viewer may not read answers 404 whatever the reason, so that nobody learns it exists; an
action refused on a story they may read answers 403 with the reason, and a malformed one 400. Every
form works without JavaScript and comes back, refused, with what was typed kept.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import BadRequest, PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import date as format_date
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from config.pages import form_status, refusals_shown, signed_in
from forums.models.reactions import ReactionKind
from forums.permissions.roles import raise_if
from stories import permissions
from stories.forms.stories import CommentForm, FeatureForm, PublishForm, ReactionForm, StoryForm
from stories.models import COMMENT_MAX_LENGTH, Story, StoryComment
from stories.selectors import stories as selectors
from stories.services import discussion, publishing, writing


def _visit(request: HttpRequest, pk: int) -> selectors.StoryVisit:
    visit = selectors.story_for_reader(viewer=request.user, pk=pk)
    if visit is None:
        raise Http404(_("No story is found at this address."))
    return visit


def _bad_request(error: ValidationError) -> BadRequest:
    return BadRequest(" ".join(error.messages))


def _with_query(request: HttpRequest, url: str) -> str:
    query = request.GET.urlencode()
    return url + (f"?{query}" if query else "")


# --- Writing ----------------------------------------------------------------------------------------


@refusals_shown
@login_required
@require_http_methods(["GET", "POST"])
def new(request: HttpRequest) -> HttpResponse:
    author = signed_in(request)
    posted = request.method == "POST"
    form = StoryForm(request.POST if posted else None, request.FILES if posted else None, author=author)
    if posted and form.is_valid():
        try:
            story = writing.create_draft(
                author=author, text=form.story_text(), cover=form.cleaned_data["cover"]
            )
        except (ValidationError, PermissionDenied) as error:
            _show_error(form, error)
        else:
            _say_saved(request, story)
            return redirect(story)
    return _render_form(request, form, None)


@refusals_shown
@login_required
@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    visit = _visit(request, pk)
    story = visit.story
    raise_if(permissions.edit_story_refusal(request.user, visit.is_author, visit.memberships))
    if story.status not in writing.EDITABLE_STATUSES:
        raise PermissionDenied(_("This story is being reviewed: it can be edited again once it is returned."))
    actor = signed_in(request)
    if request.method == "GET":
        form = StoryForm(initial=StoryForm.initial_for(story), author=actor, story=story)
        return _render_form(request, form, story)
    form = StoryForm(request.POST, request.FILES, author=actor, story=story)
    if form.is_valid():
        try:
            story = writing.update_draft(
                actor=actor, story=story, text=form.story_text(), cover=form.cleaned_data["cover"]
            )
        except (ValidationError, PermissionDenied) as error:
            _show_error(form, error)
        else:
            _say_saved(request, story)
            return redirect(story)
    return _render_form(request, form, story)


def _show_error(form: StoryForm, error: ValidationError | PermissionDenied) -> None:
    """A service's refusal beside the field it is about; the form keeps everything typed."""
    if isinstance(error, PermissionDenied):
        form.add_error("networks", str(error))
    elif hasattr(error, "error_dict"):
        for field, field_errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, field_errors)
    else:
        form.add_error(None, error)


def _say_saved(request: HttpRequest, story: Story) -> None:
    if story.status == Story.Status.PUBLISHED:
        messages.success(request, _("The story is saved."))
        return
    messages.success(
        request,
        _("The story is saved. Anyone with its preview link can read it: %(url)s")
        % {"url": request.build_absolute_uri(story.get_preview_url())},
    )


def _render_form(request: HttpRequest, form: StoryForm, story: Story | None) -> HttpResponse:
    context = {
        "form": form,
        "error_forms": [form],
        "story": story,
        "has_networks": form.network_choices.exists(),
        # Browsers forget a chosen file when a page comes back: the author has to pick the cover again.
        "reselect_cover": form.is_bound and bool(request.FILES) and bool(form.errors),
    }
    return render(request, "stories/edit.html", context, status=form_status(form))


# --- Reading ----------------------------------------------------------------------------------------


@refusals_shown
@require_GET
def detail(request: HttpRequest, pk: int, slug: str) -> HttpResponse:
    visit = _visit(request, pk)
    if slug != visit.story.slug:
        return redirect(_with_query(request, visit.story.get_absolute_url()), permanent=True)
    return _render_story(request, visit)


@refusals_shown
@require_GET
def detail_short(request: HttpRequest, pk: int) -> HttpResponse:
    """A story's address without its slug (as links in plain text are often cut): to its page."""
    visit = _visit(request, pk)
    return redirect(_with_query(request, visit.story.get_absolute_url()), permanent=True)


def _render_story(
    request: HttpRequest,
    visit: selectors.StoryVisit,
    *,
    comment_form: CommentForm | None = None,
    publish_form: PublishForm | None = None,
    status: int = 200,
) -> HttpResponse:
    """The story page; a refused comment or schedule comes back in its own form, with what was typed.
    A refused reply comes back under the comment it answers."""
    page = selectors.story_page(viewer=request.user, visit=visit)
    answering = comment_form.cleaned_data.get("parent") if comment_form is not None else None
    replied_to = {view.id for view in page.comments if view.can_reply}
    failed_reply = comment_form if answering in replied_to else None
    context = {
        "page": page,
        "story": visit.story,
        "comment_form": comment_form if comment_form is not None and failed_reply is None else CommentForm(),
        "failed_reply": failed_reply,
        "failed_reply_to": answering if failed_reply else None,
        "publish_form": publish_form or PublishForm(initial={"schedule": True}),
        "preview_url": request.build_absolute_uri(visit.story.get_preview_url()),
        "current_url": visit.story.get_absolute_url(),
        "comment_max_length": COMMENT_MAX_LENGTH,
    }
    return render(request, "stories/detail.html", context, status=status)


@refusals_shown
@require_GET
def preview(request: HttpRequest, token: str) -> HttpResponse:
    visit = selectors.story_for_preview(token=token)
    if visit is None:
        raise Http404(_("This preview link is not valid: ask the author for a new one."))
    if visit.story.status == Story.Status.PUBLISHED:
        return redirect(visit.story)
    return render(request, "stories/preview.html", {"visit": visit, "story": visit.story})


@refusals_shown
@login_required
@require_GET
def mine(request: HttpRequest) -> HttpResponse:
    return render(request, "stories/mine.html", {"mine": selectors.my_stories(viewer=signed_in(request))})


# --- Sending out ------------------------------------------------------------------------------------


@refusals_shown
@login_required
@require_POST
def submit(request: HttpRequest, pk: int) -> HttpResponse:
    story = _visit(request, pk).story
    try:
        publishing.submit_for_review(actor=signed_in(request), story=story)
    except ValidationError as error:
        raise _bad_request(error) from error
    messages.success(
        request, _("The story is sent for review: a champion or an admin of its networks will publish it.")
    )
    return redirect(story)


@refusals_shown
@login_required
@require_POST
def publish(request: HttpRequest, pk: int) -> HttpResponse:
    """Publish now, or schedule; a refused time comes back on the story page, as typed, and a story that
    cannot be published in its state is a bad request."""
    visit = _visit(request, pk)
    raise_if(permissions.publish_story_refusal(request.user, visit.memberships))
    form = PublishForm(request.POST)
    if form.is_valid():
        try:
            story = publishing.publish_story(
                actor=signed_in(request), story=visit.story, publish_at=form.cleaned_data["publish_at"]
            )
        except ValidationError as error:
            if not hasattr(error, "error_dict"):
                raise _bad_request(error) from error
            form.add_error(None, error)
        else:
            if story.status == Story.Status.SCHEDULED and story.publish_at is not None:
                when = format_date(timezone.localtime(story.publish_at), "DATETIME_FORMAT")
                messages.success(request, _("The story is scheduled for %(when)s.") % {"when": when})
            else:
                messages.success(request, _("The story is published."))
            return redirect(story)
    return _render_story(request, visit, publish_form=form, status=400)


@refusals_shown
@login_required
@require_POST
def unpublish(request: HttpRequest, pk: int) -> HttpResponse:
    story = _visit(request, pk).story
    try:
        publishing.unpublish_story(actor=signed_in(request), story=story)
    except ValidationError as error:
        raise _bad_request(error) from error
    messages.success(request, _("The story is unpublished: it is no longer in the feed."))
    return redirect(story)


@refusals_shown
@login_required
@require_POST
def feature(request: HttpRequest, pk: int) -> HttpResponse:
    story = _visit(request, pk).story
    form = FeatureForm(request.POST)
    form.is_valid()  # a missing or unchecked box is "stop featuring"
    featured = bool(form.cleaned_data.get("featured"))
    try:
        publishing.feature_story(actor=signed_in(request), story=story, featured=featured)
    except ValidationError as error:
        raise _bad_request(error) from error
    if featured:
        messages.success(request, _("The story is featured: it stands at the top of the feed."))
    else:
        messages.success(request, _("The story is no longer featured."))
    return redirect(story)


# --- Discussing -------------------------------------------------------------------------------------


@refusals_shown
@login_required
@require_POST
def react(request: HttpRequest, pk: int) -> HttpResponse:
    story = _visit(request, pk).story
    form = ReactionForm(request.POST)
    if not form.is_valid():
        raise BadRequest(_("Choose one of the reactions offered."))
    kind = form.cleaned_data["kind"]
    try:
        given = discussion.react_to_story(actor=signed_in(request), story=story, kind=kind)
    except ValidationError as error:
        raise _bad_request(error) from error
    label = ReactionKind(kind).label
    if given:
        messages.success(request, _("You reacted with “%(reaction)s”.") % {"reaction": label})
    else:
        messages.success(request, _("Your “%(reaction)s” reaction is taken back.") % {"reaction": label})
    return HttpResponseRedirect(f"{story.get_absolute_url()}#reactions")


@refusals_shown
@login_required
@require_POST
def comment(request: HttpRequest, pk: int) -> HttpResponse:
    """A refused comment or reply comes back on the story page with its text."""
    visit = _visit(request, pk)
    story = visit.story
    raise_if(permissions.discuss_story_refusal(request.user, story, visit.memberships))
    form = CommentForm(request.POST)
    if form.is_valid():
        parent_id = form.cleaned_data["parent"]
        parent = StoryComment.objects.filter(pk=parent_id).first() if parent_id else None
        if parent_id and parent is None:
            form.add_error(None, _("The comment you answer is no longer on this story."))
        else:
            try:
                posted = discussion.comment_on_story(
                    actor=signed_in(request), story=story, body=form.cleaned_data["body"], parent=parent
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Your comment is posted."))
                return HttpResponseRedirect(f"{story.get_absolute_url()}#comment-{posted.pk}")
    return _render_story(request, visit, comment_form=form, status=400)


@refusals_shown
@login_required
@require_http_methods(["GET", "POST"])
def comment_delete(request: HttpRequest, pk: int, comment_id: int) -> HttpResponse:
    """GET asks for confirmation; POST deletes."""
    visit = _visit(request, pk)
    story = visit.story
    target = get_object_or_404(
        StoryComment.objects.select_related("author"), pk=comment_id, story=story, deleted_at__isnull=True
    )
    raise_if(permissions.delete_comment_refusal(request.user, target.author_id, visit.memberships))
    if request.method == "GET":
        return render(request, "stories/comment_delete.html", {"story": story, "comment": target})
    target.story = story
    try:
        discussion.delete_comment(actor=signed_in(request), comment=target)
    except ValidationError as error:
        raise _bad_request(error) from error
    messages.success(request, _("The comment is deleted."))
    return HttpResponseRedirect(f"{story.get_absolute_url()}#comments")
