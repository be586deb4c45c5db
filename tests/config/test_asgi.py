"""The ASGI application accepts websockets only from the site's own origins."""

import pytest
from asgiref.sync import async_to_sync
from channels.security.websocket import OriginValidator
from channels.testing import WebsocketCommunicator

from config.asgi import application


def open_websocket(headers: list[tuple[bytes, bytes]]) -> tuple[bool, int | str | None]:
    async def attempt() -> tuple[bool, int | str | None]:
        communicator = WebsocketCommunicator(application, "/ws/", headers=headers)
        connected, detail = await communicator.connect()
        if connected:
            await communicator.disconnect()
        return connected, detail

    return async_to_sync(attempt)()


def test_every_websocket_route_is_behind_the_origin_check():
    assert isinstance(application.application_mapping["websocket"], OriginValidator)


@pytest.mark.parametrize(
    "origin",
    [b"http://evil.example", b"http://127.0.0.1.evil.example", b"null"],
    ids=["foreign site", "look-alike host", "opaque origin"],
)
def test_a_websocket_from_a_foreign_origin_is_refused(origin):
    connected, close_code = open_websocket([(b"origin", origin), (b"host", b"127.0.0.1")])

    assert connected is False
    assert close_code == 1000


def test_a_websocket_without_an_origin_is_refused():
    connected, _close_code = open_websocket([(b"host", b"127.0.0.1")])

    assert connected is False
