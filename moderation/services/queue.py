"""The review queue: opening items (a report gathers on the open item of its target, a post awaiting
approval gets its own) and taking them off every moderator's page once handled.

These functions run inside the transaction of the service that calls them (a report, an approval, a
hide), which has already checked its permission.
"""

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from moderation import events
from moderation.models import EXCERPT_MAX_LENGTH, QueueItem
from network.models import Network
from profiles.models import User


def open_item(
    *,
    network: Network,
    kind: str,
    target_kind: str,
    target_id: int,
    target_author: User | None,
    title: str,
    excerpt: str,
    url: str,
) -> tuple[QueueItem, bool]:
    """The open item of this target in `network`'s queue, opened now if there is none; True when new.

    The row lock (select_for_update) makes a second report of the same target wait for the first, so
    that both gather on one item rather than racing to open two (which the partial unique constraint
    would refuse anyway).
    """
    item = (
        QueueItem.objects.select_for_update()
        .filter(
            network=network,
            kind=kind,
            target_kind=target_kind,
            target_id=target_id,
            state=QueueItem.State.OPEN,
        )
        .first()
    )
    if item is not None:
        return item, False
    item = QueueItem.objects.create(
        network=network,
        kind=kind,
        target_kind=target_kind,
        target_id=target_id,
        target_author=target_author,
        title=title[:200],
        excerpt=excerpt[:EXCERPT_MAX_LENGTH],
        url=url[:500],
    )
    return item, True


def handle_item(*, item: QueueItem, actor: User, resolution: str) -> QueueItem:
    """Close `item` (locked by the caller's read, or here) as handled by `actor`, and take it off every
    open queue page. An item already handled is refused with a message naming who handled it."""
    item = QueueItem.objects.select_for_update(of=("self",)).select_related("handled_by").get(pk=item.pk)
    if item.state != QueueItem.State.OPEN:
        raise ValidationError(
            _("%(who)s already handled this item."),
            code="already_handled",
            params={"who": str(item.handled_by) if item.handled_by else _("Someone")},
        )
    _close(item, actor, resolution)
    return item


def resolve_items_for(
    *, network: Network, target_kind: str, target_id: int, actor: User, resolution: str
) -> int:
    """Close every open item about one target (it was just hidden or deleted, whoever did it and from
    wherever), so that it leaves every queue; returns how many."""
    items = list(
        QueueItem.objects.select_for_update().filter(
            network=network, target_kind=target_kind, target_id=target_id, state=QueueItem.State.OPEN
        )
    )
    for item in items:
        _close(item, actor, resolution)
    return len(items)


def _close(item: QueueItem, actor: User, resolution: str) -> None:
    item.state = QueueItem.State.HANDLED
    item.handled_by = actor
    item.handled_at = timezone.now()
    item.resolution = resolution
    item.save(update_fields=["state", "handled_by", "handled_at", "resolution", "updated_at"])
    events.announce_handled(item)
