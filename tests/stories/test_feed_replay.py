"""A network's stories stream replayed from its start holds no more than the feed shows the same reader:
the stories whose tags it carries are on the feed, with those tags; a story taken down carries none, nor
one since shared elsewhere, and a story edited carries only the tags it has now.

Read by a visitor (the network is public), a plain member and a moderator (tests.realtime.replay).
"""

import pytest
from django.urls import reverse

from network.models import Network
from profiles.models import Profile, User, Visibility
from profiles.regions import Region
from profiles.services import ProfileData, update_profile
from stories.models import Story
from stories.services import publishing, writing
from tests.factories import NetworkFactory, StoryFactory
from tests.network.conftest import membership_in, set_profile
from tests.realtime.replay import beyond_the_page, page_as, replayed, replayed_text

pytestmark = pytest.mark.django_db

READERS = ["anonymous", "member", "moderator"]


def stream(network: Network) -> str:
    return f"stories:{network.pk}"


def feed_url() -> str:
    return reverse("stories:feed")


def published(author: User, networks: list[Network], *tags: str) -> Story:
    story = StoryFactory(author=author, networks=networks)
    story.tags.add(*tags)
    # Read again, as a view would pass it: with its author's profile as it is now.
    return publishing.publish_story(actor=author, story=Story.objects.get(pk=story.pk))


def as_written(story: Story, **changes) -> writing.StoryText:
    """What the story's form holds, with `changes`."""
    fields = {
        "title": story.title,
        "networks": list(story.networks.all()),
        "summary": story.summary,
        "body": story.body,
        "kind": story.kind,
        "tags": [tag.name for tag in story.tags.all()],
    }
    return writing.StoryText(**(fields | changes))


@pytest.mark.parametrize("reader", READERS, indirect=True)
def test_the_stories_replayed_with_their_tags_are_on_the_feed(client, network, champion, reader):
    out = published(champion, [network], "hybrid work", "well-being")
    withdrawn = published(champion, [network], "staffing")
    publishing.unpublish_story(actor=champion, story=withdrawn)

    frames = replayed(reader, stream(network))

    assert [(frame["kind"], frame["data"]["id"], frame["data"].get("tags")) for frame in frames] == [
        ("story.published", out.pk, ["hybrid-work", "well-being"]),
        ("story.published", withdrawn.pk, []),
        ("story.withdrawn", withdrawn.pk, None),
    ]
    assert beyond_the_page(frames, page_as(client, reader, feed_url())) == []


@pytest.mark.parametrize("reader", READERS, indirect=True)
def test_a_published_story_whose_tags_changed_replays_only_its_tags_of_now(client, network, champion, reader):
    story = published(champion, [network], "staffing", "hybrid work")
    writing.update_draft(actor=champion, story=story, text=as_written(story, tags=["hybrid work"]))

    frames = replayed(reader, stream(network))

    assert [(frame["kind"], frame["data"]["tags"]) for frame in frames] == [
        ("story.published", ["hybrid-work"])
    ]
    assert "staffing" not in replayed_text(reader, stream(network))
    assert beyond_the_page(frames, page_as(client, reader, feed_url())) == []


def test_a_story_no_longer_shared_with_a_public_network_is_withdrawn_from_its_replay(
    client, network, champion, anonymous
):
    members_only = NetworkFactory(visibility=Network.Visibility.MEMBERS_ONLY)
    membership_in(members_only, champion)
    story = published(champion, [network, members_only], "staffing")
    writing.update_draft(actor=champion, story=story, text=as_written(story, networks=[members_only]))

    frames = replayed(anonymous, stream(network))

    assert client.get(story.get_absolute_url()).status_code == 404
    assert [(frame["kind"], frame["data"].get("tags")) for frame in frames] == [
        ("story.published", []),
        ("story.withdrawn", None),
    ]
    assert "staffing" not in replayed_text(anonymous, stream(network))
    assert beyond_the_page(frames, page_as(client, anonymous, feed_url())) == []


def test_a_story_edited_again_after_leaving_a_network_stays_withdrawn_there(
    client, network, champion, anonymous
):
    members_only = NetworkFactory(visibility=Network.Visibility.MEMBERS_ONLY)
    membership_in(members_only, champion)
    story = published(champion, [network, members_only], "staffing")
    writing.update_draft(actor=champion, story=story, text=as_written(story, networks=[members_only]))

    writing.update_draft(actor=champion, story=story, text=as_written(story, title="Rosters, again"))

    assert "staffing" not in replayed_text(anonymous, stream(network))
    assert "staffing" in replayed_text(champion, stream(members_only))


def test_a_network_a_published_story_is_newly_shared_with_hears_it_published(network, champion):
    other = NetworkFactory()
    membership_in(other, champion)
    story = published(champion, [network], "staffing")

    writing.update_draft(actor=champion, story=story, text=as_written(story, networks=[network, other]))

    frames = replayed(champion, stream(other))
    assert [(frame["kind"], frame["data"]["id"], frame["data"]["tags"]) for frame in frames] == [
        ("story.published", story.pk, ["staffing"])
    ]


def test_a_region_its_author_since_hid_is_not_replayed(network, champion, anonymous):
    set_profile(champion, country="FI", region=Region.EUROPE, country_visibility=Visibility.PUBLIC)
    published(champion, [network])
    # Public when the story went out.
    assert [frame["data"]["region"] for frame in replayed(anonymous, stream(network))] == ["eur"]
    hidden_country = ProfileData(
        display_name=str(champion), country="FI", visibility={"country": Visibility.MEMBERS}
    )
    update_profile(actor=champion, profile=Profile.objects.get(user=champion), data=hidden_country)

    frames = replayed(anonymous, stream(network))

    assert [frame["data"]["region"] for frame in frames] == [""]
