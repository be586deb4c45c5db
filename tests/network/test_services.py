import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied

from network import services
from network.models import Membership, Network
from tests.factories import MembershipFactory, NetworkFactory, UserFactory
from tests.network.conftest import membership_in


def _row(network, user) -> Membership:
    return Membership.objects.get(network=network, user=user)


# --- Creating and changing networks ------------------------------------------------------------------


def _network_fields(**overrides):
    fields = {
        "name": "Customs Work Organization Forum",
        "slug": "cwof",
        "mission": "Build a **compendium** of best practices.",
        "tagline": "The future of work in customs",
        "visibility": Network.Visibility.PUBLIC,
        "join_policy": Network.JoinPolicy.APPROVAL,
    }
    return fields | overrides


def test_an_operator_founds_a_network_and_becomes_its_admin(superuser):
    network = services.create_network(actor=superuser, **_network_fields())

    assert network.mission_html == "<p>Build a <strong>compendium</strong> of best practices.</p>\n"
    founder = _row(network, superuser)
    assert (founder.role, founder.state) == (Membership.Role.ADMIN, Membership.State.ACTIVE)
    assert founder.joined_at is not None


def test_only_operators_found_networks(outsider):
    with pytest.raises(PermissionDenied):
        services.create_network(actor=outsider, **_network_fields())

    assert not Network.objects.exists()


@pytest.mark.parametrize(("field", "value"), [("slug", "taken"), ("name", "Taken")])
def test_a_new_network_needs_a_free_address_and_name(superuser, field, value):
    NetworkFactory(slug="taken", name="Taken")

    with pytest.raises(services.NetworkError, match="Another network already"):
        services.create_network(actor=superuser, **_network_fields(**{field: value}))


def test_an_admin_updates_the_network_and_its_mission_is_rendered_again(network, admin):
    services.update_network(
        actor=admin,
        network=network,
        name="Renamed",
        tagline="New line",
        mission="Now _with_ emphasis",
        visibility=Network.Visibility.MEMBERS_ONLY,
        join_policy=Network.JoinPolicy.OPEN,
    )

    network.refresh_from_db()
    assert (network.name, network.tagline, network.visibility, network.join_policy) == (
        "Renamed",
        "New line",
        Network.Visibility.MEMBERS_ONLY,
        Network.JoinPolicy.OPEN,
    )
    assert network.mission_html == "<p>Now <em>with</em> emphasis</p>\n"


@pytest.mark.parametrize("persona", ["member", "moderator", "outsider"])
def test_only_admins_update_a_network(request, network, persona):
    with pytest.raises(PermissionDenied):
        services.update_network(
            actor=request.getfixturevalue(persona),
            network=network,
            **{k: v for k, v in _network_fields().items() if k != "slug"},
        )

    network.refresh_from_db()
    assert network.name != "Customs Work Organization Forum"


def test_a_name_and_tagline_are_kept_on_one_line(network, admin):
    services.update_network(
        actor=admin,
        network=network,
        **{
            k: v
            for k, v in _network_fields(name=" Customs\nForum ", tagline="One\r\n\tline").items()
            if k != "slug"
        },
    )

    network.refresh_from_db()
    assert (network.name, network.tagline) == ("Customs Forum", "One line")


def test_an_invitation_from_a_network_named_on_two_lines_still_leaves(
    network, admin, django_capture_on_commit_callbacks
):
    # Written before names were kept on one line, or straight into the database.
    Network.objects.filter(pk=network.pk).update(name="Customs\nForum")
    network.refresh_from_db()
    invitee = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        services.invite_member(actor=admin, network=network, email=invitee.email)

    (email,) = mail.outbox
    assert email.subject == f"[Convene] {admin} invites you to Customs Forum"


def test_an_update_keeps_names_unique(network, admin):
    NetworkFactory(name="Taken")
    fields = {k: v for k, v in _network_fields(name="Taken").items() if k != "slug"}

    with pytest.raises(services.NetworkError, match="already has that name"):
        services.update_network(actor=admin, network=network, **fields)


# --- Joining -----------------------------------------------------------------------------------------


def test_joining_an_open_network_is_immediate(open_network, outsider, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        membership = services.request_to_join(user=outsider, network=open_network)

    assert membership.state == Membership.State.ACTIVE
    assert membership.role == Membership.Role.MEMBER
    assert membership.joined_at is not None
    assert mail.outbox == []


def test_asking_to_join_waits_for_approval_and_tells_the_admins(
    network, admin, outsider, django_capture_on_commit_callbacks
):
    second_admin = MembershipFactory(network=network, role=Membership.Role.ADMIN).user
    with django_capture_on_commit_callbacks(execute=True):
        membership = services.request_to_join(
            user=outsider, network=network, message="I lead HR in Mauritius."
        )

    assert membership.state == Membership.State.PENDING
    assert membership.joined_at is None
    assert membership.message == "I lead HR in Mauritius."
    assert sorted(m.to[0] for m in mail.outbox) == sorted([admin.email, second_admin.email])
    assert f"{outsider} asks to join {network}" in mail.outbox[0].subject
    assert "I lead HR in Mauritius." in mail.outbox[0].body
    assert f"/networks/{network.slug}/members/" in mail.outbox[0].body


def test_a_second_request_while_pending_is_refused(network, outsider):
    services.request_to_join(user=outsider, network=network)

    with pytest.raises(services.NetworkError, match=r"You already asked to join; an admin will answer\."):
        services.request_to_join(user=outsider, network=network)

    assert Membership.objects.filter(network=network, user=outsider).count() == 1


def test_a_member_asking_again_is_told_they_are_in(network, member):
    with pytest.raises(services.NetworkError, match="already a member"):
        services.request_to_join(user=member, network=network)


def test_an_invitation_only_network_refuses_requests(invitation_network, outsider):
    with pytest.raises(PermissionDenied, match="by invitation only"):
        services.request_to_join(user=outsider, network=invitation_network)

    assert not Membership.objects.filter(user=outsider).exists()


def test_a_hidden_network_refuses_requests(members_only, outsider):
    with pytest.raises(PermissionDenied):
        services.request_to_join(user=outsider, network=members_only)


@pytest.mark.parametrize("earlier", [Membership.State.DECLINED, Membership.State.LEFT])
def test_asking_again_reuses_the_earlier_row(network, outsider, admin, earlier):
    old = membership_in(
        network, outsider, state=earlier, role=Membership.Role.CHAMPION, decided_by=admin, message="old"
    )

    membership = services.request_to_join(user=outsider, network=network, message="new")

    assert membership.pk == old.pk
    membership.refresh_from_db()
    assert membership.state == Membership.State.PENDING
    assert membership.role == Membership.Role.MEMBER
    assert membership.message == "new"
    assert (membership.decided_by, membership.decided_at, membership.left_at) == (None, None, None)


# --- Answering requests ------------------------------------------------------------------------------


@pytest.fixture
def pending(network, outsider) -> Membership:
    return membership_in(network, outsider, state=Membership.State.PENDING, joined_at=None)


@pytest.mark.parametrize("actor", ["admin", "superuser"])
def test_approving_makes_a_member_and_emails_them_on_commit(
    request, pending, actor, django_capture_on_commit_callbacks
):
    decider = request.getfixturevalue(actor)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        membership = services.approve_membership(actor=decider, membership=pending)
        assert mail.outbox == []  # nothing leaves before the commit

    assert len(callbacks) == 1
    membership.refresh_from_db()
    assert membership.state == Membership.State.ACTIVE
    assert membership.decided_by == decider
    assert membership.decided_at is not None
    assert membership.joined_at is not None
    (email,) = mail.outbox
    assert email.to == [pending.user.email]
    assert email.subject == f"[Convene] Welcome to {pending.network}"
    assert f"http://localhost:8000/networks/{pending.network.slug}/" in email.body


def test_declining_records_who_decided_and_emails_the_person(
    pending, admin, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.decline_membership(actor=admin, membership=pending)

    pending.refresh_from_db()
    assert pending.state == Membership.State.DECLINED
    assert pending.decided_by == admin
    (email,) = mail.outbox
    assert email.to == [pending.user.email]
    assert "not accepted" in email.body


def test_no_email_leaves_when_the_transaction_does_not_commit(
    pending, admin, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.approve_membership(actor=admin, membership=pending)

    assert len(callbacks) == 1
    assert mail.outbox == []


@pytest.mark.parametrize("persona", ["member", "champion", "moderator", "outsider"])
@pytest.mark.parametrize("service", [services.approve_membership, services.decline_membership])
def test_only_managers_answer_requests(request, network, persona, service):
    waiting = MembershipFactory(network=network, state=Membership.State.PENDING)

    with pytest.raises(PermissionDenied):
        service(actor=request.getfixturevalue(persona), membership=waiting)

    waiting.refresh_from_db()
    assert waiting.state == Membership.State.PENDING


@pytest.mark.parametrize(
    "state", [Membership.State.ACTIVE, Membership.State.DECLINED, Membership.State.INVITED]
)
@pytest.mark.parametrize("service", [services.approve_membership, services.decline_membership])
def test_only_pending_requests_are_answered(network, admin, state, service):
    answered = MembershipFactory(network=network, state=state)

    with pytest.raises(services.NetworkError, match="already been answered"):
        service(actor=admin, membership=answered)

    answered.refresh_from_db()
    assert answered.state == state
    assert answered.decided_by is None


# --- Invitations -------------------------------------------------------------------------------------


def test_inviting_finds_the_person_by_email_whatever_its_case(
    network, admin, django_capture_on_commit_callbacks
):
    invitee = UserFactory(email="amina@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        membership = services.invite_member(actor=admin, network=network, email="  Amina@EXAMPLE.org ")

    assert membership.user == invitee
    assert membership.state == Membership.State.INVITED
    assert membership.invited_by == admin
    (email,) = mail.outbox
    assert email.to == ["amina@example.org"]
    assert f"{admin} invites you to join {network}" in email.body
    assert f"http://localhost:8000/networks/{network.slug}/" in email.body


def test_inviting_an_unknown_address_asks_them_to_sign_up(network, admin):
    with pytest.raises(
        services.NetworkError, match=r"No member has that email address; ask them to sign up first\."
    ):
        services.invite_member(actor=admin, network=network, email="nobody@example.org")


def test_a_deactivated_account_cannot_be_invited(network, admin):
    UserFactory(email="gone@example.org", is_active=False)

    with pytest.raises(services.NetworkError, match="No member has that email"):
        services.invite_member(actor=admin, network=network, email="gone@example.org")


@pytest.mark.parametrize(
    ("state", "reason"),
    [
        (Membership.State.ACTIVE, "already a member"),
        (Membership.State.INVITED, "already invited"),
        (Membership.State.PENDING, "approve their request instead"),
    ],
)
def test_inviting_someone_already_there_is_refused(network, admin, outsider, state, reason):
    membership_in(network, outsider, state=state)

    with pytest.raises(services.NetworkError, match=reason):
        services.invite_member(actor=admin, network=network, email=outsider.email)


def test_inviting_someone_who_left_reuses_their_row(network, admin, outsider):
    old = membership_in(network, outsider, state=Membership.State.LEFT, role=Membership.Role.MODERATOR)

    membership = services.invite_member(actor=admin, network=network, email=outsider.email)

    assert membership.pk == old.pk
    assert (membership.state, membership.role) == (Membership.State.INVITED, Membership.Role.MEMBER)


@pytest.mark.parametrize("persona", ["member", "moderator", "outsider"])
def test_only_managers_invite(request, network, persona):
    invitee = UserFactory()

    with pytest.raises(PermissionDenied):
        services.invite_member(actor=request.getfixturevalue(persona), network=network, email=invitee.email)

    assert not Membership.objects.filter(user=invitee).exists()


@pytest.fixture
def invited(network, outsider, admin) -> Membership:
    return membership_in(network, outsider, state=Membership.State.INVITED, invited_by=admin, joined_at=None)


def test_accepting_an_invitation_makes_a_member(invited, network, outsider):
    membership = services.accept_invitation(user=outsider, network=network)

    assert membership.pk == invited.pk
    assert membership.state == Membership.State.ACTIVE
    assert membership.joined_at is not None


def test_declining_an_invitation(invited, network, outsider):
    services.decline_invitation(user=outsider, network=network)

    invited.refresh_from_db()
    assert invited.state == Membership.State.DECLINED
    assert invited.decided_by == outsider


@pytest.mark.parametrize("service", [services.accept_invitation, services.decline_invitation])
@pytest.mark.parametrize("state", [None, Membership.State.PENDING, Membership.State.DECLINED])
def test_answering_an_invitation_needs_one(network, outsider, service, state):
    if state:
        membership_in(network, outsider, state=state)

    with pytest.raises(services.NetworkError, match="no invitation"):
        service(user=outsider, network=network)

    assert not Membership.objects.filter(user=outsider, state=Membership.State.ACTIVE).exists()


def test_an_admin_withdraws_an_invitation(invited, admin):
    services.withdraw_invitation(actor=admin, membership=invited)

    invited.refresh_from_db()
    assert invited.state == Membership.State.DECLINED
    assert invited.decided_by == admin


def test_only_a_waiting_invitation_is_withdrawn(network, admin, member):
    with pytest.raises(services.NetworkError, match="already been answered"):
        services.withdraw_invitation(actor=admin, membership=_row(network, member))


def test_only_managers_withdraw_invitations(invited, moderator):
    with pytest.raises(PermissionDenied):
        services.withdraw_invitation(actor=moderator, membership=invited)


# --- Leaving -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["member", "champion", "moderator"])
def test_leaving_keeps_the_row_and_resets_the_role(request, network, persona):
    user = request.getfixturevalue(persona)

    membership = services.leave_network(user=user, network=network)

    membership.refresh_from_db()
    assert membership.state == Membership.State.LEFT
    assert membership.role == Membership.Role.MEMBER
    assert membership.left_at is not None


def test_the_last_admin_cannot_leave(network, admin):
    with pytest.raises(PermissionDenied, match="last admin"):
        services.leave_network(user=admin, network=network)

    assert _row(network, admin).state == Membership.State.ACTIVE


def test_an_admin_leaves_once_another_admin_exists(network, admin):
    MembershipFactory(network=network, role=Membership.Role.ADMIN)

    assert services.leave_network(user=admin, network=network).state == Membership.State.LEFT


def test_an_outsider_has_nothing_to_leave(network, outsider):
    with pytest.raises(PermissionDenied, match="not a member"):
        services.leave_network(user=outsider, network=network)


# --- Roles -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("actor", ["admin", "superuser"])
def test_a_manager_changes_a_members_role(request, network, member, actor):
    membership = services.change_role(
        actor=request.getfixturevalue(actor), membership=_row(network, member), role=Membership.Role.CHAMPION
    )

    assert _row(network, member).role == Membership.Role.CHAMPION == membership.role


@pytest.mark.parametrize("persona", ["member", "champion", "moderator", "outsider"])
def test_only_managers_change_roles(request, network, member, persona):
    with pytest.raises(PermissionDenied):
        services.change_role(
            actor=request.getfixturevalue(persona),
            membership=_row(network, member),
            role=Membership.Role.ADMIN,
        )

    assert _row(network, member).role == Membership.Role.MEMBER


def test_the_last_admin_cannot_be_demoted(network, admin):
    with pytest.raises(PermissionDenied, match="last admin"):
        services.change_role(actor=admin, membership=_row(network, admin), role=Membership.Role.MEMBER)

    assert _row(network, admin).role == Membership.Role.ADMIN


def test_an_admin_steps_down_once_another_admin_exists(network, admin, member):
    services.change_role(actor=admin, membership=_row(network, member), role=Membership.Role.ADMIN)

    services.change_role(actor=admin, membership=_row(network, admin), role=Membership.Role.MODERATOR)

    assert _row(network, admin).role == Membership.Role.MODERATOR


@pytest.mark.parametrize("state", [Membership.State.PENDING, Membership.State.INVITED, Membership.State.LEFT])
def test_only_active_members_have_a_role_to_change(network, admin, outsider, state):
    membership = membership_in(network, outsider, state=state)

    with pytest.raises(services.NetworkError, match="Only active members"):
        services.change_role(actor=admin, membership=membership, role=Membership.Role.CHAMPION)

    assert _row(network, outsider).role == Membership.Role.MEMBER


def test_an_unknown_role_is_refused(network, admin, member):
    with pytest.raises(services.NetworkError, match="roles offered"):
        services.change_role(actor=admin, membership=_row(network, member), role="overlord")


def test_leaving_or_changing_role_makes_open_sockets_recheck_their_streams_on_commit(
    network, member, admin, monkeypatch, django_capture_on_commit_callbacks
):
    rechecked: list[int] = []
    monkeypatch.setattr(services, "recheck_user_subscriptions", lambda *, user_id: rechecked.append(user_id))
    champion_row = MembershipFactory(network=network, role=Membership.Role.CHAMPION)

    with django_capture_on_commit_callbacks(execute=True):
        services.leave_network(user=member, network=network)
        assert rechecked == []  # not before the change is committed
    with django_capture_on_commit_callbacks(execute=True):
        services.change_role(actor=admin, membership=champion_row, role=Membership.Role.MEMBER)

    assert rechecked == [member.pk, champion_row.user.pk]
