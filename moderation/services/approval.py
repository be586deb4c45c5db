"""First-post approval: what a new member posts waits, hidden from everyone but its author and the
moderators, on an item of the network's queue until a moderator approves it (it appears) or rejects it
(it stays hidden for good, its author told why on it). A member is trusted once the network's
`posts_awaiting_approval` of their posts were approved: nothing else marks it."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from forums.models import Post, Topic
from forums.services.topics import set_post_visibility
from moderation import events
from moderation.models import AuditEntry, QueueItem, TargetKind
from moderation.permissions import check_moderate
from moderation.services import audit, queue
from moderation.targets import post_target
from network.models import Membership
from profiles.models import User

RESOLUTION_APPROVED = "approved"
RESOLUTION_REJECTED = "rejected"
# The post went before a moderator decided on it.
RESOLUTION_GONE = "gone"


def hold_for_approval(post: Post) -> QueueItem:
    """Put `post`, just stored hidden and awaiting approval, on its network's queue. Runs inside the
    posting transaction, whose permission check covers it."""
    target = post_target(post)
    item, _opened = queue.open_item(
        network=target.network,
        kind=QueueItem.Kind.APPROVAL,
        target_kind=TargetKind.POST,
        target_id=post.pk,
        target_author=post.author,
        title=target.title,
        excerpt=target.excerpt,
        url=target.url,
    )
    events.announce_item(item, opened=True)
    return item


@transaction.atomic
def approve_post(*, actor: User, item: QueueItem) -> Post | None:
    """Show the post of approval `item` to everyone and count it towards its author's trust. None when
    the post was deleted (or decided on elsewhere) meanwhile: the item is closed, nothing else changes.
    ValidationError when another moderator handled the item first."""
    check_moderate(actor, item.network)
    post = _held_post(item)
    if post is None:
        queue.handle_item(item=item, actor=actor, resolution=RESOLUTION_GONE)
        return None
    item = queue.handle_item(item=item, actor=actor, resolution=RESOLUTION_APPROVED)
    post = set_post_visibility(post=post, visible=True)
    Membership.objects.filter(network=item.network, user=post.author).update(
        approved_posts=F("approved_posts") + 1
    )
    audit.record(
        actor=actor,
        network=item.network,
        action=AuditEntry.Action.POST_APPROVE,
        target_kind=TargetKind.POST,
        target_id=post.pk,
        target_label=item.title,
        target_user=post.author,
        after={"visible": True},
    )
    return post


@transaction.atomic
def reject_post(*, actor: User, item: QueueItem, reason: str) -> Post | None:
    """Keep the post of approval `item` hidden for good, with `reason`, which its author reads on it
    (the post was never shown nor counted: nothing else changes). None as for `approve_post`.
    ValidationError (keyed "reason") for a missing or too long reason, or when the item was handled
    first."""
    check_moderate(actor, item.network)
    reason = audit.clean_reason(reason, missing=_("Say why the post is rejected: its author will read it."))
    post = _held_post(item)
    if post is None:
        queue.handle_item(item=item, actor=actor, resolution=RESOLUTION_GONE)
        return None
    item = queue.handle_item(item=item, actor=actor, resolution=RESOLUTION_REJECTED)
    topic = Topic.objects.select_for_update().get(pk=post.topic_id)
    post = Post.objects.select_for_update().select_related("author").get(pk=post.pk)
    post.hidden_reason = reason
    post.awaiting_approval = False
    post.save(update_fields=["hidden_reason", "awaiting_approval"])
    if post.number == 1:
        # A rejected opening post keeps its whole topic hidden, for the same reason.
        topic.hidden_reason = reason
        topic.awaiting_approval = False
        topic.save(update_fields=["hidden_reason", "awaiting_approval"])
    audit.record(
        actor=actor,
        network=item.network,
        action=AuditEntry.Action.POST_REJECT,
        target_kind=TargetKind.POST,
        target_id=post.pk,
        target_label=item.title,
        target_user=post.author,
        reason=reason,
        before={"body": post.body},
    )
    return post


def _held_post(item: QueueItem) -> Post | None:
    """The post `item` holds if it still awaits approval; None once it was deleted, or shown or hidden
    by a moderator elsewhere."""
    if item.kind != QueueItem.Kind.APPROVAL or item.target_kind != TargetKind.POST:
        raise ValidationError(_("This item is not a post awaiting approval."), code="not_approval")
    post = (
        Post.objects.select_related("author", "topic__network")
        .filter(pk=item.target_id, topic__network_id=item.network_id)
        .first()
    )
    if post is None or post.is_deleted or post.topic.is_deleted or not post.awaiting_approval:
        return None
    return post
