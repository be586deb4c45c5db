"""Bring the events stored before edits began to rewrite them up to what pages show now.

Until then, every `post.edited` kept the version it announced, and a chat message's `message.created`
its first text: a page replaying a stream from its start read versions that only a post's author and
the moderators may read on its history page. Here every such event is rewritten as an edit now
rewrites it: to the text on show, or to none when the post or message is hidden or deleted, or when
the post has since moved to another topic (the event names a number that another post has there).
"""

from typing import Any

from django.db import migrations

POST_SUBJECT = "forum.post:"
MESSAGE_SUBJECT = "chat.message:"
MESSAGE_KINDS = ("message.created", "message.restored", "message.edited")
BATCH = 500


def _object_id(subject: str, prefix: str) -> int:
    return int(subject.removeprefix(prefix))


def rewrite_post_events(apps: Any, schema_editor: Any) -> None:
    Event = apps.get_model("realtime", "Event")
    Post = apps.get_model("forums", "Post")
    events = Event.objects.filter(kind="post.edited", subject__startswith=POST_SUBJECT).select_related(
        "stream"
    )
    changed = []
    for event in events.iterator(chunk_size=BATCH):
        post = Post.objects.filter(pk=_object_id(event.subject, POST_SUBJECT)).first()
        on_show = post is not None and post.deleted_at is None and not post.is_hidden
        if on_show and event.stream.key == f"topic:{post.topic_id}" and post.edited_at is not None:
            data = {**event.data, "body_html": post.body_html, "edited_at": post.edited_at.isoformat()}
        else:
            data = {**event.data, "body_html": ""}
        if data != event.data:
            event.data = data
            changed.append(event)
    Event.objects.bulk_update(changed, ["data"], batch_size=BATCH)


def rewrite_message_events(apps: Any, schema_editor: Any) -> None:
    Event = apps.get_model("realtime", "Event")
    ChatMessage = apps.get_model("forums", "ChatMessage")
    events = Event.objects.filter(kind__in=MESSAGE_KINDS, subject__startswith=MESSAGE_SUBJECT)
    changed = []
    for event in events.iterator(chunk_size=BATCH):
        if not event.data.get("body_html"):
            continue  # already withheld: the message is hidden or deleted
        message = ChatMessage.objects.filter(pk=_object_id(event.subject, MESSAGE_SUBJECT)).first()
        if message is None or message.edited_at is None:
            continue
        current = {
            "body": message.body,
            "body_html": message.body_html,
            "edited_at": message.edited_at.isoformat(),
        }
        if {key: event.data.get(key) for key in current} != current:
            event.data = {**event.data, **current}
            changed.append(event)
    Event.objects.bulk_update(changed, ["data"], batch_size=BATCH)


class Migration(migrations.Migration):
    dependencies = [
        ("forums", "0003_moderation"),
        ("realtime", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(rewrite_post_events, migrations.RunPython.noop, elidable=True),
        migrations.RunPython(rewrite_message_events, migrations.RunPython.noop, elidable=True),
    ]
