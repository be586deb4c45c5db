"""The one websocket of a browser tab (`/ws/`): subscriptions to streams, and the app actions declared
in `realtime.actions`, every inbound frame validated and answered."""

import asyncio
import json
import logging
import time
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncWebsocketConsumer
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from pydantic import ValidationError

from realtime import presence
from realtime.actions import FrameRejected, get_action
from realtime.frames import (
    MAX_INBOUND_FRAME_BYTES,
    InboundFrame,
    Ping,
    Subscribe,
    Typing,
    Unsubscribe,
    ephemeral_frame,
    error_frame,
    reply_frame,
    standing_frame,
)
from realtime.hub import Outbox, Subscription, apublish_ephemeral, get_hub
from realtime.middleware import SERVER_SEND
from realtime.selectors import last_seq
from realtime.services import session_group, user_group
from realtime.streams import AnyUser, can_subscribe, parse_stream_key

logger = logging.getLogger(__name__)

# Close codes the client script understands.
CLOSE_SESSION_ENDED = 4001  # logged out or suspended: do not reconnect, reload the page
CLOSE_RECONNECT = 4008  # too slow to keep up, or the server lost track: reconnect and catch up

TYPING_INTERVAL_SECONDS = 2.0


class FrameBudget:
    """A token bucket: a client may send `rate` frames a second, in bursts of up to `burst`."""

    def __init__(self, rate: float, burst: int) -> None:
        self.rate = rate
        self.burst = burst
        self.tokens = float(burst)
        self.updated = time.monotonic()

    def take(self) -> bool:
        now = time.monotonic()
        self.tokens = min(self.burst, self.tokens + (now - self.updated) * self.rate)
        self.updated = now
        if self.tokens < 1:
            return False
        self.tokens -= 1
        return True


def parse_frame(text: str) -> tuple[Any, str | None]:
    """The JSON value of `text`, or the error frame that answers it: not JSON, nested too deep for the
    parser, or holding a lone surrogate (text no UTF-8 can carry: echoed back, it would stop the socket
    from sending anything more)."""
    try:
        raw = json.loads(text)
    except RecursionError:
        return None, error_frame("bad_json", "That frame is nested too deeply.")
    except ValueError:
        return None, error_frame("bad_json", "That frame is not valid JSON.")
    # Only an escape (`\udxxx`) can put a surrogate in the parsed value: the text itself is UTF-8.
    if "\\u" in text and _holds_lone_surrogate(raw):
        return None, error_frame("bad_json", "That frame holds text that is not valid Unicode.")
    return raw, None


def _holds_lone_surrogate(raw: Any) -> bool:
    try:
        json.dumps(raw, ensure_ascii=False).encode()
    except UnicodeEncodeError:
        return True
    return False


def _subscription_state(user: AnyUser, stream: str) -> tuple[bool, int]:
    allowed = can_subscribe(user, stream)
    return allowed, last_seq(stream=stream) if allowed else 0


class StreamConsumer(AsyncWebsocketConsumer):
    user: AnyUser
    subscriptions: dict[str, Subscription]

    async def connect(self) -> None:
        self.user = self.scope["user"]
        self.subscriptions = {}
        self.present_on: set[str] = set()
        self.last_typing: dict[str, float] = {}
        self.socket_id = uuid.uuid4().hex[:16]
        self.budget = FrameBudget(settings.REALTIME_FRAMES_PER_SECOND, settings.REALTIME_FRAME_BURST)
        # Frames go straight to the server when config.asgi provides its `send` (see realtime.middleware).
        self.server_send = self.scope.get(SERVER_SEND, self.base_send)
        self.outbox = Outbox(self._send_text, settings.REALTIME_OUTBOX_SIZE, self._ask_to_reconnect)
        self.tasks: list[asyncio.Task[None]] = []
        self.groups = []
        if self.user.is_authenticated:
            self.groups = [user_group(self.user.pk), session_group(self.scope["session"].session_key)]
        for group in self.groups:
            await self.channel_layer.group_add(group, self.channel_name)
        await self.accept()
        self.tasks.append(asyncio.create_task(self.outbox.run()))
        self.tasks.append(asyncio.create_task(self._keep_presence()))

    async def disconnect(self, code: int) -> None:
        for task in self.tasks:
            task.cancel()
        for stream in list(self.subscriptions):
            await self._drop(stream)

    async def _send_text(self, frame: str) -> None:
        await self.server_send({"type": "websocket.send", "text": frame})

    def _ask_to_reconnect(self) -> None:
        asyncio.create_task(self.close(code=CLOSE_RECONNECT))  # noqa: RUF006  (ends with the socket)

    def _reply(self, frame: str) -> None:
        self.outbox.push(frame)

    # --- Inbound frames --------------------------------------------------------------------------------
    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        """Every frame is answered, whatever it holds: a fault in handling one is logged and reported to
        the client as `server_error`, and the socket goes on serving its other streams."""
        try:
            await self._receive(text_data)
        except Exception:
            logger.exception("Handling a frame of socket %s failed.", self.socket_id)
            self._reply(error_frame("server_error", "Something went wrong on our side; try again."))

    async def _receive(self, text_data: str | None) -> None:
        if text_data is None:
            return self._reply(error_frame("binary_unsupported", "Frames must be JSON text."))
        if len(text_data) > MAX_INBOUND_FRAME_BYTES or len(text_data.encode()) > MAX_INBOUND_FRAME_BYTES:
            return self._reply(error_frame("too_large", "A frame may be at most 16 KiB."))
        if not self.budget.take():
            return self._reply(error_frame("rate_limited", "Too many frames at once: slow down."))
        raw, refusal = parse_frame(text_data)
        if refusal is not None:
            return self._reply(refusal)
        if not isinstance(raw, dict) or not isinstance(raw.get("type"), str):
            return self._reply(error_frame("bad_frame", "A frame is a JSON object with a string `type`."))
        ref = raw.get("ref") if isinstance(raw.get("ref"), str | int) else None
        route = self._route(raw["type"])
        if route is None:
            return self._reply(error_frame("unknown_type", f"Unknown frame type {raw['type']!r}.", ref))
        schema, handle = route
        try:
            frame = schema.model_validate(raw)
        except ValidationError as error:
            problem = error.errors()[0]
            where = ".".join(str(part) for part in problem["loc"]) or "frame"
            return self._reply(error_frame("invalid", f"{where}: {problem['msg']}", ref))
        await handle(frame)

    def _route(self, frame_type: str) -> tuple[type[InboundFrame], Callable[[Any], Awaitable[None]]] | None:
        core: dict[str, tuple[type[InboundFrame], Callable[[Any], Awaitable[None]]]] = {
            "subscribe": (Subscribe, self._subscribe),
            "unsubscribe": (Unsubscribe, self._unsubscribe),
            "typing": (Typing, self._typing),
            "ping": (Ping, self._ping),
        }
        if frame_type in core:
            return core[frame_type]
        action = get_action(frame_type)
        if action is None:
            return None
        return action.schema, self._run_action

    async def _subscribe(self, frame: Subscribe) -> None:
        stream = frame.stream
        if stream not in self.subscriptions and len(self.subscriptions) >= settings.REALTIME_MAX_STREAMS:
            return self._reply(
                error_frame("too_many_streams", "This page follows too many streams.", frame.ref)
            )
        allowed, current = await database_sync_to_async(_subscription_state)(self.user, stream)
        if not allowed:
            message = "This stream does not exist or you may not follow it."
            return self._reply(error_frame("forbidden", message, frame.ref, stream=stream))
        await self._drop(stream)
        # A client that claims more than exists (an old tab after a restore) starts again from now.
        since = current if frame.since is None or frame.since > current else frame.since
        subscription = Subscription(stream, self.outbox, since)
        self.subscriptions[stream] = subscription
        await get_hub().add(subscription)
        self._reply(reply_frame("subscribed", frame.ref, stream=stream, since=since, last=current))
        subscription.heal()
        await self._join_presence(stream)

    async def _unsubscribe(self, frame: Unsubscribe) -> None:
        await self._drop(frame.stream)
        self._reply(reply_frame("unsubscribed", frame.ref, stream=frame.stream, reason="asked"))

    async def _drop(self, stream: str) -> None:
        subscription = self.subscriptions.pop(stream, None)
        if subscription is not None:
            await get_hub().remove(subscription)
        await self._leave_presence(stream)

    async def _ping(self, frame: Ping) -> None:
        self._reply(reply_frame("pong", frame.ref))

    async def _typing(self, frame: Typing) -> None:
        if frame.stream not in self.present_on:
            return self._reply(error_frame("not_subscribed", "Subscribe to the stream first.", frame.ref))
        now = time.monotonic()
        if now - self.last_typing.get(frame.stream, 0.0) < TYPING_INTERVAL_SECONDS:
            return
        self.last_typing[frame.stream] = now
        await apublish_ephemeral(frame.stream, ephemeral_frame(frame.stream, "typing", {"user": self._who()}))

    async def _run_action(self, frame: InboundFrame) -> None:
        action = get_action(frame.type)
        assert action is not None  # routed here only when registered
        try:
            result = await database_sync_to_async(action.handler)(self.user, frame)
        except FrameRejected as rejected:
            return self._reply(error_frame(rejected.code, rejected.message, frame.ref))
        except PermissionDenied as denied:
            return self._reply(error_frame("forbidden", str(denied) or "You may not do that.", frame.ref))
        except DjangoValidationError as invalid:
            return self._reply(error_frame("invalid", " ".join(invalid.messages), frame.ref))
        except Exception:
            logger.exception("The action %s of socket %s failed.", frame.type, self.socket_id)
            return self._reply(error_frame("server_error", "That could not be done; try again.", frame.ref))
        self._reply(reply_frame("ack", frame.ref, **(result or {})))

    # --- Presence ---------------------------------------------------------------------------------------
    def _present(self) -> presence.Present:
        assert self.user.pk is not None  # presence is kept for signed-in members only
        return presence.Present(self.user.pk, str(self.user))

    def _who(self) -> dict[str, Any]:
        return {"id": self.user.pk, "name": str(self.user)}

    async def _join_presence(self, stream: str) -> None:
        kind, _object_id = parse_stream_key(stream)
        if not kind.presence or not self.user.is_authenticated:
            return
        self.present_on.add(stream)
        if await presence.join(stream, self.socket_id, self._present()):
            presence.announce(stream, ephemeral_frame(stream, "presence", {"joined": self._who()}))
        self._reply(presence.present_frame(stream, await presence.present(stream)))

    async def _leave_presence(self, stream: str) -> None:
        if stream not in self.present_on:
            return
        self.present_on.discard(stream)
        if await presence.leave(stream, self.socket_id, self._present()):
            presence.announce(stream, ephemeral_frame(stream, "presence", {"left": self._who()}))

    async def _keep_presence(self) -> None:
        while True:
            await asyncio.sleep(presence.PRESENCE_TTL_SECONDS / 3)
            for stream in list(self.present_on):
                await presence.touch(stream, self.socket_id, self._present())

    # --- Messages from the rest of the system (channel layer, per-user group) ------------------------
    async def session_ended(self, message: dict[str, Any]) -> None:
        await self.close(code=CLOSE_SESSION_ENDED)

    async def access_changed(self, message: dict[str, Any]) -> None:
        for stream in list(self.subscriptions):
            allowed = await database_sync_to_async(can_subscribe)(self.user, stream)
            if not allowed:
                await self._drop(stream)
                self._reply(reply_frame("unsubscribed", None, stream=stream, reason="access_lost"))

    async def standing_changed(self, message: dict[str, Any]) -> None:
        self._reply(standing_frame(message["network"], message["notice"]))
