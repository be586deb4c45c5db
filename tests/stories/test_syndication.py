"""The RSS and Atom feeds of stories: well-formed XML of the right shape, what anonymous readers may read
and nothing else, newest first, in a constant number of queries."""

import html
import xml.etree.ElementTree as ET
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from network.models import Network
from stories import schedule
from stories.feeds import FEED_LENGTH
from stories.models import Story
from tests.factories import NetworkFactory, StoryFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _own_schedule():
    """The time of the next scheduled story is kept in the shared cache: each test reads its own."""
    cache.delete(schedule.NEXT_DUE_KEY)
    yield
    cache.delete(schedule.NEXT_DUE_KEY)


ATOM = "{http://www.w3.org/2005/Atom}"
CONTENT = "{http://purl.org/rss/1.0/modules/content/}"
DC = "{http://purl.org/dc/elements/1.1/}"

FEEDS = ["rss", "atom"]


def _urls(network: Network, tag: str) -> dict[str, str]:
    """Every feed that lists a story of `network` tagged `tag`, by route name."""
    return {
        "rss": reverse("stories:rss"),
        "atom": reverse("stories:atom"),
        "network_rss": reverse("stories:network_rss", args=[network.slug]),
        "network_atom": reverse("stories:network_atom", args=[network.slug]),
        "tag_rss": reverse("stories:tag_rss", args=[tag]),
        "tag_atom": reverse("stories:tag_atom", args=[tag]),
    }


def _parse(content: bytes) -> ET.Element:
    # The feeds' own output, made by the test itself: nothing untrusted to defuse.
    return ET.fromstring(content)  # noqa: S314


def _get(client, url: str, **extra) -> ET.Element:
    response = client.get(url, **extra)
    assert response.status_code == 200
    return _parse(response.content)


def _published(network: Network, *, tags=("hybrid-work",), days_ago: float = 0, **fields) -> Story:
    story = StoryFactory(
        networks=[network], published=True, published_at=timezone.now() - timedelta(days=days_ago), **fields
    )
    story.tags.set(list(tags))
    return story


def _titles(root: ET.Element) -> list[str]:
    if root.tag == "rss":
        return [html.unescape(item.findtext("title", "")) for item in root.iter("item")]
    return [entry.findtext(f"{ATOM}title", "") for entry in root.iter(f"{ATOM}entry")]


# --- Shape ------------------------------------------------------------------------------------------


def test_rss_feed_is_rss_2_with_a_channel_and_an_item_per_story(client, network, champion):
    story = _published(network, author=champion, tags=("hybrid-work", "well-being"))

    root = _get(client, reverse("stories:rss"), secure=True)

    assert (root.tag, root.get("version")) == ("rss", "2.0")
    channel = root.find("channel")
    assert channel is not None
    assert channel.findtext("title") == "Convene stories"
    assert channel.findtext("link") == "https://testserver" + reverse("stories:feed")
    assert channel.findtext("description")
    (item,) = channel.findall("item")
    assert item.findtext("title") == story.title
    assert item.findtext("link") == "https://testserver" + story.get_absolute_url()
    guid = item.find("guid")
    assert guid is not None
    assert guid.text == "https://testserver" + reverse("stories:detail_short", args=[story.pk])
    assert guid.get("isPermaLink") == "true"
    assert item.findtext("pubDate")
    assert item.findtext(f"{DC}creator") == champion.display_name
    assert html.unescape(item.findtext("description", "")) == story.summary
    assert item.findtext(f"{CONTENT}encoded") == story.body_html
    assert sorted(category.text or "" for category in item.findall("category")) == [
        "hybrid-work",
        "well-being",
    ]


def test_atom_feed_is_a_namespaced_feed_with_an_entry_per_story(client, network, champion):
    story = _published(network, author=champion)

    root = _get(client, reverse("stories:atom"))

    assert root.tag == f"{ATOM}feed"
    assert root.findtext(f"{ATOM}title") == "Convene stories"
    assert root.findtext(f"{ATOM}id")
    assert root.findtext(f"{ATOM}updated")
    (entry,) = root.findall(f"{ATOM}entry")
    assert entry.findtext(f"{ATOM}id") == "http://testserver" + reverse(
        "stories:detail_short", args=[story.pk]
    )
    assert entry.findtext(f"{ATOM}title") == story.title
    link = entry.find(f"{ATOM}link")
    assert link is not None
    assert (link.get("rel"), link.get("href")) == (
        "alternate",
        "http://testserver" + story.get_absolute_url(),
    )
    assert entry.findtext(f"{ATOM}published") == story.published_at.isoformat()
    assert entry.findtext(f"{ATOM}updated")
    assert entry.findtext(f"{ATOM}author/{ATOM}name") == champion.display_name
    summary = entry.find(f"{ATOM}summary")
    assert summary is not None
    assert summary.get("type") == "html"
    assert html.unescape(summary.text or "") == story.summary
    content = entry.find(f"{ATOM}content")
    assert content is not None
    assert (content.get("type"), content.text) == ("html", story.body_html)
    assert [category.get("term") for category in entry.findall(f"{ATOM}category")] == ["hybrid-work"]


@pytest.mark.parametrize("feed", FEEDS)
def test_markup_characters_and_non_ascii_text_come_through_unchanged(client, network, feed):
    title = "Fish & chips <at> the port of Ålesund — “Zoë” 税関"
    summary = "Officers <b>chose</b> their shifts & kept them: ça marche, 是的."
    _published(network, title=title, summary=summary)

    root = _get(client, reverse(f"stories:{feed}"))

    assert _titles(root) == [title]
    description = (
        root.find("channel/item/description") if feed == "rss" else root.find(f"{ATOM}entry/{ATOM}summary")
    )
    assert description is not None
    assert html.unescape(description.text or "") == summary


MARKUP = '<img src=x onerror="alert(1)"> & <b>'


def _channel_texts(root: ET.Element) -> list[str]:
    """The channel's and the items' text that names a network, a tag or a member."""
    if root.tag == "rss":
        channel = root.find("channel")
        assert channel is not None
        return [
            channel.findtext("title", ""),
            channel.findtext("description", ""),
            *(element.text or "" for element in channel.iter("category")),
            *(element.text or "" for element in channel.iter(f"{DC}creator")),
        ]
    return [
        root.findtext(f"{ATOM}title", ""),
        root.findtext(f"{ATOM}subtitle", ""),
        *(element.get("term", "") for element in root.iter(f"{ATOM}category")),
        *(element.text or "" for element in root.iter(f"{ATOM}name")),
    ]


@pytest.mark.parametrize("feed", ["network_rss", "network_atom", "tag_rss", "tag_atom"])
def test_markup_in_a_network_tag_or_author_name_shows_as_text_and_never_runs(client, feed):
    network = NetworkFactory(name=f"Ports {MARKUP}")
    story = _published(network, tags=[f"hybrid {MARKUP}"])
    story.author.display_name = f"Amina {MARKUP}"
    story.author.save(update_fields=["display_name"])
    tag = story.tags.get()
    url = reverse(f"stories:{feed}", args=[network.slug if feed.startswith("network") else tag.slug])

    texts = _channel_texts(_get(client, url))

    # RSS readers take these for HTML: escaped, they show the name and never build an element. Atom
    # says they are text: the XML carries them as written.
    if feed.endswith("rss"):
        assert not any("<" in text for text in texts)
        texts = [html.unescape(text) for text in texts]
    assert MARKUP in texts[0]
    assert MARKUP in texts[1]
    assert f"hybrid {MARKUP}" in texts
    assert f"Amina {MARKUP}" in texts


def test_a_story_without_summary_is_described_by_the_start_of_its_text(client, network):
    _published(
        network,
        summary="",
        body="We asked the **teams** first.\n\n- rosters & rest\n- swaps " + "word " * 100,
    )

    root = _get(client, reverse("stories:rss"))

    description = html.unescape(root.findtext("channel/item/description", ""))
    assert description.startswith("We asked the teams first. rosters & rest swaps word")
    assert description.endswith("…")
    assert "**" not in description
    assert "<" not in description


def test_feed_titles_name_what_they_list(client, network):
    _published(network, tags=("well-being",))

    assert _get(client, reverse("stories:network_rss", args=[network.slug])).findtext("channel/title") == (
        f"Stories of {network.name}"
    )
    network_atom = _get(client, reverse("stories:network_atom", args=[network.slug]))
    assert network_atom.findtext(f"{ATOM}title") == f"Stories of {network.name}"
    alternate = network_atom.find(f"{ATOM}link[@rel='alternate']")
    assert alternate is not None
    assert alternate.get("href") == f"http://testserver/stories/?network={network.slug}"
    assert _get(client, reverse("stories:tag_rss", args=["well-being"])).findtext("channel/title") == (
        "Stories tagged well-being"
    )


# --- What is listed ---------------------------------------------------------------------------------


@pytest.mark.parametrize("feed", ["rss", "atom", "network_rss", "network_atom", "tag_rss", "tag_atom"])
def test_drafts_unpublished_and_members_only_stories_never_appear(client, network, feed):
    listed = _published(network, title="Out for everyone")
    shared = _published(network, title="Shared with a private network too")
    shared.networks.add(NetworkFactory(visibility=Network.Visibility.MEMBERS_ONLY))
    private = NetworkFactory(visibility=Network.Visibility.MEMBERS_ONLY)
    _published(private, title="Members only")
    draft = StoryFactory(networks=[network], title="A draft")
    draft.tags.set(["hybrid-work"])
    for status in (Story.Status.UNPUBLISHED, Story.Status.IN_REVIEW, Story.Status.SCHEDULED):
        hidden = _published(network, title=f"Now {status}")
        Story.objects.filter(pk=hidden.pk).update(
            status=status, publish_at=timezone.now() + timedelta(days=1)
        )

    root = _get(client, _urls(network, "hybrid-work")[feed])

    assert sorted(_titles(root)) == sorted([listed.title, shared.title])


@pytest.mark.parametrize("feed", FEEDS)
def test_a_network_feed_lists_that_networks_stories_only(client, network, feed):
    ours = _published(network, title="Ours")
    _published(NetworkFactory(), title="Another network's")

    root = _get(client, reverse(f"stories:network_{feed}", args=[network.slug]))

    assert _titles(root) == [ours.title]


@pytest.mark.parametrize("feed", FEEDS)
def test_a_tag_feed_lists_that_tags_stories_only(client, network, feed):
    tagged = _published(network, title="Tagged", tags=("well-being", "trust"))
    _published(network, title="Not tagged", tags=("hybrid-work",))

    root = _get(client, reverse(f"stories:tag_{feed}", args=["well-being"]))

    assert _titles(root) == [tagged.title]


@pytest.mark.parametrize("feed", FEEDS)
def test_feeds_hold_the_latest_stories_by_publication_date_featured_or_not(client, network, feed):
    stories = [_published(network, title=f"Story {n}", days_ago=n) for n in range(FEED_LENGTH + 5)]
    oldest = stories[-1]
    Story.objects.filter(pk=oldest.pk).update(featured=True, featured_at=timezone.now())

    root = _get(client, reverse(f"stories:{feed}"))

    assert _titles(root) == [story.title for story in stories[:FEED_LENGTH]]


@pytest.mark.parametrize("feed", FEEDS)
def test_a_scheduled_story_whose_time_has_come_goes_out_when_a_feed_is_read(client, network, champion, feed):
    story = StoryFactory(author=champion, networks=[network], title="Scheduled for this morning")
    Story.objects.filter(pk=story.pk).update(
        status=Story.Status.SCHEDULED, publish_at=timezone.now() - timedelta(minutes=5)
    )

    root = _get(client, reverse(f"stories:{feed}"))

    story.refresh_from_db()
    assert story.status == Story.Status.PUBLISHED
    assert _titles(root) == [story.title]


# --- Bad addresses ----------------------------------------------------------------------------------


@pytest.mark.parametrize("feed", FEEDS)
def test_a_members_only_or_unknown_network_has_no_feed(client, network, feed):
    private = NetworkFactory(visibility=Network.Visibility.MEMBERS_ONLY)
    _published(private)

    assert client.get(reverse(f"stories:network_{feed}", args=[private.slug])).status_code == 404
    assert client.get(reverse(f"stories:network_{feed}", args=["no-such-network"])).status_code == 404


@pytest.mark.parametrize("feed", FEEDS)
def test_an_unknown_tag_or_one_on_no_public_story_has_no_feed(client, network, feed):
    _published(NetworkFactory(visibility=Network.Visibility.MEMBERS_ONLY), tags=("confidential",))
    draft = StoryFactory(networks=[network])
    draft.tags.set(["unannounced"])

    for tag in ("no-such-tag", "confidential", "unannounced"):
        assert client.get(reverse(f"stories:tag_{feed}", args=[tag])).status_code == 404, tag


# --- Queries ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("feed", "queries"),
    [("rss", 2), ("atom", 2), ("network_rss", 3), ("network_atom", 3), ("tag_rss", 3), ("tag_atom", 3)],
)
@pytest.mark.parametrize("count", [10, 100])
def test_feeds_take_the_same_queries_for_10_or_100_stories(
    client, django_assert_num_queries, feed, queries, count
):
    network = NetworkFactory()
    for n in range(count):
        _published(network, days_ago=n, tags=("hybrid-work", f"topic-{n % 7}"))
    url = _urls(network, "hybrid-work")[feed]
    schedule.next_due()  # the schedule's time is read once, then kept in the cache

    with django_assert_num_queries(queries):
        response = client.get(url)

    assert response.status_code == 200
    assert len(_titles(_parse(response.content))) == min(count, FEED_LENGTH)
