"""ASGI middleware of the websocket route (wired in config/asgi.py)."""

from collections.abc import Awaitable, Callable
from typing import Any

# The scope key under which the stream consumer finds the server's own `send`.
SERVER_SEND = "realtime.server_send"

Send = Callable[[dict[str, Any]], Awaitable[None]]
Receive = Callable[[], Awaitable[dict[str, Any]]]


class KeepServerSend:
    """Keeps the ASGI server's own `send` in the scope, for the stream consumer's outbound frames.

    Channels' session middleware wraps `send` to save a changed session before an HTTP response. A
    websocket frame never carries one, yet each would pay for the check, two look-ups through Django's
    lazy session object; broadcast frames go out once per socket, and in a room of a thousand that
    check took a tenth of the server's time. Placed outside the session middleware, this lets the
    consumer send its frames unwrapped; the handshake and the close still go through the wrappers.
    """

    def __init__(self, inner: Callable[[dict[str, Any], Receive, Send], Awaitable[None]]) -> None:
        self.inner = inner

    async def __call__(self, scope: dict[str, Any], receive: Receive, send: Send) -> None:
        await self.inner({**scope, SERVER_SEND: send}, receive, send)
