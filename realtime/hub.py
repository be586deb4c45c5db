"""Fan-out: each process receives an event once and hands the same encoded frame to its own sockets.

Stock Channels `group_send` makes one channel-layer round trip per member of a group; at a thousand
listeners that is the bottleneck. Here a process subscribes once per stream it has local listeners for
(Redis pub/sub when REDIS_URL is set, a direct in-process call otherwise) and copies the frame into each
local socket's bounded outbox.

Pub/sub is at-most-once: a message can be lost when Redis restarts or a process reconnects. The
sequence numbers heal that. A subscription that sees a number jump fetches what it missed from the
database before going on, and after a Redis reconnect every subscription checks the database, so what
a client shows is always what was committed, in order, without duplicates.
"""

import asyncio
import logging
import weakref
from collections import defaultdict, deque
from collections.abc import Awaitable, Callable
from functools import cache

import redis
import redis.asyncio as aredis
from channels.db import database_sync_to_async
from django.conf import settings

from realtime.selectors import CATCH_UP_BATCH, events_after

logger = logging.getLogger(__name__)

# Sequence number given to presence and typing frames: not stored, not ordered, never healed.
EPHEMERAL = 0
# How many database reads one catch-up may take (about five seconds of waiting at most) before the
# socket is closed so that the client starts again from a fresh connection.
MAX_CATCH_UP_ROUNDS = 100
# Connections one event loop's Redis client may hold at once.
REDIS_CONNECTIONS = 50


class Outbox:
    """A socket's bounded queue of frames to send. A client too slow to drain it is disconnected
    (it catches up from the database when it reconnects) instead of growing the server's memory.

    Every broadcast frame passes through one outbox per socket, so this is the hottest path of a big
    room: a plain deque and a single waiter cost a fraction of an asyncio.Queue, and once awake the
    sender empties the whole backlog before sleeping again.
    """

    def __init__(self, send: Callable[[str], Awaitable[None]], maxsize: int, on_fail: Callable[[], None]):
        self._send = send
        self._frames: deque[str] = deque()
        self._maxsize = maxsize
        self._waiter: asyncio.Future[None] | None = None
        self._on_fail = on_fail
        self.closed = False

    def push(self, frame: str) -> None:
        if self.closed:
            return
        if len(self._frames) >= self._maxsize:
            self.fail()
            return
        self._frames.append(frame)
        if self._waiter is not None and not self._waiter.done():
            self._waiter.set_result(None)

    def fail(self) -> None:
        """Stop sending and have the socket closed with the code that tells the client to reconnect."""
        if not self.closed:
            self.closed = True
            self._on_fail()

    async def run(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            while self._frames:
                frame = self._frames.popleft()
                try:
                    await self._send(frame)
                except Exception:
                    # One frame the server cannot send must not silence the socket for good: it is
                    # logged (by its size: it may hold words meant for this member only) and dropped,
                    # and sending goes on (a client that misses an event heals the gap from its
                    # sequence numbers).
                    logger.exception("Could not send a frame of %d characters; dropped it.", len(frame))
            self._waiter = loop.create_future()
            await self._waiter
            self._waiter = None


class Subscription:
    """One socket's interest in one stream, and the last sequence number it was given.

    While it catches up from the database, live frames wait in `pending`; then they are merged in
    order, duplicates dropped.
    """

    def __init__(self, stream: str, outbox: Outbox, last_seq: int) -> None:
        self.stream = stream
        self.outbox = outbox
        self.last_seq = last_seq
        self.catching_up = False
        self.pending: dict[int, str] = {}
        self._task: asyncio.Task[None] | None = None

    def offer(self, seq: int, frame: str) -> None:
        if seq <= self.last_seq:
            return
        if self.catching_up or seq != self.last_seq + 1:
            self.pending[seq] = frame
            self.heal()
            return
        self._emit(seq, frame)

    def heal(self) -> None:
        """Fetch from the database whatever lies between `last_seq` and what is pending or committed."""
        if not self.catching_up:
            self.catching_up = True
            self._task = asyncio.get_running_loop().create_task(self._catch_up())

    def cancel(self) -> None:
        if self._task is not None:
            self._task.cancel()

    def _emit(self, seq: int, frame: str) -> None:
        self.last_seq = seq
        self.outbox.push(frame)

    def _drain_pending(self) -> None:
        while (frame := self.pending.pop(self.last_seq + 1, None)) is not None:
            self._emit(self.last_seq + 1, frame)
        for seq in [seq for seq in self.pending if seq <= self.last_seq]:
            del self.pending[seq]

    async def _catch_up(self) -> None:
        try:
            for _attempt in range(MAX_CATCH_UP_ROUNDS):
                batch = await database_sync_to_async(events_after)(stream=self.stream, after=self.last_seq)
                for seq, frame in batch:
                    self.pending.pop(seq, None)
                    self._emit(seq, frame)
                self._drain_pending()
                # A full batch means more rows; pending frames beyond a gap mean rows committed after
                # the query started. Either way, read again.
                if len(batch) < CATCH_UP_BATCH and not self.pending:
                    return
                if not batch and self.pending:
                    # The next number is not readable yet (its transaction is still ending): wait a little.
                    await asyncio.sleep(0.05)
            logger.error("%s: sequence %s never became readable.", self.stream, self.last_seq + 1)
            self.outbox.fail()
        except Exception:
            logger.exception(
                "Catching up %s failed; the client will catch up when it reconnects.", self.stream
            )
            self.outbox.fail()
        finally:
            self.catching_up = False


class Hub:
    """The subscriptions of one process's event loop, and its one link to the other processes."""

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self.loop = loop
        self.subscriptions: dict[str, set[Subscription]] = defaultdict(set)
        self.redis = _redis_client(settings.REDIS_URL) if settings.REDIS_URL else None
        self.listener = RedisListener(self, self.redis) if self.redis is not None else None

    async def add(self, subscription: Subscription) -> None:
        local = self.subscriptions[subscription.stream]
        local.add(subscription)
        if len(local) == 1 and self.listener is not None:
            await self.listener.subscribe(subscription.stream)

    async def remove(self, subscription: Subscription) -> None:
        subscription.cancel()
        local = self.subscriptions.get(subscription.stream)
        if local is None:
            return
        local.discard(subscription)
        if not local:
            del self.subscriptions[subscription.stream]
            if self.listener is not None:
                await self.listener.unsubscribe(subscription.stream)

    def deliver(self, stream: str, seq: int, frame: str) -> None:
        for subscription in list(self.subscriptions.get(stream, ())):
            if seq == EPHEMERAL:
                subscription.outbox.push(frame)
            else:
                subscription.offer(seq, frame)

    def heal_all(self) -> None:
        for local in self.subscriptions.values():
            for subscription in local:
                subscription.heal()


def _redis_client(url: str) -> "aredis.Redis":
    """The loop's Redis client (presence, ephemeral frames, and the pub/sub link, which keeps one
    connection). When a crowd opens a room at once, every arriving socket runs its presence commands
    together: they wait for one of a bounded set of connections, where redis-py's default pool would
    refuse the 101st with "Too many connections" and the socket would be torn down."""
    pool = aredis.BlockingConnectionPool.from_url(url, max_connections=REDIS_CONNECTIONS, timeout=20)
    return aredis.Redis(connection_pool=pool)


def pubsub_channel(stream: str) -> str:
    return f"{settings.REALTIME_CHANNEL_PREFIX}{stream}"


def pubsub_message(seq: int, frame: str) -> str:
    """What travels on a stream's pub/sub channel: the sequence number, then the frame as sent."""
    return f"{seq}\n{frame}"


class RedisListener:
    """One pub/sub connection per event loop, subscribed to the streams that have local listeners."""

    def __init__(self, hub: Hub, client: "aredis.Redis") -> None:
        self.hub = hub
        self.client = client
        self.pubsub = client.pubsub(ignore_subscribe_messages=True)
        self._task: asyncio.Task[None] | None = None

    async def subscribe(self, stream: str) -> None:
        await self.pubsub.subscribe(pubsub_channel(stream))
        if self._task is None:
            self._task = self.hub.loop.create_task(self._listen())

    async def unsubscribe(self, stream: str) -> None:
        await self.pubsub.unsubscribe(pubsub_channel(stream))

    async def publish(self, stream: str, seq: int, frame: str) -> None:
        await self.client.publish(pubsub_channel(stream), pubsub_message(seq, frame))

    async def _listen(self) -> None:
        prefix_length = len(settings.REALTIME_CHANNEL_PREFIX)
        backoff = 0.1
        while True:
            try:
                message = await self.pubsub.get_message(timeout=None)
            except (redis.ConnectionError, redis.TimeoutError, OSError):
                logger.warning("Lost the pub/sub connection; reconnecting in %.1fs.", backoff)
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, 5.0)
                await self._resubscribe()
                continue
            backoff = 0.1
            if message is None or message["type"] != "message":
                continue
            header, _, frame = message["data"].decode().partition("\n")
            self.hub.deliver(message["channel"].decode()[prefix_length:], int(header), frame)

    async def _resubscribe(self) -> None:
        try:
            await self.pubsub.reset()
            if streams := [pubsub_channel(stream) for stream in self.hub.subscriptions]:
                await self.pubsub.subscribe(*streams)
        except (redis.ConnectionError, redis.TimeoutError, OSError):
            return
        # Whatever was published while the link was down is in the database.
        self.hub.heal_all()


_hubs: "weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, Hub]" = weakref.WeakKeyDictionary()


def get_hub() -> Hub:
    loop = asyncio.get_running_loop()
    hub = _hubs.get(loop)
    if hub is None:
        hub = _hubs[loop] = Hub(loop)
    return hub


@cache
def _sync_redis(url: str) -> redis.Redis:
    return redis.Redis.from_url(url)


def publish(stream: str, seq: int, frame: str) -> None:
    """Send a committed event to every process (called from synchronous code, on commit).

    A failure is logged, never raised: the write is already committed, and subscribers heal the gap
    from the database at the next event or reconnection.
    """
    try:
        if settings.REDIS_URL:
            _sync_redis(settings.REDIS_URL).publish(pubsub_channel(stream), pubsub_message(seq, frame))
            return
        for hub in list(_hubs.values()):
            if not hub.loop.is_closed():
                hub.loop.call_soon_threadsafe(hub.deliver, stream, seq, frame)
    except Exception:
        logger.exception("Could not publish %s#%s; subscribers will catch up from the database.", stream, seq)


async def apublish_ephemeral(stream: str, frame: str) -> None:
    """Send a presence or typing frame to every process (called from the event loop)."""
    hub = get_hub()
    if hub.listener is not None:
        await hub.listener.publish(stream, EPHEMERAL, frame)
        return
    for other in list(_hubs.values()):
        if other is hub:
            hub.deliver(stream, EPHEMERAL, frame)
        elif not other.loop.is_closed():
            other.loop.call_soon_threadsafe(other.deliver, stream, EPHEMERAL, frame)
