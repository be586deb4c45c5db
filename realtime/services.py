"""Appending events to streams; called by other apps' services inside their own transaction."""

from collections.abc import Callable, Collection
from dataclasses import dataclass
from typing import Any

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction
from django.db.models import F

from realtime import hub
from realtime.frames import event_frame
from realtime.models import Event, Stream


@dataclass(frozen=True)
class Slot:
    """A sequence number taken on a stream, for an event the same transaction is about to record."""

    stream: str
    stream_id: int
    seq: int


def take_seq(*, stream: str) -> Slot:
    """Take the next sequence number of `stream`, for a change that must know it before its event is
    recorded (a chat message keeps the number of the event that announced it).

    Must run inside the caller's transaction: the UPDATE locks the stream's row until it commits, so
    that numbers become visible in order and a published event is always already readable.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("Sequence numbers are taken inside the transaction that makes the change.")
    rows = Stream.objects.filter(key=stream)
    if not rows.update(last_seq=F("last_seq") + 1):
        Stream.objects.get_or_create(key=stream)
        rows.update(last_seq=F("last_seq") + 1)
    stream_id, seq = rows.values_list("pk", "last_seq").get()
    return Slot(stream, stream_id, seq)


def record_event(*, slot: Slot, kind: str, data: dict[str, Any], subject: str = "") -> Event:
    """Store the event that takes `slot`, and publish it once the transaction commits."""
    event = Event.objects.create(
        stream_id=slot.stream_id, seq=slot.seq, kind=kind, subject=subject, data=data
    )
    frame = event_frame(slot.stream, slot.seq, kind, data)
    transaction.on_commit(lambda: hub.publish(slot.stream, slot.seq, frame))
    return event


def append_event(*, stream: str, kind: str, data: dict[str, Any], subject: str = "") -> Event:
    """Give the next sequence number of `stream` to this event, store it, and publish it on commit."""
    return record_event(slot=take_seq(stream=stream), kind=kind, data=data, subject=subject)


# How a stored event is rewritten: `redact(kind, data)` returns its new data.
Redaction = Callable[[str, dict[str, Any]], dict[str, Any]]


def redact_events(
    *, subject: str | list[str], redact: Redaction, streams: Collection[str] | None = None
) -> int:
    """Rewrite, in place, every stored event about `subject` (say, a message just hidden; or about any
    of a list of subjects), or only those on `streams`, so that a client catching up later replays it
    redacted."""
    subjects = [subject] if isinstance(subject, str) else subject
    found = Event.objects.select_for_update().filter(subject__in=subjects)
    if streams is not None:
        found = found.filter(stream__key__in=streams)
    events = list(found)
    for event in events:
        event.data = redact(event.kind, event.data)
    Event.objects.bulk_update(events, ["data"])
    return len(events)


def user_group(user_id: int) -> str:
    """The channel-layer group of every open socket of one user, on any device."""
    return f"user.{user_id}"


def session_group(session_key: str) -> str:
    """The channel-layer group of the open sockets of one login session (one browser)."""
    return f"session.{session_key}"


def end_session_sockets(*, session_key: str) -> None:
    """Close the sockets of one login session now: its user logged out."""
    _send_to_group(session_group(session_key), {"type": "session.ended"})


def end_user_sockets(*, user_id: int) -> None:
    """Close every socket of a user now, on every device (the account was suspended or deactivated)."""
    _send_to_group(user_group(user_id), {"type": "session.ended"})


def recheck_user_subscriptions(*, user_id: int) -> None:
    """Make every socket of a user drop the streams it may no longer read (left a network, lost a role)."""
    _send_to_group(user_group(user_id), {"type": "access.changed"})


def send_standing(*, user_id: int, network_id: int, notice: str | None) -> None:
    """Tell every open page of a user that their standing in a network changed: its composers say
    `notice` (why the user may not post there now), or open again when it is None."""
    _send_to_group(user_group(user_id), {"type": "standing.changed", "network": network_id, "notice": notice})


def _send_to_group(group: str, message: dict[str, Any]) -> None:
    layer = get_channel_layer()
    if layer is not None:
        async_to_sync(layer.group_send)(group, message)
