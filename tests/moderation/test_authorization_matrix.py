"""Who may do what in moderation, all in one place: every moderation page, the moderation stream and
every moderation service, for each kind of person there is, allowed exactly where it should be; and what
the streams of the network's forum, chat and queue replay to each of them, which never exceeds what
their pages show them.

Each row names what it reaches and who may; adding a page, a stream or a service is one line. A refused
page answers 403, 404 or (to someone signed out) the login page, and a refused service raises
PermissionDenied, without anything written. Services are called by signed-in people only (their views
ask to log in first), so the service rows leave out the anonymous visitor.
"""

import copy
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from forums.models import Category, ChatMessage, ChatRoom, Post, Topic
from forums.services import chat as chat_services
from forums.services import topics as forum_services
from moderation.events import queue_stream
from moderation.models import AuditEntry, QueueItem, Report, Sanction, TargetKind
from moderation.services import approval, chat, forum, members, reports
from network.models import Membership, Network
from realtime.streams import can_subscribe
from tests.factories import CategoryFactory, MembershipFactory, PostFactory, TopicFactory, UserFactory
from tests.forums.test_topic_views import category_url, topic_url
from tests.forums.test_views import room_url
from tests.realtime.replay import beyond_the_page, page_as, replayed

pytestmark = pytest.mark.django_db

PERSONAS = [
    "anonymous",
    "outsider",
    "member",
    "champion",
    "other_moderator",
    "moderator",
    "admin",
    "muted",
    "suspended",
    "operator",
]
EVERYONE = frozenset(PERSONAS)
MODERATORS = frozenset({"moderator", "admin", "operator"})
# Active members, muted or not, and the site's operators: those who may report.
REPORTERS = frozenset({"member", "champion", "moderator", "admin", "muted", "operator"})
# Who sees a members-only network: its active members and the site's operators.
INSIDERS = REPORTERS


@dataclass
class World:
    """A network and everything moderation acts on in it, by `target` (a plain member)."""

    network: Network
    people: dict[str, Any]
    target: Membership
    # A member whose mute is in force, to lift.
    muting: Sanction
    category: Category
    other_category: Category
    topic: Topic
    reply: Post
    hidden_reply: Post
    other_topic: Topic
    locked_topic: Topic
    pinned_topic: Topic
    hidden_topic: Topic
    room: ChatRoom
    message: ChatMessage
    hidden_message: ChatMessage
    report_item: QueueItem
    approval_item: QueueItem


def _build(visibility: str) -> World:
    network = Network.objects.create(
        name=f"Matrix {visibility}", slug=f"matrix-{visibility}", visibility=visibility
    )
    moderator = MembershipFactory(network=network, role=Membership.Role.MODERATOR).user
    people: dict[str, Any] = {
        "anonymous": AnonymousUser(),
        "outsider": UserFactory(),
        "member": MembershipFactory(network=network).user,
        "champion": MembershipFactory(network=network, role=Membership.Role.CHAMPION).user,
        "other_moderator": MembershipFactory(role=Membership.Role.MODERATOR).user,
        "moderator": moderator,
        "admin": MembershipFactory(network=network, role=Membership.Role.ADMIN).user,
        "muted": MembershipFactory(
            network=network, muted_until=timezone.now() + timedelta(days=1), mute_reason="Spam"
        ).user,
        "suspended": MembershipFactory(
            network=network,
            state=Membership.State.SUSPENDED,
            suspended_until=timezone.now() + timedelta(days=1),
        ).user,
        "operator": UserFactory(is_superuser=True),
    }
    target = MembershipFactory(network=network)
    author = target.user
    muting = members.mute(
        actor=moderator,
        membership=MembershipFactory(network=network),
        reason="Flooding",
        until=timezone.now() + timedelta(hours=1),
    )
    category, other_category = CategoryFactory(network=network), CategoryFactory(network=network)

    def new_topic() -> Topic:
        return TopicFactory(category=category, author=author)

    topic = new_topic()
    reply = PostFactory(topic=topic, author=author, body="Buy cheap watches at my shop.")
    hidden_reply = forum.hide_post(
        actor=moderator, post=PostFactory(topic=topic, author=author), reason="Off-topic"
    )
    held = PostFactory(topic=topic, author=author, is_hidden=True, awaiting_approval=True)
    approval_item = approval.hold_for_approval(held)
    # What authors write meanwhile, which the streams must replay only as every reader sees it: an
    # opening post as it reads now, a topic under its new title, and nothing of a hidden or held post.
    opening = topic.posts.get(number=1)
    forum_services.edit_post(actor=author, post=opening, body="Watches: *first* version.")
    forum_services.edit_post(actor=author, post=opening, body="Watches: the version on show.")
    forum_services.edit_post(actor=author, post=hidden_reply, body="Hidden, and *edited* since.")
    forum_services.edit_post(actor=author, post=held, body="Held, and *edited* since.")
    pinned_topic = forum.pin_topic(actor=moderator, topic=new_topic())
    pinned_topic = forum_services.rename_topic(
        actor=author, topic=pinned_topic, title="Pinned, renamed since"
    )
    room = chat_services.create_general_room(network=network)
    message = chat_services.post_message(author=author, room=room, body="Cheap watches, anyone?")
    chat_services.edit_message(actor=author, message=message, body="Cheap watches, anyone at all?")
    hidden_message = chat.hide_message(
        actor=moderator,
        message=chat_services.post_message(author=author, room=room, body="Off-topic"),
        reason="Off-topic",
    )
    reported = reports.report(
        actor=MembershipFactory(network=network).user,
        network=network,
        target_kind=TargetKind.POST,
        target_id=reply.pk,
        reason="spam",
    )
    return World(
        network=network,
        people=people,
        target=target,
        muting=muting,
        category=category,
        other_category=other_category,
        topic=topic,
        reply=reply,
        hidden_reply=hidden_reply,
        other_topic=new_topic(),
        locked_topic=forum.lock_topic(actor=moderator, topic=new_topic()),
        pinned_topic=pinned_topic,
        hidden_topic=forum.hide_topic(actor=moderator, topic=new_topic(), reason="Off-topic"),
        room=room,
        message=message,
        hidden_message=hidden_message,
        report_item=reported.item,
        approval_item=approval_item,
    )


@contextmanager
def _kept(visibility: str, django_db_blocker) -> Iterator[World]:
    """A world built once for the module's tests, in a transaction rolled back after the last one (each
    test runs in a savepoint of its own inside it, and works on a copy of the Python objects)."""
    with django_db_blocker.unblock(), override_settings(CHAT_RATE_LIMIT=None), transaction.atomic():
        yield _build(visibility)
        transaction.set_rollback(True)


@pytest.fixture(scope="module")
def public_world(django_db_setup, django_db_blocker) -> Iterator[World]:
    with _kept(Network.Visibility.PUBLIC, django_db_blocker) as world:
        yield world


@pytest.fixture(scope="module")
def members_only_world_kept(django_db_setup, django_db_blocker) -> Iterator[World]:
    with _kept(Network.Visibility.MEMBERS_ONLY, django_db_blocker) as world:
        yield world


@pytest.fixture
def world(db, public_world) -> World:
    return copy.deepcopy(public_world)


@pytest.fixture
def members_only_world(db, members_only_world_kept) -> World:
    return copy.deepcopy(members_only_world_kept)


def _in(world: World, name: str, *args: Any) -> str:
    return reverse(f"moderation:{name}", args=[world.network.slug, *args])


# --- Pages ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Page:
    name: str
    url: Callable[[World], str]
    allowed: frozenset[str]
    # Form data to POST, or None for a page read with GET.
    data: Callable[[World], dict[str, str]] | None = None

    def __str__(self) -> str:
        return self.name


def _target_username(world: World) -> str:
    return world.target.user.username


PAGES = [
    Page("queue", lambda w: _in(w, "queue"), MODERATORS),
    Page("items", lambda w: _in(w, "items"), MODERATORS),
    Page("item", lambda w: _in(w, "item", w.report_item.pk), MODERATORS),
    Page("members", lambda w: _in(w, "members"), MODERATORS),
    Page("member", lambda w: _in(w, "member", _target_username(w)), MODERATORS),
    Page("log", lambda w: _in(w, "log"), MODERATORS),
    Page("public_log", lambda w: _in(w, "public_log"), EVERYONE),
    Page("report", lambda w: _in(w, "report", TargetKind.POST, w.reply.pk), REPORTERS),
    Page("report_profile", lambda w: _in(w, "report_profile", _target_username(w)), REPORTERS),
    Page(
        "warn",
        lambda w: _in(w, "warn", _target_username(w)),
        MODERATORS,
        lambda w: {"warn-reason": "Careful"},
    ),
    Page(
        "mute",
        lambda w: _in(w, "mute", _target_username(w)),
        MODERATORS,
        lambda w: {"mute-reason": "Spam", "mute-duration": "1h"},
    ),
    Page(
        "suspend",
        lambda w: _in(w, "suspend", _target_username(w)),
        MODERATORS,
        lambda w: {"suspend-reason": "Abuse", "suspend-duration": "1d"},
    ),
    Page("lift", lambda w: _in(w, "lift", w.muting.user.username, w.muting.pk), MODERATORS, lambda w: {}),
    Page("dismiss", lambda w: _in(w, "dismiss", w.report_item.pk), MODERATORS, lambda w: {}),
    Page("approve", lambda w: _in(w, "approve", w.approval_item.pk), MODERATORS, lambda w: {}),
    Page("reject", lambda w: _in(w, "reject", w.approval_item.pk), MODERATORS, lambda w: {"reason": "Spam"}),
]


def _written() -> tuple[int, ...]:
    return (
        AuditEntry.objects.count(),
        Sanction.objects.count(),
        Report.objects.count(),
        QueueItem.objects.filter(state=QueueItem.State.OPEN).count(),
    )


def _visit(client, world: World, page: Page, persona: str):
    user = world.people[persona]
    if user.is_authenticated:
        client.force_login(user)
    url = page.url(world)
    return client.get(url) if page.data is None else client.post(url, page.data(world))


def _refused(response) -> bool:
    to_login = response.status_code == 302 and response["Location"].startswith(reverse("account_login"))
    return to_login or response.status_code in (403, 404)


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("page", PAGES, ids=str)
def test_each_page_is_for_those_it_is_for(client, world, page, persona):
    before = _written()

    response = _visit(client, world, page, persona)

    if persona in page.allowed:
        assert not _refused(response), response.status_code
        assert response.status_code in ((200,) if page.data is None else (200, 302))
    else:
        assert _refused(response), response.status_code
        assert _written() == before
    if persona == "anonymous" and persona not in page.allowed:
        assert response.status_code == 302


MEMBERS_ONLY_PAGES = [
    Page("public_log", lambda w: _in(w, "public_log"), INSIDERS),
    Page("report", lambda w: _in(w, "report", TargetKind.POST, w.reply.pk), REPORTERS),
    Page("queue", lambda w: _in(w, "queue"), MODERATORS),
]


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("page", MEMBERS_ONLY_PAGES, ids=str)
def test_a_members_only_networks_pages_are_for_those_inside(client, members_only_world, page, persona):
    response = _visit(client, members_only_world, page, persona)

    assert _refused(response) is (persona not in page.allowed), response.status_code


def test_nothing_private_of_the_full_log_is_on_a_page_for_everyone(client, world):
    page = client.get(_in(world, "public_log")).content.decode()

    assert str(world.people["moderator"]) not in page
    assert str(world.target.user) not in page
    assert "Buy cheap watches" not in page


# --- The moderation stream --------------------------------------------------------------------------


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_moderation_stream_is_for_the_networks_moderators(world, persona):
    allowed = can_subscribe(world.people[persona], queue_stream(world.network.pk))

    assert allowed is (persona in MODERATORS)


# --- What the streams replay -----------------------------------------------------------------------


@dataclass(frozen=True)
class Followed:
    """A stream of the network, who may follow it, and the page that shows what it tells."""

    name: str
    stream: Callable[[World], str]
    followers: frozenset[str]
    page: Callable[[World], str]

    def __str__(self) -> str:
        return self.name


# Chat is for the network's active members (muted ones read it too) and the site's operators.
CHATTERS = INSIDERS

FOLLOWED = [
    Followed("topic", lambda w: f"topic:{w.topic.pk}", EVERYONE, lambda w: topic_url(w.topic)),
    Followed(
        "renamed_topic",
        lambda w: f"topic:{w.pinned_topic.pk}",
        EVERYONE,
        lambda w: topic_url(w.pinned_topic),
    ),
    Followed("category", lambda w: f"category:{w.category.pk}", EVERYONE, lambda w: category_url(w.category)),
    Followed("room", lambda w: f"chat:{w.room.pk}", CHATTERS, lambda w: room_url(w.room)),
    Followed("queue", lambda w: queue_stream(w.network.pk), MODERATORS, lambda w: _in(w, "queue")),
]


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("followed", FOLLOWED, ids=str)
def test_what_a_stream_replays_is_on_the_page_of_whoever_may_follow_it(client, world, followed, persona):
    """A page subscribing with `since: 0` receives every stored event of the stream: each text they
    carry must be on the page as this person reads it, or the replay would tell them more."""
    reader = world.people[persona]

    frames = replayed(reader, followed.stream(world))

    assert (frames is not None) is (persona in followed.followers)
    if frames is not None:
        assert beyond_the_page(frames, page_as(client, reader, followed.page(world))) == []


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("followed", FOLLOWED, ids=str)
def test_a_members_only_networks_streams_replay_only_to_those_inside(
    client, members_only_world, followed, persona
):
    reader = members_only_world.people[persona]

    frames = replayed(reader, followed.stream(members_only_world))

    assert (frames is not None) is (persona in followed.followers & INSIDERS)
    if frames is not None:
        assert beyond_the_page(frames, page_as(client, reader, followed.page(members_only_world))) == []


# --- Services ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Service:
    name: str
    run: Callable[[World, Any], object]
    allowed: frozenset[str]

    def __str__(self) -> str:
        return self.name


SERVICES = [
    # Members' standing.
    Service("warn", lambda w, a: members.warn(actor=a, membership=w.target, reason="Careful"), MODERATORS),
    Service(
        "mute",
        lambda w, a: members.mute(
            actor=a, membership=w.target, reason="Spam", until=timezone.now() + timedelta(hours=1)
        ),
        MODERATORS,
    ),
    Service(
        "suspend",
        lambda w, a: members.suspend(
            actor=a, membership=w.target, reason="Abuse", until=timezone.now() + timedelta(hours=1)
        ),
        MODERATORS,
    ),
    Service("lift", lambda w, a: members.lift(actor=a, sanction=w.muting), MODERATORS),
    # Reports and the queue.
    Service(
        "report",
        lambda w, a: reports.report(
            actor=a, network=w.network, target_kind=TargetKind.POST, target_id=w.reply.pk, reason="abuse"
        ),
        REPORTERS,
    ),
    Service("dismiss_item", lambda w, a: reports.dismiss_item(actor=a, item=w.report_item), MODERATORS),
    Service("approve_post", lambda w, a: approval.approve_post(actor=a, item=w.approval_item), MODERATORS),
    Service(
        "reject_post",
        lambda w, a: approval.reject_post(actor=a, item=w.approval_item, reason="Spam"),
        MODERATORS,
    ),
    # The forum.
    Service("hide_post", lambda w, a: forum.hide_post(actor=a, post=w.reply, reason="Spam"), MODERATORS),
    Service("restore_post", lambda w, a: forum.restore_post(actor=a, post=w.hidden_reply), MODERATORS),
    Service("delete_post", lambda w, a: forum.delete_post(actor=a, post=w.reply, reason="Spam"), MODERATORS),
    Service("hide_topic", lambda w, a: forum.hide_topic(actor=a, topic=w.topic, reason="Spam"), MODERATORS),
    Service("restore_topic", lambda w, a: forum.restore_topic(actor=a, topic=w.hidden_topic), MODERATORS),
    Service(
        "delete_topic", lambda w, a: forum.delete_topic(actor=a, topic=w.topic, reason="Spam"), MODERATORS
    ),
    Service("lock_topic", lambda w, a: forum.lock_topic(actor=a, topic=w.topic), MODERATORS),
    Service("unlock_topic", lambda w, a: forum.unlock_topic(actor=a, topic=w.locked_topic), MODERATORS),
    Service("pin_topic", lambda w, a: forum.pin_topic(actor=a, topic=w.topic), MODERATORS),
    Service("unpin_topic", lambda w, a: forum.unpin_topic(actor=a, topic=w.pinned_topic), MODERATORS),
    Service(
        "move_topic",
        lambda w, a: forum.move_topic(actor=a, topic=w.topic, category=w.other_category),
        MODERATORS,
    ),
    Service(
        "merge_topics",
        lambda w, a: forum.merge_topics(actor=a, source=w.other_topic, target=w.topic),
        MODERATORS,
    ),
    Service(
        "split_posts",
        lambda w, a: forum.split_posts(
            actor=a, topic=w.topic, numbers=[w.reply.number], title="Watches, apart", category=w.category
        ),
        MODERATORS,
    ),
    # Chat.
    Service(
        "hide_message", lambda w, a: chat.hide_message(actor=a, message=w.message, reason="Spam"), MODERATORS
    ),
    Service(
        "restore_message", lambda w, a: chat.restore_message(actor=a, message=w.hidden_message), MODERATORS
    ),
    Service(
        "delete_message",
        lambda w, a: chat.delete_message(actor=a, message=w.message, reason="Spam"),
        MODERATORS,
    ),
    Service("set_slow_mode", lambda w, a: chat.set_slow_mode(actor=a, room=w.room, seconds=30), MODERATORS),
    Service(
        "set_room_state",
        lambda w, a: chat.set_room_state(actor=a, room=w.room, state="read_only"),
        MODERATORS,
    ),
]


@pytest.mark.parametrize("persona", [persona for persona in PERSONAS if persona != "anonymous"])
@pytest.mark.parametrize("service", SERVICES, ids=str)
def test_each_service_is_for_those_it_is_for(world, service, persona):
    before = _written()

    if persona in service.allowed:
        service.run(world, world.people[persona])
        assert _written() != before
    else:
        with pytest.raises(PermissionDenied):
            service.run(world, world.people[persona])
        assert _written() == before
