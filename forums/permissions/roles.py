"""What the forum's rules, chat and topics alike, ask of a person's own membership row."""

from django.core.exceptions import PermissionDenied
from django.utils import formats, timezone
from django.utils.translation import gettext as _

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


def muted_notice(membership: Membership | None) -> str | None:
    """Why the owner of `membership` may read but not post in its network now (a moderator muted them),
    or None. A mute ends by itself: past `muted_until` this says nothing."""
    if membership is None or membership.muted_until is None or membership.muted_until <= timezone.now():
        return None
    until = formats.date_format(timezone.localtime(membership.muted_until), "DATETIME_FORMAT")
    if membership.mute_reason:
        return _("You are muted in this network until %(until)s: %(reason)s") % {
            "until": until,
            "reason": membership.mute_reason,
        }
    return _("You are muted in this network until %(until)s.") % {"until": until}
