import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.paginator import EmptyPage
from django.db import connection
from django.test.utils import CaptureQueriesContext

from network.models import Membership
from profiles import selectors
from profiles.models import Gender, Language, Region, Sector, User, Visibility
from profiles.selectors import DirectoryFilters, PersonCard
from tests.factories import MembershipFactory, NetworkFactory, UserFactory
from tests.profiles.conftest import update_profile_row

ANONYMOUS = AnonymousUser()


def _full_profile(user: User, **overrides) -> User:
    fields = {
        "headline": "Head of workforce planning",
        "organization": "Finnish Customs",
        "sector": Sector.CUSTOMS,
        "country": "FI",
        "region": Region.EUROPE,
        "avatar_small": f"avatars/small/{user.username}.webp",
        "avatar": f"avatars/{user.username}.webp",
        "bio": "Hello",
        "bio_html": "<p>Hello</p>",
        "gender": Gender.WOMAN,
        **overrides,
    }
    profile = update_profile_row(user, **fields)
    profile.expertise.add("Hybrid work", "Well-being")
    profile.languages.add(*Language.objects.filter(code__in=["en", "fi"]))
    profile.links.create(label="Site", url="https://example.org")
    return user


def _card(viewer, user) -> PersonCard:
    (card,) = selectors.person_cards(viewer=viewer, users=User.objects.filter(pk=user.pk))
    return card


def _names(page) -> list[str]:
    return [card.handle for card in page.cards]


# --- person_cards ---------------------------------------------------------------------------------


def test_a_card_shows_what_is_public(member):
    _full_profile(member)

    card = _card(ANONYMOUS, member)

    assert card.user == member
    assert card.url == f"/people/{member.username}/"
    assert (card.display_name, card.handle) == (member.display_name, member.username)
    assert (card.headline, card.organization, card.sector) == (
        "Head of workforce planning",
        "Finnish Customs",
        "Customs administration",
    )
    assert (card.country, card.region) == ("Finland", "Europe")
    assert card.avatar_small_url == f"/media/avatars/small/{member.username}.webp"
    assert card.expertise == ["Hybrid work", "Well-being"]
    assert card.is_champion is False


def test_a_card_hides_what_the_viewer_may_not_see(member, co_member, outsider):
    _full_profile(member)
    update_profile_row(
        member,
        headline_visibility=Visibility.MEMBERS,
        organization_visibility=Visibility.ONLY_ME,
        country_visibility=Visibility.MEMBERS,
        sector_visibility=Visibility.ONLY_ME,
        avatar_visibility=Visibility.MEMBERS,
        expertise_visibility=Visibility.ONLY_ME,
    )

    for viewer in (ANONYMOUS, outsider):
        card = _card(viewer, member)
        assert (card.headline, card.organization, card.country, card.region, card.sector) == (None,) * 5
        assert (card.avatar_small_url, card.expertise) == (None, None)
    colleague_view = _card(co_member, member)
    assert colleague_view.headline == "Head of workforce planning"
    assert (colleague_view.country, colleague_view.region) == ("Finland", "Europe")
    assert colleague_view.avatar_small_url is not None
    assert (colleague_view.organization, colleague_view.sector, colleague_view.expertise) == (
        None,
        None,
        None,
    )
    own_view = _card(member, member)
    assert (own_view.organization, own_view.sector) == ("Finnish Customs", "Customs administration")
    assert own_view.expertise == ["Hybrid work", "Well-being"]


def test_empty_fields_are_none(member):
    card = _card(member, member)

    assert (card.headline, card.country, card.region, card.avatar_small_url, card.expertise) == (None,) * 5


def test_initials_stand_in_for_a_missing_picture(db):
    assert _card(ANONYMOUS, UserFactory(display_name="amina jane diallo")).initials == "AD"
    assert _card(ANONYMOUS, UserFactory(display_name="Cher")).initials == "C"


def test_a_champion_badge_needs_an_active_champion_role_in_a_network_the_viewer_sees(
    private_network, outsider, champion
):
    hidden_champion = MembershipFactory(network=private_network, role=Membership.Role.CHAMPION).user
    colleague = MembershipFactory(network=private_network).user
    pending = MembershipFactory(role=Membership.Role.CHAMPION, state=Membership.State.PENDING).user

    assert _card(ANONYMOUS, champion).is_champion
    assert not _card(ANONYMOUS, hidden_champion).is_champion
    assert not _card(outsider, hidden_champion).is_champion
    assert _card(colleague, hidden_champion).is_champion
    assert not _card(ANONYMOUS, pending).is_champion


def test_cards_keep_the_order_given_and_accept_a_queryset(db):
    users = [UserFactory(display_name=name) for name in ("Zoe", "Adam", "Mia")]

    from_list = selectors.person_cards(viewer=ANONYMOUS, users=users)
    from_queryset = selectors.person_cards(viewer=ANONYMOUS, users=User.objects.order_by("-display_name"))

    assert [card.display_name for card in from_list] == ["Zoe", "Adam", "Mia"]
    assert [card.display_name for card in from_queryset] == ["Zoe", "Mia", "Adam"]
    assert selectors.person_cards(viewer=ANONYMOUS, users=[]) == []


def _people(count: int, network) -> None:
    for _ in range(count):
        role = Membership.Role.CHAMPION if User.objects.count() % 2 else Membership.Role.MEMBER
        _full_profile(
            MembershipFactory(network=network, role=role).user, country_visibility=Visibility.MEMBERS
        )


def _query_counts(read, network, sizes=(10, 50)) -> list[int]:
    counts = []
    for size in sizes:
        _people(size - User.objects.filter(memberships__network=network).count(), network)
        with CaptureQueriesContext(connection) as queries:
            read()
        counts.append(len(queries))
    return counts


@pytest.mark.parametrize("viewer_kind", ["anonymous", "member"])
def test_person_cards_take_a_fixed_number_of_queries(viewer_kind, network, member):
    viewer = ANONYMOUS if viewer_kind == "anonymous" else member

    def read():
        cards = selectors.person_cards(viewer=viewer, users=User.objects.filter(memberships__network=network))
        assert len(cards) == User.objects.filter(memberships__network=network).count()

    first, second = _query_counts(read, network)
    assert first == second


@pytest.mark.parametrize("select", [selectors.people_directory, selectors.champions_directory])
def test_directories_take_a_fixed_number_of_queries(select, network, member, monkeypatch):
    monkeypatch.setattr(selectors, "PAGE_SIZE", 100)  # the whole list on one page, whatever its size
    filters = DirectoryFilters(network=network, region=Region.EUROPE, expertise="hybrid work")

    def read():
        assert select(viewer=member, filters=filters, page=1).cards

    first, second = _query_counts(read, network)
    assert first == second


# --- Directories ----------------------------------------------------------------------------------


def test_the_people_directory_lists_active_accounts_by_display_name(db):
    UserFactory(display_name="bea", username="bea")
    UserFactory(display_name="Anna", username="anna")
    UserFactory(display_name="Carl", username="carl")
    UserFactory(display_name="Gone", username="gone", is_active=False)

    page = selectors.people_directory(
        viewer=UserFactory(display_name="Zed", username="zed"), filters=DirectoryFilters(), page=1
    )

    assert _names(page) == ["anna", "bea", "carl", "zed"]


def test_the_people_directory_is_paged_by_24(db, monkeypatch):
    for number in range(30):
        UserFactory(display_name=f"Person {number:02}")
    viewer = User.objects.first()

    first = selectors.people_directory(viewer=viewer, filters=DirectoryFilters(), page=1)
    second = selectors.people_directory(viewer=viewer, filters=DirectoryFilters(), page=2)

    assert (len(first.cards), len(second.cards)) == (24, 6)
    assert first.paginator.num_pages == 2
    assert second.page.number == 2
    with pytest.raises(EmptyPage):
        selectors.people_directory(viewer=viewer, filters=DirectoryFilters(), page=3)


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"region": Region.EUROPE}, ["fi"]),
        ({"country": "KE"}, ["ke"]),
        ({"sector": Sector.ACADEMIA}, ["ke"]),
        ({"language": "fr"}, ["ke"]),
        ({"expertise": "hybrid-work"}, ["fi"]),
        ({"expertise": "HYBRID WORK"}, ["fi"]),
        ({"expertise": "unknown"}, []),
        ({"q": "NAIROBI"}, ["ke"]),
        ({"q": "f"}, ["fi"]),
    ],
)
def test_directory_filters(filters, expected, member):
    finn = UserFactory(username="fi", display_name="Helsinki Person")
    _full_profile(finn)
    kenyan = UserFactory(username="ke", display_name="Nairobi Person")
    update_profile_row(kenyan, country="KE", region=Region.EAST_SOUTHERN_AFRICA, sector=Sector.ACADEMIA)
    kenyan.profile.languages.add(Language.objects.get(code="fr"))
    if "language" in filters:
        filters["language"] = Language.objects.get(code=filters["language"])

    page = selectors.people_directory(viewer=member, filters=DirectoryFilters(**filters), page=1)

    assert [handle for handle in _names(page) if handle in ("fi", "ke")] == expected


@pytest.mark.parametrize("field", ["country", "region", "sector", "language", "expertise"])
def test_filtering_by_a_hidden_field_does_not_reveal_it(field, member, co_member, outsider):
    _full_profile(member)
    hidden = {
        "country": "country_visibility",
        "region": "country_visibility",
        "sector": "sector_visibility",
        "language": "languages_visibility",
        "expertise": "expertise_visibility",
    }[field]
    update_profile_row(member, **{hidden: Visibility.MEMBERS})
    value = {
        "country": "FI",
        "region": Region.EUROPE,
        "sector": Sector.CUSTOMS,
        "language": Language.objects.get(code="fi"),
        "expertise": "hybrid-work",
    }[field]
    filters = DirectoryFilters(**{field: value})

    def matches(viewer) -> bool:
        return member.username in _names(selectors.people_directory(viewer=viewer, filters=filters, page=1))

    assert not matches(outsider)
    assert matches(co_member)
    assert matches(member)
    assert member.username in _names(
        selectors.people_directory(viewer=outsider, filters=DirectoryFilters(), page=1)
    )


def test_the_network_filter_keeps_its_active_members(network, member, outsider):
    pending = MembershipFactory(network=network, state=Membership.State.PENDING).user

    page = selectors.people_directory(viewer=outsider, filters=DirectoryFilters(network=network), page=1)

    assert member.username in _names(page)
    assert pending.username not in _names(page)
    assert outsider.username not in _names(page)


def test_filtering_by_a_network_the_viewer_cannot_see_finds_nobody(private_network, outsider):
    insider = MembershipFactory(network=private_network).user

    hidden = selectors.people_directory(
        viewer=outsider, filters=DirectoryFilters(network=private_network), page=1
    )
    shown = selectors.people_directory(
        viewer=insider, filters=DirectoryFilters(network=private_network), page=1
    )

    assert hidden.cards == []
    assert _names(shown) == [insider.username]


def test_the_champions_directory_lists_active_champions_of_visible_networks(
    network, private_network, champion, member, outsider
):
    hidden_champion = MembershipFactory(network=private_network, role=Membership.Role.CHAMPION).user
    MembershipFactory(network=network, role=Membership.Role.CHAMPION, state=Membership.State.LEFT)
    other_network = NetworkFactory()
    other_champion = MembershipFactory(network=other_network, role=Membership.Role.CHAMPION).user

    public_view = selectors.champions_directory(viewer=ANONYMOUS, filters=DirectoryFilters(), page=1)
    insider_view = selectors.champions_directory(viewer=hidden_champion, filters=DirectoryFilters(), page=1)
    one_network = selectors.champions_directory(
        viewer=outsider, filters=DirectoryFilters(network=network), page=1
    )

    assert sorted(_names(public_view)) == sorted([champion.username, other_champion.username])
    assert hidden_champion.username in _names(insider_view)
    assert _names(one_network) == [champion.username]
    assert all(card.is_champion for card in public_view.cards)


# --- Profile page ---------------------------------------------------------------------------------


def test_profile_detail_shows_the_visible_fields(member, co_member, outsider):
    _full_profile(member, gender=Gender.SELF_DESCRIBED, gender_self_description="Two-spirit")
    update_profile_row(
        member,
        bio_visibility=Visibility.MEMBERS,
        links_visibility=Visibility.MEMBERS,
        languages_visibility=Visibility.ONLY_ME,
        gender_visibility=Visibility.MEMBERS,
        avatar_visibility=Visibility.ONLY_ME,
    )
    member.refresh_from_db()

    outsider_view = selectors.profile_detail(viewer=outsider, user=member)
    colleague_view = selectors.profile_detail(viewer=co_member, user=member)
    own_view = selectors.profile_detail(viewer=member, user=member)

    assert (outsider_view.bio_html, outsider_view.links, outsider_view.gender, outsider_view.avatar_url) == (
        None,
    ) * 4
    assert outsider_view.card.headline == "Head of workforce planning"
    assert colleague_view.bio_html == "<p>Hello</p>"
    assert [link.url for link in colleague_view.links] == ["https://example.org"]
    assert colleague_view.gender == "Two-spirit"
    assert (colleague_view.languages, colleague_view.avatar_url) == (None, None)
    assert [language.code for language in own_view.languages] == ["en", "fi"]
    assert own_view.avatar_url == f"/media/avatars/{member.username}.webp"
    assert own_view.is_owner
    assert not colleague_view.is_owner
    assert own_view.audience["languages"] == "Only me"
    assert colleague_view.audience == {}


def test_profile_detail_lists_active_memberships_in_visible_networks(
    network, private_network, champion, outsider
):
    MembershipFactory(network=private_network, user=champion, role=Membership.Role.MODERATOR)
    MembershipFactory(network=NetworkFactory(), user=champion, state=Membership.State.PENDING)
    insider = MembershipFactory(network=private_network).user

    def networks(viewer):
        return [
            (m.network, m.role) for m in selectors.profile_detail(viewer=viewer, user=champion).memberships
        ]

    assert networks(outsider) == [(network, Membership.Role.CHAMPION)]
    assert sorted(networks(insider), key=lambda pair: pair[0].name) == sorted(
        [(network, Membership.Role.CHAMPION), (private_network, Membership.Role.MODERATOR)],
        key=lambda pair: pair[0].name,
    )
