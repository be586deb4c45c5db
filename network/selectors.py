"""Reads shaped for the network pages, each with a fixed number of queries whatever the page size.

Permissions are asked through the `*_refusal` rules of network.permissions, fed with facts fetched
here in bulk (the viewer's membership rows, the number of active admins).
"""

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.core.paginator import Page, Paginator
from django.db.models import Case, CharField, Count, Exists, F, OuterRef, Q, QuerySet, Value, When
from django.utils.translation import gettext as _
from django_stubs_ext import StrOrPromise

from moderation.permissions import moderate_refusal
from moderation.selectors.members import OwnStanding, own_standing
from moderation.selectors.queue import open_count
from network import permissions
from network.models import Membership, Network
from network.permissions import AnyUser
from profiles.models import Sector, User, Visibility
from profiles.regions import Region
from profiles.selectors import PersonCard, person_cards

MEMBERS_PER_PAGE = 50
CHAMPIONS_ON_NETWORK_HOME = 12
CHAMPIONS_ON_HOME_PAGE = 6

# Managers first, then by name: the people a newcomer would want to reach are at the top.
_ROLE_RANK = Case(
    When(role=Membership.Role.ADMIN, then=Value(0)),
    When(role=Membership.Role.MODERATOR, then=Value(1)),
    When(role=Membership.Role.CHAMPION, then=Value(2)),
    default=Value(3),
)
_ACTIVE = Q(memberships__state=Membership.State.ACTIVE)


# --- Network cards ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class NetworkCard:
    network: Network
    member_count: int
    champion_count: int
    viewer_state: str | None
    can_join: bool

    @property
    def joins_at_once(self) -> bool:
        return self.network.join_policy == Network.JoinPolicy.OPEN


def network_list_for(viewer: AnyUser) -> list[NetworkCard]:
    """The networks `viewer` may see, with their member counts and where the viewer stands in each."""
    networks = permissions.visible_networks(viewer).annotate(
        member_count=Count("memberships", filter=_ACTIVE),
        champion_count=Count("memberships", filter=_ACTIVE & Q(memberships__role=Membership.Role.CHAMPION)),
    )
    own_rows = _own_membership_rows(viewer)
    cards = []
    for network in networks:
        membership = own_rows.get(network.pk)
        cards.append(
            NetworkCard(
                network=network,
                member_count=network.member_count,
                champion_count=network.champion_count,
                viewer_state=membership.state if membership is not None else None,
                can_join=permissions.request_to_join_refusal(viewer, network, membership) is None,
            )
        )
    return cards


def _own_membership_rows(viewer: AnyUser) -> dict[int, Membership]:
    if not viewer.is_authenticated:
        return {}
    return {row.network_id: row for row in Membership.objects.filter(user=viewer)}


# --- The site's home page ---------------------------------------------------------------------------


@dataclass(frozen=True)
class HomePage:
    networks: list[NetworkCard]
    champions: list[PersonCard]


def home_page(viewer: AnyUser) -> HomePage:
    """The networks `viewer` may see, and a few champions of those networks."""
    champions_of_visible_networks = (
        User.objects.filter(
            Exists(
                Membership.objects.filter(
                    user=OuterRef("pk"),
                    state=Membership.State.ACTIVE,
                    role=Membership.Role.CHAMPION,
                    network__in=permissions.visible_networks(viewer),
                )
            ),
            is_active=True,
        )
        .select_related("profile")
        .order_by("display_name", "pk")[:CHAMPIONS_ON_HOME_PAGE]
    )
    return HomePage(
        networks=network_list_for(viewer),
        champions=person_cards(viewer=viewer, users=list(champions_of_visible_networks)),
    )


# --- One network ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class NetworkVisit:
    """A network `viewer` may see, with the viewer's own membership row in it (any state), if any."""

    network: Network
    viewer_membership: Membership | None


def visible_network(viewer: AnyUser, slug: str) -> NetworkVisit | None:
    """The network at `slug` if `viewer` may see it, else None: a missing network and one kept from the
    viewer look the same. One query for a member, two for anyone else.

    A member suspended from a members-only network still gets it, for its home page to say why and until
    when: every page and action asks its own rule next, and those refuse them."""
    membership = None
    if viewer.is_authenticated:
        own_rows = Membership.objects.select_related("network").filter(user=viewer)
        membership = own_rows.filter(network__slug=slug).first()
    network = membership.network if membership is not None else Network.objects.filter(slug=slug).first()
    if network is None:
        return None
    suspended = membership is not None and membership.state == Membership.State.SUSPENDED
    if permissions.view_network_refusal(viewer, network, membership) is not None and not suspended:
        return None
    return NetworkVisit(network, membership)


# --- A network's home page --------------------------------------------------------------------------


@dataclass(frozen=True)
class CountRow:
    label: str
    count: int


@dataclass(frozen=True)
class NetworkHome:
    network: Network
    viewer_membership: Membership | None
    member_count: int
    champion_count: int
    pending_count: int
    regions: list[CountRow]
    sectors: list[CountRow]
    champions: list[PersonCard]
    join_refusal: str | None
    leave_refusal: str | None
    can_view_members: bool
    can_manage_members: bool
    can_update_network: bool
    # False for a member suspended from a members-only network: they read why, and nothing inside it.
    sees_inside: bool = True
    # The viewer's own standing (a mute, a suspension, recent warnings), if they are a member.
    standing: OwnStanding | None = None
    # For the network's moderators: how many items wait in the review queue.
    queue_open_count: int = 0
    # For the network's moderators: how many members are suspended now.
    can_moderate: bool = False
    suspended_count: int = 0

    @property
    def viewer_state(self) -> str | None:
        return self.viewer_membership.state if self.viewer_membership is not None else None

    @property
    def can_join(self) -> bool:
        return self.join_refusal is None

    @property
    def can_leave(self) -> bool:
        return self.leave_refusal is None


def network_home(viewer: AnyUser, visit: NetworkVisit) -> NetworkHome:
    """What a network's home page shows `viewer`, who may see the network (see visible_network)."""
    network, membership = visit.network, visit.viewer_membership
    standing = None
    if membership is not None and membership.state in (Membership.State.ACTIVE, Membership.State.SUSPENDED):
        standing = own_standing(membership)
    if permissions.view_network_refusal(viewer, network, membership) is not None:
        return _network_home_outside(viewer, visit, standing)
    tally = _tally(network)
    can_moderate = moderate_refusal(viewer, membership) is None
    champions = (
        User.objects.filter(
            memberships__network=network,
            memberships__state=Membership.State.ACTIVE,
            memberships__role=Membership.Role.CHAMPION,
            is_active=True,
        )
        .select_related("profile")
        .order_by("display_name", "pk")[:CHAMPIONS_ON_NETWORK_HOME]
    )
    can_manage = permissions.manage_members_refusal(viewer, membership) is None
    return NetworkHome(
        network=network,
        viewer_membership=membership,
        member_count=tally.active,
        champion_count=tally.champions,
        pending_count=tally.pending if can_manage else 0,
        regions=_count_rows(tally.by_region, Region.choices),
        sectors=_count_rows(tally.by_sector, Sector.choices),
        champions=person_cards(viewer=viewer, users=list(champions)),
        join_refusal=permissions.request_to_join_refusal(viewer, network, membership),
        leave_refusal=permissions.leave_network_refusal(membership, tally.admins),
        can_view_members=permissions.view_members_refusal(viewer, membership) is None,
        can_manage_members=can_manage,
        can_update_network=permissions.update_network_refusal(viewer, membership) is None,
        standing=standing,
        can_moderate=can_moderate,
        queue_open_count=open_count(network=network) if can_moderate else 0,
        suspended_count=tally.suspended if can_moderate else 0,
    )


def _network_home_outside(viewer: AnyUser, visit: NetworkVisit, standing: OwnStanding | None) -> NetworkHome:
    """The home page of a members-only network for a member suspended from it: their standing, and
    nothing of what only members see."""
    return NetworkHome(
        network=visit.network,
        viewer_membership=visit.viewer_membership,
        member_count=0,
        champion_count=0,
        pending_count=0,
        regions=[],
        sectors=[],
        champions=[],
        join_refusal=permissions.request_to_join_refusal(viewer, visit.network, visit.viewer_membership),
        leave_refusal=permissions.leave_network_refusal(visit.viewer_membership, 0),
        can_view_members=False,
        can_manage_members=False,
        can_update_network=False,
        sees_inside=False,
        standing=standing,
    )


def _shared_or_blank(value_column: str, visibility_column: str) -> Case:
    """The profile's `value_column`, or "" when its owner keeps it to themselves."""
    return Case(
        When(**{f"user__profile__{visibility_column}": Visibility.ONLY_ME}, then=Value("")),
        default=F(f"user__profile__{value_column}"),
        output_field=CharField(),
    )


@dataclass
class _Tally:
    active: int = 0
    admins: int = 0
    champions: int = 0
    pending: int = 0
    suspended: int = 0
    by_region: Counter[str] = field(default_factory=Counter)
    by_sector: Counter[str] = field(default_factory=Counter)


def _tally(network: Network) -> _Tally:
    """The network's active members counted by role, world region and sector, its pending requests and
    its suspended members, in one query.

    An active member counts under a region (derived from their country) or a sector only if they have
    not kept that field to themselves; the others, and those who left it blank, count under "" (shown
    as "Not shared").
    """
    counted_states = [Membership.State.ACTIVE, Membership.State.PENDING, Membership.State.SUSPENDED]
    groups = (
        Membership.objects.filter(network=network, state__in=counted_states)
        .values(
            "state",
            "role",
            region=_shared_or_blank("region", "country_visibility"),
            sector=_shared_or_blank("sector", "sector_visibility"),
        )
        .annotate(members=Count("pk"))
        .order_by()
    )
    tally = _Tally()
    for group in groups:
        count = group["members"]
        if group["state"] == Membership.State.PENDING:
            tally.pending += count
            continue
        if group["state"] == Membership.State.SUSPENDED:
            tally.suspended += count
            continue
        tally.active += count
        tally.admins += count if group["role"] == Membership.Role.ADMIN else 0
        tally.champions += count if group["role"] == Membership.Role.CHAMPION else 0
        tally.by_region[group["region"] or ""] += count
        tally.by_sector[group["sector"] or ""] += count
    return tally


def _count_rows(counts: Counter[str], choices: Sequence[tuple[str, StrOrPromise]]) -> list[CountRow]:
    rows = [CountRow(label=str(label), count=counts[value]) for value, label in choices]
    known = {value for value, _label in choices}
    not_shared = sum(count for value, count in counts.items() if value not in known)
    if not_shared:
        rows.append(CountRow(label=_("Not shared"), count=not_shared))
    return rows


# --- The members page -------------------------------------------------------------------------------


@dataclass(frozen=True)
class MemberRow:
    membership: Membership
    can_change_role: bool


@dataclass(frozen=True)
class MembersPage:
    network: Network
    viewer_membership: Membership | None
    can_manage_members: bool
    page: Page[Membership]
    rows: list[MemberRow]
    pending: list[Membership] = field(default_factory=list)
    invited: list[Membership] = field(default_factory=list)
    # For the network's moderators and admins: links to each member's standing, and who is suspended.
    can_moderate: bool = False
    suspended: list[Membership] = field(default_factory=list)


def members_page(viewer: AnyUser, visit: NetworkVisit, page_number: int) -> MembersPage:
    """One page of `network`'s active members for `viewer`; for its managers also the requests waiting
    for an answer and the invitations not yet answered; for its moderators and admins, the members
    suspended now.

    Raises PermissionDenied when `viewer` may not see the members, and django.core.paginator.EmptyPage
    for a page number past the end.
    """
    network, membership = visit.network, visit.viewer_membership
    refusal = permissions.view_members_refusal(viewer, membership)
    if refusal is not None:
        raise PermissionDenied(refusal)
    can_manage = permissions.manage_members_refusal(viewer, membership) is None
    active_members: QuerySet[Membership] = (
        Membership.objects.filter(network=network, state=Membership.State.ACTIVE)
        .select_related("user")
        .annotate(role_rank=_ROLE_RANK)
        .order_by("role_rank", "user__display_name", "pk")
    )
    page = Paginator(active_members, MEMBERS_PER_PAGE).page(page_number)
    admins = permissions.active_admin_count(network) if can_manage else 0
    rows = [
        MemberRow(
            membership=row,
            can_change_role=can_manage
            and permissions.change_role_refusal(viewer, membership, row, admins) is None,
        )
        for row in page.object_list
    ]
    can_moderate = moderate_refusal(viewer, membership) is None
    suspended = (
        list(
            Membership.objects.filter(network=network, state=Membership.State.SUSPENDED)
            .select_related("user")
            .order_by("suspended_until", "pk")
        )
        if can_moderate
        else []
    )
    if not can_manage:
        return MembersPage(
            network, membership, can_manage, page, rows, can_moderate=can_moderate, suspended=suspended
        )
    waiting_states = [Membership.State.PENDING, Membership.State.INVITED]
    waiting = list(
        Membership.objects.filter(network=network, state__in=waiting_states)
        .select_related("user", "invited_by")
        .order_by("updated_at", "pk")
    )
    return MembersPage(
        network,
        membership,
        can_manage,
        page,
        rows,
        pending=[row for row in waiting if row.state == Membership.State.PENDING],
        invited=[row for row in waiting if row.state == Membership.State.INVITED],
        can_moderate=can_moderate,
        suspended=suspended,
    )
