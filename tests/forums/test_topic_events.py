"""What the forum's services announce once they commit: stream, kind and payload of each event, and
what a page catching up later replays once a post or topic is deleted."""

import json

import pytest

from forums.models import Topic, WatchLevel
from forums.services import topics as services
from realtime.models import Event
from realtime.selectors import events_after

pytestmark = pytest.mark.django_db


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks):
    """Runs what services schedule on commit (publishing their events): the test's transaction never commits."""

    def run(action):
        with django_capture_on_commit_callbacks(execute=True):
            return action()

    return run


def announced(published) -> list[tuple[str, str, dict]]:
    return [(stream, frame["kind"], frame["data"]) for stream, _seq, frame in published]


def author_data(user) -> dict:
    return {"id": user.pk, "name": str(user), "handle": user.username, "url": user.get_absolute_url()}


def replayed(stream: str) -> str:
    """Everything a page subscribing to `stream` from its start would receive, as one text."""
    return " ".join(frame for _seq, frame in events_after(stream=stream, after=0))


def test_starting_a_topic_is_announced_on_its_categorys_stream(category, champion, published, on_commit):
    topic = on_commit(
        lambda: services.start_topic(author=champion, category=category, title="Hybrid rosters", body="How?")
    )

    assert announced(published) == [
        (
            f"category:{category.pk}",
            "topic.created",
            {
                "id": topic.pk,
                "title": "Hybrid rosters",
                "url": topic.get_absolute_url(),
                "author": author_data(champion),
                "category": category.pk,
            },
        )
    ]


def test_a_reply_is_announced_without_its_words(topic, member, champion, published, on_commit):
    first = on_commit(lambda: services.post_reply(author=champion, topic=topic, body="Staggered *shifts*"))
    second = on_commit(
        lambda: services.post_reply(author=member, topic=topic, body="Rotating crews", reply_to_id=first.pk)
    )

    assert announced(published) == [
        (
            f"topic:{topic.pk}",
            "post.created",
            {
                "id": first.pk,
                "number": 2,
                "author": author_data(champion),
                "reply_to_number": None,
                "created_at": first.created_at.isoformat(),
            },
        ),
        (
            f"topic:{topic.pk}",
            "post.created",
            {
                "id": second.pk,
                "number": 3,
                "author": author_data(member),
                "reply_to_number": 2,
                "created_at": second.created_at.isoformat(),
            },
        ),
    ]
    assert "Staggered" not in json.dumps(published)
    assert "Rotating" not in json.dumps(published)


def test_nothing_is_announced_before_the_reply_is_committed(topic, champion, published):
    services.post_reply(author=champion, topic=topic, body="Hello")  # the test's transaction never commits
    assert published == []


def test_an_edit_is_announced_with_the_new_rendering(topic, member, published, on_commit):
    post = services.post_reply(author=member, topic=topic, body="Draft")
    on_commit(lambda: services.edit_post(actor=member, post=post, body="Final **text**"))

    post.refresh_from_db()
    assert announced(published) == [
        (
            f"topic:{topic.pk}",
            "post.edited",
            {
                "id": post.pk,
                "number": 2,
                "body_html": "<p>Final <strong>text</strong></p>\n",
                "edited_at": post.edited_at.isoformat(),
            },
        )
    ]


def test_an_edit_that_changes_nothing_is_not_announced(topic, member, published, on_commit):
    post = topic.posts.get()
    on_commit(lambda: services.edit_post(actor=member, post=post, body=f"  {post.body}  "))
    assert published == []


def test_deleting_a_reply_is_announced_and_no_replay_carries_its_words(topic, member, published, on_commit):
    post = services.post_reply(author=member, topic=topic, body="Draft")
    services.edit_post(actor=member, post=post, body="Regrettable words")
    assert "Regrettable" in replayed(f"topic:{topic.pk}")

    on_commit(lambda: services.delete_post(actor=member, post=post))

    assert announced(published) == [(f"topic:{topic.pk}", "post.deleted", {"id": post.pk, "number": 2})]
    assert "Regrettable" not in replayed(f"topic:{topic.pk}")
    assert Event.objects.filter(subject=f"forum.post:{post.pk}").count() == 3


def test_deleting_the_accepted_answer_also_announces_the_topic_without_it(
    topic, member, published, on_commit
):
    answer = services.post_reply(author=member, topic=topic, body="The answer")
    services.accept_answer(actor=member, topic=topic, post=answer)

    on_commit(lambda: services.delete_post(actor=member, post=answer))

    assert [(kind, data.get("accepted_post", "-")) for _stream, kind, data in announced(published)] == [
        ("post.deleted", "-"),
        ("topic.updated", None),
    ]


def test_deleting_the_opening_post_announces_the_topic_gone_and_its_title_is_not_replayed(
    category, member, moderator, published, on_commit
):
    topic = services.start_topic(author=member, category=category, title="Regrettable title", body="Body")
    services.set_topic_pinned(actor=moderator, topic=topic, pinned=True)
    opening = topic.posts.get()

    on_commit(lambda: services.delete_post(actor=moderator, post=opening))

    assert announced(published) == [
        (f"topic:{topic.pk}", "post.deleted", {"id": opening.pk, "number": 1}),
        (f"category:{category.pk}", "topic.deleted", {"id": topic.pk}),
    ]
    assert "Regrettable" not in replayed(f"category:{category.pk}")
    assert "Regrettable" not in replayed(f"topic:{topic.pk}")
    assert "regrettable" not in replayed(f"category:{category.pk}")  # nor in its address


def test_reactions_are_announced_with_the_new_counts_only_when_they_change(
    topic, member, champion, published, on_commit
):
    post = topic.posts.get()
    on_commit(lambda: services.react_to_post(user=champion, post=post, kind="🎉"))
    on_commit(lambda: services.react_to_post(user=champion, post=post, kind="🎉"))
    on_commit(lambda: services.react_to_post(user=member, post=post, kind="👍"))
    on_commit(lambda: services.react_to_post(user=champion, post=post, kind="🎉", on=False))
    on_commit(lambda: services.react_to_post(user=champion, post=post, kind="🎉", on=False))

    def changed(user, kind: str, on: bool, reactions: list[dict]) -> tuple[str, str, dict]:
        data = {"post": post.pk, "number": 1, "user": user.pk, "kind": kind, "on": on, "reactions": reactions}
        return (f"topic:{topic.pk}", "reaction.changed", data)

    assert announced(published) == [
        changed(champion, "🎉", True, [{"kind": "🎉", "count": 1}]),
        changed(member, "👍", True, [{"kind": "👍", "count": 1}, {"kind": "🎉", "count": 1}]),
        changed(champion, "🎉", False, [{"kind": "👍", "count": 1}]),
    ]


def topic_updated(topic: Topic, **changes) -> dict:
    data = {
        "id": topic.pk,
        "title": topic.title,
        "is_pinned": False,
        "is_locked": False,
        "notice": "",
        "accepted_post": None,
    }
    return {**data, **changes}


def test_locking_and_unlocking_are_announced_with_the_notice(topic, moderator, published, on_commit):
    on_commit(lambda: services.set_topic_locked(actor=moderator, topic=topic, locked=True))
    on_commit(lambda: services.set_topic_locked(actor=moderator, topic=topic, locked=True))
    on_commit(lambda: services.set_topic_locked(actor=moderator, topic=topic, locked=False))

    notice = "This topic is locked: its posts can be read, but it takes no new replies."
    assert announced(published) == [
        (f"topic:{topic.pk}", "topic.updated", topic_updated(topic, is_locked=True, notice=notice)),
        (f"topic:{topic.pk}", "topic.updated", topic_updated(topic)),
    ]


def test_pinning_renaming_and_answers_are_announced(topic, member, moderator, published, on_commit):
    answer = services.post_reply(author=moderator, topic=topic, body="Try staggered shifts.")
    on_commit(lambda: services.set_topic_pinned(actor=moderator, topic=topic, pinned=True))
    on_commit(lambda: services.rename_topic(actor=member, topic=topic, title="Flexible hours, a year on"))
    on_commit(lambda: services.accept_answer(actor=member, topic=topic, post=answer))
    on_commit(lambda: services.accept_answer(actor=member, topic=topic, post=None))

    renamed = "Flexible hours, a year on"
    assert [data for _stream, _kind, data in announced(published)] == [
        topic_updated(topic, is_pinned=True),
        topic_updated(topic, is_pinned=True, title=renamed),
        topic_updated(topic, is_pinned=True, title=renamed, accepted_post={"id": answer.pk, "number": 2}),
        topic_updated(topic, is_pinned=True, title=renamed),
    ]
    assert {kind for _stream, kind, _data in announced(published)} == {"topic.updated"}


def test_settings_of_one_member_are_not_announced(topic, category, champion, admin, published, on_commit):
    on_commit(lambda: services.watch_topic(user=champion, topic=topic, level=WatchLevel.MUTED))
    on_commit(lambda: services.watch_category(user=champion, category=category, level=WatchLevel.WATCHING))
    on_commit(lambda: services.mark_topic_read(user=champion, topic=topic, number=1))
    on_commit(lambda: services.create_category(actor=admin, network=category.network, name="Events"))
    assert published == []


def test_stored_events_hold_json_primitives_only(topic, member, champion, moderator):
    post = services.post_reply(author=champion, topic=topic, body="Reply")
    services.edit_post(actor=champion, post=post, body="Edited")
    services.react_to_post(user=member, post=post, kind="💡")
    services.accept_answer(actor=member, topic=topic, post=post)
    services.set_topic_locked(actor=moderator, topic=topic, locked=True)
    services.delete_post(actor=moderator, post=topic.posts.get(number=1))

    for event in Event.objects.all():
        assert json.loads(json.dumps(event.data)) == event.data
