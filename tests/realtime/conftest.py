"""Drives the real ASGI application (origin check, session auth, routing) with WebsocketCommunicator.

Two stream kinds stand in for the apps' kinds so that the layer is tested on its own: anyone signed
in may follow `probe:<id>` (and `lobby:<id>`, which shows presence) except `<kind>:secret`, and a test
may revoke a user's access.
"""

from collections.abc import AsyncIterator, Callable

import pytest
import pytest_asyncio
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.db import connections, transaction

from config.asgi import application
from realtime.services import append_event
from realtime.streams import StreamKind, register_stream_kind

revoked: set[int] = set()


def _probe_allowed(user, object_id: str) -> bool:
    return user.is_authenticated and object_id != "secret" and user.pk not in revoked


register_stream_kind(StreamKind("probe", _probe_allowed))
register_stream_kind(StreamKind("lobby", _probe_allowed, presence=True))


@pytest.fixture(autouse=True)
def _reset_revoked():
    revoked.clear()
    yield
    revoked.clear()


def session_cookie_for(user) -> str:
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return session.session_key


async def open_socket(user=None, *, origin: bytes = b"http://127.0.0.1") -> WebsocketCommunicator:
    headers = [(b"origin", origin), (b"host", b"127.0.0.1")]
    if user is not None:
        key = await sync_to_async(session_cookie_for)(user)
        headers.append((b"cookie", f"sessionid={key}".encode()))
    communicator = WebsocketCommunicator(application, "/ws/", headers=headers)
    connected, _code = await communicator.connect()
    assert connected
    return communicator


def _append(stream: str, count: int, kind: str) -> list[int]:
    seqs = []
    for n in range(count):
        with transaction.atomic():
            seqs.append(append_event(stream=stream, kind=kind, data={"n": n}).seq)
    return seqs


append = sync_to_async(_append)


@pytest_asyncio.fixture
async def sockets() -> AsyncIterator[Callable]:
    """Opens sockets for the test and closes them all at the end."""
    opened: list[WebsocketCommunicator] = []

    async def _open(user=None, **kwargs) -> WebsocketCommunicator:
        communicator = await open_socket(user, **kwargs)
        opened.append(communicator)
        return communicator

    yield _open
    for communicator in opened:
        await communicator.disconnect()
    # The consumers' database work ran in asgiref's worker thread, whose connections outlive the test
    # (and would keep the test database from being dropped at the end of the run) unless closed there.
    await sync_to_async(connections.close_all)()
