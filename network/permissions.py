"""Who may do what in a network: the one source of truth for views, templates, consumers and services.

`can_<verb>_<object>(user, obj) -> bool` answers; `check_<verb>_<object>(user, obj)` raises
PermissionDenied with the reason. Superusers are site operators and may do everything a network admin may.

Each rule is written once, as a `<verb>_<object>_refusal(...)` function over the facts it needs (the
person's own membership row, the number of active admins) that returns the human reason for a refusal,
or None. `can_*` and `check_*` fetch those facts for one object; selectors that list many objects fetch
them in bulk and call the same refusal functions, so that a page asks the same rule without a query per row.
"""

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from network.models import Membership, Network
from profiles.models import User

AnyUser = User | AnonymousUser

# Invitees may look at the network they are invited to before they accept.
SEES_MEMBERS_ONLY_NETWORK = (Membership.State.ACTIVE, Membership.State.INVITED)


def _raise_if(reason: str | None) -> None:
    if reason is not None:
        raise PermissionDenied(reason)


# --- Facts ------------------------------------------------------------------------------------------


def membership_of(user: AnyUser, network: Network) -> Membership | None:
    """`user`'s membership row in `network`, whatever its state, or None."""
    if not user.is_authenticated:
        return None
    return Membership.objects.filter(user=user, network=network).first()


def active_membership(user: AnyUser, network: Network) -> Membership | None:
    if not user.is_authenticated:
        return None
    return Membership.objects.filter(user=user, network=network, state=Membership.State.ACTIVE).first()


def active_admin_count(network: Network) -> int:
    return Membership.objects.filter(
        network=network, state=Membership.State.ACTIVE, role=Membership.Role.ADMIN
    ).count()


def _is_active(membership: Membership | None) -> bool:
    return membership is not None and membership.state == Membership.State.ACTIVE


def _is_active_admin(membership: Membership | None) -> bool:
    return _is_active(membership) and membership is not None and membership.role == Membership.Role.ADMIN


def _administers(user: AnyUser, membership: Membership | None) -> bool:
    """Whether `user`, whose own row in a network is `membership`, runs that network."""
    return user.is_authenticated and (user.is_superuser or _is_active_admin(membership))


# --- Standing ---------------------------------------------------------------------------------------


def suspended_notice(membership: Membership | None) -> str | None:
    """Why the owner of `membership` has no part in its network now (its moderators suspended them), or
    None. The suspension lasts until moderation lifts it, by hand or once `suspended_until` passes."""
    if membership is None or membership.state != Membership.State.SUSPENDED:
        return None
    if membership.suspended_until is None:
        return _("You are suspended from this network.")
    until = formats.date_format(timezone.localtime(membership.suspended_until), "DATETIME_FORMAT")
    return _("You are suspended from this network until %(until)s.") % {"until": until}


# --- Seeing a network -------------------------------------------------------------------------------


def visible_networks_q(user: AnyUser) -> Q:
    """The networks `user` may see, as a filter on Network (for lists, directories and search)."""
    if user.is_authenticated and user.is_superuser:
        return Q()
    public = Q(visibility=Network.Visibility.PUBLIC)
    if not user.is_authenticated:
        return public
    # A subquery rather than a join: the caller's rows stay one per network, with no DISTINCT needed.
    sees_as_member = Exists(
        Membership.objects.filter(network=OuterRef("pk"), user=user, state__in=SEES_MEMBERS_ONLY_NETWORK)
    )
    return public | Q(sees_as_member)


def visible_networks(user: AnyUser) -> QuerySet[Network]:
    return Network.objects.filter(visible_networks_q(user))


def view_network_refusal(user: AnyUser, network: Network, membership: Membership | None) -> str | None:
    if network.visibility == Network.Visibility.PUBLIC:
        return None
    if user.is_authenticated and user.is_superuser:
        return None
    if membership is not None and membership.state in SEES_MEMBERS_ONLY_NETWORK:
        return None
    return _("This network is for its members only.")


def can_view_network(user: AnyUser, network: Network) -> bool:
    """Public networks are open to everyone; a members-only one to its active members and invitees."""
    if network.visibility == Network.Visibility.PUBLIC:
        return True
    return view_network_refusal(user, network, membership_of(user, network)) is None


def check_view_network(user: AnyUser, network: Network) -> None:
    if network.visibility != Network.Visibility.PUBLIC:
        _raise_if(view_network_refusal(user, network, membership_of(user, network)))


# --- Joining ----------------------------------------------------------------------------------------


def request_to_join_refusal(user: AnyUser, network: Network, membership: Membership | None) -> str | None:
    """Why `user` may not join (open policy) or ask to join (approval policy) `network`, or None."""
    if not user.is_authenticated:
        return _("Log in to join this network.")
    suspension = suspended_notice(membership)
    if suspension is not None:
        return suspension
    visibility_refusal = view_network_refusal(user, network, membership)
    if visibility_refusal is not None:
        return visibility_refusal
    state = membership.state if membership is not None else None
    if state == Membership.State.ACTIVE:
        return _("You are already a member of this network.")
    if state == Membership.State.PENDING:
        return _("You already asked to join; an admin will answer.")
    if state == Membership.State.INVITED:
        return _("You are invited to this network: accept the invitation instead.")
    if network.join_policy == Network.JoinPolicy.INVITATION:
        return _("This network admits members by invitation only: ask one of its admins to invite you.")
    return None


def can_request_to_join(user: AnyUser, network: Network) -> bool:
    return request_to_join_refusal(user, network, membership_of(user, network)) is None


def check_request_to_join(user: AnyUser, network: Network) -> None:
    _raise_if(request_to_join_refusal(user, network, membership_of(user, network)))


def leave_network_refusal(membership: Membership | None, active_admins: int) -> str | None:
    """Why the owner of `membership` may not leave its network, or None; `active_admins` counts the
    network's active admins.

    A suspended member stays until the suspension ends: leaving and joining again would end it early."""
    if membership is not None and membership.state == Membership.State.SUSPENDED:
        return _("You cannot leave this network while you are suspended from it.")
    if not _is_active(membership):
        return _("You are not a member of this network.")
    if _is_active_admin(membership) and active_admins <= 1:
        return _("You are this network's last admin: make another member admin before you leave.")
    return None


def can_leave_network(user: AnyUser, network: Network) -> bool:
    return _leave_network_refusal_for(user, network) is None


def check_leave_network(user: AnyUser, network: Network) -> None:
    _raise_if(_leave_network_refusal_for(user, network))


def _leave_network_refusal_for(user: AnyUser, network: Network) -> str | None:
    membership = membership_of(user, network)
    admins = active_admin_count(network) if _is_active_admin(membership) else 0
    return leave_network_refusal(membership, admins)


# --- Members ----------------------------------------------------------------------------------------


def view_members_refusal(user: AnyUser, membership: Membership | None) -> str | None:
    if not user.is_authenticated:
        return _("Log in to see who is in this network.")
    if user.is_superuser or _is_active(membership):
        return None
    return _("Only members of this network can see who is in it.")


def can_view_members(user: AnyUser, network: Network) -> bool:
    return view_members_refusal(user, active_membership(user, network)) is None


def check_view_members(user: AnyUser, network: Network) -> None:
    _raise_if(view_members_refusal(user, active_membership(user, network)))


def manage_members_refusal(user: AnyUser, membership: Membership | None) -> str | None:
    """Why `user`, whose own row in the network is `membership`, may not manage its members, or None."""
    if _administers(user, membership):
        return None
    return _("Only the network's admins can manage its members.")


def can_manage_members(user: AnyUser, network: Network) -> bool:
    return manage_members_refusal(user, active_membership(user, network)) is None


def check_manage_members(user: AnyUser, network: Network) -> None:
    _raise_if(manage_members_refusal(user, active_membership(user, network)))


def change_role_refusal(
    actor: AnyUser, actor_membership: Membership | None, membership: Membership, active_admins: int
) -> str | None:
    """Why `actor` may not change the role of `membership`, or None.

    A network always keeps an active admin, so nobody (not even a superuser) demotes its last one.
    """
    manage_refusal = manage_members_refusal(actor, actor_membership)
    if manage_refusal is not None:
        return manage_refusal
    if _is_active_admin(membership) and active_admins <= 1:
        return _("This is the network's last admin: make another member admin first.")
    return None


def can_change_role(actor: AnyUser, membership: Membership) -> bool:
    return _change_role_refusal_for(actor, membership) is None


def check_change_role(actor: AnyUser, membership: Membership) -> None:
    _raise_if(_change_role_refusal_for(actor, membership))


def _change_role_refusal_for(actor: AnyUser, membership: Membership) -> str | None:
    admins = active_admin_count(membership.network) if _is_active_admin(membership) else 0
    return change_role_refusal(actor, active_membership(actor, membership.network), membership, admins)


# --- The network itself ----------------------------------------------------------------------------


def can_create_network(user: AnyUser) -> bool:
    """Networks are founded by the site's operators, who then hand them to their admins."""
    return user.is_authenticated and user.is_superuser


def check_create_network(user: AnyUser) -> None:
    if not can_create_network(user):
        raise PermissionDenied(_("Only the site's operators can create networks."))


def update_network_refusal(user: AnyUser, membership: Membership | None) -> str | None:
    if _administers(user, membership):
        return None
    return _("Only the network's admins can change its settings.")


def can_update_network(user: AnyUser, network: Network) -> bool:
    return update_network_refusal(user, active_membership(user, network)) is None


def check_update_network(user: AnyUser, network: Network) -> None:
    _raise_if(update_network_refusal(user, active_membership(user, network)))
