"""Scheduled stories going out: `manage.py publish_due_stories` for cron, and the feed page publishing
the due ones itself, at the cost of no query while nothing is due."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from stories import schedule
from stories.models import Story
from stories.services import publishing
from tests.factories import StoryFactory
from tests.stories.test_feed_views import _fresh_schedule  # noqa: F401  (an autouse fixture)

pytestmark = pytest.mark.django_db


def scheduled(network, author, *, at) -> Story:
    """A story scheduled for `at`, which may be past (as when nothing ran since it was due)."""
    return StoryFactory(author=author, networks=[network], status=Story.Status.SCHEDULED, publish_at=at)


def run_command() -> str:
    out = StringIO()
    call_command("publish_due_stories", stdout=out)
    return out.getvalue()


# --- The command ------------------------------------------------------------------------------------


def test_the_command_publishes_the_due_stories_and_says_how_many(network, champion):
    now = timezone.now()
    due = [scheduled(network, champion, at=now - timedelta(minutes=n + 1)) for n in range(2)]
    later = scheduled(network, champion, at=now + timedelta(hours=1))

    assert run_command() == "Published 2 scheduled stories.\n"

    for story in due:
        story.refresh_from_db()
        assert story.status == Story.Status.PUBLISHED
    later.refresh_from_db()
    assert later.status == Story.Status.SCHEDULED


def test_the_command_says_when_one_or_none_went_out(network, champion):
    assert run_command() == "Published 0 scheduled stories.\n"
    scheduled(network, champion, at=timezone.now() - timedelta(minutes=1))

    assert run_command() == "Published 1 scheduled story.\n"


def test_a_story_goes_out_dated_from_its_scheduled_time(network, champion):
    at = timezone.now() - timedelta(minutes=5)
    story = scheduled(network, champion, at=at)

    run_command()

    story.refresh_from_db()
    assert story.published_at == at


def test_the_command_makes_pages_read_the_schedule_again(network, champion):
    schedule.next_due()
    assert cache.get(schedule.NEXT_DUE_KEY) == schedule.NOTHING_DUE

    run_command()

    assert cache.get(schedule.NEXT_DUE_KEY) is None


# --- The feed's own check ---------------------------------------------------------------------------


def test_while_nothing_is_due_the_check_costs_no_query_once_known(
    network, champion, django_assert_num_queries
):
    at = timezone.now() + timedelta(hours=1)
    scheduled(network, champion, at=at)

    with django_assert_num_queries(1):
        assert schedule.publish_if_due() == 0
    with django_assert_num_queries(0):
        assert schedule.publish_if_due() == 0
    assert schedule.next_due() == at.timestamp()


def test_nothing_scheduled_is_remembered_too(db, django_assert_num_queries):
    with django_assert_num_queries(1):
        assert schedule.next_due() == schedule.NOTHING_DUE
    with django_assert_num_queries(0):
        assert schedule.publish_if_due() == 0


def test_once_due_the_stories_go_out_and_the_next_time_is_remembered(network, champion):
    now = timezone.now()
    first = scheduled(network, champion, at=now + timedelta(minutes=1))
    second = scheduled(network, champion, at=now + timedelta(hours=1))
    assert schedule.next_due() == first.publish_at.timestamp()

    assert schedule.publish_if_due(now=now + timedelta(minutes=2)) == 1

    first.refresh_from_db()
    assert first.status == Story.Status.PUBLISHED
    assert cache.get(schedule.NEXT_DUE_KEY) == second.publish_at.timestamp()


def test_a_story_scheduled_after_the_schedule_was_read_is_seen_once_forgotten(network, champion):
    story = StoryFactory(author=champion, networks=[network])
    assert schedule.next_due() == schedule.NOTHING_DUE
    at = timezone.now() + timedelta(minutes=10)

    publishing.publish_story(actor=champion, story=story, publish_at=at)
    schedule.forget_next_due()

    assert schedule.next_due() == at.timestamp()


def test_visiting_the_feed_publishes_a_due_story_and_lists_it(client, network, champion):
    story = scheduled(network, champion, at=timezone.now() - timedelta(seconds=30))

    response = client.get(reverse("stories:feed"))

    assert f'data-story-id="{story.pk}"' in response.content.decode()
    story.refresh_from_db()
    assert story.status == Story.Status.PUBLISHED
