"""Sanctions on members: warnings, mutes and suspensions, what each changes and records, lifting them,
their expiry (by the service, the command and the middleware), who may sanction whom, and what a
suspension means for joining, invitations, leaving and the network's pages."""

import time
from datetime import datetime, timedelta
from io import StringIO
from types import SimpleNamespace

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from forums.permissions import chat as chat_permissions
from forums.permissions.roles import muted_notice
from forums.services.chat import create_general_room
from moderation import middleware
from moderation.models import AuditEntry, Sanction, TargetKind
from moderation.permissions import can_report
from moderation.services import members as services
from network import permissions as network_permissions
from network import selectors as network_selectors
from network import services as network_services
from network.models import Membership, Network
from profiles.models import User
from tests.factories import MembershipFactory, UserFactory
from tests.network.conftest import members_only  # noqa: F401  (fixture used here too)

pytestmark = pytest.mark.django_db


def row(network: Network, user: User) -> Membership:
    return Membership.objects.select_related("user", "network").get(network=network, user=user)


def later(**delta: float) -> datetime:
    return timezone.now() + timedelta(**(delta or {"days": 1}))


def mute(
    network: Network, moderator: User, user: User, *, reason: str = "Spam links", **delta: float
) -> Sanction:
    return services.mute(actor=moderator, membership=row(network, user), reason=reason, until=later(**delta))


def suspend(
    network: Network, moderator: User, user: User, *, reason: str = "Harassment", **delta: float
) -> Sanction:
    return services.suspend(
        actor=moderator, membership=row(network, user), reason=reason, until=later(**delta)
    )


def entry_of(action: str) -> AuditEntry:
    return AuditEntry.objects.select_related("actor", "target_user").get(action=action)


# --- Warnings ---------------------------------------------------------------------------------------


def test_a_warning_is_kept_with_its_reason_and_logged_out_of_the_public_log(network, member, moderator):
    sanction = services.warn(
        actor=moderator, membership=row(network, member), reason="  No insults, please. "
    )

    entry = entry_of(AuditEntry.Action.MEMBER_WARN)
    assert (sanction.kind, sanction.reason, sanction.created_by, sanction.expires_at) == (
        Sanction.Kind.WARNING,
        "No insults, please.",
        moderator,
        None,
    )
    assert (
        entry.actor,
        entry.target_kind,
        entry.target_id,
        entry.target_user,
        entry.reason,
        entry.public,
    ) == (
        moderator,
        TargetKind.MEMBER,
        member.pk,
        member,
        "No insults, please.",
        False,
    )
    assert row(network, member).state == Membership.State.ACTIVE


def test_a_warned_member_reads_the_warning_on_the_networks_home_and_nobody_else_does(
    client, network, member, champion, moderator
):
    services.warn(actor=moderator, membership=row(network, member), reason="No insults, please.")

    client.force_login(member)
    own = client.get(network.get_absolute_url()).content.decode()
    client.force_login(champion)
    others = client.get(network.get_absolute_url()).content.decode()

    assert "The moderators warned you" in own
    assert "No insults, please." in own
    assert "No insults, please." not in others


def test_old_warnings_are_no_longer_shown_to_the_member(client, network, member, moderator):
    sanction = services.warn(actor=moderator, membership=row(network, member), reason="No insults, please.")
    Sanction.objects.filter(pk=sanction.pk).update(created_at=timezone.now() - timedelta(days=91))

    client.force_login(member)

    assert "No insults, please." not in client.get(network.get_absolute_url()).content.decode()


# --- Mutes ------------------------------------------------------------------------------------------


def test_a_mute_lets_the_member_read_but_not_post_and_says_why(network, member, moderator):
    room = create_general_room(network=network)
    until = later(hours=1)

    sanction = services.mute(
        actor=moderator, membership=row(network, member), reason="Spam links", until=until
    )

    membership = row(network, member)
    assert (membership.muted_until, membership.mute_reason) == (until, "Spam links")
    assert (sanction.kind, sanction.expires_at) == (Sanction.Kind.MUTE, until)
    assert chat_permissions.can_read_room(member, room)
    assert not chat_permissions.can_post_in_room(member, room)
    assert "Spam links" in muted_notice(membership)
    assert can_report(member, network)


def test_a_mute_is_logged_publicly_with_what_it_changed(network, member, moderator):
    until = later(hours=1)
    services.mute(actor=moderator, membership=row(network, member), reason="Spam links", until=until)

    entry = entry_of(AuditEntry.Action.MEMBER_MUTE)

    assert (entry.actor, entry.target_user, entry.reason, entry.public) == (
        moderator,
        member,
        "Spam links",
        True,
    )
    assert (entry.before, entry.after) == ({"muted_until": None}, {"muted_until": until.isoformat()})


def test_muting_someone_already_muted_says_until_when_and_changes_nothing(network, member, moderator):
    mute(network, moderator, member, hours=1)

    with pytest.raises(ValidationError, match="already muted until"):
        mute(network, moderator, member, reason="Again", days=7)

    assert Sanction.objects.count() == 1
    assert row(network, member).mute_reason == "Spam links"


def test_a_mute_that_ended_is_recorded_as_ended_before_a_new_one(network, member, moderator):
    mute(network, moderator, member, hours=1)
    Membership.objects.filter(user=member).update(muted_until=timezone.now() - timedelta(minutes=1))

    mute(network, moderator, member, reason="Again", hours=2)

    assert row(network, member).mute_reason == "Again"
    assert AuditEntry.objects.filter(action=AuditEntry.Action.MEMBER_EXPIRE, actor=None).count() == 1


def test_muting_a_suspended_member_is_refused(network, member, moderator):
    suspend(network, moderator, member)

    with pytest.raises(ValidationError, match="is suspended"):
        mute(network, moderator, member)


@pytest.mark.parametrize(
    ("reason", "delta", "field"),
    [
        ("   ", {"hours": 1}, "reason"),
        ("x" * 1001, {"hours": 1}, "reason"),
        ("Spam", {"minutes": -1}, "until"),
        ("Spam", {"days": 366}, "until"),
    ],
)
@pytest.mark.parametrize("action", [services.mute, services.suspend])
def test_a_sanction_needs_a_reason_and_an_end_within_a_year(
    network, member, moderator, action, reason, delta, field
):
    with pytest.raises(ValidationError) as refused:
        action(actor=moderator, membership=row(network, member), reason=reason, until=later(**delta))

    assert list(refused.value.message_dict) == [field]
    assert not Sanction.objects.exists()
    assert not AuditEntry.objects.exists()


# --- Suspensions ------------------------------------------------------------------------------------


def test_a_suspension_takes_the_member_out_of_everything_members_do(network, member, moderator):
    room = create_general_room(network=network)
    until = later(days=3)

    services.suspend(actor=moderator, membership=row(network, member), reason="Harassment", until=until)

    membership = row(network, member)
    assert (membership.state, membership.suspended_until, membership.role) == (
        Membership.State.SUSPENDED,
        until,
        Membership.Role.MEMBER,
    )
    assert not chat_permissions.can_read_room(member, room)
    assert not can_report(member, network)
    assert not network_permissions.can_view_members(member, network)


def test_a_suspension_is_logged_with_the_state_before_and_after(network, member, moderator):
    until = later(days=3)
    services.suspend(actor=moderator, membership=row(network, member), reason="Harassment", until=until)

    entry = entry_of(AuditEntry.Action.MEMBER_SUSPEND)

    assert (entry.reason, entry.public, entry.target_user) == ("Harassment", True, member)
    assert entry.before == {"state": "active"}
    assert entry.after == {"state": "suspended", "suspended_until": until.isoformat()}


def test_suspending_someone_already_suspended_says_until_when(network, member, moderator):
    suspend(network, moderator, member)

    with pytest.raises(ValidationError, match="already suspended until"):
        suspend(network, moderator, member, days=7)


def test_a_suspended_moderator_moderates_no_more(network, moderator, admin):
    suspend(network, admin, moderator)

    with pytest.raises(PermissionDenied):
        services.warn(actor=moderator, membership=row(network, admin), reason="Retaliation")


# --- Lifting ----------------------------------------------------------------------------------------


def test_lifting_a_mute_lets_the_member_post_again_and_says_who_and_why(network, member, moderator):
    room = create_general_room(network=network)
    sanction = mute(network, moderator, member)

    lifted = services.lift(actor=moderator, sanction=sanction, reason="Apologised")

    entry = entry_of(AuditEntry.Action.MEMBER_LIFT)
    assert (lifted.lifted_by, lifted.lifted_at is not None) == (moderator, True)
    assert (row(network, member).muted_until, row(network, member).mute_reason) == (None, "")
    assert chat_permissions.can_post_in_room(member, room)
    assert (entry.actor, entry.reason, entry.after) == (moderator, "Apologised", {"muted_until": None})


def test_lifting_a_suspension_gives_the_membership_back_as_it_was(network, champion, moderator):
    sanction = suspend(network, moderator, champion)

    services.lift(actor=moderator, sanction=sanction)

    membership = row(network, champion)
    assert (membership.state, membership.role, membership.suspended_until) == (
        Membership.State.ACTIVE,
        Membership.Role.CHAMPION,
        None,
    )
    assert entry_of(AuditEntry.Action.MEMBER_LIFT).after == {"state": "active", "suspended_until": None}


def test_lifting_twice_says_who_lifted_first(network, member, moderator, admin):
    sanction = mute(network, moderator, member)
    services.lift(actor=admin, sanction=sanction)

    with pytest.raises(ValidationError, match=f"{admin} already lifted this mute"):
        services.lift(actor=moderator, sanction=sanction)

    assert AuditEntry.objects.filter(action=AuditEntry.Action.MEMBER_LIFT).count() == 1


@pytest.mark.parametrize(
    ("kind", "message"),
    [("mute", "This mute has already ended."), ("suspend", "This suspension has already ended.")],
)
def test_lifting_a_sanction_that_has_ended_says_so(network, member, moderator, kind, message):
    sanction = mute(network, moderator, member) if kind == "mute" else suspend(network, moderator, member)
    Sanction.objects.filter(pk=sanction.pk).update(expires_at=timezone.now() - timedelta(seconds=1))

    with pytest.raises(ValidationError, match=message):
        services.lift(actor=moderator, sanction=sanction)


def test_a_warning_has_nothing_to_lift(network, member, moderator):
    sanction = services.warn(actor=moderator, membership=row(network, member), reason="Careful")

    with pytest.raises(ValidationError, match="nothing to lift"):
        services.lift(actor=moderator, sanction=sanction)


# --- Who may sanction whom --------------------------------------------------------------------------


@pytest.fixture
def other_moderator(db) -> User:
    return MembershipFactory(role=Membership.Role.MODERATOR).user


@pytest.mark.parametrize(
    ("actor", "target", "message"),
    [
        ("moderator", "moderator", "You cannot sanction yourself."),
        ("moderator", "admin", "Admins of a network can be sanctioned only by the site's operators."),
        ("moderator", "peer", "Only the network's admins can sanction its moderators."),
        ("moderator", "left", "This person is not a member of this network."),
        ("other_moderator", "member", "Only this network's moderators and admins can do this."),
        ("champion", "member", "Only this network's moderators and admins can do this."),
    ],
)
def test_refused_sanctions_say_why_and_change_nothing(
    request, network, moderator, admin, actor, target, message
):
    targets = {
        "moderator": moderator,
        "admin": admin,
        "peer": MembershipFactory(network=network, role=Membership.Role.MODERATOR).user,
        "left": MembershipFactory(network=network, state=Membership.State.LEFT).user,
        "member": request.getfixturevalue("member"),
    }
    acting = request.getfixturevalue(actor) if actor != "moderator" else moderator

    with pytest.raises(PermissionDenied, match=message):
        services.warn(actor=acting, membership=row(network, targets[target]), reason="Why not")

    assert not Sanction.objects.exists()
    assert not AuditEntry.objects.exists()


def test_admins_sanction_moderators_and_operators_sanction_admins(network, moderator, admin):
    operator = UserFactory(is_superuser=True)

    services.warn(actor=admin, membership=row(network, moderator), reason="Be gentler")
    services.warn(actor=operator, membership=row(network, admin), reason="Be gentler too")

    assert Sanction.objects.count() == 2


def test_a_member_who_left_cannot_have_a_mute_lifted_either(network, member, moderator):
    sanction = mute(network, moderator, member)
    Membership.objects.filter(user=member).update(state=Membership.State.LEFT)

    with pytest.raises(PermissionDenied, match="not a member"):
        services.lift(actor=moderator, sanction=sanction)


# --- Expiry -----------------------------------------------------------------------------------------


def test_lift_expired_ends_what_is_due_and_nothing_else(network, moderator):
    short_mute, suspended, long_mute = (MembershipFactory(network=network).user for _ in range(3))
    mute(network, moderator, short_mute, hours=1)
    suspend(network, moderator, suspended, days=1)
    mute(network, moderator, long_mute, days=7)

    ended = services.lift_expired(now=timezone.now() + timedelta(days=2))

    assert ended == 2
    assert row(network, short_mute).muted_until is None
    assert row(network, suspended).state == Membership.State.ACTIVE
    assert row(network, long_mute).muted_until is not None
    expired = AuditEntry.objects.filter(action=AuditEntry.Action.MEMBER_EXPIRE)
    assert sorted((entry.actor, entry.target_id) for entry in expired) == sorted(
        [(None, short_mute.pk), (None, suspended.pk)]
    )
    assert expired.get(target_id=suspended.pk).after == {"state": "active", "suspended_until": None}


def test_lift_expired_ends_each_sanction_once(network, member, moderator):
    mute(network, moderator, member, hours=1)
    future = timezone.now() + timedelta(hours=2)

    assert services.lift_expired(now=future) == 1
    assert services.lift_expired(now=future) == 0
    assert AuditEntry.objects.filter(action=AuditEntry.Action.MEMBER_EXPIRE).count() == 1


def test_a_mute_and_a_suspension_of_one_member_both_end(network, member, moderator):
    mute(network, moderator, member, hours=1)
    suspend(network, moderator, member, hours=2)

    assert services.lift_expired(now=timezone.now() + timedelta(hours=3)) == 2
    assert (row(network, member).state, row(network, member).muted_until) == (Membership.State.ACTIVE, None)


def test_nothing_is_due_before_its_time(network, member, moderator):
    mute(network, moderator, member, hours=1)

    assert services.lift_expired() == 0
    assert row(network, member).muted_until is not None


def test_the_command_ends_what_is_due(network, member):
    Membership.objects.filter(user=member).update(
        state=Membership.State.SUSPENDED, suspended_until=timezone.now() - timedelta(seconds=1)
    )
    out = StringIO()

    call_command("lift_expired_sanctions", stdout=out)

    assert out.getvalue().strip() == "1 sanction ended."
    assert row(network, member).state == Membership.State.ACTIVE


@pytest.fixture
def clock(monkeypatch, settings) -> SimpleNamespace:
    """The middleware on, with a clock the test moves, and its runs counted instead of done."""
    settings.MODERATION_EXPIRY_INTERVAL = 15
    clock = SimpleNamespace(now=1000.0, runs=0)

    def count_run() -> int:
        clock.runs += 1
        return 0

    monkeypatch.setattr(middleware, "time", SimpleNamespace(monotonic=lambda: clock.now))
    monkeypatch.setattr(middleware, "lift_expired", count_run)
    monkeypatch.setattr(middleware, "_next_run", 0.0)
    return clock


def test_the_middleware_runs_at_most_once_an_interval_in_a_process(client, clock):
    client.get("/")
    client.get("/")
    clock.now += 14.9
    client.get("/")
    assert clock.runs == 1

    clock.now += 0.2
    client.get("/")
    client.get("/")
    assert clock.runs == 2


def test_the_middleware_is_off_without_an_interval(client, clock, settings):
    settings.MODERATION_EXPIRY_INTERVAL = None

    client.get("/")

    assert clock.runs == 0


def test_a_suspension_that_ended_is_lifted_before_the_members_page_is_served(
    client,
    monkeypatch,
    settings,
    members_only,  # noqa: F811  (the imported fixture)
    member,
):
    settings.MODERATION_EXPIRY_INTERVAL = 15
    monkeypatch.setattr(middleware, "_next_run", 0.0)
    Membership.objects.filter(user=member).update(
        state=Membership.State.SUSPENDED, suspended_until=timezone.now() - timedelta(seconds=1)
    )
    client.force_login(member)

    response = client.get(reverse("network:members", args=[members_only.slug]))

    assert response.status_code == 200
    assert row(members_only, member).state == Membership.State.ACTIVE


def test_between_two_runs_a_request_asks_nothing_more_of_the_database(client, monkeypatch, settings):
    settings.MODERATION_EXPIRY_INTERVAL = None
    client.get("/")
    with CaptureQueriesContext(connection) as off:
        client.get("/")
    settings.MODERATION_EXPIRY_INTERVAL = 3600
    monkeypatch.setattr(middleware, "_next_run", time.monotonic() + 3600)
    with CaptureQueriesContext(connection) as on:
        client.get("/")

    assert len(on.captured_queries) == len(off.captured_queries)


# --- What a suspension means in the network --------------------------------------------------------


@pytest.fixture
def suspended(network, moderator) -> User:
    user = MembershipFactory(network=network).user
    suspend(network, moderator, user, reason="Harassment of other members")
    return user


def test_a_suspended_member_cannot_join_again(network, suspended):
    network.join_policy = Network.JoinPolicy.OPEN
    network.save()

    refusal = network_permissions.request_to_join_refusal(suspended, network, row(network, suspended))
    with pytest.raises(network_services.NetworkError, match="You are suspended from this network until"):
        network_services.request_to_join(user=suspended, network=network)

    assert refusal is not None
    assert refusal.startswith("You are suspended from this network until")
    assert row(network, suspended).state == Membership.State.SUSPENDED


def test_a_suspended_member_cannot_be_invited(network, suspended, admin):
    with pytest.raises(network_services.NetworkError, match="is suspended from this network"):
        network_services.invite_member(actor=admin, network=network, email=suspended.email)


def test_a_suspended_member_cannot_leave_to_end_the_suspension(network, suspended):
    with pytest.raises(PermissionDenied, match="while you are suspended"):
        network_services.leave_network(user=suspended, network=network)

    assert row(network, suspended).state == Membership.State.SUSPENDED


def test_suspended_members_are_listed_to_moderators_only(network, suspended, moderator, member):
    for_moderator = network_selectors.members_page(
        moderator, network_selectors.visible_network(moderator, network.slug), 1
    )
    for_member = network_selectors.members_page(
        member, network_selectors.visible_network(member, network.slug), 1
    )

    assert [row.user for row in for_moderator.suspended] == [suspended]
    assert for_member.suspended == []
    assert suspended not in [row.membership.user for row in for_moderator.rows]
    assert (for_moderator.can_moderate, for_member.can_moderate) == (True, False)


def test_the_networks_home_counts_suspended_members_for_moderators_only(
    client, network, suspended, moderator, member
):
    home_for = {
        who: network_selectors.network_home(who, network_selectors.visible_network(who, network.slug))
        for who in (moderator, member)
    }
    client.force_login(moderator)

    assert (home_for[moderator].suspended_count, home_for[member].suspended_count) == (1, 0)
    assert "1 member suspended" in client.get(network.get_absolute_url()).content.decode()


def test_a_suspended_member_reads_why_and_until_when_on_the_networks_home(client, network, suspended):
    client.force_login(suspended)

    page = client.get(network.get_absolute_url()).content.decode()

    assert "You are suspended from this network until" in page
    assert "Harassment of other members" in page
    assert "Leave this network" not in page


def test_a_suspended_member_of_a_members_only_network_reads_why_and_nothing_inside(
    client,
    members_only,  # noqa: F811  (the imported fixture)
    suspended,
):
    members_only.mission = "Our private mission statement."
    members_only.save()
    client.force_login(suspended)

    home = client.get(members_only.get_absolute_url())
    forum = client.get(reverse("forum:index", args=[members_only.slug]))
    members = client.get(reverse("network:members", args=[members_only.slug]))

    assert home.status_code == 200
    assert "Harassment of other members" in home.content.decode()
    assert "Our private mission statement." not in home.content.decode()
    assert (forum.status_code, members.status_code) == (404, 403)
    assert not network_permissions.visible_networks(suspended).filter(pk=members_only.pk).exists()
