"""The embedded default (no Redis): events and presence travel inside the one process."""

import pytest
from asgiref.sync import sync_to_async

from tests.factories import UserFactory
from tests.realtime.conftest import append
from tests.realtime.test_consumer import frames_until, has, subscribe

pytestmark = [pytest.mark.asyncio, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _no_redis(settings):
    settings.REDIS_URL = None
    settings.CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}


async def test_events_and_catch_up_without_redis(sockets):
    await append("probe:20", 2, "note")
    socket = await sockets(await sync_to_async(UserFactory)())

    await subscribe(socket, "probe:20", since=1)
    await append("probe:20", 1, "note")
    frames = await frames_until(socket, lambda f: f.get("seq") == 3)

    assert [f["seq"] for f in frames if f["type"] == "event"] == [2, 3]


async def test_presence_without_redis(sockets):
    amina = await sync_to_async(UserFactory)(display_name="Amina")
    carmen = await sync_to_async(UserFactory)(display_name="Carmen")
    first, second = await sockets(amina), await sockets(carmen)

    await subscribe(first, "lobby:20")
    await subscribe(second, "lobby:20")

    await frames_until(first, has("joined", "Carmen"))
    snapshot = (await frames_until(second, has("present")))[-1]
    assert [p["name"] for p in snapshot["present"]] == ["Amina", "Carmen"]
