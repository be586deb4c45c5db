from realtime.frames import event_frame
from realtime.models import Event, Stream

CATCH_UP_BATCH = 500


def last_seq(*, stream: str) -> int:
    return Stream.objects.filter(key=stream).values_list("last_seq", flat=True).first() or 0


def events_after(*, stream: str, after: int, limit: int = CATCH_UP_BATCH) -> list[tuple[int, str]]:
    """The next `limit` events of `stream` after sequence `after`, in order, as encoded frames."""
    rows = (
        Event.objects.filter(stream__key=stream, seq__gt=after)
        .order_by("seq")
        .values_list("seq", "kind", "data")[:limit]
    )
    return [(seq, event_frame(stream, seq, kind, data)) for seq, kind, data in rows]
