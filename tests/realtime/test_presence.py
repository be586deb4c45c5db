"""Arrivals and departures: one by one while they are few, one snapshot when a crowd comes at once."""

import asyncio

import pytest

from realtime import presence
from tests.realtime.test_consumer import frames_until, has, new_user, subscribe

pytestmark = [pytest.mark.asyncio, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _small_batches(monkeypatch):
    monkeypatch.setattr(presence, "ANNOUNCE_INTERVAL_SECONDS", 1.0)
    monkeypatch.setattr(presence, "ANNOUNCE_ONE_BY_ONE", 2)
    monkeypatch.setattr(presence, "SNAPSHOT_INTERVAL_SECONDS", 0.1)


async def first_then_crowd(sockets, stream: str, crowd: list[str]):
    """Amina follows `stream`, then everyone in `crowd` follows it at once; returns Amina's socket."""
    first = await sockets(await new_user(display_name="Amina"))
    await subscribe(first, stream)
    await frames_until(first, has("joined", "Amina"))
    others = [await sockets(await new_user(display_name=name)) for name in crowd]
    await asyncio.gather(*(subscribe(socket, stream) for socket in others))
    return first


def snapshot_of(count: int):
    return lambda frame: "present" in frame and len(frame["present"]) == count


def names(frame: dict) -> list[str]:
    return sorted(person["name"] for person in frame["present"])


async def test_a_crowd_arriving_together_is_announced_as_one_snapshot(sockets):
    first = await first_then_crowd(sockets, "lobby:30", ["Bea", "Carmen", "Dana"])

    seen = await frames_until(first, snapshot_of(4))

    assert names(seen[-1]) == ["Amina", "Bea", "Carmen", "Dana"]
    assert not any("joined" in frame for frame in seen)


async def test_the_snapshot_keeps_names_as_people_wrote_them(sockets):
    crowd = ['Zoë "Z" O\'Neil', "Émile / Łukasz", "李娜"]
    first = await first_then_crowd(sockets, "lobby:31", crowd)

    seen = await frames_until(first, snapshot_of(4))

    assert names(seen[-1]) == sorted(["Amina", *crowd])


async def test_a_few_arrivals_are_still_announced_one_by_one(sockets):
    first = await first_then_crowd(sockets, "lobby:32", ["Bea", "Carmen"])

    await frames_until(first, has("joined", "Bea"))
    await frames_until(first, has("joined", "Carmen"))


async def test_without_redis_a_crowd_is_announced_as_one_snapshot_too(sockets, settings):
    settings.REDIS_URL = None
    settings.CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
    first = await first_then_crowd(sockets, "lobby:33", ["Bea", "Carmen", "Dana"])

    seen = await frames_until(first, snapshot_of(4))

    assert names(seen[-1]) == ["Amina", "Bea", "Carmen", "Dana"]
    assert not any("joined" in frame for frame in seen)
