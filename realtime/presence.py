"""Who is looking at a stream right now. Ephemeral by design: never written to the database.

With Redis, a sorted set per stream holds one entry per open socket, scored by when it expires, so
that the sockets of a crashed process fade out by themselves; each socket refreshes its entries while
it lives. Without Redis (the single-process embedded default) the same lives in a dictionary.

Arrivals and departures are announced to the stream's other sockets, but not one frame per person
when a crowd comes at once: a conference room filling with a thousand people would otherwise send
each of them a frame about every other, half a million frames in all, each page redrawing its list of
who is here five hundred times, and a socket that stopped reading for a few seconds (a busy phone, a
throttled background tab) would overflow its outbox and be disconnected. See `announce`.
"""

import asyncio
import logging
import time
import weakref
from collections import defaultdict
from dataclasses import dataclass
from typing import cast

from django.conf import settings
from redis.exceptions import RedisError

from realtime.frames import ephemeral_frame
from realtime.hub import EPHEMERAL, apublish_ephemeral, get_hub, pubsub_channel, pubsub_message

logger = logging.getLogger(__name__)

# A socket's presence lasts this long unless refreshed (it refreshes at a third of it).
PRESENCE_TTL_SECONDS = 60
# A stream's arrivals and departures go out at most this often, one by one while no more than
# ANNOUNCE_ONE_BY_ONE piled up in the meantime, else as one snapshot of everyone present. A snapshot of
# a big room is large (a thousand names is some 30 KB, to each socket), so snapshots go out at most
# every SNAPSHOT_INTERVAL_SECONDS. Measured with a thousand people opening a room together: some 23
# frames and 260 KB to each socket, where one frame per arrival was 504 frames and 56 KB, with a
# quarter less server time and the room full in 17 s instead of 27 s.
ANNOUNCE_INTERVAL_SECONDS = 0.5
ANNOUNCE_ONE_BY_ONE = 10
SNAPSHOT_INTERVAL_SECONDS = 2.0


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


def present_frame(stream: str, people: list[Present]) -> str:
    """The `presence` frame listing everyone on the stream; clients replace their list with it."""
    return ephemeral_frame(
        stream, "presence", {"present": [{"id": p.user_id, "name": p.name} for p in people]}
    )


# Reads everyone present and publishes the snapshot frame in one step, so that no arrival announced
# by another process can fall between the read and the publication and be undone by a stale list.
# An entry is `<user id>|<socket id>|<name>`; each person is listed once.
_SNAPSHOT_SCRIPT = """
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1])
local seen, people = {}, {}
for _, entry in ipairs(redis.call('ZRANGE', KEYS[1], 0, -1)) do
    local user, name = string.match(entry, '^(%d+)|[^|]*|(.*)$')
    if user and not seen[user] then
        seen[user] = true
        people[#people + 1] = '{"id":' .. user .. ',"name":' .. cjson.encode(name) .. '}'
    end
end
redis.call('PUBLISH', ARGV[2], ARGV[3] .. table.concat(people, ',') .. ARGV[4])
return #people
"""


async def _publish_snapshot(stream: str) -> None:
    redis = get_hub().redis
    if redis is None:
        await apublish_ephemeral(stream, present_frame(stream, await present(stream)))
        return
    # The frame around the list of people, which the script fills in.
    head, tail = pubsub_message(EPHEMERAL, present_frame(stream, [])).rsplit("[]", 1)
    snapshot = redis.register_script(_SNAPSHOT_SCRIPT)
    await snapshot(keys=[_key(stream)], args=[time.time(), pubsub_channel(stream), f"{head}[", f"]{tail}"])


class _Announcer:
    """The arrivals and departures of one event loop's sockets, waiting to be announced."""

    def __init__(self) -> None:
        self.pending: dict[str, list[str]] = {}
        self.tasks: dict[str, asyncio.Task[None]] = {}

    def add(self, stream: str, frame: str) -> None:
        self.pending.setdefault(stream, []).append(frame)
        if stream not in self.tasks:
            self.tasks[stream] = asyncio.get_running_loop().create_task(self._run(stream))

    async def _run(self, stream: str) -> None:
        """Send what is pending now, then again every interval while more comes, then stop."""
        loop = asyncio.get_running_loop()
        snapshot_at = -SNAPSHOT_INTERVAL_SECONDS
        try:
            while frames := self.pending.pop(stream, None):
                try:
                    if len(frames) <= ANNOUNCE_ONE_BY_ONE:
                        for frame in frames:
                            await apublish_ephemeral(stream, frame)
                    else:
                        await asyncio.sleep(snapshot_at + SNAPSHOT_INTERVAL_SECONDS - loop.time())
                        # Whatever arrived while waiting is already in the list the snapshot reads.
                        self.pending.pop(stream, None)
                        await _publish_snapshot(stream)
                        snapshot_at = loop.time()
                except (RedisError, OSError):
                    # Presence is best effort: the next announcement or snapshot corrects the lists.
                    logger.warning("Could not announce who is on %s.", stream, exc_info=True)
                await asyncio.sleep(ANNOUNCE_INTERVAL_SECONDS)
        finally:
            del self.tasks[stream]


_announcers: "weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, _Announcer]" = weakref.WeakKeyDictionary()


def announce(stream: str, frame: str) -> None:
    """Tell every process's sockets on `stream` that someone came or went (a `joined` or `left` frame).

    The first change goes out at once; those that follow within ANNOUNCE_INTERVAL_SECONDS go out
    together at its end, one by one while they are few, or else as one snapshot of everyone present.
    A crowd arriving together thus costs each socket a snapshot every SNAPSHOT_INTERVAL_SECONDS, not a
    frame per person.
    """
    loop = asyncio.get_running_loop()
    announcer = _announcers.get(loop)
    if announcer is None:
        announcer = _announcers[loop] = _Announcer()
    announcer.add(stream, frame)
