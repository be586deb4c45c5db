"""The events of a network's review queue: one stream per network (`moderation:<network id>`), which
only its moderators may follow (moderation.permissions.may_follow_moderation).

`item.opened` puts an item on every open queue page, `item.updated` changes its report count, and
`item.handled` takes it off every page at once, saying who handled it and how.
"""

from typing import TypedDict

from moderation.models import QueueItem
from realtime.services import append_event
from realtime.streams import stream_key

STREAM_KIND = "moderation"

ITEM_OPENED = "item.opened"
ITEM_UPDATED = "item.updated"
ITEM_HANDLED = "item.handled"


class ItemData(TypedDict):
    id: int
    kind: str
    target_kind: str
    title: str
    excerpt: str
    url: str
    report_count: int


class ItemHandledData(TypedDict):
    id: int
    resolution: str
    handled_by: str


def queue_stream(network_id: int) -> str:
    return stream_key(STREAM_KIND, network_id)


def item_payload(item: QueueItem) -> ItemData:
    return {
        "id": item.pk,
        "kind": item.kind,
        "target_kind": item.target_kind,
        "title": item.title,
        "excerpt": item.excerpt,
        "url": item.url,
        "report_count": item.report_count,
    }


def announce_item(item: QueueItem, *, opened: bool) -> None:
    """Inside the transaction that opened `item` or added a report to it."""
    kind = ITEM_OPENED if opened else ITEM_UPDATED
    append_event(stream=queue_stream(item.network_id), kind=kind, data=dict(item_payload(item)))


def announce_handled(item: QueueItem) -> None:
    """Needs `item.handled_by` loaded."""
    data = ItemHandledData(id=item.pk, resolution=item.resolution, handled_by=str(item.handled_by or ""))
    append_event(stream=queue_stream(item.network_id), kind=ITEM_HANDLED, data=dict(data))
