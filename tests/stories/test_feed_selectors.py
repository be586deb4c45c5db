"""The feed's reads: order (featured first, then newest), keyset pages that neither repeat nor skip a
story, each filter, who sees what, the cards' contents, and a fixed number of queries."""

from datetime import timedelta

import pytest
from django.core import signing
from django.utils import timezone

from forums.models.reactions import ReactionKind
from network.models import Membership, Network
from profiles.models import Language, Visibility
from profiles.regions import Region
from realtime.services import append_event
from stories.events import network_stream
from stories.models import Story, StoryComment, StoryReaction
from stories.selectors import feed as selectors
from stories.selectors.feed import Cursor, FeedFilters, InvalidCursor, decode_cursor, encode_cursor
from tests.factories import MembershipFactory, NetworkFactory, StoryFactory, UserFactory
from tests.network.conftest import set_profile

pytestmark = pytest.mark.django_db

# The `network` fixture made visible to its members only.

NOW = timezone.now()


def published(author, networks, *, minutes_ago: int = 0, **fields) -> Story:
    """A story by `author` in `networks`, published `minutes_ago` before the tests started."""
    return StoryFactory(
        author=author,
        networks=networks,
        published=True,
        published_at=NOW - timedelta(minutes=minutes_ago),
        **fields,
    )


def ids(page: selectors.FeedPage) -> list[int]:
    return [card.id for card in page.cards]


def read(viewer, **filters) -> list[int]:
    return ids(selectors.feed_page(viewer=viewer, filters=FeedFilters(**filters)))


def every_page(viewer, filters: FeedFilters) -> list[list[int]]:
    pages, after = [], None
    while True:
        page = selectors.feed_page(viewer=viewer, filters=filters, after=after)
        pages.append(ids(page))
        if page.next_cursor is None:
            return pages
        after = decode_cursor(page.next_cursor)


# --- Order and pages --------------------------------------------------------------------------------


def test_featured_stories_come_first_then_the_newest(anonymous, network, champion):
    old = published(champion, [network], minutes_ago=30)
    newest = published(champion, [network], minutes_ago=1)
    featured_old = published(champion, [network], minutes_ago=60, featured=True, featured_at=NOW)
    middle = published(champion, [network], minutes_ago=10)

    assert read(anonymous) == [featured_old.pk, newest.pk, middle.pk, old.pk]


def test_pages_follow_each_other_without_repeating_or_skipping_a_story(anonymous, network, champion):
    # Groups of five stories share a publication time, and some of each group are featured.
    for n in range(47):
        featured = n % 7 == 0
        published(
            champion, [network], minutes_ago=n // 5, featured=featured, featured_at=NOW if featured else None
        )
    expected = list(Story.objects.order_by("-featured", "-published_at", "-id").values_list("pk", flat=True))

    pages = every_page(anonymous, FeedFilters())

    assert [len(page) for page in pages] == [20, 20, 7]
    assert [story for page in pages for story in page] == expected


def test_a_story_published_meanwhile_does_not_shift_the_next_page(anonymous, network, champion):
    stories = [published(champion, [network], minutes_ago=n + 1) for n in range(25)]
    first = selectors.feed_page(viewer=anonymous, filters=FeedFilters())

    published(champion, [network])
    second = selectors.feed_page(
        viewer=anonymous, filters=FeedFilters(), after=decode_cursor(first.next_cursor)
    )

    assert ids(second) == [story.pk for story in stories[20:]]
    assert second.next_cursor is None
    assert not second.is_first_page


def test_the_last_page_has_no_cursor_and_an_empty_feed_is_one_empty_page(anonymous, network, champion):
    assert selectors.feed_page(viewer=anonymous, filters=FeedFilters()).cards == []
    for n in range(20):
        published(champion, [network], minutes_ago=n)

    page = selectors.feed_page(viewer=anonymous, filters=FeedFilters())

    assert len(page.cards) == 20
    assert page.next_cursor is None


# --- Cursors ----------------------------------------------------------------------------------------


def test_a_cursor_reads_back_as_it_was_written():
    cursor = Cursor(featured=True, published_at=NOW, id=42)

    assert decode_cursor(encode_cursor(cursor)) == cursor


@pytest.mark.parametrize(
    "token",
    [
        "garbage",
        "",
        signing.dumps([False, NOW.isoformat(), 1], salt="another.salt"),
        signing.dumps([False, "not a date", 1], salt=selectors.CURSOR_SALT),
        signing.dumps([False, NOW.replace(tzinfo=None).isoformat(), 1], salt=selectors.CURSOR_SALT),
        signing.dumps({"id": 1}, salt=selectors.CURSOR_SALT),
    ],
    # Signed tokens hold the time they were made: named, so that every test process collects the same.
    ids=["garbage", "empty", "other-salt", "not-a-date", "naive-date", "not-a-list"],
)
def test_a_cursor_not_signed_here_or_malformed_is_refused(token):
    with pytest.raises(InvalidCursor):
        decode_cursor(token)


def test_a_tampered_cursor_is_refused():
    token = encode_cursor(Cursor(featured=False, published_at=NOW, id=42))
    payload, _sep, signature = token.rpartition(":")
    tampered = f"{payload[:-1]}{'A' if payload[-1] != 'A' else 'B'}:{signature}"

    with pytest.raises(InvalidCursor):
        decode_cursor(tampered)


# --- Who sees what ----------------------------------------------------------------------------------


def test_only_published_stories_are_listed(anonymous, network, champion):
    shown = published(champion, [network])
    StoryFactory(author=champion, networks=[network])
    StoryFactory(author=champion, networks=[network], status=Story.Status.IN_REVIEW)
    StoryFactory(
        author=champion,
        networks=[network],
        status=Story.Status.SCHEDULED,
        publish_at=NOW + timedelta(hours=1),
    )
    StoryFactory(author=champion, networks=[network], status=Story.Status.UNPUBLISHED, published_at=NOW)

    assert read(anonymous) == [shown.pk]
    assert read(champion) == [shown.pk]


def test_stories_of_a_members_only_network_are_for_its_members(
    anonymous, outsider, member, superuser, members_only, champion
):
    hidden = published(champion, [members_only])

    assert read(anonymous) == []
    assert read(outsider) == []
    assert read(member) == [hidden.pk]
    assert read(superuser) == [hidden.pk]


def test_a_card_names_only_the_networks_the_viewer_may_see(anonymous, member, members_only, champion):
    public = NetworkFactory(name="Open forum")
    story = published(champion, [members_only, public])

    (seen_by_visitor,) = selectors.feed_page(viewer=anonymous, filters=FeedFilters()).cards
    (seen_by_member,) = selectors.feed_page(viewer=member, filters=FeedFilters()).cards

    assert seen_by_visitor.id == story.pk
    assert [link.name for link in seen_by_visitor.networks] == ["Open forum"]
    assert sorted(link.name for link in seen_by_member.networks) == sorted(["Open forum", members_only.name])


# --- Filters ----------------------------------------------------------------------------------------


def test_the_network_filter(anonymous, network, champion):
    other = NetworkFactory()
    MembershipFactory(network=other, user=champion, role=Membership.Role.CHAMPION)
    here = published(champion, [network], minutes_ago=2)
    both = published(champion, [network, other], minutes_ago=1)
    published(champion, [other])

    assert read(anonymous, network=network) == [both.pk, here.pk]


def test_the_kind_filter(anonymous, network, champion):
    case = published(champion, [network], kind=Story.Kind.CASE_STUDY)
    published(champion, [network], kind=Story.Kind.STORY)

    assert read(anonymous, kind=Story.Kind.CASE_STUDY) == [case.pk]
    assert read(anonymous, kind=Story.Kind.BEST_PRACTICE) == []


def test_the_tag_filter(anonymous, network, champion):
    tagged = published(champion, [network], minutes_ago=1)
    tagged.tags.add("hybrid work", "well-being")
    published(champion, [network]).tags.add("well-being")
    published(champion, [network])
    tag = tagged.tags.get(slug="hybrid-work")

    assert read(anonymous, tag=tag) == [tagged.pk]


def test_the_language_filter(anonymous, network, champion):
    french = Language.objects.get(code="fr")
    in_french = published(champion, [network], language=french)
    published(champion, [network], language=Language.objects.get(code="en"))
    published(champion, [network])

    assert read(anonymous, language=french) == [in_french.pk]


def test_the_region_filter_matches_only_authors_whose_country_the_viewer_may_see(
    anonymous, outsider, member, network, champion
):
    set_profile(champion, country="FI", region=Region.EUROPE, country_visibility=Visibility.MEMBERS)
    discreet = published(champion, [network], minutes_ago=1)
    public_author = UserFactory()
    set_profile(public_author, country="FR", region=Region.EUROPE)
    open_story = published(public_author, [network])
    elsewhere = UserFactory()
    set_profile(elsewhere, country="PE", region=Region.AMERICAS_CARIBBEAN)
    published(elsewhere, [network])

    assert read(anonymous, region=Region.EUROPE) == [open_story.pk]
    assert read(outsider, region=Region.EUROPE) == [open_story.pk]
    assert read(member, region=Region.EUROPE) == [open_story.pk, discreet.pk]
    assert read(champion, region=Region.EUROPE) == [open_story.pk, discreet.pk]


def test_the_author_filter_includes_co_written_stories(anonymous, network, champion, member):
    own = published(champion, [network], minutes_ago=2)
    co_written = published(member, [network], minutes_ago=1)
    co_written.co_authors.add(champion)
    published(member, [network])

    assert read(anonymous, author=champion) == [co_written.pk, own.pk]


def test_filters_combine(anonymous, network, champion):
    wanted = published(champion, [network], kind=Story.Kind.CASE_STUDY)
    wanted.tags.add("workplace")
    published(champion, [network], kind=Story.Kind.STORY).tags.add("workplace")
    published(champion, [network], kind=Story.Kind.CASE_STUDY)

    tag = wanted.tags.get()
    assert read(anonymous, network=network, kind=Story.Kind.CASE_STUDY, tag=tag, author=champion) == [
        wanted.pk
    ]


# --- Cards ------------------------------------------------------------------------------------------


def test_a_card_carries_what_the_list_shows(anonymous, network, champion, member):
    set_profile(champion, avatar_small="avatars/small/champion.webp")
    co_author = UserFactory(display_name="Zoe Adams")
    story = published(
        champion, [network], kind=Story.Kind.BEST_PRACTICE, featured=True, featured_at=NOW, summary="Why."
    )
    story.co_authors.add(co_author)
    story.tags.add("Hybrid work")
    for kind in (ReactionKind.THUMBS_UP, ReactionKind.HEART):
        StoryReaction.objects.create(story=story, user=member, kind=kind)
    StoryComment.objects.create(story=story, author=member, body="Thanks", body_html="<p>Thanks</p>")
    StoryComment.objects.create(
        story=story, author=member, body="Gone", body_html="<p>Gone</p>", deleted_at=NOW
    )

    (card,) = selectors.feed_page(viewer=anonymous, filters=FeedFilters()).cards

    assert card.url == story.get_absolute_url()
    assert (card.title, card.summary, card.kind, card.featured) == (
        story.title,
        "Why.",
        "best_practice",
        True,
    )
    assert card.kind_label == "Best practice"
    assert card.author.name == str(champion)
    assert card.author.url == champion.get_absolute_url()
    assert card.author_avatar_url.endswith("avatars/small/champion.webp")
    assert [(link.name, link.url) for link in card.co_authors] == [
        ("Zoe Adams", co_author.get_absolute_url())
    ]
    assert [(tag.name, tag.slug) for tag in card.tags] == [("Hybrid work", "hybrid-work")]
    assert (card.reaction_count, card.comment_count) == (2, 1)
    assert card.cover_small_url == ""


def test_a_hidden_picture_is_left_out_of_the_card(anonymous, network, champion, member):
    set_profile(champion, avatar_small="avatars/small/champion.webp", avatar_visibility=Visibility.MEMBERS)
    published(champion, [network])

    (for_visitor,) = selectors.feed_page(viewer=anonymous, filters=FeedFilters()).cards
    (for_member,) = selectors.feed_page(viewer=member, filters=FeedFilters()).cards

    assert for_visitor.author_avatar_url is None
    assert for_visitor.author_initials
    assert for_member.author_avatar_url is not None


def _fill(network: Network, champion, count: int) -> None:
    """`count` stories in all, each with a co-author, a tag, a reaction and a comment."""
    for n in range(count - Story.objects.count()):
        story = published(
            champion, [network, NetworkFactory()], minutes_ago=n, featured=n == 0, featured_at=NOW
        )
        story.co_authors.add(UserFactory())
        story.tags.add(f"tag {n}")
        StoryReaction.objects.create(story=story, user=champion, kind=ReactionKind.IDEA)
        StoryComment.objects.create(story=story, author=champion, body="Yes", body_html="<p>Yes</p>")


@pytest.mark.parametrize("persona", ["anonymous", "member"])
def test_a_page_takes_four_queries_whatever_the_number_of_stories(
    request, persona, network, champion, django_assert_num_queries
):
    viewer = request.getfixturevalue(persona)
    for size in (10, 100):
        _fill(network, champion, size)
        with django_assert_num_queries(4):
            page = selectors.feed_page(viewer=viewer, filters=FeedFilters(network=network, kind="story"))
        assert len(page.cards) == min(size, selectors.PAGE_SIZE)
        assert all(card.co_authors and card.tags for card in page.cards)


# --- Choices and profiles ---------------------------------------------------------------------------


def test_the_choices_list_visible_networks_with_their_stream_position_and_languages_in_use(
    anonymous, member, members_only, champion, django_assert_num_queries
):
    public = NetworkFactory(name="Open forum")
    published(champion, [members_only], language=Language.objects.get(code="fr"))
    published(champion, [public], language=Language.objects.get(code="es"))
    append_event(stream=network_stream(public.pk), kind="story.published", data={})
    append_event(stream=network_stream(public.pk), kind="story.published", data={})

    with django_assert_num_queries(2):
        for_visitor = selectors.feed_choices(viewer=anonymous)
    for_member = selectors.feed_choices(viewer=member)

    assert [(c.network.name, c.stream, c.last_seq) for c in for_visitor.networks] == [
        ("Open forum", f"stories:{public.pk}", 2)
    ]
    assert {c.network.pk: c.last_seq for c in for_member.networks} == {members_only.pk: 0, public.pk: 2}
    assert [language.code for language in for_visitor.languages_in_use] == ["es"]
    assert sorted(language.code for language in for_member.languages_in_use) == ["es", "fr"]
    assert "de" in for_visitor.languages


def test_a_profile_lists_the_latest_five_stories_its_owner_wrote_or_co_wrote(
    anonymous, member, members_only, champion, django_assert_num_queries
):
    public = NetworkFactory()
    stories = [published(champion, [public], minutes_ago=n) for n in range(6)]
    co_written = published(member, [public], minutes_ago=3)
    co_written.co_authors.add(champion)
    hidden = published(champion, [members_only])
    StoryFactory(author=champion, networks=[public])

    with django_assert_num_queries(1):
        seen = selectors.stories_by(viewer=anonymous, user=champion)

    assert [story.pk for story in seen] == [s.pk for s in stories[:3]] + [co_written.pk, stories[3].pk]
    assert selectors.stories_by(viewer=member, user=champion)[0].pk == hidden.pk
