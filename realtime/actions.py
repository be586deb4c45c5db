"""Frames that ask for something to be done (`chat.send`, `chat.react`…), declared by the owning app.

A handler is a plain function taking the user and the validated frame; the consumer runs it in a worker
thread (it calls services, which touch the database) and answers with an `ack` frame carrying what it
returns, or an `error` frame: PermissionDenied becomes `forbidden`, ValidationError `invalid`, and
FrameRejected its own code (`rate_limited`, `not_found`…).
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from realtime.frames import InboundFrame
from realtime.streams import AnyUser


class FrameRejected(Exception):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class Action:
    frame_type: str
    schema: type[InboundFrame]
    handler: Callable[[AnyUser, Any], dict[str, Any] | None]


_actions: dict[str, Action] = {}


def register_action(action: Action) -> None:
    _actions[action.frame_type] = action


def get_action(frame_type: str) -> Action | None:
    return _actions.get(frame_type)
