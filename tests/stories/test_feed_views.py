"""The feed page: cards, filters kept in links, older pages, syndication links, the live indicator's
configuration, 400 with a clear message for bad filters and cursors, and a fixed number of queries."""

import json
import re
from html import unescape

import pytest
from django.core.cache import cache
from django.urls import reverse

from forums.models.reactions import ReactionKind
from network.models import Network
from profiles.models import Language
from realtime.services import append_event
from stories import schedule
from stories.events import network_stream
from stories.models import Story, StoryComment, StoryReaction
from tests.factories import NetworkFactory, StoryFactory, UserFactory
from tests.profiles.html import assert_accessible
from tests.stories.test_feed_selectors import NOW, published

pytestmark = pytest.mark.django_db

# The `network` fixture made visible to its members only.

FEED = reverse("stories:feed")


@pytest.fixture(autouse=True)
def _fresh_schedule():
    """The time of the next scheduled story is kept in the shared cache: each test reads its own."""
    cache.delete(schedule.NEXT_DUE_KEY)
    yield
    cache.delete(schedule.NEXT_DUE_KEY)


def text(response) -> str:
    return unescape(response.content.decode())


def listed(response) -> list[int]:
    return [int(found) for found in re.findall(r'data-story-id="(\d+)"', response.content.decode())]


def live_config(response) -> dict | None:
    found = re.search(r'<script id="stories-config" type="application/json">(.*?)</script>', text(response))
    return json.loads(found.group(1)) if found else None


def older_link(response) -> str:
    return unescape(re.search(r'<a href="([^"]*)" rel="next">', response.content.decode()).group(1))


# --- The page ---------------------------------------------------------------------------------------


def test_the_feed_lists_published_stories_with_featured_ones_marked(client, network, champion):
    plain = published(champion, [network], minutes_ago=1, title="Shift patterns in Lima")
    featured = published(champion, [network], minutes_ago=5, featured=True, featured_at=NOW)
    StoryFactory(author=champion, networks=[network], title="A draft nobody sees")

    response = client.get(FEED)

    assert response.status_code == 200
    assert listed(response) == [featured.pk, plain.pk]
    page = text(response)
    assert f'href="{plain.get_absolute_url()}"' in page
    assert "Shift patterns in Lima" in page
    assert "A draft nobody sees" not in page
    assert page.count("story-card--featured") == 1
    assert ">Featured<" in page
    assert_accessible(response.content.decode())


def test_signed_in_members_get_links_to_write_and_to_their_stories(client, network, member):
    anonymous_page = text(client.get(FEED))
    client.force_login(member)
    member_page = text(client.get(FEED))

    for page, expected in ((anonymous_page, False), (member_page, True)):
        assert (f'href="{reverse("stories:new")}"' in page) is expected
        assert (f'href="{reverse("stories:mine")}"' in page) is expected
        assert ("Write a story" in page) is expected


def test_an_empty_feed_says_so(client, network, champion):
    assert "No story has been published yet." in text(client.get(FEED))
    published(champion, [network], kind=Story.Kind.STORY)

    assert "No story matches these filters." in text(client.get(FEED, {"kind": "case_study"}))


def test_older_stories_are_one_link_away_and_keep_the_filters(client, network, champion):
    stories = [published(champion, [network], minutes_ago=n, kind=Story.Kind.CASE_STUDY) for n in range(23)]
    published(champion, [network], kind=Story.Kind.STORY)

    first = client.get(FEED, {"kind": "case_study", "network": network.slug})
    link = older_link(first)
    second = client.get(f"{FEED}{link}")  # the link is relative: the query string of this page

    assert listed(first) == [story.pk for story in stories[:20]]
    assert link.startswith("?")
    assert "kind=case_study" in link
    assert f"network={network.slug}" in link
    assert second.status_code == 200
    assert listed(second) == [story.pk for story in stories[20:]]
    assert 'rel="next"' not in second.content.decode()
    assert "Newest stories" in text(second)
    assert live_config(second) is None


def test_a_card_shows_its_counts_tags_and_co_authors(client, network, champion, member):
    co_author = UserFactory(display_name="Mei Chen")
    story = published(champion, [network])
    story.co_authors.add(co_author)
    story.tags.add("well-being")
    StoryReaction.objects.create(story=story, user=member, kind=ReactionKind.HEART)
    StoryComment.objects.create(story=story, author=member, body="Yes", body_html="<p>Yes</p>")

    page = text(client.get(FEED))

    assert "1 reaction" in page
    assert "1 comment" in page
    assert "Mei Chen" in page
    assert f'href="{FEED}?tag=well-being"' in page
    assert f'href="{network.get_absolute_url()}"' in page


# --- Filters ----------------------------------------------------------------------------------------


def test_each_filter_narrows_the_list(client, network, champion, member):
    other = NetworkFactory()
    french = Language.objects.get(code="fr")
    in_other = published(champion, [other], minutes_ago=1)
    case = published(champion, [network], kind=Story.Kind.CASE_STUDY, minutes_ago=2)
    tagged = published(champion, [network], minutes_ago=3)
    tagged.tags.add("workplace design")
    in_french = published(champion, [network], language=french, minutes_ago=4)
    by_member = published(member, [network], minutes_ago=5)

    assert listed(client.get(FEED, {"network": other.slug})) == [in_other.pk]
    assert listed(client.get(FEED, {"kind": "case_study"})) == [case.pk]
    assert listed(client.get(FEED, {"tag": "workplace-design"})) == [tagged.pk]
    assert listed(client.get(FEED, {"language": "fr"})) == [in_french.pk]
    assert listed(client.get(FEED, {"author": member.username})) == [by_member.pk]


def test_the_form_keeps_the_chosen_filters_and_offers_languages_in_use(client, network, champion):
    published(champion, [network], language=Language.objects.get(code="fi"))

    page = text(client.get(FEED, {"network": network.slug, "kind": "best_practice", "language": "de"}))

    assert f'<option value="{network.slug}" selected>' in page
    assert '<option value="best_practice" selected>' in page
    assert '<option value="fi">Finnish</option>' in page
    assert '<option value="de" selected>German</option>' in page
    assert '<option value="ru">' not in page


def test_a_page_of_one_authors_stories_says_whose_and_keeps_the_author(client, network, champion):
    published(champion, [network])

    page = text(client.get(FEED, {"author": champion.username.upper()}))

    assert f"Stories by {champion}" in page
    assert f'<input type="hidden" name="author" value="{champion.username}">' in page


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"network": "no-such-network"}, "There is no network “no-such-network” that you can see."),
        ({"kind": "poem"}, "“poem” is not a kind of story."),
        ({"tag": "no-such-tag"}, "There is no tag “no-such-tag”."),
        ({"region": "mars"}, "“mars” is not a region."),
        ({"language": "xx"}, "“xx” is not a language code we know."),
        ({"author": "nobody-here"}, "No member has the handle “nobody-here”."),
        ({"after": "garbled"}, "This page link is broken or was altered"),
    ],
)
def test_a_bad_filter_or_cursor_is_answered_400_with_the_reason(client, network, query, message):
    response = client.get(FEED, query)

    assert response.status_code == 400
    assert message in text(response)
    assert "These stories cannot be shown" in text(response)


def test_a_tampered_cursor_is_answered_400(client, network, champion):
    for n in range(21):
        published(champion, [network], minutes_ago=n)
    token = re.search(r"after=([^&\"]+)", older_link(client.get(FEED))).group(1)
    tampered = ("A" if token[0] != "A" else "B") + token[1:]

    response = client.get(FEED, {"after": tampered})

    assert response.status_code == 400
    assert "This page link is broken or was altered" in text(response)


def test_a_members_only_network_is_unknown_to_outsiders(client, members_only, member, outsider):
    client.force_login(outsider)
    assert client.get(FEED, {"network": members_only.slug}).status_code == 400
    client.force_login(member)
    assert client.get(FEED, {"network": members_only.slug}).status_code == 200


def test_the_feed_only_answers_get(client, network):
    assert client.post(FEED).status_code == 405


# --- Syndication and live updates -------------------------------------------------------------------


def alternates(response) -> list[str]:
    return re.findall(r'<link rel="alternate" type="[^"]+" title="[^"]+" href="([^"]+)">', text(response))


def test_the_page_points_at_the_syndication_feeds_of_what_it_shows(client, network, champion):
    published(champion, [network]).tags.add("hybrid")
    everything = [reverse("stories:rss"), reverse("stories:atom")]

    assert alternates(client.get(FEED)) == everything
    assert alternates(client.get(FEED, {"network": network.slug})) == [
        *everything,
        reverse("stories:network_rss", args=[network.slug]),
        reverse("stories:network_atom", args=[network.slug]),
    ]
    assert alternates(client.get(FEED, {"tag": "hybrid"})) == [
        *everything,
        reverse("stories:tag_rss", args=["hybrid"]),
        reverse("stories:tag_atom", args=["hybrid"]),
    ]


def test_the_first_page_follows_the_stream_of_each_network_it_shows(client, network, member, members_only):
    public = NetworkFactory()
    append_event(stream=network_stream(public.pk), kind="story.published", data={"id": 1})
    client.force_login(member)

    everything = live_config(client.get(FEED))
    narrowed = live_config(client.get(FEED, {"network": public.slug, "kind": "case_study", "language": "fr"}))

    assert sorted(everything["streams"], key=lambda s: s["stream"]) == sorted(
        [
            {"stream": f"stories:{members_only.pk}", "lastSeq": 0},
            {"stream": f"stories:{public.pk}", "lastSeq": 1},
        ],
        key=lambda s: s["stream"],
    )
    assert everything["feedUrl"] == FEED
    assert everything["strings"]["newOne"] == "1 new story — show"
    assert narrowed["streams"] == [{"stream": f"stories:{public.pk}", "lastSeq": 1}]
    assert narrowed["filters"] == {"kind": "case_study", "language": "fr", "tag": "", "region": ""}
    assert narrowed["feedUrl"].startswith(f"{FEED}?")


def test_a_page_of_one_authors_stories_is_not_followed(client, network, champion):
    assert live_config(client.get(FEED, {"author": champion.username})) is None


def test_a_viewer_of_more_networks_than_a_page_may_follow_gets_no_live_count(client, monkeypatch, superuser):
    for _ in range(3):
        NetworkFactory()
    monkeypatch.setattr("stories.views.feed.MAX_FOLLOWED_NETWORKS", 2)
    client.force_login(superuser)

    assert live_config(client.get(FEED)) is None
    assert live_config(client.get(FEED, {"network": Network.objects.first().slug})) is not None


# --- A fixed number of queries ----------------------------------------------------------------------


def _fill(network: Network, champion, count: int) -> None:
    """`count` published stories in all, each with a co-author, tags, reactions and comments."""
    for n in range(count - Story.objects.count()):
        story = published(champion, [network], minutes_ago=n, featured=n == 3, featured_at=NOW)
        story.co_authors.add(UserFactory())
        story.tags.add(f"tag {n}", "customs")
        StoryReaction.objects.create(story=story, user=champion, kind=ReactionKind.IDEA)
        StoryComment.objects.create(story=story, author=champion, body="Yes", body_html="<p>Yes</p>")


# The stories with their counts, their co-authors, networks and tags; the networks (with their streams'
# positions) and the languages of the filters. A member's page also reads their session, their account
# and their unread chat count for the navigation.
QUERIES = {"anonymous": 6, "member": 9}


@pytest.mark.parametrize("persona", ["anonymous", "member"])
def test_the_feed_page_runs_the_same_queries_for_10_and_100_stories(
    request, client, persona, network, champion, django_assert_num_queries
):
    if persona == "member":
        client.force_login(request.getfixturevalue("member"))
    schedule.next_due()  # the schedule's time is read once, then kept in the cache
    for size in (10, 100):
        _fill(network, champion, size)
        with django_assert_num_queries(QUERIES[persona]):
            response = client.get(FEED)
        assert len(listed(response)) == min(size, 20)
        with django_assert_num_queries(QUERIES[persona] + 1):  # the tag filter's own lookup
            assert client.get(FEED, {"tag": "customs", "kind": "story"}).status_code == 200
