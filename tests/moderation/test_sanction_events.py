"""The live effect of sanctions: what each service sends the member's open pages once it commits (the
"standing" frame that closes or opens their composers, and the recheck that drops a suspended member's
streams), seen through the real ASGI application with WebsocketCommunicator."""

import json
import threading
from collections.abc import Callable
from datetime import timedelta

import pytest
from asgiref.sync import sync_to_async
from django.core.exceptions import ValidationError
from django.db import connections
from django.utils import timezone
from playwright.sync_api import expect

from forums.models import ChatRoom
from forums.services import chat as chat_services
from moderation.models import Sanction
from moderation.services import members as services
from network.models import Membership, Network
from realtime.frames import standing_frame
from tests.browser.conftest import asgi_server, browser, policy_violations  # noqa: F401  (fixtures of the browser test)
from tests.browser.test_chat import open_room
from tests.factories import MembershipFactory, NetworkFactory
from tests.realtime.conftest import sockets  # noqa: F401  (fixture used by the socket tests)

# --- What is sent, once committed -------------------------------------------------------------------


@pytest.fixture
def sent(monkeypatch) -> list[tuple]:
    """What the services send the member's sockets, in order."""
    calls: list[tuple] = []
    monkeypatch.setattr(
        services,
        "send_standing",
        lambda *, user_id, network_id, notice: calls.append(("standing", user_id, network_id, notice)),
    )
    monkeypatch.setattr(
        services, "recheck_user_subscriptions", lambda *, user_id: calls.append(("recheck", user_id))
    )
    return calls


def row(network: Network, user) -> Membership:
    return Membership.objects.get(network=network, user=user)


def in_an_hour():
    return timezone.now() + timedelta(hours=1)


@pytest.mark.django_db
def test_a_mute_closes_the_members_composers_with_its_reason(
    network, member, moderator, sent, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.mute(
            actor=moderator, membership=row(network, member), reason="Spam links", until=in_an_hour()
        )

    [(kind, user_id, network_id, notice)] = sent
    assert (kind, user_id, network_id) == ("standing", member.pk, network.pk)
    assert notice.startswith("You are muted in this network until")
    assert notice.endswith(": Spam links")


@pytest.mark.django_db
def test_a_suspension_closes_the_composers_and_drops_the_streams(
    network, member, moderator, sent, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.suspend(actor=moderator, membership=row(network, member), reason="Abuse", until=in_an_hour())

    assert [call[0] for call in sent] == ["standing", "recheck"]
    assert sent[0][3].startswith("You are suspended from this network until")
    assert sent[1] == ("recheck", member.pk)


@pytest.mark.django_db
@pytest.mark.parametrize("action", [services.mute, services.suspend])
def test_lifting_opens_the_composers_again(
    network, member, moderator, sent, django_capture_on_commit_callbacks, action
):
    sanction = action(actor=moderator, membership=row(network, member), reason="Abuse", until=in_an_hour())
    with django_capture_on_commit_callbacks(execute=True):
        services.lift(actor=moderator, sanction=sanction)

    assert sent[0] == ("standing", member.pk, network.pk, None)
    assert sent[1:] == ([("recheck", member.pk)] if action is services.suspend else [])


@pytest.mark.django_db
def test_a_mute_lifted_while_suspended_leaves_the_composers_closed(
    network, member, moderator, sent, django_capture_on_commit_callbacks
):
    muting = services.mute(
        actor=moderator, membership=row(network, member), reason="Spam", until=in_an_hour()
    )
    services.suspend(actor=moderator, membership=row(network, member), reason="Abuse", until=in_an_hour())
    with django_capture_on_commit_callbacks(execute=True):
        services.lift(actor=moderator, sanction=muting)

    assert sent[0][3].startswith("You are suspended from this network until")


@pytest.mark.django_db
def test_the_end_of_a_suspension_gives_the_streams_back(
    network, member, moderator, sent, django_capture_on_commit_callbacks
):
    services.suspend(actor=moderator, membership=row(network, member), reason="Abuse", until=in_an_hour())
    with django_capture_on_commit_callbacks(execute=True):
        services.lift_expired(now=timezone.now() + timedelta(hours=2))

    assert sent == [("standing", member.pk, network.pk, None), ("recheck", member.pk)]


@pytest.mark.django_db
def test_a_warning_or_a_refused_sanction_sends_nothing(
    network, member, moderator, sent, django_capture_on_commit_callbacks
):
    services.mute(actor=moderator, membership=row(network, member), reason="Spam", until=in_an_hour())
    sent.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.warn(actor=moderator, membership=row(network, member), reason="Careful")
        with pytest.raises(ValidationError):
            services.mute(
                actor=moderator, membership=row(network, member), reason="Again", until=in_an_hour()
            )

    assert sent == []


def test_the_standing_frame_names_the_network_and_the_notice():
    assert json.loads(standing_frame(12, "You are muted.")) == {
        "type": "standing",
        "network": 12,
        "notice": "You are muted.",
    }
    assert json.loads(standing_frame(12, None))["notice"] is None


# --- Over the websocket -----------------------------------------------------------------------------


def _world() -> tuple[ChatRoom, object, object, object]:
    """A network's general room, a moderator, and two of its members."""
    network = NetworkFactory()
    room = chat_services.create_general_room(network=network)
    moderator = MembershipFactory(network=network, role=Membership.Role.MODERATOR).user
    first, second = (MembershipFactory(network=network).user for _ in range(2))
    return room, moderator, first, second


world = sync_to_async(_world)


@sync_to_async
def mute_now(moderator, user, room: ChatRoom):
    membership = Membership.objects.get(network_id=room.network_id, user=user)
    return services.mute(actor=moderator, membership=membership, reason="Spam links", until=in_an_hour())


@sync_to_async
def suspend_now(moderator, user, room: ChatRoom):
    membership = Membership.objects.get(network_id=room.network_id, user=user)
    return services.suspend(actor=moderator, membership=membership, reason="Abuse", until=in_an_hour())


async def frames_within(socket, seconds: float) -> list[dict]:
    frames = []
    while not await socket.receive_nothing(timeout=seconds):
        frames.append(await socket.receive_json_from())
    return frames


async def subscribe(socket, stream: str) -> dict:
    await socket.send_json_to({"type": "subscribe", "stream": stream, "ref": "s"})
    return await socket.receive_json_from(timeout=5)


@pytest.mark.asyncio
@pytest.mark.django_db(transaction=True)
async def test_every_open_page_of_a_muted_member_hears_it_at_once_and_nobody_else(sockets):  # noqa: F811  (the imported fixture)
    room, moderator, muted, bystander = await world()
    phone, laptop, other = await sockets(muted), await sockets(muted), await sockets(bystander)

    await mute_now(moderator, muted, room)

    for socket in (phone, laptop):
        frame = await socket.receive_json_from(timeout=5)
        assert (frame["type"], frame["network"]) == ("standing", room.network_id)
        assert frame["notice"].endswith(": Spam links")
    assert await other.receive_nothing(timeout=0.3)


@pytest.mark.asyncio
@pytest.mark.django_db(transaction=True)
async def test_a_suspended_members_socket_stops_receiving_the_networks_streams_at_once(sockets):  # noqa: F811  (the imported fixture)
    room, moderator, suspended, speaker = await world()
    socket = await sockets(suspended)
    assert (await subscribe(socket, f"chat:{room.pk}"))["type"] == "subscribed"
    await frames_within(socket, 0.3)  # who is in the room

    await suspend_now(moderator, suspended, room)
    frames = await frames_within(socket, 1)
    await sync_to_async(chat_services.post_message)(author=speaker, room=room, body="Did anyone see this?")

    by_type = {frame["type"]: frame for frame in frames}
    assert set(by_type) == {"standing", "unsubscribed"}
    assert (by_type["unsubscribed"]["stream"], by_type["unsubscribed"]["reason"]) == (
        f"chat:{room.pk}",
        "access_lost",
    )
    assert by_type["standing"]["notice"].startswith("You are suspended from this network until")
    assert await socket.receive_nothing(timeout=0.5)


@pytest.mark.asyncio
@pytest.mark.django_db(transaction=True)
async def test_once_the_suspension_ends_the_member_may_follow_the_room_again(sockets):  # noqa: F811  (the imported fixture)
    room, moderator, suspended, _speaker = await world()
    await suspend_now(moderator, suspended, room)
    socket = await sockets(suspended)
    assert (await subscribe(socket, f"chat:{room.pk}"))["code"] == "forbidden"

    await sync_to_async(services.lift_expired)(now=timezone.now() + timedelta(hours=2))
    standing = await socket.receive_json_from(timeout=5)

    assert (standing["type"], standing["notice"]) == ("standing", None)
    assert (await subscribe(socket, f"chat:{room.pk}"))["type"] == "subscribed"


@pytest.mark.asyncio
@pytest.mark.django_db(transaction=True)
async def test_someone_signed_out_hears_nothing(sockets):  # noqa: F811  (the imported fixture)
    room, moderator, muted, _bystander = await world()
    anonymous = await sockets(None)

    await mute_now(moderator, muted, room)

    assert await anonymous.receive_nothing(timeout=0.3)


# --- In the browser ---------------------------------------------------------------------------------


def elsewhere(action: Callable[[], Sanction]) -> Sanction:
    """Run a service as a request would, in a thread of its own: Playwright's event loop runs in the
    test's thread, where the channel layer cannot be reached synchronously."""
    done: list[Sanction] = []

    def run() -> None:
        try:
            done.append(action())
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    return done[0]


@pytest.mark.browser
@pytest.mark.xdist_group("browser")
def test_a_muted_members_open_composer_says_why_at_once_and_opens_again_when_lifted(
    asgi_server,  # noqa: F811  (the imported fixture)
    browser,  # noqa: F811  (the imported fixture)
):
    room = chat_services.create_general_room(network=NetworkFactory())
    membership = MembershipFactory(network=room.network)
    moderator = MembershipFactory(network=room.network, role=Membership.Role.MODERATOR).user
    page = open_room(browser, asgi_server, membership.user, room)
    expect(page.locator("[data-chat-presence]")).to_contain_text(str(membership.user))
    box = page.get_by_role("textbox", name="Message")
    box.fill("A draft in progress")

    muting = elsewhere(
        lambda: services.mute(actor=moderator, membership=membership, reason="Spam links", until=in_an_hour())
    )

    notice = page.get_by_role("status").filter(has_text="You are muted in this network until")
    expect(notice).to_contain_text("Spam links")
    expect(box).to_be_disabled()
    expect(box).to_have_value("A draft in progress")

    elsewhere(lambda: services.lift(actor=moderator, sanction=muting))

    expect(notice).to_have_count(0)
    expect(box).to_be_enabled()
    expect(box).to_have_value("A draft in progress")
