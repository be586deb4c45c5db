"""What the moderators' forum actions announce once they commit (stream, kind and payload of each
event), and what a page that catches up after a gap replays of a post hidden meanwhile: no words of it,
and the fact that it is hidden."""

import json

import pytest
from asgiref.sync import sync_to_async

from forums.models import Post, Topic
from forums.services import topics as forum
from moderation.services import forum as moderation
from network.models import Membership
from profiles.models import User
from realtime.selectors import events_after, last_seq
from tests.factories import CategoryFactory, MembershipFactory, NetworkFactory, PostFactory, TopicFactory
from tests.forums.test_consumers import Inbox
from tests.moderation.test_forum_actions import (  # noqa: F401  (fixtures shared by the forum actions' tests)
    _no_rate_limit,
    category_fixture,
    other_category_fixture,
    reply_fixture,
    topic_fixture,
)
from tests.realtime.conftest import sockets  # noqa: F401  (the websocket tests' fixture)

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(monkeypatch) -> list[tuple[str, int, dict]]:
    """What is published, once committed: (stream, seq, frame) for each event."""
    frames: list[tuple[str, int, dict]] = []
    monkeypatch.setattr(
        "realtime.hub.publish", lambda stream, seq, frame: frames.append((stream, seq, json.loads(frame)))
    )
    return frames


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks):
    """Runs what services schedule on commit (publishing their events): the test's transaction never commits."""

    def run(action):
        with django_capture_on_commit_callbacks(execute=True):
            return action()

    return run


def announced(published, *, forum_only: bool = True) -> list[tuple[str, str, dict]]:
    """The events published, without the review queue's (`moderation:<id>`) unless asked."""
    return [
        (stream, frame["kind"], frame["data"])
        for stream, _seq, frame in published
        if not (forum_only and stream.startswith("moderation:"))
    ]


def author_data(user) -> dict:
    return {"id": user.pk, "name": str(user), "handle": user.username, "url": user.get_absolute_url()}


# --- Posts ------------------------------------------------------------------------------------------


def test_hiding_a_post_says_so_without_its_words(topic, reply, moderator, published, on_commit):
    on_commit(lambda: moderation.hide_post(actor=moderator, post=reply, reason="Personal details"))

    assert announced(published) == [(f"topic:{topic.pk}", "post.hidden", {"id": reply.pk, "number": 2})]
    assert "words of its own" not in json.dumps(published)


def test_restoring_a_post_says_it_is_on_show(topic, reply, moderator, published, on_commit):
    moderation.hide_post(actor=moderator, post=reply, reason="Checking")

    on_commit(lambda: moderation.restore_post(actor=moderator, post=reply))

    assert announced(published) == [(f"topic:{topic.pk}", "post.shown", {"id": reply.pk, "number": 2})]


def test_deleting_a_post_says_so(topic, reply, moderator, published, on_commit):
    on_commit(lambda: moderation.delete_post(actor=moderator, post=reply, reason="Abuse"))

    assert announced(published) == [(f"topic:{topic.pk}", "post.deleted", {"id": reply.pk, "number": 2})]


# --- Topics -----------------------------------------------------------------------------------------


def test_hiding_a_topic_takes_it_off_its_categorys_list(topic, category, moderator, published, on_commit):
    opening = topic.posts.get(number=1)

    on_commit(lambda: moderation.hide_topic(actor=moderator, topic=topic, reason="Advertising"))

    assert announced(published) == [
        (f"topic:{topic.pk}", "post.hidden", {"id": opening.pk, "number": 1}),
        (f"category:{category.pk}", "topic.deleted", {"id": topic.pk}),
    ]


def test_restoring_a_topic_lists_it_again(topic, category, member, moderator, published, on_commit):
    moderation.hide_topic(actor=moderator, topic=topic, reason="Advertising")
    opening = topic.posts.get(number=1)

    on_commit(lambda: moderation.restore_topic(actor=moderator, topic=topic))

    assert announced(published) == [
        (f"topic:{topic.pk}", "post.shown", {"id": opening.pk, "number": 1}),
        (
            f"category:{category.pk}",
            "topic.created",
            {
                "id": topic.pk,
                "title": topic.title,
                "url": topic.get_absolute_url(),
                "author": author_data(member),
                "category": category.pk,
            },
        ),
    ]


def test_deleting_a_topic_says_so_on_both_streams(topic, category, moderator, published, on_commit):
    opening = topic.posts.get(number=1)

    on_commit(lambda: moderation.delete_topic(actor=moderator, topic=topic, reason="Duplicate"))

    assert announced(published) == [
        (f"topic:{topic.pk}", "post.deleted", {"id": opening.pk, "number": 1}),
        (f"category:{category.pk}", "topic.deleted", {"id": topic.pk}),
    ]


@pytest.mark.parametrize(
    ("action", "flags"),
    [
        (moderation.lock_topic, {"is_locked": True, "is_pinned": False}),
        (moderation.pin_topic, {"is_locked": False, "is_pinned": True}),
    ],
)
def test_locking_and_pinning_update_open_pages(topic, moderator, published, on_commit, action, flags):
    on_commit(lambda: action(actor=moderator, topic=topic, reason="Calm down"))

    notice = (
        "This topic is locked: its posts can be read, but it takes no new replies."
        if flags["is_locked"]
        else ""
    )
    assert announced(published) == [
        (
            f"topic:{topic.pk}",
            "topic.updated",
            {"id": topic.pk, "title": topic.title, **flags, "notice": notice, "accepted_post": None},
        )
    ]


def test_moving_a_topic_says_so_on_both_categories_and_the_topic(
    topic, category, other_category, member, moderator, published, on_commit
):
    on_commit(lambda: moderation.move_topic(actor=moderator, topic=topic, category=other_category))

    assert announced(published) == [
        (f"category:{category.pk}", "topic.deleted", {"id": topic.pk}),
        (
            f"category:{other_category.pk}",
            "topic.created",
            {
                "id": topic.pk,
                "title": topic.title,
                "url": topic.get_absolute_url(),
                "author": author_data(member),
                "category": other_category.pk,
            },
        ),
        (
            f"topic:{topic.pk}",
            "topic.moved",
            {"id": topic.pk, "category": other_category.pk, "url": topic.get_absolute_url()},
        ),
    ]


def test_merging_sends_the_sources_pages_to_the_target(
    topic, category, other_category, champion, moderator, published, on_commit
):
    source = TopicFactory(category=other_category, author=champion, title="Asked again")
    answer = PostFactory(topic=source, author=champion, body="An answer")
    opening = source.posts.get(number=1)

    on_commit(lambda: moderation.merge_topics(actor=moderator, source=source, target=topic))

    moved = {"author": author_data(champion), "reply_to_number": None}
    assert announced(published) == [
        (f"category:{other_category.pk}", "topic.deleted", {"id": source.pk}),
        (f"topic:{source.pk}", "topic.merged", {"id": source.pk, "into_url": topic.get_absolute_url()}),
        (
            f"topic:{topic.pk}",
            "post.created",
            {"id": opening.pk, "number": 2, **moved, "created_at": opening.created_at.isoformat()},
        ),
        (
            f"topic:{topic.pk}",
            "post.created",
            {"id": answer.pk, "number": 3, **moved, "created_at": answer.created_at.isoformat()},
        ),
    ]


def test_splitting_marks_the_posts_on_the_old_topic_and_lists_the_new_one(
    topic, reply, category, champion, moderator, published, on_commit
):
    new = on_commit(
        lambda: moderation.split_posts(
            actor=moderator, topic=topic, numbers=[2], title="A thread of its own", category=category
        )
    )

    assert announced(published) == [
        (
            f"topic:{topic.pk}",
            "topic.split",
            {"id": topic.pk, "numbers": [2], "into_url": new.get_absolute_url()},
        ),
        (
            f"category:{category.pk}",
            "topic.created",
            {
                "id": new.pk,
                "title": "A thread of its own",
                "url": new.get_absolute_url(),
                "author": author_data(champion),
                "category": category.pk,
            },
        ),
    ]


def test_hiding_a_reported_post_also_takes_it_off_the_queue(topic, reply, moderator, published, on_commit):
    from moderation.models import QueueItem, TargetKind
    from moderation.services import queue

    item, _created = queue.open_item(
        network=topic.network,
        kind=QueueItem.Kind.REPORT,
        target_kind=TargetKind.POST,
        target_id=reply.pk,
        target_author=reply.author,
        title=topic.title,
        excerpt="",
        url="",
    )

    on_commit(lambda: moderation.hide_post(actor=moderator, post=reply, reason="Spam"))

    queue_events = [
        event for event in announced(published, forum_only=False) if event[0].startswith("moderation:")
    ]
    assert [(stream, kind) for stream, kind, _data in queue_events] == [
        (f"moderation:{topic.network_id}", "item.handled")
    ]
    assert queue_events[0][2]["id"] == item.pk


# --- Approval ---------------------------------------------------------------------------------------


def test_a_held_post_is_not_announced_until_approved(topic, network, published, on_commit):
    network.posts_awaiting_approval = 1
    network.save(update_fields=["posts_awaiting_approval"])
    newcomer = MembershipFactory(network=network).user

    held = on_commit(lambda: forum.post_reply(author=newcomer, topic=topic, body="My first words"))

    assert [(stream, kind) for stream, kind, _data in announced(published)] == []
    on_commit(lambda: forum.set_post_visibility(post=held, visible=True))
    assert announced(published) == [(f"topic:{topic.pk}", "post.shown", {"id": held.pk, "number": 2})]


# --- Catching up after a gap ------------------------------------------------------------------------


def test_a_hidden_post_replays_as_hidden_after_a_gap(topic, reply, champion, moderator):
    stream = f"topic:{topic.pk}"
    seen = last_seq(stream=stream)
    forum.edit_post(actor=champion, post=reply, body="Edited words, *secret* now")
    moderation.hide_post(actor=moderator, post=reply, reason="Personal details")

    replayed = [json.loads(frame) for _seq, frame in events_after(stream=stream, after=seen)]

    assert [(frame["kind"], frame["data"]["id"]) for frame in replayed] == [
        ("post.edited", reply.pk),
        ("post.hidden", reply.pk),
    ]
    assert replayed[0]["data"]["body_html"] == ""
    assert replayed[1]["data"] == {"id": reply.pk, "number": 2}
    assert "secret" not in json.dumps(replayed)


def _hidden_while_away() -> tuple[Topic, Post, User, User, int]:
    network = NetworkFactory()
    reader = MembershipFactory(network=network).user
    author = MembershipFactory(network=network).user
    moderator = MembershipFactory(network=network, role=Membership.Role.MODERATOR).user
    topic = TopicFactory(category=CategoryFactory(network=network), author=author)
    post = forum.post_reply(author=author, topic=topic, body="Before the gap")
    return topic, post, reader, moderator, last_seq(stream=f"topic:{topic.pk}")


@pytest.mark.asyncio
@pytest.mark.django_db(transaction=True)
async def test_a_socket_catching_up_receives_the_post_as_hidden(sockets):  # noqa: F811
    topic, post, reader, moderator, seen = await sync_to_async(_hidden_while_away)()
    await sync_to_async(forum.edit_post)(actor=post.author, post=post, body="Now with *private* words")
    await sync_to_async(moderation.hide_post)(actor=moderator, post=post, reason="Personal details")

    back = Inbox(await sockets(reader))
    subscribed = await back.subscribe(f"topic:{topic.pk}", since=seen)
    events = [await back.wait_for(lambda frame: frame.get("type") == "event") for _ in range(2)]

    assert subscribed["since"] == seen
    assert [(event["kind"], event["data"]["id"]) for event in events] == [
        ("post.edited", post.pk),
        ("post.hidden", post.pk),
    ]
    assert events[0]["data"]["body_html"] == ""
    assert "private" not in json.dumps(events)
    assert [frame for frame in await back.rest(0.3) if frame["type"] == "event"] == []
