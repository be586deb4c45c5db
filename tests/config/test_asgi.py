"""The ASGI application accepts websockets only from the site's own origins.

Which origins pass is tried on the validator in front of a bare socket that accepts anyone, so that a
test that is let in starts neither the stream consumer nor a channel-layer connection (each of these
tests runs its own event loop, which must close with nothing of theirs left in it); the application
itself is tried with origins that must be refused, which it answers without either.
"""

from typing import Any

import pytest
from asgiref.sync import async_to_sync
from channels.testing import WebsocketCommunicator

from config.asgi import application
from realtime.middleware import SameOriginValidator


async def accept_everyone(scope: dict[str, Any], receive: Any, send: Any) -> None:
    """A socket that lets anyone in, with no channel layer to leave behind."""
    await receive()  # websocket.connect
    await send({"type": "websocket.accept"})
    while (await receive())["type"] != "websocket.disconnect":
        pass


def open_websocket(
    headers: list[tuple[bytes, bytes]], scheme: str = "ws", app: Any = application
) -> tuple[bool, int | str | None]:
    async def attempt() -> tuple[bool, int | str | None]:
        communicator = WebsocketCommunicator(app, "/ws/", headers=headers)
        communicator.scope["scheme"] = scheme
        connected, detail = await communicator.connect()
        if connected:
            await communicator.disconnect()
        return connected, detail

    return async_to_sync(attempt)()


def let_in(origin: bytes, host: bytes, scheme: str = "ws", *more: tuple[bytes, bytes]) -> bool:
    """Whether the origin check alone lets this handshake through."""
    headers = [(b"origin", origin), (b"host", host), *more]
    return open_websocket(headers, scheme, SameOriginValidator(accept_everyone))[0]


def test_every_websocket_route_is_behind_the_origin_check():
    assert isinstance(application.application_mapping["websocket"], SameOriginValidator)


@pytest.mark.parametrize(
    "origin",
    [b"http://evil.example", b"http://127.0.0.1.evil.example", b"null"],
    ids=["foreign site", "look-alike host", "opaque origin"],
)
def test_a_websocket_from_a_foreign_origin_is_refused(origin):
    connected, close_code = open_websocket([(b"origin", origin), (b"host", b"127.0.0.1")])

    assert connected is False
    assert close_code == 1000


@pytest.mark.parametrize(
    ("origin", "host", "scheme"),
    [
        (b"http://127.0.0.1", b"127.0.0.1:8000", "ws"),
        (b"http://127.0.0.1:9999", b"127.0.0.1:8000", "ws"),
        (b"https://localhost:9999", b"localhost:9999", "ws"),
        (b"http://localhost:9999", b"localhost:9999", "wss"),
        (b"http://evil.example:8000", b"evil.example:8000", "ws"),
    ],
    ids=[
        "other port, none",
        "other port",
        "https page, plain socket",
        "plain page, secure socket",
        "foreign host",
    ],
)
def test_a_websocket_from_another_origin_of_the_same_host_is_refused(origin, host, scheme):
    assert let_in(origin, host, scheme) is False
    assert open_websocket([(b"origin", origin), (b"host", host)], scheme)[0] is False


@pytest.mark.parametrize(
    ("origin", "host", "scheme"),
    [
        (b"http://127.0.0.1:8000", b"127.0.0.1:8000", "ws"),
        (b"http://localhost", b"localhost", "ws"),
        (b"http://LOCALHOST:8000", b"localhost:8000", "ws"),
        (b"https://localhost:9999", b"localhost:9999", "wss"),
    ],
)
def test_a_websocket_from_the_sites_own_origin_is_accepted(origin, host, scheme):
    assert let_in(origin, host, scheme) is True


def test_behind_a_tls_proxy_the_https_origin_is_the_sites(settings):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    forwarded = (b"x-forwarded-proto", b"https")

    assert let_in(b"https://localhost", b"localhost", "ws", forwarded) is True
    assert let_in(b"http://localhost", b"localhost", "ws", forwarded) is False


def test_a_trusted_origin_is_accepted_exactly(settings):
    settings.CSRF_TRUSTED_ORIGINS = ["https://convene.example"]

    assert let_in(b"https://convene.example", b"localhost") is True
    assert let_in(b"http://convene.example", b"localhost") is False
    assert let_in(b"https://convene.example:444", b"localhost") is False


def test_a_host_outside_allowed_hosts_is_refused_even_from_its_own_origin():
    assert let_in(b"http://evil.example", b"evil.example") is False


def test_a_websocket_without_an_origin_is_refused():
    connected, _close_code = open_websocket([(b"host", b"127.0.0.1")])

    assert connected is False
