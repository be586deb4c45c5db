"""The forum pages: thin translations of HTTP into selector reads and service calls.

Every page works without JavaScript: reading, paging, replying, reacting, watching and moderating are
links and plain forms. static/js/forum.js makes the same pages live over the websocket, and fetches new
posts from `posts`, which renders them with the page's own partial.

A network one may not see answers 404, like a topic that does not exist; a forum or topic one may see
but not read, or an action one may not take, answers 403 with the reason on the page. Page numbers
outside a topic or category answer 404, as Django's paginated views do.
"""

from collections.abc import Callable
from functools import lru_cache, wraps
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import BadRequest, PermissionDenied, ValidationError
from django.core.paginator import InvalidPage
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from config.fragments import rendered_fragments
from config.pages import refused, signed_in
from forums.forms.chat import ReactionForm
from forums.forms.topics import (
    AcceptAnswerForm,
    CategoryForm,
    DeleteReasonForm,
    EditPostForm,
    HideForm,
    MergeTopicForm,
    ModerateSwitchForm,
    MoveTopicForm,
    ReasonForm,
    RenameTopicForm,
    ReplyForm,
    SplitPostsForm,
    TopicForm,
    WatchForm,
)
from forums.models import Category, Post, ReactionKind, Topic, WatchLevel
from forums.permissions import topics as permissions
from forums.permissions.roles import raise_if
from forums.selectors import topics as selectors
from forums.services import topics as services
from moderation import permissions as moderation_permissions
from moderation.services import forum as moderation
from network.models import Membership, Network
from network.permissions import view_network_refusal
from network.selectors import visible_network
from profiles.models import User

View = Callable[..., HttpResponse]

# Errors of a reply's target rather than of its text.
REPLY_ERRORS = ("reply_elsewhere", "reply_deleted")


class _MergedAway(Exception):
    """The topic asked for was merged into another, at `url`: readers are sent there."""

    def __init__(self, url: str) -> None:
        super().__init__(url)
        self.url = url


def _refusals_shown(view: View) -> View:
    """Refusals (403) and bad requests (400) answered with a page that says why; a merged topic's
    pages lead to the topic it became part of."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except PermissionDenied as refusal:
            return refused(request, str(refusal), status=403)
        except BadRequest as error:
            return refused(request, str(error), status=400)
        except _MergedAway as merged:
            return redirect(merged.url)

    return wrapper


def _active(membership: Membership | None) -> Membership | None:
    return membership if membership is not None and membership.state == Membership.State.ACTIVE else None


def _forum_for_reader(request: HttpRequest, network_slug: str) -> tuple[Network, Membership | None]:
    """The network at this address and the viewer's active row in it, if the viewer may read its forum."""
    visit = visible_network(request.user, network_slug)
    if visit is None:
        raise Http404(_("No network is found at this address."))
    return visit.network, _reader_membership(request, visit.network, visit.viewer_membership)


def _category_for_reader(
    request: HttpRequest, network_slug: str, category_slug: str
) -> tuple[Category, Membership | None]:
    """The category at this address and the viewer's active row in its network, if the viewer may read
    its forum."""
    category = selectors.category_for_reading(
        viewer=request.user, network_slug=network_slug, category_slug=category_slug
    )
    if category is None:
        raise Http404(_("No category is found at this address."))
    return category, _reader_membership(request, category.network, selectors.viewer_membership(category))


def _topic_for_reader(
    request: HttpRequest, network_slug: str, topic_id: int
) -> tuple[Topic, Membership | None]:
    """The topic at this address, with the viewer's state in it, and the viewer's active row in its
    network, if the viewer may read it."""
    topic = selectors.topic_for_reading(viewer=request.user, network_slug=network_slug, topic_id=topic_id)
    if topic is None:
        raise Http404(_("No topic is found at this address."))
    membership = _reader_membership(request, topic.network, selectors.viewer_membership(topic))
    if topic.is_deleted and request.method == "GET":
        into = selectors.merged_into(topic)
        if into is not None:
            raise _MergedAway(into.get_absolute_url())
    raise_if(permissions.read_topic_refusal(request.user, topic, membership))
    return topic, membership


def _reader_membership(request: HttpRequest, network: Network, row: Membership | None) -> Membership | None:
    """The viewer's active row in `network` (from `row`, their row in any state), if they may read its
    forum: 404 for a network they may not see, 403 with the reason for a forum they may not read."""
    if view_network_refusal(request.user, network, row) is not None:
        raise Http404(_("No network is found at this address."))
    membership = _active(row)
    raise_if(permissions.read_forum_refusal(request.user, network, membership))
    return membership


def _topic_post(topic: Topic, number: int) -> Post:
    post = get_object_or_404(Post.objects.select_related("author"), topic=topic, number=number)
    post.topic = topic
    return post


def _to_post(topic: Topic, number: int) -> HttpResponseRedirect:
    return redirect(selectors.post_url(topic, number))


def _whole_number(request: HttpRequest, name: str, default: int) -> int:
    raw = request.GET.get(name, "")
    if raw == "":
        return default
    if not raw.isdigit() or int(raw) >= 2**31:
        raise BadRequest(_("“%(name)s” must be a whole number.") % {"name": name})
    return int(raw)


# --- The forum and its categories -------------------------------------------------------------------


@_refusals_shown
@require_GET
def index(request: HttpRequest, network_slug: str) -> HttpResponse:
    network, membership = _forum_for_reader(request, network_slug)
    page = selectors.forum_index(viewer=request.user, network=network, membership=membership)
    return render(request, "forums/topics/index.html", {"network": network, "forum": page})


@_refusals_shown
@login_required
@require_http_methods(["GET", "POST"])
def category_create(request: HttpRequest, network_slug: str) -> HttpResponse:
    network, membership = _forum_for_reader(request, network_slug)
    raise_if(permissions.manage_categories_refusal(request.user, membership))
    form = CategoryForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        try:
            category = services.create_category(
                actor=signed_in(request), network=network, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error("name", error)
        else:
            messages.success(request, _("The category “%(name)s” is open.") % {"name": category.name})
            return redirect(category)
    return render(request, "forums/topics/category_form.html", {"network": network, "form": form})


@_refusals_shown
@login_required
@require_http_methods(["GET", "POST"])
def category_edit(request: HttpRequest, network_slug: str, category_slug: str) -> HttpResponse:
    category, membership = _category_for_reader(request, network_slug, category_slug)
    raise_if(permissions.manage_categories_refusal(request.user, membership))
    initial = {
        "name": category.name,
        "description": category.description,
        "start_policy": category.start_policy,
    }
    form = CategoryForm(request.POST if request.method == "POST" else None, initial=initial)
    if form.is_valid():
        try:
            category = services.update_category(
                actor=signed_in(request), category=category, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error("name", error)
        else:
            messages.success(request, _("The category “%(name)s” is saved.") % {"name": category.name})
            return redirect(category)
    context = {"network": category.network, "category": category, "form": form}
    return render(request, "forums/topics/category_form.html", context)


@_refusals_shown
@require_GET
def category(request: HttpRequest, network_slug: str, category_slug: str) -> HttpResponse:
    forum_category, membership = _category_for_reader(request, network_slug, category_slug)
    try:
        page = selectors.category_page(
            viewer=request.user,
            category=forum_category,
            membership=membership,
            page_number=request.GET.get("page"),
        )
    except InvalidPage as missing:
        raise Http404(_("This category has no such page.")) from missing
    context = {
        "network": forum_category.network,
        "category": forum_category,
        "page": page,
        "rows": rendered_fragments(
            "forums/topics/_topic_row.html", "row", page.rows, {"network_slug": forum_category.network.slug}
        ),
        "watch_form": WatchForm(initial={"level": page.watch_level or WatchLevel.NORMAL}),
        "forum_config": {
            "kind": "category",
            "stream": page.stream,
            "lastSeq": page.stream_seq,
            "firstPage": page.page.number == 1,
            "categoryUrl": forum_category.get_absolute_url(),
            "strings": {
                "newOne": _("1 new topic — show"),
                "newMany": _("%(count)s new topics — show"),
            },
        },
    }
    return render(request, "forums/topics/category.html", context)


@_refusals_shown
@login_required
@require_POST
def category_watch(request: HttpRequest, network_slug: str, category_slug: str) -> HttpResponse:
    forum_category, _membership = _category_for_reader(request, network_slug, category_slug)
    level = _chosen_level(request)
    services.watch_category(user=signed_in(request), category=forum_category, level=level)
    messages.success(request, _watch_message(level))
    return redirect(forum_category)


def _chosen_level(request: HttpRequest) -> str:
    form = WatchForm(request.POST)
    if not form.is_valid():
        raise BadRequest(_("Choose one of the levels offered."))
    level: str = form.cleaned_data["level"]
    return level


def _watch_message(level: str) -> str:
    if level == WatchLevel.WATCHING:
        return _("You are now watching this.")
    if level == WatchLevel.MUTED:
        return _("You muted this.")
    return _("Back to the normal level for this.")


@_refusals_shown
@login_required
@require_http_methods(["GET", "POST"])
def new_topic(request: HttpRequest, network_slug: str, category_slug: str) -> HttpResponse:
    forum_category, membership = _category_for_reader(request, network_slug, category_slug)
    raise_if(permissions.start_topic_refusal(request.user, forum_category, membership))
    form = TopicForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        try:
            topic = services.start_topic(
                author=signed_in(request), category=forum_category, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        except (services.ForumRateLimited, PermissionDenied) as refused:
            form.add_error(None, str(refused))
        else:
            return redirect(topic)
    context = {"network": forum_category.network, "category": forum_category, "form": form}
    return render(request, "forums/topics/new_topic.html", context)


# --- A topic ----------------------------------------------------------------------------------------


@_refusals_shown
@require_http_methods(["GET", "POST"])
def topic(request: HttpRequest, network_slug: str, topic_id: int, topic_slug: str) -> HttpResponse:
    """A topic's page; a POST to it is a reply, so that a reply refused comes back at the same address."""
    forum_topic, membership = _topic_for_reader(request, network_slug, topic_id)
    if request.method == "POST":
        return _reply(request, forum_topic, membership)
    if topic_slug != forum_topic.slug:
        query = request.GET.urlencode()
        return redirect(forum_topic.get_absolute_url() + (f"?{query}" if query else ""), permanent=True)
    last_read = getattr(forum_topic, "last_read_number", None)
    page_number = request.GET.get("page")
    if page_number is None and last_read is not None:
        # A returning reader goes where they left off: their first unread post, or the last one.
        return _to_post(forum_topic, min(last_read + 1, forum_topic.highest_post_number))
    reply_to = _reply_target(forum_topic, request)
    form = ReplyForm(
        initial={"reply_to": reply_to.pk if reply_to else None, "body": _quoted(forum_topic, request)}
    )
    response = _render_topic(request, forum_topic, membership, page_number, form, reply_to=reply_to)
    _record_visit(request, forum_topic)
    return response


def _reply_target(topic: Topic, request: HttpRequest) -> Post | None:
    number = _whole_number(request, "reply_to", 0)
    if not number:
        return None
    return get_object_or_404(
        Post.objects.select_related("author"), topic=topic, number=number, deleted_at__isnull=True
    )


def _quoted(topic: Topic, request: HttpRequest) -> str:
    number = _whole_number(request, "quote", 0)
    if not number:
        return ""
    post = _topic_post(topic, number)
    return "" if post.is_deleted or post.is_hidden else selectors.quote_source(post)


def _record_visit(request: HttpRequest, topic: Topic) -> None:
    """Count the view once per reader: a member by their account, a visitor by their session, or by
    their address when they have none yet."""
    user = request.user
    if isinstance(user, User):
        viewer_key = f"user:{user.pk}"
    elif request.session.session_key:
        viewer_key = f"session:{request.session.session_key}"
    else:
        viewer_key = f"address:{request.META.get('REMOTE_ADDR', '')}"
    services.record_topic_view(topic=topic, viewer_key=viewer_key)


def _render_topic(
    request: HttpRequest,
    topic: Topic,
    membership: Membership | None,
    page_number: str | int | None,
    form: ReplyForm,
    *,
    reply_to: Post | None = None,
    mark_read: bool = True,
) -> HttpResponse:
    try:
        page = selectors.topic_page(
            viewer=request.user, topic=topic, membership=membership, page_number=page_number
        )
    except InvalidPage as missing:
        raise Http404(_("This topic has no such page.")) from missing
    if mark_read and isinstance(request.user, User) and page.last_number > (page.last_read_number or 0):
        services.mark_topic_read(user=request.user, topic=topic, number=page.last_number)
    links = _post_links(topic)
    context = {
        "network": topic.network,
        "category": topic.category,
        "topic": topic,
        "page": page,
        "posts": list(zip(page.posts, _post_fragments(page.posts, links), strict=True)),
        # The page links, rendered once for above and below the posts.
        "pagination": render_to_string(
            "profiles/_pagination.html",
            {"page": page.page, "label": _("Pages of this topic")},
            request=request,
        ),
        "accept_url": reverse("forum:accept", args=[topic.network.slug, topic.pk]),
        "form": form,
        "reply_to": reply_to,
        "watch_form": WatchForm(initial={"level": page.watch_level or WatchLevel.NORMAL}),
        "forum_config": _topic_config(request, page, links["posts_base"]),
        **links,
    }
    return render(request, "forums/topics/topic.html", context)


def _post_links(topic: Topic) -> dict[str, str]:
    """What the post partial builds its links from, worked out once for all the posts of a page."""
    network_slug = topic.network.slug
    return {
        "network_slug": network_slug,
        "topic_url": topic.get_absolute_url(),
        "posts_base": reverse("forum:post", args=[network_slug, topic.pk, 0]).removesuffix("0/"),
        "hide_topic_url": reverse("forum:hide_topic", args=[network_slug, topic.pk]),
        "restore_topic_url": reverse("forum:restore_topic", args=[network_slug, topic.pk]),
    }


def _post_fragments(views: list[selectors.PostView], links: dict[str, str]) -> list[SafeString]:
    """Each post rendered by its partial, or as someone was shown it before (see config.fragments)."""
    context = {**links, "reaction_choices": _reaction_choices(translation.get_language())}
    return rendered_fragments("forums/topics/_post.html", "view", views, context)


@lru_cache
def _reaction_choices(language: str) -> tuple[tuple[str, str], ...]:
    """The reactions a post's menu offers, labelled in `language` (the active one)."""
    return tuple((kind, str(label)) for kind, label in ReactionKind.choices)


def _topic_config(request: HttpRequest, page: selectors.TopicPage, posts_base: str) -> dict[str, Any]:
    """What static/js/forum.js needs to follow the topic and to know what the viewer may do."""
    topic = page.topic
    return {
        "kind": "topic",
        "topic": topic.pk,
        "stream": page.stream,
        "lastSeq": page.stream_seq,
        "viewer": request.user.pk if request.user.is_authenticated else None,
        "canModerate": page.can_moderate,
        "isLastPage": page.is_last_page,
        "lastNumber": page.last_number,
        "readNumber": max(page.last_read_number or 0, page.last_number),
        "acceptedId": topic.accepted_post_id,
        "postsUrl": reverse("forum:posts", args=[topic.network.slug, topic.pk]),
        "postsBase": posts_base,
        "strings": {
            "newOne": _("1 new reply — show"),
            "newMany": _("%(count)s new replies — show"),
            "failed": _("The new replies could not be loaded; try again in a moment."),
            "lost": _("You can no longer read this topic."),
            "deleted": _("post deleted"),
            "deletedPost": _("Post deleted"),
            "hiddenPost": _("This post is hidden by the moderators."),
            "hidden": _("post hidden by the moderators"),
            "topicHidden": _("This topic is hidden by the network's moderators."),
            "splitPost": _("This post was moved to a new topic."),
            "splitLink": _("Read it there"),
        },
    }


@_refusals_shown
@require_GET
def topic_short(request: HttpRequest, network_slug: str, topic_id: int) -> HttpResponse:
    """A topic's address without its slug (as links in plain text are often cut): to its page."""
    forum_topic, _membership = _topic_for_reader(request, network_slug, topic_id)
    query = request.GET.urlencode()
    return redirect(forum_topic.get_absolute_url() + (f"?{query}" if query else ""), permanent=True)


@_refusals_shown
@require_GET
def post(request: HttpRequest, network_slug: str, topic_id: int, number: int) -> HttpResponse:
    forum_topic, _membership = _topic_for_reader(request, network_slug, topic_id)
    if not 0 < number <= forum_topic.highest_post_number:
        raise Http404(_("This topic has no such post."))
    return _to_post(forum_topic, number)


@_refusals_shown
@require_GET
def posts(request: HttpRequest, network_slug: str, topic_id: int) -> HttpResponse:
    """The posts after `after` (at most `limit`), rendered as the topic page renders them: what the
    page's script appends when the reader asks to see new replies."""
    forum_topic, membership = _topic_for_reader(request, network_slug, topic_id)
    after = _whole_number(request, "after", 0)
    limit = min(_whole_number(request, "limit", settings.FORUM_POSTS_PER_PAGE), settings.FORUM_POSTS_PER_PAGE)
    views = selectors.posts_after(
        viewer=request.user, topic=forum_topic, membership=membership, after=after, limit=max(limit, 1)
    )
    return HttpResponse("".join(_post_fragments(views, _post_links(forum_topic))))


def _reply(request: HttpRequest, topic: Topic, membership: Membership | None) -> HttpResponse:
    """The reply box. On any refusal the page comes back with the text kept and the reason above it."""
    if not isinstance(request.user, User):
        return redirect_to_login(topic.get_absolute_url())
    form = ReplyForm(request.POST)
    if form.is_valid():
        try:
            new_post = services.post_reply(
                author=request.user,
                topic=topic,
                body=form.cleaned_data["body"],
                reply_to_id=form.cleaned_data["reply_to"],
            )
        except ValidationError as error:
            form.add_error(None if error.code in REPLY_ERRORS else "body", error)
        except (services.ForumRateLimited, PermissionDenied) as refused:
            form.add_error(None, str(refused))
        else:
            return _to_post(topic, new_post.number)
    reply_id = form.cleaned_data.get("reply_to")
    reply_to = (
        Post.objects.select_related("author")
        .filter(topic=topic, pk=reply_id, deleted_at__isnull=True)
        .first()
        if reply_id
        else None
    )
    last_page = selectors.topic_pages(topic).num_pages
    return _render_topic(request, topic, membership, last_page, form, reply_to=reply_to, mark_read=False)


@_refusals_shown
@login_required
@require_POST
def watch(request: HttpRequest, network_slug: str, topic_id: int) -> HttpResponse:
    forum_topic, _membership = _topic_for_reader(request, network_slug, topic_id)
    level = _chosen_level(request)
    services.watch_topic(user=signed_in(request), topic=forum_topic, level=level)
    messages.success(request, _watch_message(level))
    return redirect(forum_topic)


# A moderator's switch of a topic: (the service turning it on, off), what the page says when done (on,
# off), and the confirmation page's heading and button (on, off).
_Switch = tuple[
    tuple[Callable[..., Topic], Callable[..., Topic]], tuple[str, str], tuple[str, str], tuple[str, str]
]


def _switch(request: HttpRequest, network_slug: str, topic_id: int, switch: _Switch) -> HttpResponse:
    """Turn a moderator's flag of the topic on or off, with an optional reason: GET asks (`on` in the
    query says which way, else the way it is not), POST acts and says so."""
    forum_topic, membership = _topic_for_reader(request, network_slug, topic_id)
    raise_if(permissions.moderate_topic_refusal(request.user, membership))
    (turn_on, turn_off), said, headings, buttons = switch
    form = ModerateSwitchForm(request.POST if request.method == "POST" else None)
    if form.is_bound:
        form.is_valid()  # a missing or unchecked box is "off"
        on = bool(form.cleaned_data.get("on"))
    else:
        on = request.GET.get("on", "true") != "false"
        form = ModerateSwitchForm(initial={"on": on})

    def act(data: dict[str, Any]) -> Topic:
        change = turn_on if on else turn_off
        return change(actor=signed_in(request), topic=forum_topic, reason=data.get("reason", ""))

    def done(_topic: Topic) -> HttpResponse:
        messages.success(request, said[0] if on else said[1])
        return redirect(forum_topic)

    return _moderate(
        request,
        forum_topic,
        form,
        act,
        done,
        heading=headings[0] if on else headings[1],
        submit=buttons[0] if on else buttons[1],
    )


@_refusals_shown
@login_required
@require_http_methods(["GET", "POST"])
def pin(request: HttpRequest, network_slug: str, topic_id: int) -> HttpResponse:
    switch: _Switch = (
        (moderation.pin_topic, moderation.unpin_topic),
        (_("The topic is pinned."), _("The topic is no longer pinned.")),
        (_("Pin this topic?"), _("Unpin this topic?")),
        (_("Pin"), _("Unpin")),
    )
    return _switch(request, network_slug, topic_id, switch)


@_refusals_shown
@login_required
@require_http_methods(["GET", "POST"])
def lock(request: HttpRequest, network_slug: str, topic_id: int) -> HttpResponse:
    switch: _Switch = (
        (moderation.lock_topic, moderation.unlock_topic),
        (_("The topic is locked."), _("The topic is open for replies again.")),
        (_("Lock this topic?"), _("Unlock this topic?")),
        (_("Lock"), _("Unlock")),
    )
    return _switch(request, network_slug, topic_id, switch)


def _posted(request: HttpRequest) -> QueryDict | None:
    """The data a form is bound to: what was posted (even nothing, which its rules then refuse), or
    None on a GET, which shows the form blank."""
    return request.POST if request.method == "POST" else None


def _moderator_topic(request: HttpRequest, network_slug: str, topic_id: int) -> Topic:
    """The topic at this address, if the viewer moderates its network (403 with the reason if not)."""
    forum_topic, membership = _topic_for_reader(request, network_slug, topic_id)
    raise_if(moderation_permissions.moderate_refusal(request.user, membership))
    return forum_topic


def _moderate(
    request: HttpRequest,
    topic: Topic,
    form: forms.Form,
    act: Callable[[dict[str, Any]], Any],
    done: Callable[[Any], HttpResponse],
    *,
    heading: str,
    submit: str,
    explanation: str = "",
    post: Post | None = None,
    danger: bool = False,
) -> HttpResponse:
    """A moderator's action: GET shows `form` to confirm it; a POST with a valid form does it (`act`,
    given the form's data) and answers with `done`. A refusal of the service (the target was deleted
    meanwhile, is hidden already...) comes back on the form, what was typed kept (400)."""
    if form.is_bound and form.is_valid():
        try:
            result = act(form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return done(result)
    context = {
        "network": topic.network,
        "category": topic.category,
        "topic": topic,
        "form": form,
        "forms": [form],
        "heading": heading,
        "submit": submit,
        "explanation": explanation,
        "post": post,
        "danger": danger,
        "action": request.get_full_path(),
    }
    return render(request, "forums/topics/moderate.html", context, status=400 if form.is_bound else 200)


@_refusals_shown
@login_required
@require_http_methods(["GET", "POST"])
def rename(request: HttpRequest, network_slug: str, topic_id: int) -> HttpResponse:
    forum_topic, membership = _topic_for_reader(request, network_slug, topic_id)
    raise_if(permissions.rename_topic_refusal(request.user, forum_topic, membership))
    form = RenameTopicForm(
        request.POST if request.method == "POST" else None, initial={"title": forum_topic.title}
    )
    if form.is_valid():
        try:
            forum_topic = services.rename_topic(
                actor=signed_in(request), topic=forum_topic, title=form.cleaned_data["title"]
            )
        except ValidationError as error:
            form.add_error("title", error)
        else:
            return redirect(forum_topic)
    return render(request, "forums/topics/rename.html", {"topic": forum_topic, "form": form})


@_refusals_shown
@login_required
@require_POST
def accept(request: HttpRequest, network_slug: str, topic_id: int) -> HttpResponse:
    forum_topic, membership = _topic_for_reader(request, network_slug, topic_id)
    raise_if(permissions.accept_answer_refusal(request.user, forum_topic, membership))
    form = AcceptAnswerForm(request.POST)
    if not form.is_valid():
        raise BadRequest(_("Choose one of the topic's replies as its answer."))
    number = form.cleaned_data["number"]
    answer = _topic_post(forum_topic, number) if number else None
    try:
        services.accept_answer(actor=signed_in(request), topic=forum_topic, post=answer)
    except ValidationError as error:
        raise BadRequest(" ".join(error.messages)) from error
    if answer is None:
        messages.success(request, _("The topic has no accepted answer any more."))
        return redirect(forum_topic)
    messages.success(request, _("The reply is marked as the topic's answer."))
    return _to_post(forum_topic, answer.number)


# --- One post ---------------------------------------------------------------------------------------


@_refusals_shown
@login_required
@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, network_slug: str, topic_id: int, number: int) -> HttpResponse:
    forum_topic, membership = _topic_for_reader(request, network_slug, topic_id)
    target = _topic_post(forum_topic, number)
    raise_if(permissions.edit_post_refusal(request.user, target, membership))
    form = EditPostForm(request.POST if request.method == "POST" else None, initial={"body": target.body})
    if form.is_valid():
        try:
            services.edit_post(actor=signed_in(request), post=target, body=form.cleaned_data["body"])
        except ValidationError as error:
            form.add_error("body", error)
        else:
            return _to_post(forum_topic, number)
    return render(
        request, "forums/topics/post_edit.html", {"topic": forum_topic, "post": target, "form": form}
    )


@_refusals_shown
@login_required
@require_http_methods(["GET", "POST"])
def delete(request: HttpRequest, network_slug: str, topic_id: int, number: int) -> HttpResponse:
    """GET asks for confirmation; POST deletes. Deleting the opening post deletes the topic. A moderator
    deleting someone else's post says why, and the moderation log keeps it."""
    forum_topic, membership = _topic_for_reader(request, network_slug, topic_id)
    target = _topic_post(forum_topic, number)
    raise_if(permissions.delete_post_refusal(request.user, target, membership))
    actor = signed_in(request)
    # Past the rule above, only a moderator deletes what someone else wrote.
    form = DeleteReasonForm(_posted(request)) if target.author_id != actor.pk else None
    if request.method == "POST" and form is None:
        services.delete_post(actor=actor, post=target)
    elif request.method == "POST" and form is not None and form.is_valid():
        try:
            moderation.delete_post(actor=actor, post=target, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            form.add_error(None, error)
    if request.method == "GET" or (form is not None and form.errors):
        context = {"topic": forum_topic, "post": target, "form": form, "forms": [form] if form else []}
        return render(
            request, "forums/topics/post_delete.html", context, status=400 if form and form.errors else 200
        )
    if number == 1:
        messages.success(request, _("The topic is deleted."))
        return redirect(forum_topic.category)
    messages.success(request, _("The post is deleted."))
    return _to_post(forum_topic, number)


@_refusals_shown
@login_required
@require_POST
def react(request: HttpRequest, network_slug: str, topic_id: int, number: int) -> HttpResponse:
    forum_topic, _membership = _topic_for_reader(request, network_slug, topic_id)
    target = _topic_post(forum_topic, number)
    form = ReactionForm(request.POST)
    if not form.is_valid():
        raise BadRequest(_("Choose one of the reactions offered."))
    services.react_to_post(
        user=signed_in(request), post=target, kind=form.cleaned_data["kind"], on=form.cleaned_data["on"]
    )
    return _to_post(forum_topic, number)


@_refusals_shown
@require_GET
def history(request: HttpRequest, network_slug: str, topic_id: int, number: int) -> HttpResponse:
    forum_topic, membership = _topic_for_reader(request, network_slug, topic_id)
    target = _topic_post(forum_topic, number)
    raise_if(permissions.view_post_history_refusal(request.user, target, membership))
    context = {"topic": forum_topic, "post": target, "versions": selectors.post_versions(target)}
    return render(request, "forums/topics/post_history.html", context)


# --- Moderators' actions ----------------------------------------------------------------------------


@_refusals_shown
@login_required
@require_http_methods(["GET", "POST"])
def hide_post(request: HttpRequest, network_slug: str, topic_id: int, number: int) -> HttpResponse:
    forum_topic = _moderator_topic(request, network_slug, topic_id)
    target = _topic_post(forum_topic, number)
    return _moderate(
        request,
        forum_topic,
        HideForm(_posted(request)),
        lambda data: moderation.hide_post(actor=signed_in(request), post=target, reason=data["reason"]),
        lambda _post: _done(request, _("The post is hidden."), selectors.post_url(forum_topic, number)),
        heading=_("Hide this topic?") if number == 1 else _("Hide this post?"),
        submit=_("Hide the topic") if number == 1 else _("Hide the post"),
        explanation=_hiding_explained(number),
        post=target,
        danger=True,
    )


@_refusals_shown
@login_required
@require_http_methods(["GET", "POST"])
def restore_post(request: HttpRequest, network_slug: str, topic_id: int, number: int) -> HttpResponse:
    forum_topic = _moderator_topic(request, network_slug, topic_id)
    target = _topic_post(forum_topic, number)
    return _moderate(
        request,
        forum_topic,
        ReasonForm(_posted(request)),
        lambda data: moderation.restore_post(actor=signed_in(request), post=target, reason=data["reason"]),
        lambda _post: _done(
            request, _("The post is on show again."), selectors.post_url(forum_topic, number)
        ),
        heading=_("Restore this post?"),
        submit=_("Restore the post"),
        explanation=_("Everyone who may read the topic will see it again."),
        post=target,
    )


@_refusals_shown
@login_required
@require_http_methods(["GET", "POST"])
def hide_topic(request: HttpRequest, network_slug: str, topic_id: int) -> HttpResponse:
    forum_topic = _moderator_topic(request, network_slug, topic_id)
    return _moderate(
        request,
        forum_topic,
        HideForm(_posted(request)),
        lambda data: moderation.hide_topic(
            actor=signed_in(request), topic=forum_topic, reason=data["reason"]
        ),
        lambda _topic: _done(request, _("The topic is hidden."), forum_topic.get_absolute_url()),
        heading=_("Hide this topic?"),
        submit=_("Hide the topic"),
        explanation=_hiding_explained(1),
        danger=True,
    )


@_refusals_shown
@login_required
@require_http_methods(["GET", "POST"])
def restore_topic(request: HttpRequest, network_slug: str, topic_id: int) -> HttpResponse:
    forum_topic = _moderator_topic(request, network_slug, topic_id)
    return _moderate(
        request,
        forum_topic,
        ReasonForm(_posted(request)),
        lambda data: moderation.restore_topic(
            actor=signed_in(request), topic=forum_topic, reason=data["reason"]
        ),
        lambda _topic: _done(request, _("The topic is on show again."), forum_topic.get_absolute_url()),
        heading=_("Restore this topic?"),
        submit=_("Restore the topic"),
        explanation=_("Everyone who may read the forum will see it and its replies again."),
    )


@_refusals_shown
@login_required
@require_http_methods(["GET", "POST"])
def move(request: HttpRequest, network_slug: str, topic_id: int) -> HttpResponse:
    forum_topic = _moderator_topic(request, network_slug, topic_id)
    form = MoveTopicForm(_posted(request), topic=forum_topic)
    return _moderate(
        request,
        forum_topic,
        form,
        lambda data: moderation.move_topic(
            actor=signed_in(request), topic=forum_topic, category=data["category"], reason=data["reason"]
        ),
        lambda moved: _done(
            request,
            _("The topic is now in “%(name)s”.") % {"name": moved.category.name},
            forum_topic.get_absolute_url(),
        ),
        heading=_("Move this topic?"),
        submit=_("Move the topic"),
        explanation=_("Its address stays the same; its replies go with it."),
    )


@_refusals_shown
@login_required
@require_http_methods(["GET", "POST"])
def merge(request: HttpRequest, network_slug: str, topic_id: int) -> HttpResponse:
    forum_topic = _moderator_topic(request, network_slug, topic_id)

    def act(data: dict[str, Any]) -> Topic:
        target = Topic.objects.select_related("network").filter(pk=data["target"]).first()
        if target is None:
            raise ValidationError({"target": _("No topic has this number or address.")})
        return moderation.merge_topics(
            actor=signed_in(request), source=forum_topic, target=target, reason=data["reason"]
        )

    return _moderate(
        request,
        forum_topic,
        MergeTopicForm(_posted(request)),
        act,
        lambda target: _done(
            request,
            _("The topics are merged: its posts follow the other topic's."),
            target.get_absolute_url(),
        ),
        heading=_("Merge this topic into another?"),
        submit=_("Merge the topics"),
        explanation=_(
            "Its posts move to the end of the other topic, in their order, and this topic's address leads "
            "there."
        ),
        danger=True,
    )


@_refusals_shown
@login_required
@require_http_methods(["GET", "POST"])
def split(request: HttpRequest, network_slug: str, topic_id: int) -> HttpResponse:
    """Choose replies of one page of the topic (`page` in the query) to open a new topic with."""
    forum_topic = _moderator_topic(request, network_slug, topic_id)
    pages = selectors.topic_pages(forum_topic)
    try:
        numbers = pages.page(request.GET.get("page") or 1).object_list
    except InvalidPage as missing:
        raise Http404(_("This topic has no such page.")) from missing
    form = SplitPostsForm(
        _posted(request), topic=forum_topic, posts=selectors.split_choices(forum_topic, numbers)
    )
    return _moderate(
        request,
        forum_topic,
        form,
        lambda data: moderation.split_posts(
            actor=signed_in(request),
            topic=forum_topic,
            numbers=data["numbers"],
            title=data["title"],
            category=data["category"],
            reason=data["reason"],
        ),
        lambda new: _done(request, _("The posts now make a topic of their own."), new.get_absolute_url()),
        heading=_("Split posts into a new topic?"),
        submit=_("Split into a new topic"),
        explanation=_("The posts you choose move, in their order, to a new topic; the first one opens it."),
    )


def _hiding_explained(number: int) -> str:
    if number == 1:
        return _(
            "This is the opening post: hiding it hides the whole topic. Only its author and the moderators "
            "will see it, with your reason."
        )
    return _("Others will see “This post is hidden by the moderators.” in its place; its author sees why.")


def _done(request: HttpRequest, said: str, url: str) -> HttpResponse:
    messages.success(request, said)
    return redirect(url)
