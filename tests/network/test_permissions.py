import pytest
from django.core.exceptions import PermissionDenied

from network import permissions
from network.models import Membership, Network
from tests.factories import MembershipFactory, NetworkFactory
from tests.network.conftest import PERSONAS, membership_in

MEMBERS = {"member", "champion", "moderator", "admin"}


def _expect(allowed: set[str]):
    return [pytest.param(name, name in allowed, id=name) for name in PERSONAS]


# --- Seeing a network --------------------------------------------------------------------------------


@pytest.mark.parametrize(("persona", "allowed"), _expect(set(PERSONAS)))
def test_everyone_sees_a_public_network(request, network, persona, allowed):
    user = request.getfixturevalue(persona)

    assert permissions.can_view_network(user, network) is allowed
    permissions.check_view_network(user, network)


@pytest.mark.parametrize(("persona", "allowed"), _expect(MEMBERS | {"superuser"}))
def test_only_members_and_operators_see_a_members_only_network(request, members_only, persona, allowed):
    user = request.getfixturevalue(persona)

    assert permissions.can_view_network(user, members_only) is allowed
    if not allowed:
        with pytest.raises(PermissionDenied, match="for its members only"):
            permissions.check_view_network(user, members_only)


@pytest.mark.parametrize(
    ("state", "sees"),
    [
        (Membership.State.INVITED, True),
        (Membership.State.PENDING, False),
        (Membership.State.DECLINED, False),
        (Membership.State.LEFT, False),
    ],
)
def test_invitees_see_a_members_only_network_before_they_accept(members_only, outsider, state, sees):
    membership_in(members_only, outsider, state=state)

    assert permissions.can_view_network(outsider, members_only) is sees


def test_visible_networks_lists_each_network_once(network, member, outsider, anonymous, superuser):
    hidden = NetworkFactory(visibility=Network.Visibility.MEMBERS_ONLY)
    mine = NetworkFactory(visibility=Network.Visibility.MEMBERS_ONLY)
    membership_in(mine, member)

    assert list(permissions.visible_networks(anonymous)) == [network]
    assert list(permissions.visible_networks(outsider)) == [network]
    assert sorted(n.pk for n in permissions.visible_networks(member)) == sorted([network.pk, mine.pk])
    assert set(permissions.visible_networks(superuser)) == {network, hidden, mine}


# --- Joining -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(("persona", "allowed"), _expect({"outsider", "superuser"}))
def test_who_may_ask_to_join(request, network, persona, allowed):
    user = request.getfixturevalue(persona)

    assert permissions.can_request_to_join(user, network) is allowed
    if not allowed:
        with pytest.raises(PermissionDenied):
            permissions.check_request_to_join(user, network)


@pytest.mark.parametrize(
    ("persona", "reason"),
    [
        ("anonymous", "Log in to join"),
        ("member", "already a member"),
        ("admin", "already a member"),
    ],
)
def test_join_refusals_say_why(request, network, persona, reason):
    with pytest.raises(PermissionDenied, match=reason):
        permissions.check_request_to_join(request.getfixturevalue(persona), network)


def test_an_invitation_only_network_refuses_requests(invitation_network, outsider):
    assert not permissions.can_request_to_join(outsider, invitation_network)
    with pytest.raises(PermissionDenied, match="by invitation only"):
        permissions.check_request_to_join(outsider, invitation_network)


def test_nobody_outside_asks_to_join_a_network_they_cannot_see(members_only, outsider):
    with pytest.raises(PermissionDenied, match="for its members only"):
        permissions.check_request_to_join(outsider, members_only)


@pytest.mark.parametrize(
    ("state", "allowed", "reason"),
    [
        (Membership.State.PENDING, False, "already asked to join"),
        (Membership.State.INVITED, False, "accept the invitation"),
        (Membership.State.DECLINED, True, None),
        (Membership.State.LEFT, True, None),
    ],
)
def test_joining_again_depends_on_the_earlier_row(network, outsider, state, allowed, reason):
    membership_in(network, outsider, state=state)

    assert permissions.can_request_to_join(outsider, network) is allowed
    if reason:
        with pytest.raises(PermissionDenied, match=reason):
            permissions.check_request_to_join(outsider, network)


# --- Leaving -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(("persona", "allowed"), _expect({"member", "champion", "moderator"}))
def test_who_may_leave(request, network, persona, allowed):
    user = request.getfixturevalue(persona)

    assert permissions.can_leave_network(user, network) is allowed


def test_the_last_admin_cannot_leave(network, admin):
    with pytest.raises(PermissionDenied, match="last admin"):
        permissions.check_leave_network(admin, network)


def test_an_admin_may_leave_once_another_admin_exists(network, admin):
    MembershipFactory(network=network, role=Membership.Role.ADMIN)

    assert permissions.can_leave_network(admin, network)


def test_a_former_admin_does_not_count_as_an_admin(network, admin):
    MembershipFactory(network=network, role=Membership.Role.ADMIN, state=Membership.State.LEFT)

    assert not permissions.can_leave_network(admin, network)


# --- Members -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(("persona", "allowed"), _expect(MEMBERS | {"superuser"}))
def test_who_may_view_members(request, network, persona, allowed):
    user = request.getfixturevalue(persona)

    assert permissions.can_view_members(user, network) is allowed
    if not allowed:
        with pytest.raises(PermissionDenied):
            permissions.check_view_members(user, network)


@pytest.mark.parametrize("state", [Membership.State.INVITED, Membership.State.PENDING, Membership.State.LEFT])
def test_people_not_active_do_not_see_members(network, outsider, state):
    membership_in(network, outsider, state=state)

    assert not permissions.can_view_members(outsider, network)


@pytest.mark.parametrize(("persona", "allowed"), _expect({"admin", "superuser"}))
def test_who_may_manage_members(request, network, persona, allowed):
    user = request.getfixturevalue(persona)

    assert permissions.can_manage_members(user, network) is allowed
    if not allowed:
        with pytest.raises(PermissionDenied, match="Only the network's admins"):
            permissions.check_manage_members(user, network)


def test_an_admin_of_another_network_manages_only_their_own(network, admin):
    other = NetworkFactory()

    assert not permissions.can_manage_members(admin, other)


def test_an_admin_who_left_manages_nothing(network, outsider):
    membership_in(network, outsider, role=Membership.Role.ADMIN, state=Membership.State.LEFT)

    assert not permissions.can_manage_members(outsider, network)


@pytest.mark.parametrize(("persona", "allowed"), _expect({"admin", "superuser"}))
def test_who_may_change_a_members_role(request, network, persona, allowed):
    target = MembershipFactory(network=network)
    user = request.getfixturevalue(persona)

    assert permissions.can_change_role(user, target) is allowed
    if not allowed:
        with pytest.raises(PermissionDenied):
            permissions.check_change_role(user, target)


@pytest.mark.parametrize("actor", ["admin", "superuser"])
def test_nobody_changes_the_role_of_the_last_admin(request, network, admin, actor):
    last_admin = Membership.objects.get(network=network, user=admin)

    assert not permissions.can_change_role(request.getfixturevalue(actor), last_admin)
    with pytest.raises(PermissionDenied, match="last admin"):
        permissions.check_change_role(request.getfixturevalue(actor), last_admin)


def test_an_admin_may_be_demoted_while_another_remains(network, admin):
    MembershipFactory(network=network, role=Membership.Role.ADMIN)

    assert permissions.can_change_role(admin, Membership.objects.get(network=network, user=admin))


# --- The network itself ------------------------------------------------------------------------------


@pytest.mark.parametrize(("persona", "allowed"), _expect({"superuser"}))
def test_only_operators_create_networks(request, network, persona, allowed):
    user = request.getfixturevalue(persona)

    assert permissions.can_create_network(user) is allowed
    if not allowed:
        with pytest.raises(PermissionDenied, match="operators"):
            permissions.check_create_network(user)


@pytest.mark.parametrize(("persona", "allowed"), _expect({"admin", "superuser"}))
def test_who_may_change_a_networks_settings(request, network, persona, allowed):
    user = request.getfixturevalue(persona)

    assert permissions.can_update_network(user, network) is allowed
    if not allowed:
        with pytest.raises(PermissionDenied, match="settings"):
            permissions.check_update_network(user, network)
