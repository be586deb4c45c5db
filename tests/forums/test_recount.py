"""Recounting the forum's counters from the posts: the services leave nothing to fix, and
`manage.py recount_forums` repairs what went around them and says what it fixed."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from forums.models import Category, Post, Topic
from forums.services import topics as services
from tests.factories import CategoryFactory, PostFactory, TopicFactory

pytestmark = pytest.mark.django_db


def recount(*args: str) -> str:
    out = StringIO()
    call_command("recount_forums", *args, stdout=out)
    return out.getvalue()


def test_what_the_services_do_leaves_nothing_to_fix(category, topic, member, champion, moderator):
    first = services.post_reply(author=champion, topic=topic, body="One")
    services.post_reply(author=member, topic=topic, body="Two")
    last = services.post_reply(author=champion, topic=topic, body="Three")
    services.delete_post(actor=moderator, post=last)
    services.delete_post(actor=champion, post=first)
    gone = services.start_topic(
        author=champion, category=category, title="Short-lived topic", body="Soon gone"
    )
    services.post_reply(author=member, topic=gone, body="Reply in it")
    services.delete_post(actor=champion, post=gone.posts.get(number=1))
    services.start_topic(author=member, category=category, title="Another topic", body="Still here")

    for each in Topic.objects.all():
        assert services.recount_topic(topic=each) == {}
    assert services.recount_category(category=category) == {}


def test_the_factories_leave_nothing_to_fix_either(category):
    topic = TopicFactory(category=category)
    PostFactory(topic=topic)
    PostFactory(topic=topic, deleted_at=timezone.now())

    assert services.recount_topic(topic=topic) == {}
    assert services.recount_category(category=category) == {}


def test_recounting_a_topic_fixes_its_counters_from_its_visible_posts(topic, member, champion):
    kept = PostFactory(topic=topic, author=champion)
    PostFactory(topic=topic, author=member, is_hidden=True)
    Topic.objects.filter(pk=topic.pk).update(reply_count=7, highest_post_number=1, last_poster=member)

    fixes = services.recount_topic(topic=topic)

    topic.refresh_from_db()
    assert fixes == {
        "reply_count": (7, 1),
        "highest_post_number": (1, 3),
        "last_poster_id": (member.pk, champion.pk),
    }
    assert (topic.reply_count, topic.highest_post_number, topic.last_poster) == (1, 3, champion)
    assert topic.last_activity_at == kept.created_at


def test_recounting_a_category_counts_visible_topics_and_their_visible_posts(category, topic, champion):
    PostFactory(topic=topic, author=champion)
    hidden = TopicFactory(category=category, is_hidden=True)
    PostFactory(topic=hidden)
    Category.objects.filter(pk=category.pk).update(topic_count=0, post_count=40, last_topic=hidden)

    fixes = services.recount_category(category=category)

    category.refresh_from_db()
    assert fixes == {"topic_count": (0, 1), "post_count": (40, 2), "last_topic_id": (hidden.pk, topic.pk)}
    assert (category.topic_count, category.post_count, category.last_topic) == (1, 2, topic)


def test_the_command_prints_what_it_fixed_and_then_that_all_is_right(network, category, topic):
    Topic.objects.filter(pk=topic.pk).update(reply_count=5)
    Category.objects.filter(pk=category.pk).update(post_count=9)

    first = recount()
    second = recount()

    assert f"Topic {topic.pk} “{topic.title}” in {network.slug}: reply_count 5 → 0" in first
    assert f"Category “{category.name}” of {network.slug}: post_count 9 → 1" in first
    assert "Fixed 1 topic(s) and 1 category(ies)." in first
    assert second.strip() == "Every counter was right; nothing to fix."


def test_the_command_recounts_one_network_when_asked(network, category, topic):
    elsewhere = TopicFactory(category=CategoryFactory())
    Topic.objects.filter(pk__in=[topic.pk, elsewhere.pk]).update(reply_count=3)

    out = recount("--network", network.slug)

    assert f"Topic {topic.pk} " in out
    assert f"Topic {elsewhere.pk} " not in out
    assert Topic.objects.get(pk=elsewhere.pk).reply_count == 3


def test_the_command_refuses_an_unknown_network(db):
    with pytest.raises(CommandError, match="No network has the address “nowhere”"):
        recount("--network", "nowhere")


def test_a_deleted_topic_is_recounted_too_for_the_day_it_comes_back(category, topic, member):
    services.delete_post(actor=member, post=topic.posts.get())
    Topic.objects.filter(pk=topic.pk).update(highest_post_number=0)

    assert services.recount_topic(topic=topic) == {"highest_post_number": (0, 1)}
    assert Post.objects.filter(topic=topic).count() == 1
