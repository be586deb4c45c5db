"""Who is looking at a stream right now. Ephemeral by design: never written to the database.

With Redis, a sorted set per stream holds one entry per open socket, scored by when it expires, so
that the sockets of a crashed process fade out by themselves; each socket refreshes its entries while
it lives. Without Redis (the single-process embedded default) the same lives in a dictionary.
"""

import time
from collections import defaultdict
from dataclasses import dataclass
from typing import cast

from django.conf import settings

from realtime.hub import get_hub

# A socket's presence lasts this long unless refreshed (it refreshes at a third of it).
PRESENCE_TTL_SECONDS = 60


@dataclass(frozen=True)
class Present:
    user_id: int
    name: str


def _entry(socket_id: str, who: Present) -> str:
    return f"{who.user_id}|{socket_id}|{who.name}"


def _parse(entry: str) -> Present:
    user_id, _socket, name = entry.split("|", 2)
    return Present(int(user_id), name)


# stream -> entry -> expiry, for the embedded single-process default.
_local: dict[str, dict[str, float]] = defaultdict(dict)


def _key(stream: str) -> str:
    return f"{settings.REALTIME_CHANNEL_PREFIX}presence:{stream}"


async def _entries(stream: str) -> list[str]:
    now = time.time()
    redis = get_hub().redis
    if redis is None:
        entries = _local[stream]
        for entry in [entry for entry, expiry in entries.items() if expiry <= now]:
            del entries[entry]
        return list(entries)
    key = _key(stream)
    await redis.zremrangebyscore(key, "-inf", now)
    return [entry.decode() for entry in cast(list[bytes], await redis.zrange(key, 0, -1))]


async def touch(stream: str, socket_id: str, who: Present) -> None:
    """Mark (or keep) this socket present on the stream."""
    expiry = time.time() + PRESENCE_TTL_SECONDS
    redis = get_hub().redis
    if redis is None:
        _local[stream][_entry(socket_id, who)] = expiry
        return
    key = _key(stream)
    await redis.zadd(key, {_entry(socket_id, who): expiry})
    await redis.expire(key, PRESENCE_TTL_SECONDS * 2)


async def join(stream: str, socket_id: str, who: Present) -> bool:
    """Add this socket; True when the user was not present through another socket already."""
    await touch(stream, socket_id, who)
    return sum(_parse(entry).user_id == who.user_id for entry in await _entries(stream)) == 1


async def leave(stream: str, socket_id: str, who: Present) -> bool:
    """Remove this socket; True when the user has no other socket left on the stream."""
    redis = get_hub().redis
    if redis is None:
        _local[stream].pop(_entry(socket_id, who), None)
    else:
        await redis.zrem(_key(stream), _entry(socket_id, who))
    return all(_parse(entry).user_id != who.user_id for entry in await _entries(stream))


async def present(stream: str) -> list[Present]:
    """Everyone present, once each, by name."""
    people = {p.user_id: p for p in map(_parse, await _entries(stream))}
    return sorted(people.values(), key=lambda p: p.name.casefold())
