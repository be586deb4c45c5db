"""Two real server processes on loopback, sharing PostgreSQL and Redis, behave as one site.

A member connected to one process sees messages sent through the other; when a process dies mid-stream,
its clients reconnect to the other, subscribe again from the last sequence number they saw, and end with
every message exactly once, in order. Driven with the `websockets` client library, as a browser would.
"""

import asyncio
import json
import uuid
from collections.abc import Iterator

import pytest
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed

from forums.models import ChatMessage, ChatRoom
from forums.services import chat as services
from tests.browser.conftest import wait_until_disconnected
from tests.factories import MembershipFactory, NetworkFactory
from tests.forums.servers import Server, start_servers
from tests.realtime.conftest import session_cookie_for

pytestmark = [pytest.mark.cross_process, pytest.mark.xdist_group("servers")]

WRITERS = 3
MESSAGES = 15  # five per writer: within the rate limit of each
TIMEOUT = 20


@pytest.fixture
def two_servers(transactional_db, tmp_path) -> Iterator[list[Server]]:
    # The two count each member's messages together, apart from any other run sharing the Redis.
    servers = start_servers(2, tmp_path, CACHE_KEY_PREFIX=f"chat-cross-process-{uuid.uuid4().hex}")
    try:
        yield servers
    finally:
        for server in servers:
            server.stop()
        wait_until_disconnected()


@pytest.fixture
def room() -> ChatRoom:
    return services.create_general_room(network=NetworkFactory())


def cookie_for(room: ChatRoom) -> str:
    return f"sessionid={session_cookie_for(MembershipFactory(network=room.network).user)}"


def open_socket(server: Server, cookie: str) -> connect:
    return connect(server.ws_url, origin=server.http_url, additional_headers={"Cookie": cookie})


async def request(socket: ClientConnection, frame: dict) -> dict:
    """Send an action frame and wait for its answer, skipping the room's own traffic."""
    await socket.send(json.dumps({**frame, "ref": "w"}))
    while True:
        answer = json.loads(await socket.recv())
        if answer.get("ref") == "w":
            return answer


class Reader:
    """A member following the room across servers, as realtime.js does: on a lost connection it moves
    to the next server and subscribes again with the last sequence number it saw."""

    def __init__(self, stream: str, cookie: str) -> None:
        self.stream = stream
        self.cookie = cookie
        self.events: list[dict] = []
        self.connections = 0
        self.subscribed = asyncio.Event()

    @property
    def last_seq(self) -> int:
        return self.events[-1]["seq"] if self.events else 0

    async def follow(self, servers: list[Server], until_seq: "asyncio.Future[int]") -> None:
        for server in servers:
            try:
                async with open_socket(server, self.cookie) as socket:
                    self.connections += 1
                    await socket.send(
                        json.dumps({"type": "subscribe", "stream": self.stream, "since": self.last_seq})
                    )
                    while not (until_seq.done() and self.last_seq >= until_seq.result()):
                        try:
                            frame = json.loads(await asyncio.wait_for(socket.recv(), 0.2))
                        except TimeoutError:
                            continue
                        if frame["type"] == "subscribed":
                            self.subscribed.set()
                        elif frame["type"] == "event":
                            self.events.append(frame)
                    return
            except (ConnectionClosed, OSError):
                continue
        raise AssertionError("every server is gone")


async def scenario(servers: list[Server], stream: str, room_id: int, cookies: list[str]) -> tuple:
    first, second = servers
    final_seq: asyncio.Future[int] = asyncio.get_running_loop().create_future()
    moving = Reader(stream, cookies[0])  # starts on the first server, which will die
    staying = Reader(stream, cookies[1])  # on the second server all along
    readers = [
        asyncio.create_task(moving.follow([first, second], final_seq)),
        asyncio.create_task(staying.follow([second], final_seq)),
    ]
    await asyncio.wait_for(asyncio.gather(moving.subscribed.wait(), staying.subscribed.wait()), TIMEOUT)

    acks = []
    writers = [await open_socket(second, cookie) for cookie in cookies[2:]]
    try:
        for n in range(MESSAGES):
            if n == MESSAGES // 3:
                # Seen live on the first server before it dies: a message sent through the other one.
                await asyncio.wait_for(_until(lambda: moving.last_seq >= acks[-1]["seq"]), TIMEOUT)
                first.kill()
            acks.append(
                await request(writers[n % WRITERS], {"type": "chat.send", "room": room_id, "body": f"#{n}"})
            )
        final_seq.set_result(max(ack["seq"] for ack in acks))
        await asyncio.wait_for(asyncio.gather(*readers), TIMEOUT)
    finally:
        for writer in writers:
            await writer.close()
        for task in readers:
            task.cancel()
    return acks, moving, staying


async def _until(condition) -> None:
    while not condition():
        await asyncio.sleep(0.02)


def test_two_processes_share_a_room_and_survive_losing_one(two_servers, room):
    cookies = [cookie_for(room) for _ in range(2 + WRITERS)]

    acks, moving, staying = asyncio.run(scenario(two_servers, f"chat:{room.pk}", room.pk, cookies))

    assert [ack["type"] for ack in acks] == ["ack"] * MESSAGES
    stored = list(ChatMessage.objects.filter(room=room).order_by("seq").values_list("seq", "pk", "body"))
    assert [body for _seq, _pk, body in stored] == [f"#{n}" for n in range(MESSAGES)]
    for reader in (moving, staying):
        assert [(e["seq"], e["data"]["id"], e["data"]["body"]) for e in reader.events] == stored
    assert moving.connections == 2  # it did lose its server and move to the other
    assert staying.connections == 1
