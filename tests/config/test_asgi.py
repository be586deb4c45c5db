"""The ASGI application accepts websockets only from the site's own origins."""

import pytest
from asgiref.sync import async_to_sync
from channels.testing import WebsocketCommunicator

from config.asgi import application
from realtime.middleware import SameOriginValidator


def open_websocket(headers: list[tuple[bytes, bytes]], scheme: str = "ws") -> tuple[bool, int | str | None]:
    async def attempt() -> tuple[bool, int | str | None]:
        communicator = WebsocketCommunicator(application, "/ws/", headers=headers)
        communicator.scope["scheme"] = scheme
        connected, detail = await communicator.connect()
        if connected:
            await communicator.disconnect()
        return connected, detail

    return async_to_sync(attempt)()


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
    connected, _close_code = open_websocket([(b"origin", origin), (b"host", host)], scheme)

    assert connected is False


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("origin", "host", "scheme"),
    [
        (b"http://127.0.0.1:8000", b"127.0.0.1:8000", "ws"),
        (b"http://localhost", b"localhost", "ws"),
        (b"https://localhost:9999", b"localhost:9999", "wss"),
    ],
)
def test_a_websocket_from_the_sites_own_origin_is_accepted(origin, host, scheme):
    connected, _detail = open_websocket([(b"origin", origin), (b"host", host)], scheme)

    assert connected is True


@pytest.mark.django_db
def test_behind_a_tls_proxy_the_https_origin_is_the_sites(settings):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    headers = [(b"host", b"localhost"), (b"x-forwarded-proto", b"https")]

    assert open_websocket([(b"origin", b"https://localhost"), *headers])[0] is True
    assert open_websocket([(b"origin", b"http://localhost"), *headers])[0] is False


@pytest.mark.django_db
def test_a_trusted_origin_is_accepted_exactly(settings):
    settings.CSRF_TRUSTED_ORIGINS = ["https://convene.example"]
    host = (b"host", b"localhost")

    assert open_websocket([(b"origin", b"https://convene.example"), host])[0] is True
    assert open_websocket([(b"origin", b"http://convene.example"), host])[0] is False
    assert open_websocket([(b"origin", b"https://convene.example:444"), host])[0] is False


def test_a_host_outside_allowed_hosts_is_refused_even_from_its_own_origin():
    connected, _close_code = open_websocket([(b"origin", b"http://evil.example"), (b"host", b"evil.example")])

    assert connected is False


def test_a_websocket_without_an_origin_is_refused():
    connected, _close_code = open_websocket([(b"host", b"127.0.0.1")])

    assert connected is False
