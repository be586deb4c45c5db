import pytest
from django.core.paginator import EmptyPage
from django.db import connection
from django.test.utils import CaptureQueriesContext

from network import selectors
from network.models import Membership, Network
from profiles.models import Sector, Visibility
from profiles.regions import Region
from tests.factories import MembershipFactory, NetworkFactory
from tests.network.conftest import add_members, membership_in, set_profile


def _visit(viewer, network):
    return selectors.NetworkVisit(
        network, Membership.objects.filter(user_id=viewer.pk, network=network).first()
    )


def _home(viewer, network):
    return selectors.network_home(viewer, _visit(viewer, network))


def _members(viewer, network, page_number):
    return selectors.members_page(viewer, _visit(viewer, network), page_number)


def _queries(read) -> int:
    with CaptureQueriesContext(connection) as captured:
        read()
    return len(captured)


# --- Network cards -----------------------------------------------------------------------------------


def test_cards_count_active_members_and_champions(network, member, champion, moderator, admin):
    MembershipFactory(network=network, state=Membership.State.PENDING)
    MembershipFactory(network=network, state=Membership.State.LEFT, role=Membership.Role.CHAMPION)

    (card,) = selectors.network_list_for(member)

    assert (card.member_count, card.champion_count) == (4, 1)


def test_cards_say_where_the_viewer_stands(network, outsider, member):
    open_network = NetworkFactory(join_policy=Network.JoinPolicy.OPEN)
    invited_to = NetworkFactory(visibility=Network.Visibility.MEMBERS_ONLY)
    asked = NetworkFactory()
    invitation_only = NetworkFactory(join_policy=Network.JoinPolicy.INVITATION)
    membership_in(invited_to, outsider, state=Membership.State.INVITED)
    membership_in(asked, outsider, state=Membership.State.PENDING)
    membership_in(open_network, outsider)

    cards = {card.network: card for card in selectors.network_list_for(outsider)}

    assert {n: (c.viewer_state, c.can_join) for n, c in cards.items()} == {
        network: (None, True),
        open_network: (Membership.State.ACTIVE, False),
        invited_to: (Membership.State.INVITED, False),
        asked: (Membership.State.PENDING, False),
        invitation_only: (None, False),
    }


def test_cards_show_only_visible_networks(network, anonymous, outsider, member):
    hidden = NetworkFactory(visibility=Network.Visibility.MEMBERS_ONLY)
    membership_in(hidden, member)

    assert [c.network for c in selectors.network_list_for(anonymous)] == [network]
    assert [c.network for c in selectors.network_list_for(outsider)] == [network]
    assert {c.network for c in selectors.network_list_for(member)} == {network, hidden}
    assert all(not c.can_join for c in selectors.network_list_for(anonymous))


def _networks(count: int, viewer) -> None:
    for index in range(count):
        network = NetworkFactory(visibility=Network.Visibility.MEMBERS_ONLY if index % 2 else "public")
        add_members(network, 2)
        MembershipFactory(network=network, role=Membership.Role.CHAMPION)
        if viewer is not None:
            membership_in(network, viewer, state=Membership.State.ACTIVE if index % 3 else "pending")


@pytest.mark.parametrize("viewer_name", ["anonymous", "outsider"])
def test_network_list_query_count_does_not_grow(request, db, viewer_name):
    viewer = request.getfixturevalue(viewer_name)
    is_member = viewer.is_authenticated

    _networks(2, viewer if is_member else None)
    few = _queries(lambda: selectors.network_list_for(viewer))
    _networks(4, viewer if is_member else None)
    many = _queries(lambda: selectors.network_list_for(viewer))

    assert few == many
    assert len(selectors.network_list_for(viewer)) >= 3


def test_home_page_shows_champions_of_visible_networks_only(network, champion, anonymous, outsider):
    hidden = NetworkFactory(visibility=Network.Visibility.MEMBERS_ONLY)
    secret_champion = MembershipFactory(network=hidden, role=Membership.Role.CHAMPION).user
    membership_in(hidden, outsider)

    assert [card.user for card in selectors.home_page(anonymous).champions] == [champion]
    assert {card.user for card in selectors.home_page(outsider).champions} == {champion, secret_champion}


def test_home_page_query_count_does_not_grow(network, outsider):
    MembershipFactory(network=network, role=Membership.Role.CHAMPION)
    few = _queries(lambda: selectors.home_page(outsider))
    for _ in range(6):
        MembershipFactory(network=NetworkFactory(), role=Membership.Role.CHAMPION)
    many = _queries(lambda: selectors.home_page(outsider))

    assert few == many


# --- One network ------------------------------------------------------------------------------------


def test_a_visible_network_comes_with_the_viewers_row(network, member):
    visit = selectors.visible_network(member, network.slug)

    assert visit == selectors.NetworkVisit(network, Membership.objects.get(user=member))


@pytest.mark.parametrize("viewer_name", ["anonymous", "outsider", "superuser"])
def test_a_public_network_is_visible_to_all(request, network, viewer_name):
    visit = selectors.visible_network(request.getfixturevalue(viewer_name), network.slug)

    assert visit == selectors.NetworkVisit(network, None)


@pytest.mark.parametrize(
    ("viewer_name", "visible"),
    [("anonymous", False), ("outsider", False), ("member", True), ("superuser", True)],
)
def test_a_members_only_network_is_none_to_those_kept_out(
    request, members_only, member, viewer_name, visible
):
    visit = selectors.visible_network(request.getfixturevalue(viewer_name), members_only.slug)

    assert (visit is not None) is visible


def test_a_missing_network_is_none(member):
    assert selectors.visible_network(member, "no-such-network") is None


def test_finding_a_network_for_a_member_is_one_query(network, member, django_assert_num_queries):
    with django_assert_num_queries(1):
        selectors.visible_network(member, network.slug)


# --- Network home ------------------------------------------------------------------------------------


def _counts(rows) -> dict[str, int]:
    return {row.label: row.count for row in rows}


def test_region_and_sector_counts_respect_each_members_choice(network, member, champion, moderator, admin):
    set_profile(member, country="FR", region=Region.EUROPE, sector=Sector.CUSTOMS)
    set_profile(
        champion,
        country="NZ",
        region=Region.ASIA_PACIFIC,
        country_visibility=Visibility.MEMBERS,
        sector=Sector.CUSTOMS,
        sector_visibility=Visibility.ONLY_ME,
    )
    set_profile(
        moderator,
        country="KE",
        region=Region.EAST_SOUTHERN_AFRICA,
        country_visibility=Visibility.ONLY_ME,
        sector=Sector.ACADEMIA,
    )
    # The admin told nothing. A pending member is not counted at all.
    set_profile(
        MembershipFactory(network=network, state=Membership.State.PENDING).user,
        country="CA",
        region=Region.AMERICAS_CARIBBEAN,
        sector=Sector.PRIVATE,
    )

    page = _home(member, network)

    regions = _counts(page.regions)
    assert regions == {
        str(Region.EAST_SOUTHERN_AFRICA.label): 0,
        str(Region.WEST_CENTRAL_AFRICA.label): 0,
        str(Region.MENA.label): 0,
        "Europe": 1,
        "Asia/Pacific": 1,
        "The Americas and the Caribbean": 0,
        "Not shared": 2,
    }
    sectors = _counts(page.sectors)
    assert sectors["Customs administration"] == 1
    assert sectors["Academia"] == 1
    assert sectors["Private sector"] == 0
    assert sectors["Not shared"] == 2
    assert sum(sectors.values()) == page.member_count == 4


def test_no_not_shared_row_when_everyone_shares(network, member):
    Membership.objects.filter(network=network).exclude(user=member).delete()
    set_profile(member, country="NG", region=Region.WEST_CENTRAL_AFRICA, sector=Sector.CUSTOMS)

    page = _home(member, network)

    assert "Not shared" not in _counts(page.regions)
    assert _counts(page.regions)["West and Central Africa"] == 1


def test_network_home_lists_its_champions(network, champion, member):
    MembershipFactory(network=network, role=Membership.Role.CHAMPION, state=Membership.State.LEFT)
    MembershipFactory(network=NetworkFactory(), role=Membership.Role.CHAMPION)

    page = _home(member, network)

    assert [card.user for card in page.champions] == [champion]
    assert page.champion_count == 1


@pytest.mark.parametrize(
    ("viewer_name", "can_join", "can_leave", "sees_members", "manages"),
    [
        ("anonymous", False, False, False, False),
        ("outsider", True, False, False, False),
        ("member", False, True, True, False),
        ("champion", False, True, True, False),
        ("moderator", False, True, True, False),
        ("admin", False, False, True, True),
        ("superuser", True, False, True, True),
    ],
)
def test_network_home_says_what_the_viewer_may_do(
    request, network, viewer_name, can_join, can_leave, sees_members, manages
):
    page = _home(request.getfixturevalue(viewer_name), network)

    assert (page.can_join, page.can_leave, page.can_view_members, page.can_manage_members) == (
        can_join,
        can_leave,
        sees_members,
        manages,
    )
    assert page.can_update_network is manages


def test_only_managers_are_told_how_many_requests_wait(network, admin, member):
    MembershipFactory(network=network, state=Membership.State.PENDING)

    assert _home(admin, network).pending_count == 1
    assert _home(member, network).pending_count == 0


@pytest.mark.parametrize("viewer_name", ["anonymous", "member", "admin"])
def test_network_home_query_count_does_not_grow(request, network, viewer_name):
    viewer = request.getfixturevalue(viewer_name)
    regions = list(Region)

    def grow(count: int) -> None:
        for index, user in enumerate(add_members(network, count, role=Membership.Role.CHAMPION)):
            set_profile(user, country="FR", region=regions[index % len(regions)], sector=Sector.CUSTOMS)

    grow(5)
    few = _queries(lambda: _home(viewer, network))
    grow(20)
    many = _queries(lambda: _home(viewer, network))

    assert few == many
    assert _home(viewer, network).member_count >= 25


# --- Members page ------------------------------------------------------------------------------------


def test_members_are_listed_managers_first(network, member, champion, moderator, admin):
    page = _members(member, network, 1)

    assert [row.membership.user for row in page.rows] == [admin, moderator, champion, member]
    assert not page.can_manage_members
    assert not any(row.can_change_role for row in page.rows)
    assert (page.pending, page.invited) == ([], [])


def test_managers_see_requests_and_invitations(network, admin, member):
    waiting = MembershipFactory(network=network, state=Membership.State.PENDING)
    invited = MembershipFactory(network=network, state=Membership.State.INVITED, invited_by=admin)
    MembershipFactory(network=network, state=Membership.State.DECLINED)

    page = _members(admin, network, 1)

    assert page.pending == [waiting]
    assert page.invited == [invited]
    assert {row.membership.user: row.can_change_role for row in page.rows} == {admin: False, member: True}


def test_the_members_page_past_the_end_is_empty(network, member):
    with pytest.raises(EmptyPage):
        _members(member, network, 2)


@pytest.mark.parametrize("viewer_name", ["member", "admin"])
def test_members_page_query_count_does_not_grow(request, network, viewer_name):
    viewer = request.getfixturevalue(viewer_name)

    def grow(count: int) -> None:
        add_members(network, count)
        MembershipFactory(network=network, role=Membership.Role.ADMIN)
        MembershipFactory(network=network, state=Membership.State.PENDING)
        MembershipFactory(network=network, state=Membership.State.INVITED, invited_by=viewer)

    grow(4)
    few = _queries(lambda: _members(viewer, network, 1))
    grow(20)
    many = _queries(lambda: _members(viewer, network, 1))

    assert few == many
    assert len(_members(viewer, network, 1).rows) >= 25
