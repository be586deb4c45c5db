"""A topic's, a category's and a chat room's streams replayed from their start hold no more than their
pages show the same reader: a post or message edited replays only as it reads now, a topic renamed only
under its new title, and a post hidden by the moderators or awaiting approval not at all, whatever its
author does to it meanwhile.

Each scenario is read by a visitor (the network is public), a plain member and a moderator: every text
a replayed event carries must be on that reader's topic, category or room page (tests.realtime.replay).
"""

import pytest

from forums.models import Post, Topic
from forums.services import chat
from forums.services import topics as forum
from moderation.services import forum as moderation
from network.models import Network
from profiles.models import User
from tests.factories import MembershipFactory
from tests.forums.test_topic_views import category_url, topic_url
from tests.forums.test_views import room_url
from tests.realtime.replay import beyond_the_page, page_as, replayed, replayed_text

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_forum_rate_limit")]

READERS = ["anonymous", "member", "moderator"]


def topic_stream(topic: Topic) -> str:
    return f"topic:{topic.pk}"


@pytest.fixture
def newcomer(network: Network) -> User:
    """A member whose first post waits for a moderator's approval (the network holds one post)."""
    network.posts_awaiting_approval = 1
    network.save(update_fields=["posts_awaiting_approval"])
    return MembershipFactory(network=network).user


def reply(topic: Topic, author: User, body: str) -> Post:
    return forum.post_reply(author=author, topic=topic, body=body)


def post_html(post: Post) -> str:
    post.refresh_from_db()
    return post.body_html


# --- Posts ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("reader", READERS, indirect=True)
def test_a_post_edited_twice_replays_only_as_it_reads_now(client, topic, champion, reader):
    post = reply(topic, champion, "Our rotas came from *headquarters*.")
    forum.edit_post(actor=champion, post=post, body="Our rotas came from the *regional office*.")
    forum.edit_post(actor=champion, post=post, body="Our rotas are now chosen by the *teams*.")

    frames = replayed(reader, topic_stream(topic))
    page = page_as(client, reader, topic_url(topic))

    assert [frame["kind"] for frame in frames] == ["post.created", "post.edited", "post.edited"]
    assert {frame["data"]["body_html"] for frame in frames[1:]} == {post_html(post)}
    assert "chosen by the <em>teams</em>" in page
    assert beyond_the_page(frames, page) == []
    assert "headquarters" not in replayed_text(reader, topic_stream(topic))
    assert "regional office" not in replayed_text(reader, topic_stream(topic))


@pytest.mark.parametrize("reader", READERS, indirect=True)
def test_a_post_awaiting_approval_edited_by_its_author_stays_off_the_stream(client, topic, newcomer, reader):
    held = reply(topic, newcomer, "My first post, about *night shifts*.")
    forum.edit_post(actor=newcomer, post=held, body="My first post, about *weekend shifts*.")

    frames = replayed(reader, topic_stream(topic))

    assert (held.is_hidden, held.awaiting_approval) == (True, True)
    assert frames == []
    assert beyond_the_page(frames, page_as(client, reader, topic_url(topic))) == []


@pytest.mark.parametrize("reader", READERS, indirect=True)
def test_a_post_hidden_by_the_moderators_then_edited_by_its_author_stays_off_the_stream(
    client, topic, champion, moderator, reader
):
    post = reply(topic, champion, "Call me on my *private number*.")
    moderation.hide_post(actor=moderator, post=post, reason="Personal details")
    forum.edit_post(actor=champion, post=post, body="Call me at the *customs office* instead.")

    frames = replayed(reader, topic_stream(topic))
    text = replayed_text(reader, topic_stream(topic))

    assert [frame["kind"] for frame in frames] == ["post.created", "post.hidden"]
    assert "private number" not in text
    assert "customs office" not in text
    assert "Personal details" not in text
    assert beyond_the_page(frames, page_as(client, reader, topic_url(topic))) == []


@pytest.mark.parametrize("reader", READERS, indirect=True)
def test_a_post_edited_then_hidden_and_edited_again_replays_none_of_its_versions(
    client, topic, champion, moderator, reader
):
    post = reply(topic, champion, "Our *Tampere* idea.")
    forum.edit_post(actor=champion, post=post, body="Our *Oulu* idea.")
    moderation.hide_post(actor=moderator, post=post, reason="Off-topic")
    forum.edit_post(actor=champion, post=post, body="Our *Turku* idea.")

    frames = replayed(reader, topic_stream(topic))
    text = replayed_text(reader, topic_stream(topic))

    assert [frame["kind"] for frame in frames] == ["post.created", "post.edited", "post.hidden"]
    assert not any(town in text for town in ("Tampere", "Oulu", "Turku"))
    assert beyond_the_page(frames, page_as(client, reader, topic_url(topic))) == []


# --- Topics -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("move", ["split", "merge"])
def test_a_post_moved_to_another_topic_leaves_none_of_its_words_on_the_old_stream(
    client, topic, category, champion, moderator, member, move
):
    stays = reply(topic, member, "The number two post, *by someone else*.")
    moves = reply(topic, champion, "Rotas from *headquarters*.")
    forum.edit_post(actor=champion, post=moves, body="Rotas from the *regional office*.")
    if move == "split":
        into = moderation.split_posts(
            actor=moderator, topic=topic, numbers=[moves.number], title="Rotas", category=category
        )
    else:
        into = forum.start_topic(
            author=member, category=category, title="Rotas", body="Ours, from the teams?"
        )
        moderation.merge_topics(actor=moderator, source=topic, target=into)
    moves.refresh_from_db()

    forum.edit_post(actor=champion, post=moves, body="Rotas chosen by the *teams*.")

    old = replayed_text(moderator, topic_stream(topic))
    assert "regional office" not in old
    assert "teams" not in old
    new = [frame for frame in replayed(member, topic_stream(into)) if frame["kind"] == "post.edited"]
    assert [(frame["data"]["number"], frame["data"]["body_html"]) for frame in new] == [
        (moves.number, post_html(moves))
    ]
    assert stays.number == 2


@pytest.mark.parametrize("reader", READERS, indirect=True)
def test_a_renamed_topic_replays_only_under_its_new_title(client, category, member, moderator, reader):
    topic = forum.start_topic(
        author=member, category=category, title="Night shifts at the airport", body="How do you plan them?"
    )
    old_address = topic_url(topic)
    moderation.pin_topic(actor=moderator, topic=topic)
    topic = forum.rename_topic(actor=member, topic=topic, title="Planning shifts at the border")

    on_topic = replayed(reader, topic_stream(topic))
    on_category = replayed(reader, f"category:{category.pk}")
    text = replayed_text(reader, topic_stream(topic)) + replayed_text(reader, f"category:{category.pk}")

    assert [frame["data"]["title"] for frame in on_topic] == ["Planning shifts at the border"] * 2
    assert [(frame["kind"], frame["data"]["title"]) for frame in on_category] == [
        ("topic.created", "Planning shifts at the border")
    ]
    assert on_category[0]["data"]["url"] == topic_url(topic) != old_address
    assert "Night shifts" not in text
    assert old_address not in text
    assert beyond_the_page(on_topic, page_as(client, reader, topic_url(topic))) == []
    assert beyond_the_page(on_category, page_as(client, reader, category_url(category))) == []


# --- Chat -------------------------------------------------------------------------------------------


@pytest.mark.usefixtures("no_rate_limit")
@pytest.mark.parametrize("reader", ["member", "moderator"], indirect=True)
def test_an_edited_chat_message_replays_only_as_it_reads_now(client, room, champion, reader):
    message = chat.post_message(author=champion, room=room, body="We meet at *gate 4*.")
    chat.edit_message(actor=champion, message=message, body="We meet at *gate 7*.")
    chat.edit_message(actor=champion, message=message, body="We meet at *gate 9*.")

    frames = replayed(reader, f"chat:{room.pk}")
    page = page_as(client, reader, room_url(room))

    message.refresh_from_db()
    created = [frame["data"] for frame in frames if frame["kind"] == "message.created"]
    assert [(data["body"], data["body_html"]) for data in created] == [
        ("We meet at *gate 9*.", message.body_html)
    ]
    assert "at <em>gate 9</em>" in page
    assert "gate 4" not in replayed_text(reader, f"chat:{room.pk}")
    assert "gate 7" not in replayed_text(reader, f"chat:{room.pk}")
    assert beyond_the_page(frames, page) == []
