"""The forum over the real ASGI application's websocket, with WebsocketCommunicator: who may follow a
topic or a category, the `forum.read` and `forum.react` frames, and bad frames."""

import pytest
from asgiref.sync import sync_to_async

from forums.models import PostReaction, Topic, TopicReadState
from forums.services import topics as services
from network.models import Membership, Network
from tests.factories import (
    CategoryFactory,
    MembershipFactory,
    NetworkFactory,
    PostFactory,
    TopicFactory,
    UserFactory,
)

pytestmark = [pytest.mark.asyncio, pytest.mark.django_db(transaction=True)]


def _topic(visibility: str = Network.Visibility.PUBLIC, replies: int = 0) -> Topic:
    author = MembershipFactory(network=NetworkFactory(visibility=visibility)).user
    category = CategoryFactory(network=author.memberships.get().network)
    topic = TopicFactory(category=category, author=author)
    for _ in range(replies):
        PostFactory(topic=topic, author=author)
    return Topic.objects.select_related("network", "category").get(pk=topic.pk)


def _member(topic: Topic, role: str = Membership.Role.MEMBER, state: str = Membership.State.ACTIVE):
    return MembershipFactory(network=topic.network, role=role, state=state).user


new_topic = sync_to_async(_topic)
new_member = sync_to_async(_member)
new_user = sync_to_async(UserFactory)


# --- Who may follow a topic or a category -----------------------------------------------------------


@pytest.mark.parametrize("visibility", [Network.Visibility.PUBLIC, Network.Visibility.MEMBERS_ONLY])
@pytest.mark.parametrize("who", ["anonymous", "outsider", "member", "superuser"])
async def test_whoever_reads_the_forum_follows_its_topics_and_categories(inboxes, visibility, who):
    topic = await new_topic(visibility)
    user = {
        "anonymous": None,
        "outsider": await new_user(),
        "member": await new_member(topic),
        "superuser": await new_user(is_superuser=True),
    }[who]
    socket = await inboxes(user)

    answers = [
        await socket.subscribe(f"topic:{topic.pk}"),
        await socket.subscribe(f"category:{topic.category_id}"),
    ]

    reads = visibility == Network.Visibility.PUBLIC or who in ("member", "superuser")
    assert [a["type"] for a in answers] == (["subscribed"] * 2 if reads else ["error"] * 2)


async def test_a_deleted_topic_is_followed_by_moderators_only(inboxes):
    topic = await new_topic()
    moderator = await new_member(topic, Membership.Role.MODERATOR)
    opening = await topic.posts.aget(number=1)
    await sync_to_async(services.delete_post)(actor=moderator, post=opening)
    member_socket, moderator_socket = await inboxes(await new_member(topic)), await inboxes(moderator)

    assert (await member_socket.subscribe(f"topic:{topic.pk}"))["code"] == "forbidden"
    assert (await moderator_socket.subscribe(f"topic:{topic.pk}"))["type"] == "subscribed"


@pytest.mark.parametrize(
    "key",
    ["topic:0", "topic:999999", "topic:abc", "topic:99999999999999999999", "category:999999", "category:x"],
)
async def test_topics_and_categories_that_do_not_exist_are_refused(inboxes, key):
    topic = await new_topic()
    socket = await inboxes(await new_member(topic))
    assert (await socket.subscribe(key))["code"] == "forbidden"


# --- Frames -----------------------------------------------------------------------------------------


async def test_a_reaction_is_acknowledged_stored_and_reaches_the_topics_readers(inboxes):
    topic = await new_topic()
    post = await topic.posts.aget(number=1)
    reader = await inboxes(None)
    await reader.subscribe(f"topic:{topic.pk}")
    reactor_user = await new_member(topic)
    reactor = await inboxes(reactor_user)

    ack = await reactor.answer({"type": "forum.react", "post": post.pk, "reaction": "🙏", "on": True})
    event = await reader.event("reaction.changed")

    assert ack == {"type": "ack", "ref": "r1", "post": post.pk, "reactions": [{"kind": "🙏", "count": 1}]}
    assert (event["stream"], event["data"]["user"], event["data"]["reactions"]) == (
        f"topic:{topic.pk}",
        reactor_user.pk,
        [{"kind": "🙏", "count": 1}],
    )
    taken_back = await reactor.answer({"type": "forum.react", "post": post.pk, "reaction": "🙏", "on": False})
    assert taken_back["reactions"] == []
    assert await PostReaction.objects.acount() == 0


async def test_reading_moves_the_read_position_forward_only(inboxes):
    topic = await new_topic(replies=3)
    member = await new_member(topic)
    socket = await inboxes(member)

    answers = [
        await socket.answer({"type": "forum.read", "topic": topic.pk, "number": n}) for n in (3, 1, 50)
    ]

    assert [(a["topic"], a["last_read_number"]) for a in answers] == [
        (topic.pk, 3),
        (topic.pk, 3),
        (topic.pk, 4),
    ]
    assert (await TopicReadState.objects.aget(user=member)).last_read_number == 4


async def test_refusals_of_the_rules_come_back_as_error_frames(inboxes):
    topic = await new_topic(Network.Visibility.MEMBERS_ONLY)
    post = await topic.posts.aget(number=1)
    moderator = await new_member(topic, Membership.Role.MODERATOR)
    await sync_to_async(services.set_topic_locked)(actor=moderator, topic=topic, locked=True)
    member, outsider, anonymous = (
        await inboxes(await new_member(topic)),
        await inboxes(await new_user()),
        await inboxes(),
    )

    locked = await member.answer({"type": "forum.react", "post": post.pk, "reaction": "👍", "on": True})
    outside_read = await outsider.answer({"type": "forum.read", "topic": topic.pk, "number": 1})
    anonymous_react = await anonymous.answer(
        {"type": "forum.react", "post": post.pk, "reaction": "👍", "on": True}
    )

    assert (locked["code"], locked["message"]) == (
        "forbidden",
        "This topic is locked: its posts can be read, but it takes no new replies.",
    )
    assert (outside_read["code"], outside_read["message"]) == (
        "forbidden",
        "This network's forum is for its members only.",
    )
    assert (anonymous_react["code"], anonymous_react["message"]) == (
        "forbidden",
        "Log in to take part in the forum.",
    )
    assert await PostReaction.objects.acount() == 0
    assert await TopicReadState.objects.acount() == 0


@pytest.mark.parametrize(
    ("frame", "code", "says"),
    [
        ({"type": "forum.react", "post": 1, "reaction": "🦆", "on": True}, "invalid", "reactions offered"),
        ({"type": "forum.react", "post": 1, "reaction": "👍"}, "invalid", "on"),
        (
            {"type": "forum.react", "post": 999999, "reaction": "👍", "on": True},
            "not_found",
            "post does not exist",
        ),
        ({"type": "forum.react", "post": "first", "reaction": "👍", "on": True}, "invalid", "post"),
        ({"type": "forum.read", "topic": 999999, "number": 1}, "not_found", "topic does not exist"),
        ({"type": "forum.read", "topic": 1, "number": -1}, "invalid", "number"),
        ({"type": "forum.read", "topic": 1}, "invalid", "number"),
        ({"type": "forum.read", "topic": 0, "number": 1}, "invalid", "topic"),
        ({"type": "forum.read", "topic": 1, "number": 1, "unread": True}, "invalid", "unread"),
    ],
    ids=[
        "unknown reaction",
        "reaction without on",
        "unknown post",
        "post not a number",
        "unknown topic",
        "negative number",
        "no number",
        "topic zero",
        "unknown field",
    ],
)
async def test_bad_forum_frames_get_a_clear_error_and_the_socket_keeps_serving(inboxes, frame, code, says):
    topic = await new_topic()
    post = await topic.posts.aget(number=1)
    socket = await inboxes(await new_member(topic))
    for field, value in (("topic", topic.pk), ("post", post.pk)):
        if frame.get(field) == 1:
            frame = {**frame, field: value}

    error = await socket.answer(frame)
    pong = await socket.answer({"type": "ping"})

    assert (error["type"], error["code"]) == ("error", code)
    assert says in error["message"]
    assert pong["type"] == "pong"
    assert await PostReaction.objects.acount() == 0
