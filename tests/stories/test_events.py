"""What the stories services announce on the networks' streams once they commit, what a page catching up
later replays, and who may follow those streams."""

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from network.models import Membership
from profiles.models import Language, Visibility
from profiles.regions import Region
from realtime.models import Event
from realtime.streams import can_subscribe
from stories.models import Story
from stories.services import calls, publishing
from tests.factories import MembershipFactory, NetworkFactory, StoryFactory
from tests.network.conftest import set_profile

pytestmark = pytest.mark.django_db

# The `network` fixture made visible to its members only.


@pytest.fixture
def announced(monkeypatch) -> list[tuple[str, str, dict]]:
    """What reaches the hub once committed: (stream, kind, data) for each event."""
    frames: list[tuple[str, str, dict]] = []

    def publish(stream, seq, frame):
        event = json.loads(frame)
        frames.append((stream, event["kind"], event["data"]))

    monkeypatch.setattr("realtime.hub.publish", publish)
    return frames


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks):
    """Runs what services schedule on commit: the test's own transaction never commits."""

    def run(action):
        with django_capture_on_commit_callbacks(execute=True):
            return action()

    return run


@pytest.fixture
def second_network(champion):
    other = NetworkFactory()
    MembershipFactory(network=other, user=champion, role=Membership.Role.MEMBER)
    return other


def stream(network) -> str:
    return f"stories:{network.pk}"


def as_loaded(story: Story) -> Story:
    """`story` read again, as a view would pass it: its author's profile as it is now."""
    return Story.objects.get(pk=story.pk)


def test_publishing_now_announces_the_story_on_each_of_its_networks(
    network, second_network, champion, announced, on_commit
):
    set_profile(champion, country="FI", region=Region.EUROPE)
    story = StoryFactory(
        author=champion,
        networks=[network, second_network],
        kind=Story.Kind.BEST_PRACTICE,
        language=Language.objects.get(code="fi"),
    )
    story.tags.add("Hybrid work", "well-being")

    on_commit(lambda: publishing.publish_story(actor=champion, story=as_loaded(story)))

    data = {
        "id": story.pk,
        "kind": "best_practice",
        "language": "fi",
        "tags": ["hybrid-work", "well-being"],
        "region": "eur",
    }
    assert sorted(announced) == sorted(
        [
            (stream(network), "story.published", data),
            (stream(second_network), "story.published", data),
        ]
    )


def test_the_region_is_left_blank_when_the_authors_country_is_not_public(
    network, champion, announced, on_commit
):
    set_profile(champion, country="FI", region=Region.EUROPE, country_visibility=Visibility.MEMBERS)
    story = StoryFactory(author=champion, networks=[network])

    on_commit(lambda: publishing.publish_story(actor=champion, story=as_loaded(story)))

    ((_stream, _kind, data),) = announced
    assert data["region"] == ""
    assert data["language"] == ""
    assert data["tags"] == []


def test_a_scheduled_story_is_announced_only_when_it_goes_out(network, champion, announced, on_commit):
    story = StoryFactory(author=champion, networks=[network])
    due = timezone.now() + timedelta(hours=1)

    on_commit(lambda: publishing.publish_story(actor=champion, story=story, publish_at=due))
    assert announced == []
    assert on_commit(lambda: publishing.publish_due_stories(now=due - timedelta(seconds=1))) == 0
    assert announced == []

    assert on_commit(lambda: publishing.publish_due_stories(now=due + timedelta(seconds=1))) == 1
    assert [(s, kind, data["id"]) for s, kind, data in announced] == [
        (stream(network), "story.published", story.pk)
    ]


def test_accepting_a_case_study_announces_it(network, member, admin, draft, call, announced, on_commit):
    submission = calls.submit_case_study(actor=member, call=call, story=draft)
    assert announced == []

    on_commit(lambda: calls.review_submission(actor=admin, submission=submission, decision="accept"))

    assert announced == [
        (
            stream(network),
            "story.published",
            {"id": draft.pk, "kind": "case_study", "language": "", "tags": [], "region": ""},
        )
    ]


def test_returning_a_case_study_announces_nothing(member, admin, draft, call, announced, on_commit):
    submission = calls.submit_case_study(actor=member, call=call, story=draft)

    on_commit(
        lambda: calls.review_submission(
            actor=admin, submission=submission, decision="return", comments="Add your results."
        )
    )

    assert announced == []


def test_unpublishing_withdraws_the_story_and_empties_the_tags_of_its_earlier_events(
    network, second_network, champion, announced, on_commit
):
    story = StoryFactory(author=champion, networks=[network, second_network])
    story.tags.add("hybrid")
    on_commit(lambda: publishing.publish_story(actor=champion, story=story))
    announced.clear()

    on_commit(lambda: publishing.unpublish_story(actor=champion, story=story))

    assert sorted(announced) == sorted(
        [
            (stream(network), "story.withdrawn", {"id": story.pk}),
            (stream(second_network), "story.withdrawn", {"id": story.pk}),
        ]
    )
    replayed = Event.objects.filter(kind="story.published", data__id=story.pk)
    assert replayed.count() == 2
    assert all(event.data["tags"] == [] and event.data["id"] == story.pk for event in replayed)


def test_unpublishing_a_scheduled_story_announces_nothing(network, champion, announced, on_commit):
    story = StoryFactory(author=champion, networks=[network])
    publishing.publish_story(actor=champion, story=story, publish_at=timezone.now() + timedelta(hours=1))

    on_commit(lambda: publishing.unpublish_story(actor=champion, story=story))

    assert announced == []


# --- Who may follow a network's stories -------------------------------------------------------------


def test_anyone_may_follow_the_stories_of_a_public_network(anonymous, outsider, member, network):
    for person in (anonymous, outsider, member):
        assert can_subscribe(person, stream(network))


def test_only_those_who_see_a_members_only_network_follow_its_stories(
    anonymous, outsider, member, superuser, members_only
):
    assert not can_subscribe(anonymous, stream(members_only))
    assert not can_subscribe(outsider, stream(members_only))
    assert can_subscribe(member, stream(members_only))
    assert can_subscribe(superuser, stream(members_only))


@pytest.mark.parametrize("object_id", ["999999", "abc", "-1"])
def test_no_one_follows_the_stories_of_a_network_that_does_not_exist(member, object_id):
    assert not can_subscribe(member, f"stories:{object_id}")
