import asyncio
import json

import pytest
from asgiref.sync import sync_to_async
from django.test import override_settings

from realtime import hub as hub_module
from realtime.consumers import CLOSE_RECONNECT, CLOSE_SESSION_ENDED, StreamConsumer
from realtime.services import end_session_sockets, end_user_sockets, recheck_user_subscriptions
from tests.factories import UserFactory
from tests.realtime.conftest import append, revoked

pytestmark = [pytest.mark.asyncio, pytest.mark.django_db(transaction=True)]

new_user = sync_to_async(UserFactory)


async def frames_until(socket, predicate, limit: int = 2000) -> list[dict]:
    seen = []
    for _ in range(limit):
        frame = await socket.receive_json_from(timeout=5)
        seen.append(frame)
        if predicate(frame):
            return seen
    raise AssertionError(f"never matched; saw {seen[-5:]}")


async def subscribe(socket, stream: str, since: int | None = None) -> dict:
    frame = {"type": "subscribe", "stream": stream, "ref": "s"}
    if since is not None:
        frame["since"] = since
    await socket.send_json_to(frame)
    frames = await frames_until(socket, lambda f: f.get("ref") == "s")
    return frames[-1]


def event_seqs(frames: list[dict]) -> list[int]:
    return [f["seq"] for f in frames if f["type"] == "event"]


async def test_subscriber_receives_events_committed_after_it_subscribed(sockets):
    user = await new_user()
    socket = await sockets(user)
    assert (await subscribe(socket, "probe:1"))["type"] == "subscribed"

    await append("probe:1", 2, "note")

    first = await socket.receive_json_from(timeout=5)
    second = await socket.receive_json_from(timeout=5)
    assert [(f["seq"], f["kind"], f["data"]) for f in (first, second)] == [
        (1, "note", {"n": 0}),
        (2, "note", {"n": 1}),
    ]
    assert first["stream"] == "probe:1"


async def test_refused_subscription_gets_an_error_and_the_socket_stays_open(sockets):
    user = await new_user()
    socket = await sockets(user)

    refused = await subscribe(socket, "probe:secret")
    unknown = await subscribe(socket, "nosuchkind:1")
    await socket.send_json_to({"type": "ping", "ref": 9})

    assert (refused["type"], refused["code"]) == ("error", "forbidden")
    assert (unknown["type"], unknown["code"]) == ("error", "forbidden")
    assert (await socket.receive_json_from(timeout=5))["type"] == "pong"


async def test_anonymous_visitor_is_refused_a_members_stream(sockets):
    socket = await sockets(None)
    assert (await subscribe(socket, "probe:1"))["code"] == "forbidden"


async def test_catch_up_replays_exactly_the_missed_events_then_goes_live(sockets):
    await append("probe:2", 3, "note")
    socket = await sockets(await new_user())

    subscribed = await subscribe(socket, "probe:2", since=1)
    replayed = [await socket.receive_json_from(timeout=5) for _ in range(2)]
    await append("probe:2", 1, "note")
    live = await socket.receive_json_from(timeout=5)

    assert (subscribed["since"], subscribed["last"]) == (1, 3)
    assert event_seqs([*replayed, live]) == [2, 3, 4]
    assert await socket.receive_nothing(timeout=0.2)


async def test_catch_up_over_a_gap_longer_than_one_batch_is_complete_and_ordered(sockets, settings):
    total = 620  # more than one catch-up batch of 500
    await append("probe:3", total, "note")
    socket = await sockets(await new_user())

    await subscribe(socket, "probe:3", since=0)
    frames = await frames_until(socket, lambda f: f.get("seq") == total)

    assert event_seqs(frames) == list(range(1, total + 1))


async def test_a_lost_live_event_is_fetched_from_the_database(sockets, monkeypatch):
    socket = await sockets(await new_user())
    await subscribe(socket, "probe:4")
    real_publish = hub_module.publish

    def lossy_publish(stream, seq, frame):
        if seq != 2:  # pub/sub dropped this one
            real_publish(stream, seq, frame)

    monkeypatch.setattr(hub_module, "publish", lossy_publish)
    await append("probe:4", 3, "note")

    frames = await frames_until(socket, lambda f: f.get("seq") == 3)
    assert event_seqs(frames) == [1, 2, 3]


async def test_since_beyond_the_stream_starts_from_now(sockets):
    await append("probe:5", 2, "note")
    socket = await sockets(await new_user())

    subscribed = await subscribe(socket, "probe:5", since=99)
    await append("probe:5", 1, "note")

    assert subscribed["since"] == 2
    assert (await socket.receive_json_from(timeout=5))["seq"] == 3


@pytest.mark.parametrize(
    ("payload", "code"),
    [
        ("{not json", "bad_json"),
        ("[1, 2]", "bad_frame"),
        ('{"type": 3}', "bad_frame"),
        ('{"type": "launch"}', "unknown_type"),
        ('{"type": "subscribe", "stream": "probe:1", "since": -1}', "invalid"),
        ('{"type": "subscribe", "stream": "no spaces allowed"}', "invalid"),
        ('{"type": "subscribe", "stream": "probe:1", "extra": true}', "invalid"),
        ('{"type": "typing", "stream": "lobby:1"}', "not_subscribed"),
        (json.dumps({"type": "ping", "pad": "x" * 17 * 1024}), "too_large"),
        pytest.param("[" * 5000 + "]" * 5000, "bad_json", id="nested-deeper-than-the-parser-goes"),
        pytest.param('{"type": "ping", "ref": "\\ud800"}', "bad_json", id="a-lone-surrogate-escaped"),
    ],
)
async def test_bad_frames_get_a_clear_error_and_the_socket_keeps_serving(sockets, payload, code):
    socket = await sockets(await new_user())

    await socket.send_to(text_data=payload)
    answer = await socket.receive_from(timeout=5)
    await socket.send_json_to({"type": "ping", "ref": 1})

    answer.encode()  # text a real server can send: UTF-8 holds no lone surrogate
    error = json.loads(answer)
    assert error["type"] == "error"
    assert error["code"] == code
    assert error["message"]
    assert (await socket.receive_json_from(timeout=5))["type"] == "pong"


async def test_a_fault_in_handling_a_frame_is_reported_and_the_socket_keeps_serving(sockets, monkeypatch):
    answer_ping = StreamConsumer._ping

    async def faulty_ping(self, frame):
        if frame.ref == "faulty":
            raise RuntimeError("a bug in handling this frame")
        await answer_ping(self, frame)

    monkeypatch.setattr(StreamConsumer, "_ping", faulty_ping)
    socket = await sockets(await new_user())

    await socket.send_json_to({"type": "ping", "ref": "faulty"})
    error = await socket.receive_json_from(timeout=5)
    await socket.send_json_to({"type": "ping", "ref": 1})

    assert (error["type"], error["code"]) == ("error", "server_error")
    assert "a bug" not in error["message"]
    assert await socket.receive_json_from(timeout=5) == {"type": "pong", "ref": 1}


async def test_binary_frames_are_refused(sockets):
    socket = await sockets(await new_user())
    await socket.send_to(bytes_data=b"\x00\x01")
    assert (await socket.receive_json_from(timeout=5))["code"] == "binary_unsupported"


@override_settings(REALTIME_FRAMES_PER_SECOND=1.0, REALTIME_FRAME_BURST=3)
async def test_a_flood_of_frames_is_throttled(sockets):
    socket = await sockets(await new_user())
    for n in range(5):
        await socket.send_json_to({"type": "ping", "ref": n})
    answers = [await socket.receive_json_from(timeout=5) for _ in range(5)]
    assert [a["type"] for a in answers].count("pong") == 3
    assert [a.get("code") for a in answers if a["type"] == "error"] == ["rate_limited", "rate_limited"]


@override_settings(REALTIME_OUTBOX_SIZE=5)
async def test_a_client_too_slow_to_drain_its_queue_is_told_to_reconnect(sockets, monkeypatch):
    stalled = asyncio.Event()

    async def never_drains(self, frame):
        await stalled.wait()

    monkeypatch.setattr(StreamConsumer, "_send_text", never_drains)
    socket = await sockets(await new_user())
    await socket.send_json_to({"type": "subscribe", "stream": "probe:6"})
    await asyncio.sleep(0.3)  # let the subscription register before the events arrive
    await append("probe:6", 12, "note")

    output = await socket.receive_output(timeout=5)
    assert output == {"type": "websocket.close", "code": CLOSE_RECONNECT}


async def test_logging_out_closes_the_sockets_of_that_session_only(sockets):
    user = await new_user()
    this_browser = await sockets(user)
    other_browser = await sockets(user)
    session_key = this_browser.scope["headers"][-1][1].decode().split("=", 1)[1]

    await sync_to_async(end_session_sockets)(session_key=session_key)

    assert await this_browser.receive_output(timeout=5) == {
        "type": "websocket.close",
        "code": CLOSE_SESSION_ENDED,
    }
    await other_browser.send_json_to({"type": "ping"})
    assert (await other_browser.receive_json_from(timeout=5))["type"] == "pong"


async def test_suspending_an_account_closes_all_its_sockets(sockets):
    user = await new_user()
    first, second = await sockets(user), await sockets(user)

    await sync_to_async(end_user_sockets)(user_id=user.pk)

    for socket in (first, second):
        assert (await socket.receive_output(timeout=5))["code"] == CLOSE_SESSION_ENDED


async def test_losing_access_unsubscribes_at_once(sockets):
    user = await new_user()
    socket = await sockets(user)
    await subscribe(socket, "probe:7")

    revoked.add(user.pk)
    await sync_to_async(recheck_user_subscriptions)(user_id=user.pk)
    notice = await socket.receive_json_from(timeout=5)
    await append("probe:7", 1, "note")

    assert (notice["type"], notice["stream"], notice["reason"]) == ("unsubscribed", "probe:7", "access_lost")
    assert await socket.receive_nothing(timeout=0.3)


def has(key: str, name: str | None = None):
    """Matches a presence frame with `key`, about `name` when given."""

    def match(frame: dict) -> bool:
        return key in frame and (name is None or frame[key]["name"] == name)

    return match


async def test_presence_shows_who_is_here_and_who_left(sockets):
    amina, carmen = await new_user(display_name="Amina"), await new_user(display_name="Carmen")
    first = await sockets(amina)
    await subscribe(first, "lobby:8")
    snapshot_for_amina = (await frames_until(first, has("present")))[-1]

    second = await sockets(carmen)
    await subscribe(second, "lobby:8")
    await frames_until(first, has("joined", "Carmen"))
    snapshot_for_carmen = (await frames_until(second, has("present")))[-1]
    await second.disconnect()
    await frames_until(first, has("left", "Carmen"))

    assert [p["name"] for p in snapshot_for_amina["present"]] == ["Amina"]
    assert [p["name"] for p in snapshot_for_carmen["present"]] == ["Amina", "Carmen"]


async def test_typing_reaches_the_others_on_the_stream(sockets):
    amina, carmen = await new_user(display_name="Amina"), await new_user(display_name="Carmen")
    first, second = await sockets(amina), await sockets(carmen)
    await subscribe(first, "lobby:9")
    await subscribe(second, "lobby:9")
    await frames_until(first, has("joined", "Carmen"))

    await second.send_json_to({"type": "typing", "stream": "lobby:9"})
    typing = await frames_until(first, lambda f: f["type"] == "typing")

    assert typing[-1]["user"]["name"] == "Carmen"


async def test_a_socket_from_a_foreign_origin_is_refused():
    from channels.testing import WebsocketCommunicator

    from config.asgi import application

    communicator = WebsocketCommunicator(application, "/ws/", headers=[(b"origin", b"http://evil.example")])
    connected, _ = await communicator.connect()
    assert not connected
