"""Who may report, moderate, sanction and read the logs: the one source of truth for moderation's views,
templates, the websocket and services.

As elsewhere, each rule is a `<verb>_<object>_refusal(...)` over the person's own membership row in the
network concerned, returning the human reason for a refusal or None; `can_*` answers and `check_*` raises
PermissionDenied with that reason. Moderating a network takes an active moderator or admin role in that
very network (or being a site operator): a moderator of another network is nobody here.
"""

from django.utils.translation import gettext as _

from forums.models import Post
from forums.permissions.roles import is_active, moderates, raise_if
from network.models import Membership, Network
from network.permissions import AnyUser, active_membership, can_view_network

# --- Moderating -------------------------------------------------------------------------------------


def moderate_refusal(user: AnyUser, membership: Membership | None) -> str | None:
    """Why `user`, whose own row in a network is `membership`, may not moderate it (see its queue, act on
    its content and members, read its full log), or None."""
    if not user.is_authenticated:
        return _("Log in to moderate.")
    if moderates(user, membership):
        return None
    return _("Only this network's moderators and admins can do this.")


def can_moderate(user: AnyUser, network: Network) -> bool:
    return moderate_refusal(user, active_membership(user, network)) is None


def check_moderate(user: AnyUser, network: Network) -> None:
    raise_if(moderate_refusal(user, active_membership(user, network)))


def may_follow_moderation(user: AnyUser, network_id: str) -> bool:
    """Who may subscribe to `moderation:<network id>`, the live queue: the network's moderators."""
    network = Network.objects.filter(pk=network_id).first() if network_id.isdecimal() else None
    return network is not None and can_moderate(user, network)


# --- Reporting --------------------------------------------------------------------------------------


def report_refusal(user: AnyUser, membership: Membership | None) -> str | None:
    """Why `user` may not report something in a network: reports come from its active members (a muted
    member still may: a mute stops posting, not warning the moderators)."""
    if not user.is_authenticated:
        return _("Log in to report something to the moderators.")
    if user.is_superuser or is_active(membership):
        return None
    return _("Only members of this network can report what is in it.")


def can_report(user: AnyUser, network: Network) -> bool:
    return report_refusal(user, active_membership(user, network)) is None


def check_report(user: AnyUser, network: Network) -> None:
    raise_if(report_refusal(user, active_membership(user, network)))


# --- Sanctioning members ----------------------------------------------------------------------------


def sanction_refusal(
    actor: AnyUser, actor_membership: Membership | None, target: Membership | None
) -> str | None:
    """Why `actor` may not warn, mute, suspend, or lift the sanction of, the member whose row is `target`.
    Moderators act on members and champions; only admins act on moderators; admins answer to the site's
    operators only."""
    refusal = moderate_refusal(actor, actor_membership)
    if refusal is not None:
        return refusal
    if target is None or target.state not in (Membership.State.ACTIVE, Membership.State.SUSPENDED):
        return _("This person is not a member of this network.")
    if target.user_id == actor.pk:
        return _("You cannot sanction yourself.")
    if actor.is_superuser:
        return None
    if target.role == Membership.Role.ADMIN:
        return _("Admins of a network can be sanctioned only by the site's operators.")
    assert actor_membership is not None  # moderate_refusal let a non-operator through on their row
    if target.role == Membership.Role.MODERATOR and actor_membership.role != Membership.Role.ADMIN:
        return _("Only the network's admins can sanction its moderators.")
    return None


def can_sanction(actor: AnyUser, target: Membership) -> bool:
    return sanction_refusal(actor, active_membership(actor, target.network), target) is None


def check_sanction(actor: AnyUser, target: Membership) -> None:
    raise_if(sanction_refusal(actor, active_membership(actor, target.network), target))


# --- The logs ---------------------------------------------------------------------------------------


def can_read_public_log(user: AnyUser, network: Network) -> bool:
    """The public moderation log is for whoever may see the network."""
    return can_view_network(user, network)


# --- First posts ------------------------------------------------------------------------------------


def needs_approval(user: AnyUser, membership: Membership | None) -> bool:
    """Whether what `user` posts in the network of `membership` waits for a moderator's approval: the
    first posts of a plain member, until the network's `posts_awaiting_approval` of them were approved.
    Champions, moderators and admins are trusted by their role, and so is a member with that many posts
    on show already: they wrote them before the network turned approval on, and nobody is a newcomer for
    having written before a setting."""
    if not user.is_authenticated or user.is_superuser or membership is None:
        return False
    needed = membership.network.posts_awaiting_approval
    if membership.role != Membership.Role.MEMBER or membership.approved_posts >= needed:
        return False
    shown = Post.objects.filter(
        author_id=user.pk, topic__network_id=membership.network_id, deleted_at__isnull=True, is_hidden=False
    )
    return shown.count() < needed
