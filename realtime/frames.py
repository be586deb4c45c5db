"""The wire format: the frames a client may send, validated by schema, and how outbound frames are built.

Outbound frames are encoded once, by the process that publishes them; every socket that receives one
gets the same text.
"""

import json
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

# An inbound frame larger than this is refused with an error frame before it is parsed.
MAX_INBOUND_FRAME_BYTES = 16 * 1024

StreamKey = Annotated[
    str, StringConstraints(min_length=3, max_length=80, pattern=r"^[a-z_]+:[A-Za-z0-9_-]+$")
]


class InboundFrame(BaseModel):
    """Every client frame: a `type`, and an optional `ref` echoed in the answer so the client can match it."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=False)
    type: str
    ref: Annotated[str, StringConstraints(max_length=40)] | int | None = None


class Subscribe(InboundFrame):
    type: Literal["subscribe"]
    stream: StreamKey
    # The last sequence number the client has seen; omitted for "only what happens from now on".
    since: Annotated[int, Field(ge=0)] | None = None


class Unsubscribe(InboundFrame):
    type: Literal["unsubscribe"]
    stream: StreamKey


class Typing(InboundFrame):
    type: Literal["typing"]
    stream: StreamKey


class Ping(InboundFrame):
    type: Literal["ping"]


def _dumps(frame: dict[str, Any]) -> str:
    return json.dumps(frame, separators=(",", ":"), ensure_ascii=False)


def event_frame(stream: str, seq: int, kind: str, data: dict[str, Any]) -> str:
    return _dumps({"type": "event", "stream": stream, "seq": seq, "kind": kind, "data": data})


def ephemeral_frame(stream: str, kind: str, data: dict[str, Any]) -> str:
    """Presence and typing: not stored, so no sequence number; a client that misses one loses nothing."""
    return _dumps({"type": kind, "stream": stream, **data})


def reply_frame(frame_type: str, ref: str | int | None, **data: Any) -> str:
    return _dumps({"type": frame_type, "ref": ref, **data})


def standing_frame(network_id: int, notice: str | None) -> str:
    """What the user may do in one network changed (a moderator muted or suspended them, or that ended):
    the page disables that network's composers, showing `notice`, or opens them again when it is None."""
    return _dumps({"type": "standing", "network": network_id, "notice": notice})


def error_frame(code: str, message: str, ref: str | int | None = None, **data: Any) -> str:
    return _dumps({"type": "error", "code": code, "message": message, "ref": ref, **data})
