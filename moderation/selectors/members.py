"""Members' standing, as moderators read it (the list of a network's members with their current mute,
suspension and count of warnings; one member's sanctions and the log about them) and as the member
reads their own on the network's home page."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.paginator import Page, Paginator
from django.db.models import Count, Exists, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from moderation.models import AuditEntry, Sanction
from moderation.permissions import sanction_refusal
from moderation.selectors.log import LogRow, log_rows
from network.models import Membership, Network
from network.permissions import AnyUser

MEMBERS_PER_PAGE = 50
ENTRIES_ABOUT_A_MEMBER = 20
# A member reads the warnings they were given for this long on the network's home page.
WARNINGS_SHOWN_FOR = timedelta(days=90)

# The members a moderator may list: those in the network now, suspended or not.
LISTED_STATES = (Membership.State.ACTIVE, Membership.State.SUSPENDED)

STANDING_FILTERS = (
    ("", _("Everyone")),
    ("muted", _("Muted")),
    ("suspended", _("Suspended")),
    ("warned", _("Warned")),
)


# --- The members list -------------------------------------------------------------------------------


@dataclass(frozen=True)
class MemberStanding:
    membership: Membership
    warning_count: int
    muted_until: datetime | None

    @property
    def is_suspended(self) -> bool:
        return self.membership.state == Membership.State.SUSPENDED


@dataclass(frozen=True)
class MemberList:
    network: Network
    query: str
    standing: str
    page: Page[Membership]
    rows: list[MemberStanding]


def member_list(
    *,
    network: Network,
    query: str = "",
    standing: str = "",
    page_number: int = 1,
    now: datetime | None = None,
) -> MemberList:
    """One page of `network`'s members with their standing, those whose name or handle contains `query`
    and, when `standing` is one of STANDING_FILTERS, only those muted, suspended or ever warned. Two
    queries. Raises django.core.paginator.InvalidPage for a page past the end."""
    now = now or timezone.now()
    warnings = (
        Sanction.objects.filter(network=network, user=OuterRef("user"), kind=Sanction.Kind.WARNING)
        .order_by()
        .values("user")
        .annotate(count=Count("pk"))
        .values("count")
    )
    members: QuerySet[Membership] = (
        Membership.objects.filter(network=network, state__in=LISTED_STATES)
        .select_related("user")
        .annotate(warning_count=Coalesce(Subquery(warnings, output_field=IntegerField()), Value(0)))
        .order_by("user__display_name", "user__username", "pk")
    )
    query = query.strip()
    if query:
        members = members.filter(Q(user__display_name__icontains=query) | Q(user__username__icontains=query))
    if standing == "muted":
        members = members.filter(muted_until__gt=now)
    elif standing == "suspended":
        members = members.filter(state=Membership.State.SUSPENDED)
    elif standing == "warned":
        members = members.filter(Exists(warnings))
    page = Paginator(members, MEMBERS_PER_PAGE).page(page_number)
    rows = [
        MemberStanding(
            membership=row,
            warning_count=row.warning_count,
            muted_until=row.muted_until if row.muted_until is not None and row.muted_until > now else None,
        )
        for row in page.object_list
    ]
    return MemberList(network=network, query=query, standing=standing, page=page, rows=rows)


# --- One member -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SanctionRow:
    sanction: Sanction
    # "warning", "current" (a mute or suspension in force), "lifted" (ended early) or "ended".
    status: str

    @property
    def can_lift(self) -> bool:
        return self.status == "current"


@dataclass(frozen=True)
class MemberFile:
    network: Network
    membership: Membership
    sanctions: list[SanctionRow]
    entries: list[LogRow]
    # Why the viewer may not sanction this member (themselves, an admin, someone who left), or None.
    sanction_refusal: str | None
    muted_until: datetime | None

    @property
    def is_suspended(self) -> bool:
        return self.membership.state == Membership.State.SUSPENDED

    @property
    def current_mute(self) -> SanctionRow | None:
        return self._current(Sanction.Kind.MUTE)

    @property
    def current_suspension(self) -> SanctionRow | None:
        return self._current(Sanction.Kind.SUSPENSION)

    def _current(self, kind: str) -> SanctionRow | None:
        return next((row for row in self.sanctions if row.can_lift and row.sanction.kind == kind), None)


def member_file(
    *,
    viewer: AnyUser,
    viewer_membership: Membership | None,
    network: Network,
    username: str,
    now: datetime | None = None,
) -> MemberFile | None:
    """One person's standing in `network` for its moderator `viewer` (whose own row there is
    `viewer_membership`): their sanctions, newest first, and the latest log entries about them. None when
    they have never had a place in the network. Three queries, and one per kind of content of theirs the
    entries link to."""
    now = now or timezone.now()
    membership = (
        Membership.objects.select_related("user").filter(network=network, user__username=username).first()
    )
    if membership is None:
        return None
    membership.network = network
    sanctions = Sanction.objects.filter(network=network, user_id=membership.user_id).select_related(
        "created_by", "lifted_by"
    )
    entries = (
        AuditEntry.objects.filter(network=network, target_user_id=membership.user_id)
        .select_related("actor", "target_user")
        .order_by("-created_at", "-id")[:ENTRIES_ABOUT_A_MEMBER]
    )
    muted_until = membership.muted_until
    return MemberFile(
        network=network,
        membership=membership,
        sanctions=[SanctionRow(sanction, _status(sanction, now)) for sanction in sanctions],
        entries=log_rows(network, list(entries)),
        sanction_refusal=sanction_refusal(viewer, viewer_membership, membership),
        muted_until=muted_until if muted_until is not None and muted_until > now else None,
    )


def _status(sanction: Sanction, now: datetime) -> str:
    if sanction.kind == Sanction.Kind.WARNING:
        return "warning"
    if sanction.lifted_at is not None:
        return "lifted"
    if sanction.expires_at is not None and sanction.expires_at > now:
        return "current"
    return "ended"


# --- A member's own standing ------------------------------------------------------------------------


@dataclass(frozen=True)
class OwnStanding:
    """What a member reads about their standing in a network: a mute or suspension in force, with its
    reason and end, and the warnings of the last WARNINGS_SHOWN_FOR, newest first."""

    muted_until: datetime | None
    mute_reason: str
    suspension: Sanction | None
    warnings: list[Sanction]

    @property
    def is_clear(self) -> bool:
        return self.muted_until is None and self.suspension is None and not self.warnings


def own_standing(membership: Membership, *, now: datetime | None = None) -> OwnStanding:
    """The standing of the owner of `membership` (active or suspended) in its network, in one query."""
    now = now or timezone.now()
    recent_warning = Q(kind=Sanction.Kind.WARNING, created_at__gte=now - WARNINGS_SHOWN_FOR)
    suspension_in_force = Q(kind=Sanction.Kind.SUSPENSION, lifted_at__isnull=True, expires_at__gt=now)
    sanctions = list(
        Sanction.objects.filter(network_id=membership.network_id, user_id=membership.user_id).filter(
            recent_warning | suspension_in_force
        )
    )
    muted = membership.muted_until is not None and membership.muted_until > now
    suspended = membership.state == Membership.State.SUSPENDED
    return OwnStanding(
        muted_until=membership.muted_until if muted else None,
        mute_reason=membership.mute_reason if muted else "",
        suspension=next((s for s in sanctions if s.kind == Sanction.Kind.SUSPENSION), None)
        if suspended
        else None,
        warnings=[s for s in sanctions if s.kind == Sanction.Kind.WARNING],
    )
