"""The migration that brings events stored before edits rewrote them up to what pages show now."""

import importlib

import pytest
from django.apps import apps
from django.utils import timezone

from forums.models import ChatMessage, Post
from forums.services import chat
from realtime.models import Event
from realtime.services import append_event
from richtext import render_markdown
from tests.factories import PostFactory

pytestmark = pytest.mark.django_db

migration = importlib.import_module("forums.migrations.0004_stored_events_show_current_versions")


def stored(stream: str, kind: str, subject: str, **data) -> Event:
    """An event as the services stored it before edits rewrote the earlier ones."""
    append_event(stream=stream, kind=kind, data=data, subject=subject)
    return Event.objects.filter(subject=subject).latest("pk")


def edited(post: Post, body: str) -> None:
    Post.objects.filter(pk=post.pk).update(
        body=body, body_html=render_markdown(body), edited_at=timezone.now()
    )
    post.refresh_from_db()


def test_old_versions_of_a_post_are_rewritten_to_the_one_on_show(topic, member):
    post = PostFactory(topic=topic, author=member, body="First")
    first = stored(
        f"topic:{topic.pk}",
        "post.edited",
        f"forum.post:{post.pk}",
        id=post.pk,
        number=2,
        body_html="<p>Second</p>",
    )
    edited(post, "Third")

    migration.rewrite_post_events(apps, None)

    first.refresh_from_db()
    assert first.data == {
        "id": post.pk,
        "number": 2,
        "body_html": "<p>Third</p>\n",
        "edited_at": post.edited_at.isoformat(),
    }


@pytest.mark.parametrize("gone", [{"is_hidden": True}, {"deleted_at": timezone.now()}, "moved"])
def test_a_post_hidden_deleted_or_moved_since_keeps_no_words_in_old_events(topic, member, gone):
    post = PostFactory(topic=topic, author=member, body="First")
    event = stored(
        f"topic:{topic.pk}",
        "post.edited",
        f"forum.post:{post.pk}",
        id=post.pk,
        number=2,
        body_html="<p>Secret</p>",
    )
    edited(post, "Secret, still")
    if gone == "moved":
        elsewhere = PostFactory(topic__network=topic.network).topic
        Post.objects.filter(pk=post.pk).update(topic=elsewhere, number=elsewhere.highest_post_number + 1)
    else:
        Post.objects.filter(pk=post.pk).update(**gone)

    migration.rewrite_post_events(apps, None)

    event.refresh_from_db()
    assert event.data["body_html"] == ""


def test_a_chat_messages_first_text_is_rewritten_to_its_text_now(room, member):
    message = chat.post_message(author=member, room=room, body="First words")
    ChatMessage.objects.filter(pk=message.pk).update(
        body="Better words", body_html="<p>Better words</p>", edited_at=timezone.now()
    )
    message.refresh_from_db()

    migration.rewrite_message_events(apps, None)

    (created,) = Event.objects.filter(subject=f"chat.message:{message.pk}")
    assert created.kind == "message.created"
    assert (created.data["body"], created.data["body_html"]) == ("Better words", "<p>Better words</p>")
    assert "First words" not in str(created.data)
