"""What moderators do to a network's threaded forum: one function per action, each checking that the actor
moderates the target's network, then acting, recording the action in the audit log and taking what it
hid or deleted off the review queue, all in one transaction.

The changes themselves (and their live events, recounts and search entries) are the forum's own
services' (`forums.services.topics`), which keep its data consistent; these add the moderators' rule,
the reason and the record. Acting on what was deleted meanwhile, hiding what is hidden already, or
restoring what is on show, is refused with a ValidationError that says so, and changes nothing.
"""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from forums.models import Category, Post, Topic
from forums.services import topics as forum
from moderation.models import AuditEntry, QueueItem, TargetKind
from moderation.permissions import check_moderate
from moderation.services import audit, queue
from profiles.models import User

RESOLUTION_HIDDEN = "hidden"
RESOLUTION_DELETED = "deleted"
RESOLUTION_MERGED = "merged"


# --- Posts ------------------------------------------------------------------------------------------


@transaction.atomic
def hide_post(*, actor: User, post: Post, reason: str) -> Post:
    """Hide `post` from everyone but its author (who reads `reason` on it) and the moderators. Hiding
    the opening post hides its topic."""
    post = _locked_post(actor, post)
    reason = audit.clean_reason(reason, missing=_("Say why the post is hidden: its author will read it."))
    before = _visibility(post)
    post = forum.set_post_visibility(post=post, visible=False, reason=reason)
    _record(actor, AuditEntry.Action.POST_HIDE, post, reason, before, _visibility(post))
    _resolve_post(actor, post, RESOLUTION_HIDDEN)
    return post


@transaction.atomic
def restore_post(*, actor: User, post: Post, reason: str = "") -> Post:
    """Show a post the moderators hid again. A post awaiting approval is approved from the queue."""
    post = _locked_post(actor, post)
    if post.awaiting_approval:
        raise ValidationError(
            _("This post is awaiting approval: approve it from the review queue."), code="awaiting_approval"
        )
    reason = audit.clean_reason(reason)
    before = _visibility(post)
    post = forum.set_post_visibility(post=post, visible=True)
    _record(actor, AuditEntry.Action.POST_RESTORE, post, reason, before, _visibility(post))
    return post


@transaction.atomic
def delete_post(*, actor: User, post: Post, reason: str) -> Post:
    """Take a post down for good (its words leave every page and every replayed event); the audit entry
    keeps what it said. Deleting the opening post deletes its topic."""
    post = _locked_post(actor, post)
    reason = audit.clean_reason(reason, missing=_("Say why the post is deleted."))
    if post.number == 1:
        return _delete_topic(actor, post, reason).posts.get(number=1)
    before = {"body": post.body}
    post = forum.delete_post(actor=actor, post=post)
    _record(actor, AuditEntry.Action.POST_DELETE, post, reason, before, {"deleted": True})
    _resolve_post(actor, post, RESOLUTION_DELETED)
    return post


# --- Topics -----------------------------------------------------------------------------------------


@transaction.atomic
def hide_topic(*, actor: User, topic: Topic, reason: str) -> Topic:
    """Hide a topic (its opening post, and with it every reply) from everyone but its author, who reads
    `reason`, and the moderators."""
    topic = _locked_topic(actor, topic)
    reason = audit.clean_reason(reason, missing=_("Say why the topic is hidden: its author will read it."))
    opening = _opening(topic)
    if topic.is_hidden and not opening.awaiting_approval:
        raise ValidationError(_("This topic is already hidden."), code="already_hidden")
    before = _visibility(opening)
    forum.set_post_visibility(post=opening, visible=False, reason=reason)
    topic.refresh_from_db()
    _record_topic(actor, AuditEntry.Action.TOPIC_HIDE, topic, reason, before, {"is_hidden": True})
    _resolve_topic(actor, topic, RESOLUTION_HIDDEN)
    return topic


@transaction.atomic
def restore_topic(*, actor: User, topic: Topic, reason: str = "") -> Topic:
    """Show a topic the moderators hid again."""
    topic = _locked_topic(actor, topic)
    reason = audit.clean_reason(reason)
    opening = _opening(topic)
    if opening.awaiting_approval:
        raise ValidationError(
            _("This topic is awaiting approval: approve it from the review queue."), code="awaiting_approval"
        )
    if not topic.is_hidden:
        raise ValidationError(_("This topic is not hidden."), code="already_shown")
    before = _visibility(opening)
    forum.set_post_visibility(post=opening, visible=True)
    topic.refresh_from_db()
    _record_topic(actor, AuditEntry.Action.TOPIC_RESTORE, topic, reason, before, {"is_hidden": False})
    return topic


@transaction.atomic
def delete_topic(*, actor: User, topic: Topic, reason: str) -> Topic:
    """Delete a topic and its replies; the audit entry keeps its title and opening post."""
    topic = _locked_topic(actor, topic)
    reason = audit.clean_reason(reason, missing=_("Say why the topic is deleted."))
    return _delete_topic(actor, _opening(topic), reason)


def _delete_topic(actor: User, opening: Post, reason: str) -> Topic:
    topic = opening.topic
    before = {"title": topic.title, "body": opening.body}
    forum.delete_post(actor=actor, post=opening)
    topic.refresh_from_db()
    _record_topic(actor, AuditEntry.Action.TOPIC_DELETE, topic, reason, before, {"deleted": True})
    _resolve_topic(actor, topic, RESOLUTION_DELETED)
    return topic


@transaction.atomic
def lock_topic(*, actor: User, topic: Topic, reason: str = "") -> Topic:
    """Stop members' replies to a topic (the page shows why in place of the reply box)."""
    return _switch(actor, topic, "is_locked", True, reason)


@transaction.atomic
def unlock_topic(*, actor: User, topic: Topic, reason: str = "") -> Topic:
    return _switch(actor, topic, "is_locked", False, reason)


@transaction.atomic
def pin_topic(*, actor: User, topic: Topic, reason: str = "") -> Topic:
    """Keep a topic at the top of its category."""
    return _switch(actor, topic, "is_pinned", True, reason)


@transaction.atomic
def unpin_topic(*, actor: User, topic: Topic, reason: str = "") -> Topic:
    return _switch(actor, topic, "is_pinned", False, reason)


_SWITCHES: dict[tuple[str, bool], tuple[str, str]] = {
    ("is_locked", True): (AuditEntry.Action.TOPIC_LOCK, "already_locked"),
    ("is_locked", False): (AuditEntry.Action.TOPIC_UNLOCK, "already_unlocked"),
    ("is_pinned", True): (AuditEntry.Action.TOPIC_PIN, "already_pinned"),
    ("is_pinned", False): (AuditEntry.Action.TOPIC_UNPIN, "already_unpinned"),
}


def _switch(actor: User, topic: Topic, flag: str, on: bool, reason: str) -> Topic:
    topic = _locked_topic(actor, topic)
    reason = audit.clean_reason(reason)
    action, code = _SWITCHES[(flag, on)]
    if getattr(topic, flag) == on:
        raise ValidationError(_already_switched(code), code=code)
    if flag == "is_locked":
        topic = forum.set_topic_locked(actor=actor, topic=topic, locked=on)
    else:
        topic = forum.set_topic_pinned(actor=actor, topic=topic, pinned=on)
    _record_topic(actor, action, topic, reason, {flag: not on}, {flag: on})
    return topic


def _already_switched(code: str) -> str:
    return {
        "already_locked": _("This topic is already locked."),
        "already_unlocked": _("This topic is not locked."),
        "already_pinned": _("This topic is already pinned."),
        "already_unpinned": _("This topic is not pinned."),
    }[code]


@transaction.atomic
def move_topic(*, actor: User, topic: Topic, category: Category, reason: str = "") -> Topic:
    """Move a topic to another category of its network. ValidationError (keyed "category") for a category
    of another network, or the one it is in."""
    topic = _locked_topic(actor, topic)
    reason = audit.clean_reason(reason)
    left = topic.category
    topic = forum.move_topic_to(topic=topic, category=category)
    _record_topic(
        actor,
        AuditEntry.Action.TOPIC_MOVE,
        topic,
        reason,
        {"category": left.pk, "category_name": left.name},
        {"category": topic.category_id, "category_name": topic.category.name},
    )
    return topic


@transaction.atomic
def merge_topics(*, actor: User, source: Topic, target: Topic, reason: str = "") -> Topic:
    """Append the posts of `source` to `target` and delete `source`, whose address then leads to
    `target` (forums.selectors.topics.merged_into finds it from this entry); returns `target`.
    ValidationError (keyed "target") for the same topic, a topic of another network, or a deleted one."""
    check_moderate(actor, source.network)
    # Both rows locked in the order of their ids, as the forum's merge locks them, so that two merges
    # of the same pair cannot deadlock.
    list(Topic.objects.select_for_update().filter(pk__in=[source.pk, target.pk]).order_by("pk"))
    source = _locked_topic(actor, source)
    reason = audit.clean_reason(reason)
    count = Post.objects.filter(topic=source).count()
    before = {"topic": source.pk, "title": source.title, "posts": count}
    target = forum.merge_topic_into(source=source, target=target)
    source.refresh_from_db()
    # The posts of `source` are the last `count` numbers of `target` now.
    last = target.highest_post_number
    after = {"into": target.pk, "into_title": target.title, "numbers": [last - count + 1, last]}
    _record_topic(actor, AuditEntry.Action.TOPIC_MERGE, source, reason, before, after)
    _resolve_topic(actor, source, RESOLUTION_MERGED)
    return target


@transaction.atomic
def split_posts(
    *, actor: User, topic: Topic, numbers: list[int], title: str, category: Category, reason: str = ""
) -> Topic:
    """Move the replies `numbers` of `topic` to a new topic `title` in `category`, numbered from 1;
    returns the new topic. ValidationError keyed by field ("numbers", "title", "category")."""
    topic = _locked_topic(actor, topic)
    reason = audit.clean_reason(reason)
    new = forum.split_topic_posts(topic=topic, numbers=numbers, title=title, category=category)
    before = {"topic": topic.pk, "numbers": sorted(set(numbers))}
    after = {"into": new.pk, "into_title": new.title, "category": new.category_id}
    _record_topic(actor, AuditEntry.Action.TOPIC_SPLIT, topic, reason, before, after)
    return new


# --- Shared steps -----------------------------------------------------------------------------------


def _locked_post(actor: User, post: Post) -> Post:
    """`post` read afresh (its topic's row, then its own, locked as the forum's services lock them), once
    `actor` was found to moderate its network; ValidationError when it or its topic was deleted."""
    topic = _locked_topic(actor, post.topic)
    post = Post.objects.select_for_update(of=("self",)).select_related("author").get(pk=post.pk, topic=topic)
    post.topic = topic
    if post.is_deleted:
        raise ValidationError(_("This post was deleted."), code="deleted")
    return post


def _locked_topic(actor: User, topic: Topic) -> Topic:
    """`topic` read afresh and locked, once `actor` was found to moderate its network; ValidationError
    when it was deleted."""
    check_moderate(actor, topic.network)
    topic = (
        Topic.objects.select_for_update(of=("self",))
        .select_related("network", "category", "author", "accepted_post")
        .get(pk=topic.pk)
    )
    if topic.is_deleted:
        raise ValidationError(_("This topic was deleted."), code="deleted")
    return topic


def _opening(topic: Topic) -> Post:
    opening = Post.objects.select_related("author").get(topic=topic, number=1)
    opening.topic = topic
    return opening


def _visibility(post: Post) -> dict[str, Any]:
    return {"is_hidden": post.is_hidden, "hidden_reason": post.hidden_reason}


def _record(
    actor: User, action: str, post: Post, reason: str, before: dict[str, Any], after: dict[str, Any]
) -> None:
    audit.record(
        actor=actor,
        network=post.topic.network,
        action=action,
        target_kind=TargetKind.POST,
        target_id=post.pk,
        target_label=_("#%(number)s in “%(title)s”") % {"number": post.number, "title": post.topic.title},
        target_user=post.author,
        reason=reason,
        before=before,
        after=after,
    )


def _record_topic(
    actor: User, action: str, topic: Topic, reason: str, before: dict[str, Any], after: dict[str, Any]
) -> None:
    audit.record(
        actor=actor,
        network=topic.network,
        action=action,
        target_kind=TargetKind.TOPIC,
        target_id=topic.pk,
        target_label=topic.title,
        target_user=topic.author,
        reason=reason,
        before=before,
        after=after,
    )


def _resolve_post(actor: User, post: Post, resolution: str) -> None:
    """Take `post` (and its topic, for an opening post) off every queue."""
    if post.number == 1:
        _resolve_topic(actor, post.topic, resolution)
        return
    queue.resolve_items_for(
        network=post.topic.network,
        target_kind=TargetKind.POST,
        target_id=post.pk,
        actor=actor,
        resolution=resolution,
    )


def _resolve_topic(actor: User, topic: Topic, resolution: str) -> None:
    """Take `topic` and every post of it that is on a queue off every queue: none of it is on show."""
    network = topic.network
    post_ids = Post.objects.filter(topic=topic).values("pk")
    reported = QueueItem.objects.filter(
        network=network, target_kind=TargetKind.POST, target_id__in=post_ids, state=QueueItem.State.OPEN
    ).values_list("target_id", flat=True)
    targets = [(TargetKind.TOPIC, topic.pk), *((TargetKind.POST, post_id) for post_id in set(reported))]
    for target_kind, target_id in targets:
        queue.resolve_items_for(
            network=network, target_kind=target_kind, target_id=target_id, actor=actor, resolution=resolution
        )
