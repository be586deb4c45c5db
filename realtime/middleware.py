"""ASGI middleware of the websocket route (wired in config/asgi.py)."""

from collections.abc import Awaitable, Callable
from typing import Any

from django.conf import settings
from django.http.request import split_domain_port, validate_host

# The scope key under which the stream consumer finds the server's own `send`.
SERVER_SEND = "realtime.server_send"

Send = Callable[[dict[str, Any]], Awaitable[None]]
Receive = Callable[[], Awaitable[dict[str, Any]]]
Application = Callable[[dict[str, Any], Receive, Send], Awaitable[None]]
# What Django allows when DEBUG is on and ALLOWED_HOSTS is empty.
DEBUG_HOSTS = [".localhost", "127.0.0.1", "[::1]"]


def _header(scope: dict[str, Any], name: bytes) -> str | None:
    for key, value in scope.get("headers", []):
        if key == name:
            return bytes(value).decode("latin1")
    return None


def _is_secure(scope: dict[str, Any]) -> bool:
    """Whether the page's connection is HTTPS: the socket's own scheme, or what a trusted proxy says
    (SECURE_PROXY_SSL_HEADER, as Django reads it for HTTP)."""
    if scope.get("scheme") == "wss":
        return True
    proxy_header = getattr(settings, "SECURE_PROXY_SSL_HEADER", None)
    if not proxy_header:
        return False
    name, secure_value = proxy_header
    header = name.removeprefix("HTTP_").lower().replace("_", "-").encode()
    forwarded = _header(scope, header)
    return forwarded is not None and forwarded.split(",", 1)[0].strip() == secure_value


def site_origin(scope: dict[str, Any]) -> str | None:
    """The origin of the site's pages for this handshake (`http://host[:port]`, from its Host header),
    or None when that host is not one of ALLOWED_HOSTS."""
    host = (_header(scope, b"host") or "").lower()
    domain, _port = split_domain_port(host)
    allowed = settings.ALLOWED_HOSTS or (DEBUG_HOSTS if settings.DEBUG else [])
    if not domain or not validate_host(domain, allowed):
        return None
    return f"{'https' if _is_secure(scope) else 'http'}://{host}"


def is_same_origin(scope: dict[str, Any]) -> bool:
    """Whether the page that opens this socket is one of the site's own: its Origin is exactly the site's
    (scheme, host and port), as Django's CSRF check asks of a form, or one of CSRF_TRUSTED_ORIGINS."""
    origin = _header(scope, b"origin")
    if origin is None:
        return False
    origin = origin.lower()
    return origin == site_origin(scope) or origin in {
        trusted.lower() for trusted in settings.CSRF_TRUSTED_ORIGINS
    }


class SameOriginValidator:
    """Refuses a websocket handshake from any page but the site's own. Channels' AllowedHostsOriginValidator
    compares the Origin's host alone, so a page served over plain HTTP, or on another port of the same
    host, could open a socket with the member's cookies."""

    def __init__(self, application: Application) -> None:
        self.application = application

    async def __call__(self, scope: dict[str, Any], receive: Receive, send: Send) -> None:
        if scope["type"] != "websocket":
            raise ValueError("SameOriginValidator guards websocket connections only.")
        if is_same_origin(scope):
            return await self.application(scope, receive, send)
        # Closing before accepting refuses the handshake (HTTP 403). Answered here rather than by a
        # consumer, a refused socket takes no channel on the channel layer.
        if (await receive())["type"] == "websocket.connect":
            await send({"type": "websocket.close"})


class KeepServerSend:
    """Keeps the ASGI server's own `send` in the scope, for the stream consumer's outbound frames.

    Channels' session middleware wraps `send` to save a changed session before an HTTP response. A
    websocket frame never carries one, yet each would pay for the check, two look-ups through Django's
    lazy session object; broadcast frames go out once per socket, and in a room of a thousand that
    check took a tenth of the server's time. Placed outside the session middleware, this lets the
    consumer send its frames unwrapped; the handshake and the close still go through the wrappers.
    """

    def __init__(self, inner: Application) -> None:
        self.inner = inner

    async def __call__(self, scope: dict[str, Any], receive: Receive, send: Send) -> None:
        await self.inner({**scope, SERVER_SEND: send}, receive, send)
