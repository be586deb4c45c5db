"""What people do to networks and memberships: one function per intent.

Every service locks the network's row first, so that membership changes of one network happen one
after another: two admins demoting each other at the same moment cannot leave the network without an
admin, and a double-clicked "Join" cannot create two rows. Emails leave only once the change is
committed.
"""

from collections.abc import Callable, Iterable
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from forums.services.chat import create_general_room
from network import permissions
from network.models import Membership, Network
from profiles.models import User
from realtime.services import recheck_user_subscriptions
from richtext import render_markdown


class NetworkError(Exception):
    """A request that the network's rules refuse for a reason the person can act on; views show the
    message as a form error or a flash message."""


# --- Networks ---------------------------------------------------------------------------------------


@transaction.atomic
def create_network(
    *,
    actor: User,
    name: str,
    slug: str,
    mission: str,
    tagline: str,
    visibility: str,
    join_policy: str,
) -> Network:
    """Found a network; its founder becomes its first admin, and its general chat room opens."""
    permissions.check_create_network(actor)
    if Network.objects.filter(slug__iexact=slug).exists():
        raise NetworkError(_("Another network already uses that address."))
    name, tagline = one_line(name), one_line(tagline)
    _ensure_name_free(name)
    network = Network.objects.create(
        name=name,
        slug=slug,
        tagline=tagline,
        mission=mission,
        mission_html=render_markdown(mission),
        visibility=visibility,
        join_policy=join_policy,
    )
    Membership.objects.create(
        network=network,
        user=actor,
        role=Membership.Role.ADMIN,
        state=Membership.State.ACTIVE,
        joined_at=timezone.now(),
    )
    create_general_room(network=network)
    return network


@transaction.atomic
def update_network(
    *,
    actor: User,
    network: Network,
    name: str,
    tagline: str,
    mission: str,
    visibility: str,
    join_policy: str,
    posts_awaiting_approval: int | None = None,
) -> Network:
    """Change what a network says about itself and who may see and join it, and (unless None) how many
    of a new member's first posts wait for a moderator's approval. Its address stays."""
    network = _lock(network)
    permissions.check_update_network(actor, network)
    name, tagline = one_line(name), one_line(tagline)
    _ensure_name_free(name, other_than=network)
    network.name = name
    network.tagline = tagline
    network.mission = mission
    network.mission_html = render_markdown(mission)
    network.visibility = visibility
    network.join_policy = join_policy
    if posts_awaiting_approval is not None:
        network.posts_awaiting_approval = posts_awaiting_approval
    network.save()
    return network


def one_line(text: str) -> str:
    """`text` on one line, its runs of spaces as one: a network's name and tagline head its pages and the
    subjects of its mails, where a line break has no place (a mail header cannot hold one at all)."""
    return " ".join(text.split())


def _ensure_name_free(name: str, *, other_than: Network | None = None) -> None:
    same_name = Network.objects.filter(name__iexact=name)
    if other_than is not None:
        same_name = same_name.exclude(pk=other_than.pk)
    if same_name.exists():
        raise NetworkError(_("Another network already has that name."))


# --- Joining and leaving ----------------------------------------------------------------------------


@transaction.atomic
def request_to_join(*, user: User, network: Network, message: str = "") -> Membership:
    """Join an open network at once, or ask to join one whose admins approve each member."""
    network = _lock(network)
    membership = _membership_row(user, network)
    if membership is not None and membership.state == Membership.State.PENDING:
        raise NetworkError(_("You already asked to join; an admin will answer."))
    if membership is not None and membership.state == Membership.State.ACTIVE:
        raise NetworkError(_("You are already a member of this network."))
    suspension = permissions.suspended_notice(membership)
    if suspension is not None:
        raise NetworkError(suspension)
    permissions.check_request_to_join(user, network)

    membership = membership or Membership(network=network, user=user)
    now = timezone.now()
    joins_now = network.join_policy == Network.JoinPolicy.OPEN
    _reset(membership)
    membership.message = message
    membership.state = Membership.State.ACTIVE if joins_now else Membership.State.PENDING
    membership.joined_at = now if joins_now else None
    membership.save()
    if not joins_now:
        _email_on_commit(
            recipients=_active_admins(network),
            subject=_("%(person)s asks to join %(network)s") % {"person": user, "network": network},
            template="join_requested",
            context={"membership": membership, "members_url": _absolute(network, "network:members")},
        )
    return membership


@transaction.atomic
def leave_network(*, user: User, network: Network) -> Membership:
    network = _lock(network)
    permissions.check_leave_network(user, network)
    membership = Membership.objects.select_for_update().get(network=network, user=user)
    membership.state = Membership.State.LEFT
    membership.role = Membership.Role.MEMBER
    membership.left_at = timezone.now()
    membership.save()
    _recheck_sockets_on_commit(user)
    return membership


@transaction.atomic
def approve_membership(*, actor: User, membership: Membership) -> Membership:
    membership = _decide_pending(actor=actor, membership=membership, state=Membership.State.ACTIVE)
    _email_on_commit(
        recipients=[membership.user],
        subject=_("Welcome to %(network)s") % {"network": membership.network},
        template="membership_approved",
        context={"membership": membership, "network_url": _absolute(membership.network, "network:home")},
    )
    return membership


@transaction.atomic
def decline_membership(*, actor: User, membership: Membership) -> Membership:
    membership = _decide_pending(actor=actor, membership=membership, state=Membership.State.DECLINED)
    _email_on_commit(
        recipients=[membership.user],
        subject=_("Your request to join %(network)s") % {"network": membership.network},
        template="membership_declined",
        context={"membership": membership},
    )
    return membership


def _decide_pending(*, actor: User, membership: Membership, state: str) -> Membership:
    network = _lock(membership.network)
    permissions.check_manage_members(actor, network)
    membership = Membership.objects.select_for_update().select_related("user").get(pk=membership.pk)
    membership.network = network
    if membership.state != Membership.State.PENDING:
        raise NetworkError(_("This request has already been answered."))
    now = timezone.now()
    membership.state = state
    membership.decided_by = actor
    membership.decided_at = now
    if state == Membership.State.ACTIVE:
        membership.joined_at = now
    membership.save()
    return membership


# --- Invitations ------------------------------------------------------------------------------------


@transaction.atomic
def invite_member(*, actor: User, network: Network, email: str) -> Membership:
    """Invite someone who already has an account, found by their email address."""
    network = _lock(network)
    permissions.check_manage_members(actor, network)
    invitee = User.objects.filter(email__iexact=email.strip(), is_active=True).first()
    if invitee is None:
        raise NetworkError(_("No member has that email address; ask them to sign up first."))
    membership = _membership_row(invitee, network)
    state = membership.state if membership is not None else None
    if state == Membership.State.ACTIVE:
        raise NetworkError(_("%(person)s is already a member of this network.") % {"person": invitee})
    if state == Membership.State.INVITED:
        raise NetworkError(_("%(person)s is already invited to this network.") % {"person": invitee})
    if state == Membership.State.PENDING:
        raise NetworkError(
            _("%(person)s has already asked to join: approve their request instead.") % {"person": invitee}
        )
    if state == Membership.State.SUSPENDED:
        raise NetworkError(
            _("%(person)s is suspended from this network: the suspension has to end first.")
            % {"person": invitee}
        )

    membership = membership or Membership(network=network, user=invitee)
    _reset(membership)
    membership.state = Membership.State.INVITED
    membership.invited_by = actor
    membership.save()
    _email_on_commit(
        recipients=[invitee],
        subject=_("%(person)s invites you to %(network)s") % {"person": actor, "network": network},
        template="invitation",
        context={"membership": membership, "network_url": _absolute(network, "network:home")},
    )
    return membership


@transaction.atomic
def accept_invitation(*, user: User, network: Network) -> Membership:
    membership = _invitation(user, network)
    now = timezone.now()
    membership.state = Membership.State.ACTIVE
    membership.joined_at = now
    membership.decided_by = user
    membership.decided_at = now
    membership.save()
    return membership


@transaction.atomic
def decline_invitation(*, user: User, network: Network) -> Membership:
    membership = _invitation(user, network)
    membership.state = Membership.State.DECLINED
    membership.decided_by = user
    membership.decided_at = timezone.now()
    membership.save()
    return membership


@transaction.atomic
def withdraw_invitation(*, actor: User, membership: Membership) -> Membership:
    """Take back an invitation that its invitee has not answered yet."""
    network = _lock(membership.network)
    permissions.check_manage_members(actor, network)
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    if membership.state != Membership.State.INVITED:
        raise NetworkError(_("This invitation has already been answered."))
    membership.state = Membership.State.DECLINED
    membership.decided_by = actor
    membership.decided_at = timezone.now()
    membership.save()
    return membership


def _invitation(user: User, network: Network) -> Membership:
    network = _lock(network)
    membership = _membership_row(user, network)
    if membership is None or membership.state != Membership.State.INVITED:
        raise NetworkError(_("You have no invitation to this network waiting for an answer."))
    return membership


# --- Roles ------------------------------------------------------------------------------------------


@transaction.atomic
def change_role(*, actor: User, membership: Membership, role: str) -> Membership:
    network = _lock(membership.network)
    membership = Membership.objects.select_for_update().select_related("user").get(pk=membership.pk)
    membership.network = network
    permissions.check_change_role(actor, membership)
    if role not in Membership.Role.values:
        raise NetworkError(_("Choose one of the roles offered."))
    if membership.state != Membership.State.ACTIVE:
        raise NetworkError(_("Only active members have a role to change."))
    if membership.role != role:
        membership.role = role
        membership.save()
        _recheck_sockets_on_commit(membership.user)
    return membership


# --- Helpers ----------------------------------------------------------------------------------------


def _lock(network: Network) -> Network:
    """The network's row, locked until the end of the transaction, read afresh."""
    return Network.objects.select_for_update().get(pk=network.pk)


def _membership_row(user: User, network: Network) -> Membership | None:
    return Membership.objects.select_for_update().filter(network=network, user=user).first()


def _reset(membership: Membership) -> None:
    """Clear what an earlier request, invitation or departure left on a reused row."""
    membership.role = Membership.Role.MEMBER
    membership.message = ""
    membership.invited_by = None
    membership.decided_by = None
    membership.decided_at = None
    membership.joined_at = None
    membership.left_at = None


def _active_admins(network: Network) -> list[User]:
    return list(
        User.objects.filter(
            memberships__network=network,
            memberships__state=Membership.State.ACTIVE,
            memberships__role=Membership.Role.ADMIN,
            is_active=True,
        )
    )


def _recheck_sockets_on_commit(user: User) -> None:
    """A member who leaves or loses a role stops receiving the streams it no longer may read at once,
    not when the page next reconnects."""
    user_id = user.pk

    # A named function rather than a partial: Django logs a failed robust callback by its __qualname__.
    def recheck() -> None:
        recheck_user_subscriptions(user_id=user_id)

    transaction.on_commit(recheck, robust=True)


def _mail(subject: str, body: str, address: str) -> Callable[[], None]:
    """A named function that sends one mail (Django logs a failed robust callback by its __qualname__)."""

    def send() -> None:
        send_mail(
            # A subject with a line break would be refused outright (BadHeaderError), mail lost.
            subject=one_line(f"{settings.ACCOUNT_EMAIL_SUBJECT_PREFIX}{subject}"),
            message=body,
            from_email=None,
            recipient_list=[address],
        )

    return send


def _absolute(network: Network, url_name: str) -> str:
    return f"{settings.SITE_URL}{reverse(url_name, args=[network.slug])}"


def _email_on_commit(
    *, recipients: Iterable[User], subject: str, template: str, context: dict[str, Any]
) -> None:
    """Render one plain-text email per recipient now, and send them once the transaction commits.

    `robust`: the change is already committed when the mail goes out, so a mail server failure is
    logged rather than turned into an error page for a change that did happen.
    """
    for recipient in recipients:
        body = render_to_string(
            f"network/email/{template}.txt",
            {**context, "recipient": recipient, "site_url": settings.SITE_URL},
        )
        transaction.on_commit(_mail(subject, body, recipient.email), robust=True)
