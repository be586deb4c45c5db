"""What people do in a network's threaded forum: one function per intent, each in its own transaction.

Every change is stored, counted, indexed for search and announced (`forums.events.topics`) in the same
transaction, so that counters, search results and what open pages show follow what the database holds.
Posting locks the topic's row: posts take their numbers one after another, and a topic just locked
takes no more replies. Services that change a post lock its topic's row, then its own, always in that
order. New posts add to the counters of their topic and category; deleting recounts them from the posts.

A new member's first posts are stored hidden and awaiting approval, counted, indexed and announced only
once a moderator approves them. Hiding, showing, moving, merging and splitting are building blocks of
moderation's services (`moderation.services.forum`, `moderation.services.approval`), which check who
may act and record each action in the audit log; these keep the forum's data, counters, search entries
and live events consistent.
"""

import hashlib
from collections.abc import Iterable, Mapping
from datetime import datetime
from itertools import count
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Count, F, Max, Model, Q
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from forums import indexing
from forums.events import topics as events
from forums.events.reactions import ReactionCount, count_reactions
from forums.models import (
    Category,
    CategoryWatch,
    Post,
    PostMention,
    PostReaction,
    PostRevision,
    ReactionKind,
    Topic,
    TopicReadState,
    TopicWatch,
    WatchLevel,
)
from forums.permissions import topics as permissions
from forums.permissions.roles import raise_if
from forums.ratelimit import take_allowance
from forums.validators import clean_post_body, clean_topic_title
from moderation.permissions import needs_approval
from network.models import Membership, Network
from network.permissions import active_membership
from profiles.mentions import mention_links, resolve_mentions
from profiles.models import User
from realtime.models import Event
from realtime.services import append_event, redact_events
from richtext import render_markdown
from search.services import remove_documents

# What a recount changed: field name -> (the value it had, the value it has now).
Fixes = dict[str, tuple[Any, Any]]


class ForumRateLimited(Exception):
    """A member posted more in a network than settings.FORUM_POST_RATE_LIMIT allows; nothing was stored."""

    def __init__(self) -> None:
        super().__init__(_("You're posting too fast. Wait a minute and try again."))


# --- Categories -------------------------------------------------------------------------------------


@transaction.atomic
def create_category(
    *,
    actor: User,
    network: Network,
    name: str,
    description: str = "",
    start_policy: str = Category.StartPolicy.MEMBERS,
) -> Category:
    """A category, added by one of the network's admins after the categories it already has."""
    permissions.check_manage_categories(actor, network)
    name = _clean_category(network, name, start_policy)
    last_position = Category.objects.filter(network=network).aggregate(last=Max("position"))["last"]
    return Category.objects.create(
        network=network,
        name=name,
        slug=_free_category_slug(network, name),
        description=description.strip(),
        start_policy=start_policy,
        position=0 if last_position is None else last_position + 1,
    )


@transaction.atomic
def update_category(
    *, actor: User, category: Category, name: str, description: str, start_policy: str
) -> Category:
    """Rename or redescribe a category, or change who starts topics in it; its address stays, so that
    links to it keep working."""
    permissions.check_manage_categories(actor, category.network)
    category.name = _clean_category(category.network, name, start_policy, renamed=category)
    category.description = description.strip()
    category.start_policy = start_policy
    category.save(update_fields=["name", "description", "start_policy"])
    return category


def _clean_category(network: Network, name: str, start_policy: str, renamed: Category | None = None) -> str:
    name = " ".join(name.split())
    if not name:
        raise ValidationError(_("Give the category a name."), code="required")
    if start_policy not in Category.StartPolicy.values:
        raise ValidationError(
            _("Choose who may start topics from the choices offered."), code="invalid_policy"
        )
    others = Category.objects.filter(network=network, name__iexact=name)
    if renamed is not None:
        others = others.exclude(pk=renamed.pk)
    if others.exists():
        raise ValidationError(_("This network already has a category with that name."), code="taken")
    return name


def _free_category_slug(network: Network, name: str) -> str:
    base = slugify(name)[:50] or "category"
    taken = set(
        Category.objects.filter(network=network, slug__startswith=base).values_list("slug", flat=True)
    )
    candidates = (base if n == 1 else f"{base}-{n}" for n in count(1))
    return next(slug for slug in candidates if slug not in taken)


# --- Topics and posts -------------------------------------------------------------------------------


@transaction.atomic
def start_topic(*, author: User, category: Category, title: str, body: str) -> Topic:
    """A topic and its opening post; its author watches it. ValidationError for an empty, too short or
    too long title, or an empty or too long body; ForumRateLimited (nothing stored) when posting too fast.
    A new member's topic waits for approval, hidden with its opening post (see `_hold_for_approval`)."""
    category = Category.objects.select_related("network").get(pk=category.pk)
    membership = _own_membership(author, category.network)
    raise_if(permissions.start_topic_refusal(author, category, membership))
    title = clean_topic_title(title)
    body = clean_post_body(body)
    _count_against_rate_limit(author, category.network)
    held = needs_approval(author, membership)
    topic = Topic.objects.create(
        network=category.network,
        category=category,
        title=title,
        slug=_topic_slug(title),
        author=author,
        last_activity_at=timezone.now(),
        is_hidden=held,
        awaiting_approval=held,
    )
    opening = _add_post(topic, author=author, body=body, held=held)
    TopicWatch.objects.create(user=author, topic=topic, level=WatchLevel.WATCHING)
    if held:
        _hold_for_approval(opening)
        return topic
    indexing.index_post(opening)
    _announce_topic_created(topic)
    return topic


@transaction.atomic
def post_reply(*, author: User, topic: Topic, body: str, reply_to_id: int | None = None) -> Post:
    """A reply at the end of `topic`; its author watches the topic unless they chose a level for it
    before. ValidationError for an empty or too long body or a reply to a post not in this topic or
    deleted; PermissionDenied saying why when the topic is locked; ForumRateLimited (nothing stored)
    when posting too fast. A new member's first posts wait for approval (see `_hold_for_approval`)."""
    topic = _lock_topic(topic)
    membership = _own_membership(author, topic.network)
    raise_if(permissions.reply_to_topic_refusal(author, topic, membership))
    body = clean_post_body(body)
    reply_to = None
    if reply_to_id is not None:
        reply_to = Post.objects.filter(pk=reply_to_id, topic=topic).first()
        if reply_to is None:
            raise ValidationError(_("You can only reply to a post of this topic."), code="reply_elsewhere")
        if not reply_to.is_visible:
            raise ValidationError(_("That post was taken down; it cannot be answered."), code="reply_deleted")
    _count_against_rate_limit(author, topic.network)
    held = needs_approval(author, membership)
    post = _add_post(topic, author=author, body=body, reply_to=reply_to, held=held)
    TopicWatch.objects.get_or_create(user=author, topic=topic, defaults={"level": WatchLevel.WATCHING})
    if held:
        _hold_for_approval(post)
        return post
    indexing.index_post(post)
    _announce(topic, events.POST_CREATED, events.post_created_payload(post), events.post_subject(post.pk))
    return post


@transaction.atomic
def edit_post(*, actor: User, post: Post, body: str) -> Post:
    """Change a post's text, keeping the text it had as a revision.

    Its author may fix a post that moderators hid or that awaits approval, but its words then stay off
    the topic's stream, which every reader follows: pages fetch the post once it is on show again. For
    a post on show, the earlier `post.edited` events on its topic's stream are rewritten to the new
    version as it is recorded, so that a page catching up replays only the version every reader sees,
    never the history that `view_post_history_refusal` keeps for the author and the moderators."""
    topic = _lock_topic(post.topic)
    post = _lock_post(post, topic)
    permissions.check_edit_post(actor, post)
    body = clean_post_body(body)
    if body == post.body:
        return post
    PostRevision.objects.create(
        post=post, body=post.body, body_html=post.body_html, created_at=post.edited_at or post.created_at
    )
    mentioned = resolve_mentions(body)
    post.body = body
    post.body_html = render_markdown(body, mention_links(mentioned))
    post.edited_at = timezone.now()
    post.save(update_fields=["body", "body_html", "edited_at"])
    _record_mentions(post, mentioned)
    indexing.index_post(post)
    if post.is_hidden:
        return post
    subject = events.post_subject(post.pk)
    redact_events(subject=subject, redact=events.as_edited(post), streams=[events.topic_stream(topic.pk)])
    _announce(topic, events.POST_EDITED, events.post_edited_payload(post), subject)
    return post


@transaction.atomic
def rename_topic(*, actor: User, topic: Topic, title: str) -> Topic:
    """Give a topic a new title (and address: the old one still leads to it, by its id)."""
    topic = _lock_topic(topic)
    permissions.check_rename_topic(actor, topic)
    title = clean_topic_title(title)
    if title == topic.title:
        return topic
    topic.title = title
    topic.slug = _topic_slug(title)
    topic.save(update_fields=["title", "slug"])
    indexing.reindex_topic(topic)
    redact_events(subject=events.topic_subject(topic.pk), redact=events.as_titled(topic))
    _announce_topic_update(topic)
    return topic


@transaction.atomic
def delete_post(*, actor: User, post: Post) -> Post:
    """Take a post down: pages show "post deleted" in its place, and the events that carried its words
    are rewritten, so that a page catching up later never receives them. Deleting the opening post
    deletes the topic. Revisions stay, for the network's moderators."""
    topic = _lock_topic(post.topic)
    post = _lock_post(post, topic)
    permissions.check_delete_post(actor, post)
    post.deleted_at = timezone.now()
    post.save(update_fields=["deleted_at"])
    subject = events.post_subject(post.pk)
    redact_events(subject=subject, redact=events.redact_deleted)
    _announce(topic, events.POST_DELETED, events.post_deleted_payload(post), subject)
    _recount_topic(topic)
    if post.number == 1:
        _delete_topic(topic, when=post.deleted_at)
        return post
    if topic.accepted_post_id == post.pk:
        topic.accepted_post = None
        topic.save(update_fields=["accepted_post"])
        _announce_topic_update(topic)
    _recount_category(topic.category)
    indexing.index_post(post)
    return post


def _delete_topic(topic: Topic, *, when: datetime) -> None:
    """Take the whole of `topic` (locked) out of its category's lists, counts and search, and out of the
    events that carried its title."""
    topic.deleted_at = when
    topic.save(update_fields=["deleted_at"])
    redact_events(subject=events.topic_subject(topic.pk), redact=events.redact_deleted)
    _announce_topic_gone(topic, topic.category_id)
    _recount_category(topic.category)
    indexing.reindex_topic(topic)


@transaction.atomic
def set_post_visibility(*, post: Post, visible: bool, reason: str = "") -> Post:
    """Hide a post (`reason` kept for its author) or show it again (a hidden one, or one awaiting
    approval): the building block of moderation's services, which check who may do it and record it in
    the audit log; this checks only that the post is there to hide or show.

    Its topic and category are recounted and the search index follows. Hiding rewrites the events that
    carried the post's words, as deleting does, and says `post.hidden` (no words); showing says
    `post.shown`, and pages fetch the post rendered. The opening post stands for its topic: hiding it
    hides the topic (its category's stream says `topic.deleted`, the events naming its title are
    rewritten), and showing it shows the topic (`topic.created`, as for a topic just started).
    Hiding a post awaiting approval turns it down: it stays hidden, with `reason`, and no longer awaits.
    ValidationError for a deleted post or topic, or a post already hidden (or already on show)."""
    topic = _lock_topic(post.topic)
    post = _lock_post(post, topic)
    if post.is_deleted or topic.is_deleted:
        raise ValidationError(_("This post was deleted."), code="deleted")
    if visible and not post.is_hidden:
        raise ValidationError(_("This post is not hidden."), code="already_shown")
    # A post awaiting approval is hidden already: hiding it is turning it down.
    if not visible and post.is_hidden and not post.awaiting_approval:
        raise ValidationError(_("This post is already hidden."), code="already_hidden")
    post.is_hidden = not visible
    post.hidden_reason = "" if visible else reason.strip()
    post.awaiting_approval = False
    post.save(update_fields=["is_hidden", "hidden_reason", "awaiting_approval"])
    subject = events.post_subject(post.pk)
    if visible:
        _announce(topic, events.POST_SHOWN, events.post_shown_payload(post), subject)
    else:
        redact_events(subject=subject, redact=events.redact_deleted)
        _announce(topic, events.POST_HIDDEN, events.post_hidden_payload(post), subject)
    _recount_topic(topic)
    if post.number == 1:
        _set_topic_visibility(topic, post)
    else:
        indexing.index_post(post)
    _recount_category(topic.category)
    return post


def _set_topic_visibility(topic: Topic, opening: Post) -> None:
    """Hide or show the whole of `topic` (locked) as its `opening` post just was. A topic that was
    never listed (it awaited approval) is not said to leave its category's list."""
    was_listed = not topic.is_hidden
    topic.is_hidden = opening.is_hidden
    topic.hidden_reason = opening.hidden_reason
    topic.awaiting_approval = False
    topic.save(update_fields=["is_hidden", "hidden_reason", "awaiting_approval"])
    if topic.is_hidden:
        redact_events(subject=events.topic_subject(topic.pk), redact=events.redact_deleted)
        if was_listed:
            _announce_topic_gone(topic, topic.category_id)
    else:
        _announce_topic_created(topic)
    indexing.reindex_topic(topic)


@transaction.atomic
def move_topic_to(*, topic: Topic, category: Category) -> Topic:
    """Move `topic` to another category of its network: a building block of moderation's services, which
    check who may do it and record it. Both categories are recounted; their streams say the topic left
    one list (`topic.deleted`) and joined the other (`topic.created`), and the topic's own stream says
    `topic.moved`, so that its open pages show where it now stands. ValidationError (keyed "category")
    for a category of another network or the one it is in; for a deleted topic."""
    topic = _lock_topic(topic)
    _refuse_deleted(topic)
    category = Category.objects.select_related("network").get(pk=category.pk)
    if category.network_id != topic.network_id:
        raise ValidationError(
            {"category": ValidationError(_("Choose a category of this network."), code="other_network")}
        )
    left = topic.category
    if category.pk == left.pk:
        raise ValidationError(
            {"category": ValidationError(_("The topic is already in this category."), code="same_category")}
        )
    topic.category = category
    topic.save(update_fields=["category"])
    if not topic.is_hidden:
        _announce_topic_gone(topic, left.pk)
        _announce_topic_created(topic)
    moved: events.TopicMovedData = {"id": topic.pk, "category": category.pk, "url": topic.get_absolute_url()}
    _announce(topic, events.TOPIC_MOVED, moved, events.topic_subject(topic.pk))
    _recount_category(left)
    _recount_category(category)
    indexing.reindex_topic(topic)
    return topic


@transaction.atomic
def merge_topic_into(*, source: Topic, target: Topic) -> Topic:
    """Append every post of `source` to `target`, in their order, numbered on from `target`'s highest
    number (replies keep the posts they answer: those move together), and delete `source`: a building
    block of moderation's services, which check who may do it and record it (the audit entry is what
    leads `source`'s address to `target`). Watchers of `source` watch `target`.

    `target`'s stream says `post.created` for each post now on show there; `source`'s says
    `topic.merged`, so that its open pages go to `target`. ValidationError (keyed "target") for the
    same topic, a topic of another network or a deleted one; for a deleted `source`."""
    if source.pk == target.pk:
        raise ValidationError(
            {"target": ValidationError(_("A topic cannot be merged into itself."), code="same_topic")}
        )
    # Both rows locked in the order of their ids, so that two merges of the same pair cannot deadlock.
    locked = {topic.pk: _lock_topic(topic) for topic in sorted((source, target), key=lambda topic: topic.pk)}
    source, target = locked[source.pk], locked[target.pk]
    _refuse_deleted(source)
    if target.network_id != source.network_id:
        raise ValidationError(
            {"target": ValidationError(_("Choose a topic of this network."), code="other_network")}
        )
    if target.is_deleted:
        raise ValidationError(
            {"target": ValidationError(_("That topic was deleted."), code="target_deleted")}
        )
    moved = list(Post.objects.filter(topic=source).order_by("number"))
    start = target.highest_post_number
    for offset, post in enumerate(moved, start=1):
        post.topic = target
        post.number = start + offset
    Post.objects.bulk_update(moved, ["topic", "number"])
    _forget_moved_posts(moved)
    watches = TopicWatch.objects.filter(topic=source)
    TopicWatch.objects.bulk_create(
        [TopicWatch(user_id=watch.user_id, topic=target, level=watch.level) for watch in watches],
        ignore_conflicts=True,
    )
    _recount_topic(target)
    source.deleted_at = timezone.now()
    source.accepted_post = None
    source.save(update_fields=["deleted_at", "accepted_post"])
    redact_events(subject=events.topic_subject(source.pk), redact=events.redact_deleted)
    if not source.is_hidden:
        _announce_topic_gone(source, source.category_id)
    merged: events.TopicMergedData = {"id": source.pk, "into_url": target.get_absolute_url()}
    _announce(source, events.TOPIC_MERGED, merged, events.topic_subject(target.pk))
    shown = Post.objects.filter(pk__in=[post.pk for post in moved], deleted_at__isnull=True, is_hidden=False)
    for post in shown.select_related("author", "reply_to").order_by("number"):
        _announce(
            target, events.POST_CREATED, events.post_created_payload(post), events.post_subject(post.pk)
        )
    _recount_category(source.category)
    if target.category_id != source.category_id:
        _recount_category(target.category)
    remove_documents(kind=indexing.TOPIC_KIND, object_ids=[source.pk])
    indexing.reindex_topic(target)
    return target


@transaction.atomic
def split_topic_posts(*, topic: Topic, numbers: list[int], title: str, category: Category) -> Topic:
    """Move the replies `numbers` of `topic` to a new topic titled `title` in `category` (of the same
    network), numbered from 1 in their order; the first of them opens it, and its author is the new
    topic's. A building block of moderation's services, which check who may do it and record it.

    A reply whose post is now in the other topic no longer points to it (its link would lead into the
    wrong topic). The watchers of `topic` watch the new topic too. `topic`'s stream says `topic.split`,
    the new topic's category's says `topic.created`. ValidationError keyed by field ("numbers",
    "title", "category") for bad input; for a deleted topic."""
    topic = _lock_topic(topic)
    _refuse_deleted(topic)
    try:
        title = clean_topic_title(title)
    except ValidationError as error:
        raise ValidationError({"title": error.error_list}) from error
    category = Category.objects.select_related("network").get(pk=category.pk)
    if category.network_id != topic.network_id:
        raise ValidationError(
            {"category": ValidationError(_("Choose a category of this network."), code="other_network")}
        )
    moved = _posts_to_split(topic, numbers)
    opening = moved[0]
    new = Topic.objects.create(
        network=topic.network,
        category=category,
        title=title,
        slug=_topic_slug(title),
        author=opening.author,
        last_activity_at=opening.created_at,
    )
    moved_ids = {post.pk for post in moved}
    left_numbers = [post.number for post in moved]
    for number, post in enumerate(moved, start=1):
        post.topic = new
        post.number = number
        if post.reply_to_id not in moved_ids:
            post.reply_to = None
    Post.objects.bulk_update(moved, ["topic", "number", "reply_to"])
    _forget_moved_posts(moved)
    Post.objects.filter(topic=topic, reply_to_id__in=moved_ids).update(reply_to=None)
    watchers = [TopicWatch(user=opening.author, topic=new, level=WatchLevel.WATCHING)]
    watchers += [
        TopicWatch(user_id=watch.user_id, topic=new, level=watch.level)
        for watch in TopicWatch.objects.filter(topic=topic)
    ]
    TopicWatch.objects.bulk_create(watchers, ignore_conflicts=True)
    _recount_topic(new)
    _recount_topic(topic)
    if topic.accepted_post_id in moved_ids:
        topic.accepted_post = None
        topic.save(update_fields=["accepted_post"])
        _announce_topic_update(topic)
    split: events.TopicSplitData = {
        "id": topic.pk,
        "numbers": left_numbers,
        "into_url": new.get_absolute_url(),
    }
    _announce(topic, events.TOPIC_SPLIT, split, events.topic_subject(new.pk))
    _announce_topic_created(new)
    _recount_category(topic.category)
    if category.pk != topic.category_id:
        _recount_category(category)
    # The opening post of the new topic is found as the topic now, no longer as a reply.
    remove_documents(kind=indexing.POST_KIND, object_ids=[opening.pk])
    indexing.reindex_topic(new)
    return new


def _posts_to_split(topic: Topic, numbers: list[int]) -> list[Post]:
    """The replies `numbers` of `topic` (locked), in order, once checked that they can open and fill a
    new topic."""
    wanted = sorted(set(numbers))
    if not wanted:
        raise ValidationError({"numbers": ValidationError(_("Choose the posts to move."), code="required")})
    if 1 in wanted:
        raise ValidationError(
            {"numbers": ValidationError(_("The opening post stays with its topic."), code="opening_post")}
        )
    posts = list(
        Post.objects.select_for_update(of=("self",))
        .select_related("author")
        .filter(topic=topic, number__in=wanted)
        .order_by("number")
    )
    if len(posts) != len(wanted):
        raise ValidationError(
            {"numbers": ValidationError(_("Choose posts of this topic."), code="elsewhere")}
        )
    for post in posts:
        if post.is_deleted:
            raise ValidationError(
                {
                    "numbers": ValidationError(
                        _("Post #%(number)s was deleted: leave it out."),
                        code="deleted",
                        params={"number": post.number},
                    )
                }
            )
    if posts[0].is_hidden:
        raise ValidationError(
            {
                "numbers": ValidationError(
                    _("Post #%(number)s would open the new topic: it must be on show."),
                    code="hidden_opening",
                    params={"number": posts[0].number},
                )
            }
        )
    return posts


def _refuse_deleted(topic: Topic) -> None:
    if topic.is_deleted:
        raise ValidationError(_("This topic was deleted."), code="deleted")


@transaction.atomic
def react_to_post(*, user: User, post: Post, kind: str, on: bool = True) -> list[ReactionCount]:
    """Add (`on`) or take back one of `user`'s reactions; returns the post's reaction counts."""
    topic = _lock_topic(post.topic)
    post = _lock_post(post, topic)
    permissions.check_react_to_post(user, post)
    if kind not in ReactionKind.values:
        raise ValidationError(_("Choose one of the reactions offered."), code="invalid_reaction")
    if on:
        changed = PostReaction.objects.get_or_create(post=post, user=user, kind=kind)[1]
    else:
        changed = PostReaction.objects.filter(post=post, user=user, kind=kind).delete()[0] > 0
    counts = reaction_counts(post)
    if changed:
        payload: events.ReactionChangedData = {
            "post": post.pk,
            "number": post.number,
            "user": user.pk,
            "kind": kind,
            "on": on,
            "reactions": counts,
        }
        _announce(topic, events.REACTION_CHANGED, payload, events.post_subject(post.pk))
    return counts


def reaction_counts(post: Post) -> list[ReactionCount]:
    return count_reactions(PostReaction.objects.filter(post=post))


@transaction.atomic
def accept_answer(*, actor: User, topic: Topic, post: Post | None) -> Topic:
    """Show `post` (a reply of `topic`) under the opening post as the topic's answer; None clears it."""
    topic = _lock_topic(topic)
    permissions.check_accept_answer(actor, topic)
    answer = None
    if post is not None:
        answer = Post.objects.filter(pk=post.pk, topic=topic, number__gt=1).first()
        if answer is None:
            raise ValidationError(_("Only a reply of this topic can be its answer."), code="accept_elsewhere")
        if not answer.is_visible:
            raise ValidationError(
                _("That reply was taken down; it cannot be the answer."), code="accept_deleted"
            )
    if topic.accepted_post_id != (answer.pk if answer is not None else None):
        topic.accepted_post = answer
        topic.save(update_fields=["accepted_post"])
        _announce_topic_update(topic)
    return topic


@transaction.atomic
def set_topic_pinned(*, actor: User, topic: Topic, pinned: bool) -> Topic:
    """Keep a topic at the top of its category (or let it take its place by activity again)."""
    return _set_topic_flag(actor, topic, "is_pinned", pinned)


@transaction.atomic
def set_topic_locked(*, actor: User, topic: Topic, locked: bool) -> Topic:
    """Stop (or allow again) members' replies to a topic; moderators may still reply."""
    return _set_topic_flag(actor, topic, "is_locked", locked)


def _set_topic_flag(actor: User, topic: Topic, flag: str, value: bool) -> Topic:
    topic = _lock_topic(topic)
    permissions.check_moderate_topic(actor, topic)
    if getattr(topic, flag) != value:
        setattr(topic, flag, value)
        topic.save(update_fields=[flag])
        _announce_topic_update(topic)
    return topic


def _lock_topic(topic: Topic) -> Topic:
    """The topic's row read afresh (with what rules and payloads need) and locked until the end."""
    return (
        Topic.objects.select_for_update(of=("self",))
        .select_related("network", "category", "author", "accepted_post")
        .get(pk=topic.pk)
    )


def _lock_post(post: Post, topic: Topic) -> Post:
    """The post's row read afresh and locked until the end; `topic` is its topic, already locked."""
    post = Post.objects.select_for_update(of=("self",)).select_related("author").get(pk=post.pk, topic=topic)
    post.topic = topic
    return post


def _topic_slug(title: str) -> str:
    return slugify(title, allow_unicode=True)[:80].strip("-") or "topic"


def _add_post(
    topic: Topic, *, author: User, body: str, reply_to: Post | None = None, held: bool = False
) -> Post:
    """Number, store and count a post at the end of `topic`, whose row the caller has locked. A `held`
    post (awaiting approval) takes its number but is hidden and counts for nothing until approved."""
    mentioned = resolve_mentions(body)
    topic.highest_post_number += 1
    post = Post.objects.create(
        topic=topic,
        number=topic.highest_post_number,
        author=author,
        body=body,
        body_html=render_markdown(body, mention_links(mentioned)),
        reply_to=reply_to,
        is_hidden=held,
        awaiting_approval=held,
    )
    _record_mentions(post, mentioned)
    if held:
        topic.save(update_fields=["highest_post_number"])
        return post
    opens_topic = post.number == 1
    topic.reply_count += 0 if opens_topic else 1
    topic.last_activity_at = post.created_at
    topic.last_poster = author
    topic.save(update_fields=["highest_post_number", "reply_count", "last_activity_at", "last_poster"])
    Category.objects.filter(pk=topic.category_id).update(
        topic_count=F("topic_count") + (1 if opens_topic else 0),
        post_count=F("post_count") + 1,
        last_activity_at=post.created_at,
        last_topic=topic,
    )
    return post


def _record_mentions(post: Post, mentioned: Mapping[str, User]) -> None:
    """Remember who of the topic's network a post names (they are the ones it may notify)."""
    if mentioned:
        named = Membership.objects.filter(
            network_id=post.topic.network_id, state=Membership.State.ACTIVE, user__in=list(mentioned.values())
        )
        mentions = [
            PostMention(post=post, user_id=user_id) for user_id in named.values_list("user_id", flat=True)
        ]
        PostMention.objects.bulk_create(mentions, ignore_conflicts=True)


def _count_against_rate_limit(author: User, network: Network) -> None:
    if not take_allowance(f"forum-rate:{network.pk}:{author.pk}", settings.FORUM_POST_RATE_LIMIT):
        raise ForumRateLimited


def _own_membership(user: User, network: Network) -> Membership | None:
    """`user`'s active row in `network`, with the network on it (approval reads the network's rule)."""
    membership = active_membership(user, network)
    if membership is not None:
        membership.network = network
    return membership


def _hold_for_approval(post: Post) -> None:
    """Put a post just written, hidden and uncounted, in its network's review queue. Nothing announces
    it: readers learn of it when it is approved (`set_post_visibility`)."""
    # Imported here: moderation's services build on this module.
    from moderation.services.approval import hold_for_approval

    hold_for_approval(post)


def _forget_moved_posts(posts: Iterable[Post]) -> None:
    """Empty the stored events that carried the words of `posts`, just moved to another topic: on the
    stream of the topic they left they name numbers that other posts have now, or will have."""
    redact_events(subject=[events.post_subject(post.pk) for post in posts], redact=events.redact_deleted)


def _announce(topic: Topic, kind: str, data: Mapping[str, Any], subject: str) -> Event:
    return append_event(stream=events.topic_stream(topic.pk), kind=kind, data=dict(data), subject=subject)


def _announce_topic_update(topic: Topic) -> Event:
    return _announce(topic, events.TOPIC_UPDATED, events.topic_payload(topic), events.topic_subject(topic.pk))


def _announce_topic_created(topic: Topic) -> Event:
    """Tell `topic`'s category that it is in its list (new, shown again, or moved there). Needs the
    topic's network and author loaded."""
    return append_event(
        stream=events.category_stream(topic.category_id),
        kind=events.TOPIC_CREATED,
        data=dict(events.topic_created_payload(topic)),
        subject=events.topic_subject(topic.pk),
    )


def _announce_topic_gone(topic: Topic, category_id: int) -> Event:
    """Tell the category `category_id` that `topic` left its list (deleted, hidden, or moved away)."""
    data: events.TopicDeletedData = {"id": topic.pk}
    return append_event(
        stream=events.category_stream(category_id), kind=events.TOPIC_DELETED, data=dict(data)
    )


# --- Watching, reading, views ---------------------------------------------------------------------


@transaction.atomic
def watch_topic(*, user: User, topic: Topic, level: str) -> TopicWatch:
    """Set how closely `user` follows `topic`."""
    membership = active_membership(user, topic.network)
    raise_if(
        permissions.watch_refusal(user, topic.network, membership)
        or permissions.read_topic_refusal(user, topic, membership)
    )
    watch, _created = TopicWatch.objects.update_or_create(
        user=user, topic=topic, defaults={"level": _clean_level(level)}
    )
    return watch


@transaction.atomic
def watch_category(*, user: User, category: Category, level: str) -> CategoryWatch:
    """Set how closely `user` follows the topics of `category`."""
    permissions.check_watch(user, category.network)
    watch, _created = CategoryWatch.objects.update_or_create(
        user=user, category=category, defaults={"level": _clean_level(level)}
    )
    return watch


def _clean_level(level: str) -> str:
    if level not in WatchLevel.values:
        raise ValidationError(_("Choose one of the watching levels offered."), code="invalid_level")
    return level


@transaction.atomic
def mark_topic_read(*, user: User, topic: Topic, number: int) -> int:
    """Record that `user` has read `topic` up to post `number`; never moves back, nor past the topic's
    last post. Returns how far they have read.

    One statement, whether the reader opens the topic for the first time, reads on or looks back: an
    upsert that keeps the greater of the two positions, so that two pages marking at once cannot move
    a reader back either. Django's upsert (`bulk_create(update_conflicts=True)`) can only overwrite the
    stored position, and an update followed by an insert takes up to three statements."""
    permissions.check_read_topic(user, topic)
    number = max(0, min(number, topic.highest_post_number))
    table = connection.ops.quote_name(TopicReadState._meta.db_table)
    greatest = "MAX" if connection.vendor == "sqlite" else "GREATEST"
    # Only the model's own table and a function name go into the text; the values are parameters.
    upsert = (
        f"INSERT INTO {table} (user_id, topic_id, last_read_number) VALUES (%s, %s, %s) "  # noqa: S608
        "ON CONFLICT (user_id, topic_id) DO UPDATE "
        f"SET last_read_number = {greatest}({table}.last_read_number, EXCLUDED.last_read_number) "
        "RETURNING last_read_number"
    )
    with connection.cursor() as cursor:
        cursor.execute(upsert, [user.pk, topic.pk, number])
        stored = cursor.fetchone()
    assert stored is not None  # an upsert always returns its row
    return int(stored[0])


def record_topic_view(*, topic: Topic, viewer_key: str) -> bool:
    """Count a view of `topic` by the viewer `viewer_key` names (a member, or a visitor's address) once
    per settings.FORUM_VIEW_WINDOW_SECONDS; whether this one counted. The caller has let them read it."""
    digest = hashlib.blake2b(viewer_key.encode(), digest_size=16).hexdigest()
    if not cache.add(f"forum-view:{topic.pk}:{digest}", True, timeout=settings.FORUM_VIEW_WINDOW_SECONDS):
        return False
    Topic.objects.filter(pk=topic.pk).update(view_count=F("view_count") + 1)
    return True


# --- Counters ---------------------------------------------------------------------------------------


@transaction.atomic
def recount_topic(*, topic: Topic) -> Fixes:
    """Recompute a topic's counters and last activity from its posts; returns what was wrong."""
    return _recount_topic(_lock_topic(topic))


@transaction.atomic
def recount_category(*, category: Category) -> Fixes:
    """Recompute a category's counters and last activity from its topics' posts; returns what was wrong."""
    return _recount_category(Category.objects.select_for_update().get(pk=category.pk))


def _visible_posts() -> Q:
    return Q(deleted_at__isnull=True, is_hidden=False)


def _recount_topic(topic: Topic) -> Fixes:
    posts = Post.objects.filter(topic=topic)
    totals = posts.aggregate(
        highest=Max("number"), replies=Count("pk", filter=_visible_posts() & Q(number__gt=1))
    )
    last = posts.filter(_visible_posts()).order_by("-number").only("created_at", "author_id").first()
    return _apply_fixes(
        topic,
        highest_post_number=totals["highest"] or 0,
        reply_count=totals["replies"],
        last_activity_at=last.created_at if last is not None else topic.created_at,
        last_poster_id=last.author_id if last is not None else None,
    )


def _recount_category(category: Category) -> Fixes:
    topics = Topic.objects.filter(category=category, deleted_at__isnull=True, is_hidden=False)
    last = topics.order_by("-last_activity_at", "-pk").only("last_activity_at").first()
    return _apply_fixes(
        category,
        topic_count=topics.count(),
        post_count=Post.objects.filter(_visible_posts(), topic__in=topics).count(),
        last_activity_at=last.last_activity_at if last is not None else None,
        last_topic_id=last.pk if last is not None else None,
    )


def _apply_fixes(row: Model, **expected: Any) -> Fixes:
    """Give `row` the `expected` values it lacks, saving only those; returns what changed."""
    fixes = {
        field: (getattr(row, field), value)
        for field, value in expected.items()
        if getattr(row, field) != value
    }
    for field, (_old, value) in fixes.items():
        setattr(row, field, value)
    if fixes:
        row.save(update_fields=list(fixes))
    return fixes
