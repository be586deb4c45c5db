"""What the forum's rules, chat and topics alike, ask of a person's own membership row."""

from django.core.exceptions import PermissionDenied

from network.models import Membership
from network.permissions import AnyUser

MODERATING_ROLES = (Membership.Role.MODERATOR, Membership.Role.ADMIN)


def raise_if(reason: str | None) -> None:
    if reason is not None:
        raise PermissionDenied(reason)


def is_active(membership: Membership | None) -> bool:
    return membership is not None and membership.state == Membership.State.ACTIVE


def moderates(user: AnyUser, membership: Membership | None) -> bool:
    """Whether `user`, whose own row in a network is `membership`, moderates that network's forum and chat."""
    if not user.is_authenticated:
        return False
    return user.is_superuser or (
        is_active(membership) and membership is not None and membership.role in MODERATING_ROLES
    )


def administers(user: AnyUser, membership: Membership | None) -> bool:
    """Whether `user` runs the network: its admins, and site operators."""
    return user.is_authenticated and (
        user.is_superuser
        or (is_active(membership) and membership is not None and membership.role == Membership.Role.ADMIN)
    )
