"""Who may see and change what of a member's profile: the one source of truth for views, templates,
selectors and services.

Each profile field carries its owner's choice of audience (`<field>_visibility`): everyone, the members
of the owner's networks (anyone sharing at least one active membership with the owner) or only the
owner. `region` is derived from `country` and so follows its visibility.
"""

from collections.abc import Collection

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext as _

from network.models import Membership
from profiles.models import VISIBILITY_CONTROLLED_FIELDS, Profile, User, Visibility

AnyUser = User | AnonymousUser

# Fields whose audience is that of another field they are derived from.
_VISIBILITY_SOURCE = {"region": "country"}


def visibility_column(field: str) -> str:
    """The Profile column holding who may see `field`."""
    source = _VISIBILITY_SOURCE.get(field, field)
    if source not in VISIBILITY_CONTROLLED_FIELDS:
        raise ValueError(f"{field!r} is not a profile field with a visibility")
    return f"{source}_visibility"


def active_network_ids(user: AnyUser) -> frozenset[int]:
    """The networks in which `user` is an active member (none for an anonymous visitor)."""
    if not user.is_authenticated:
        return frozenset()
    return frozenset(_active_memberships(user).values_list("network_id", flat=True))


def shares_active_network(viewer: AnyUser, owner_id: int) -> bool:
    """Whether `viewer` and the user `owner_id` are both active members of some network."""
    if not viewer.is_authenticated:
        return False
    return _active_memberships(owner_id).filter(network_id__in=viewer_networks_subquery(viewer)).exists()


def viewer_networks_subquery(viewer: User) -> QuerySet[Membership, int]:
    """The networks where `viewer` is active, to use inside another query (`network_id__in=`)."""
    return _active_memberships(viewer).values_list("network_id", flat=True)


def _active_memberships(user: User | int) -> QuerySet[Membership]:
    return Membership.objects.filter(user=user, state=Membership.State.ACTIVE)


def is_visible(visibility: str, *, is_owner: bool, shares_network: bool) -> bool:
    """The visibility rule itself, for callers that already know how viewer and owner relate."""
    if is_owner or visibility == Visibility.PUBLIC:
        return True
    if visibility == Visibility.MEMBERS:
        return shares_network
    return False


def public_region(profile: Profile) -> str:
    """The profile's region as everyone may read it: only while its country is shown to everyone (the
    region is derived from the country)."""
    return profile.region if profile.country_visibility == Visibility.PUBLIC else ""


def can_view_profile_field(
    viewer: AnyUser, profile: Profile, field: str, *, shares_network: bool | None = None
) -> bool:
    """Whether `viewer` may see `field` of `profile`.

    `shares_network` is whether viewer and owner share an active network; selectors that show many
    profiles pass it (computed for all of them at once), otherwise it is looked up when needed.
    """
    visibility = getattr(profile, visibility_column(field))
    is_owner = viewer.is_authenticated and viewer.pk == profile.user_id
    if shares_network is None:
        needs_lookup = visibility == Visibility.MEMBERS and not is_owner
        shares_network = needs_lookup and shares_active_network(viewer, profile.user_id)
    return is_visible(visibility, is_owner=is_owner, shares_network=shares_network)


def visible_field_q(viewer: AnyUser, field: str, viewer_network_ids: Collection[int] | None = None) -> Q:
    """The users whose `field` `viewer` may see, as a filter on User.

    A directory filtering on a field must AND its condition with this one, or it would reveal the
    hidden value of whoever it matches. `viewer_network_ids` is `active_network_ids(viewer)` when the
    caller has it already; without it, the viewer's networks are a subquery of the same SQL statement.
    """
    column = f"profile__{visibility_column(field)}"
    own_or_public = Q(**{column: Visibility.PUBLIC})
    if not viewer.is_authenticated:
        return own_or_public
    own_or_public |= Q(pk=viewer.pk)
    if viewer_network_ids is None:
        networks: QuerySet[Membership, int] | list[int] = viewer_networks_subquery(viewer)
    elif viewer_network_ids:
        networks = list(viewer_network_ids)
    else:
        return own_or_public
    co_member = Membership.objects.filter(
        user=OuterRef("pk"), state=Membership.State.ACTIVE, network_id__in=networks
    )
    return own_or_public | (Q(**{column: Visibility.MEMBERS}) & Q(Exists(co_member)))


def can_edit_profile(user: AnyUser, profile: Profile) -> bool:
    return user.is_authenticated and (user.pk == profile.user_id or user.is_superuser)


def check_edit_profile(user: AnyUser, profile: Profile) -> None:
    if not can_edit_profile(user, profile):
        raise PermissionDenied(_("Only its owner can change this profile."))


def can_view_people_directory(user: AnyUser) -> bool:
    """The people directory is for signed-in members; the champions directory is public."""
    return user.is_authenticated
