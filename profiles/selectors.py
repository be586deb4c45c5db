"""Reads of people for the pages that show them, each in a fixed number of queries.

Every value of a profile passes through profiles.permissions before it leaves this module: what a
viewer may not see is None here, and a directory filter on a field only matches people whose field
the viewer may see.
"""

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db.models import Exists, OuterRef, Q, QuerySet, Value, prefetch_related_objects
from django.db.models.functions import Lower

from network.models import Membership, Network
from network.permissions import visible_networks_q
from profiles.models import (
    VISIBILITY_CONTROLLED_FIELDS,
    Gender,
    Language,
    Profile,
    ProfileLink,
    User,
    Visibility,
)
from profiles.permissions import (
    AnyUser,
    can_view_profile_field,
    viewer_networks_subquery,
    visibility_column,
    visible_field_q,
)
from profiles.regions import Region

PAGE_SIZE = 24


@dataclass(frozen=True)
class PersonCard:
    """One person as a list shows them; each optional value is None when the viewer may not see it."""

    user: User
    url: str
    display_name: str
    handle: str
    headline: str | None
    organization: str | None
    country: str | None
    region: str | None
    sector: str | None
    avatar_small_url: str | None
    is_champion: bool
    expertise: list[str] | None

    @property
    def initials(self) -> str:
        return initials_of(self.display_name or self.handle)


@dataclass(frozen=True)
class ProfileDetail:
    """A profile page's content: `card` holds what lists show too; the rest only this page does.

    `audience` is, for the owner only, who may see each field (a label per field); empty for others.
    """

    card: PersonCard
    bio_html: str | None
    links: list[ProfileLink] | None
    languages: list[Language] | None
    gender: str | None
    avatar_url: str | None
    memberships: list[Membership]
    is_owner: bool
    audience: Mapping[str, str]


@dataclass(frozen=True)
class DirectoryFilters:
    """What a directory is narrowed to; empty values do not narrow. `expertise` is a tag's slug or name."""

    network: Network | None = None
    region: str = ""
    sector: str = ""
    country: str = ""
    language: Language | None = None
    expertise: str = ""
    q: str = ""


@dataclass(frozen=True)
class DirectoryPage:
    cards: list[PersonCard]
    page: Page[User]
    paginator: Paginator[User]


def initials_of(name: str) -> str:
    """Shown in place of a picture: the first letters of the first and last words of a name."""
    words = name.split()
    if not words:
        return ""
    return (words[0][:1] + (words[-1][:1] if len(words) > 1 else "")).upper()


def person_cards(*, viewer: AnyUser, users: QuerySet[User] | Iterable[User]) -> list[PersonCard]:
    """The cards of `users`, in their order, as `viewer` may see them, in at most three queries whatever
    their number (a QuerySet is read with its users' profiles; a list's missing profiles are fetched)."""
    people = list(users.select_related("profile") if isinstance(users, QuerySet) else users)
    return _cards(viewer, people)


def people_directory(*, viewer: AnyUser, filters: DirectoryFilters, page: int) -> DirectoryPage:
    """Page `page` (from 1) of everyone with an account, narrowed by `filters`.

    Raises django.core.paginator.EmptyPage for a page past the last.
    """
    people = _filtered(User.objects.filter(is_active=True), viewer, filters)
    return _directory_page(viewer, people, page)


def champions_directory(*, viewer: AnyUser, filters: DirectoryFilters, page: int) -> DirectoryPage:
    """Like people_directory, for the champions of the networks `viewer` can see (of `filters.network`
    only, when set)."""
    memberships = _memberships_in_visible_networks(viewer, filters.network)
    champions = memberships.filter(role=Membership.Role.CHAMPION)
    people = User.objects.filter(Exists(champions.filter(user=OuterRef("pk"))), is_active=True)
    return _directory_page(viewer, _filtered(people, viewer, filters), page)


def profile_detail(*, viewer: AnyUser, user: User) -> ProfileDetail:
    prefetch_related_objects([user], "profile", "profile__expertise", "profile__languages", "profile__links")
    memberships = list(
        _memberships_as_seen_by(viewer).filter(user=user).select_related("network").order_by("network__name")
    )
    ties = _ties(memberships).get(user.pk, _NO_TIES)
    profile = user.profile
    visible = _field_test(viewer, profile, ties)
    is_owner = viewer.is_authenticated and viewer.pk == user.pk
    return ProfileDetail(
        card=_card(viewer, user, ties),
        bio_html=profile.bio_html if visible("bio") and profile.bio_html else None,
        links=list(profile.links.all()) if visible("links") else None,
        languages=list(profile.languages.all()) if visible("languages") else None,
        gender=_gender_label(profile) if visible("gender") else None,
        avatar_url=profile.avatar.url if visible("avatar") and profile.avatar else None,
        memberships=[membership for membership in memberships if membership.network_visible],  # type: ignore[attr-defined]
        is_owner=is_owner,
        audience=_audience(profile) if is_owner else {},
    )


@dataclass(frozen=True)
class _Ties:
    """How a person relates to the viewer through their active memberships."""

    shares_network: bool
    is_champion: bool


_NO_TIES = _Ties(shares_network=False, is_champion=False)


def _memberships_as_seen_by(viewer: AnyUser) -> QuerySet[Membership]:
    """Active memberships, each annotated with whether `viewer` can see its network (`network_visible`)
    and is an active member of it too (`shared`)."""
    visible_network = Network.objects.filter(visible_networks_q(viewer), pk=OuterRef("network_id"))
    shared: Exists | Value = Value(False)
    if viewer.is_authenticated:
        shared = Exists(viewer_networks_subquery(viewer).filter(network_id=OuterRef("network_id")))
    return Membership.objects.filter(state=Membership.State.ACTIVE).annotate(
        network_visible=Exists(visible_network), shared=shared
    )


def _ties(memberships: Iterable[Membership]) -> dict[int, _Ties]:
    """The ties of each member of `memberships` (from _memberships_as_seen_by) to the viewer.

    Kept in a dict rather than set on the users: the answer depends on the viewer, and the same User
    objects may be shown to several viewers.
    """
    shared: set[int] = set()
    champions: set[int] = set()
    for membership in memberships:
        if membership.shared:  # type: ignore[attr-defined]
            shared.add(membership.user_id)
        if membership.role == Membership.Role.CHAMPION and membership.network_visible:  # type: ignore[attr-defined]
            champions.add(membership.user_id)
    return {
        user_id: _Ties(shares_network=user_id in shared, is_champion=user_id in champions)
        for user_id in shared | champions
    }


def _cards(viewer: AnyUser, people: list[User]) -> list[PersonCard]:
    if not people:
        return []
    prefetch_related_objects(people, "profile", "profile__expertise")
    ties = _ties(_memberships_as_seen_by(viewer).filter(user__in=people).only("user_id", "role"))
    return [_card(viewer, person, ties.get(person.pk, _NO_TIES)) for person in people]


def _card(viewer: AnyUser, user: User, ties: _Ties) -> PersonCard:
    profile = user.profile
    visible = _field_test(viewer, profile, ties)

    def shown(field: str, value: str) -> str | None:
        return value if value and visible(field) else None

    tags = sorted((tag.name for tag in profile.expertise.all()), key=str.lower)
    return PersonCard(
        user=user,
        url=user.get_absolute_url(),
        display_name=str(user),
        handle=user.username,
        headline=shown("headline", profile.headline),
        organization=shown("organization", profile.organization),
        country=shown("country", profile.country.name if profile.country else ""),
        region=shown("region", str(Region(profile.region).label) if profile.region else ""),
        sector=shown("sector", profile.get_sector_display() if profile.sector else ""),
        avatar_small_url=shown("avatar", profile.avatar_small.url if profile.avatar_small else ""),
        is_champion=ties.is_champion,
        expertise=tags if tags and visible("expertise") else None,
    )


def _field_test(viewer: AnyUser, profile: Profile, ties: _Ties) -> Callable[[str], bool]:
    """Whether `viewer` may see a field of `profile`, answered without a query."""

    def visible(field: str) -> bool:
        return can_view_profile_field(viewer, profile, field, shares_network=ties.shares_network)

    return visible


def _memberships_in_visible_networks(viewer: AnyUser, network: Network | None) -> QuerySet[Membership]:
    visible = Network.objects.filter(visible_networks_q(viewer))
    memberships = Membership.objects.filter(state=Membership.State.ACTIVE, network__in=visible)
    return memberships.filter(network=network) if network else memberships


def _filtered(people: QuerySet[User], viewer: AnyUser, filters: DirectoryFilters) -> QuerySet[User]:
    if filters.network:
        in_network = _memberships_in_visible_networks(viewer, filters.network)
        people = people.filter(Exists(in_network.filter(user=OuterRef("pk"))))
    by_field: dict[str, Q] = {}
    if filters.region:
        by_field["region"] = Q(profile__region=filters.region)
    if filters.sector:
        by_field["sector"] = Q(profile__sector=filters.sector)
    if filters.country:
        by_field["country"] = Q(profile__country=filters.country)
    if filters.language:
        by_field["languages"] = Q(profile__languages=filters.language)
    if filters.expertise:
        tagged = Profile.objects.filter(
            Q(expertise__slug=filters.expertise) | Q(expertise__name__iexact=filters.expertise)
        )
        by_field["expertise"] = Q(profile__in=tagged.values("pk"))
    for field, condition in by_field.items():
        people = people.filter(condition & visible_field_q(viewer, field))
    if filters.q:
        people = people.filter(Q(display_name__icontains=filters.q) | Q(username__icontains=filters.q))
    return people


def _directory_page(viewer: AnyUser, people: QuerySet[User], page: int) -> DirectoryPage:
    ordered = people.select_related("profile").order_by(Lower("display_name"), "username")
    paginator = Paginator(ordered, PAGE_SIZE)
    current = paginator.page(page)
    return DirectoryPage(cards=_cards(viewer, list(current.object_list)), page=current, paginator=paginator)


def _gender_label(profile: Profile) -> str | None:
    if profile.gender == Gender.SELF_DESCRIBED:
        return profile.gender_self_description or None
    return profile.get_gender_display() or None


def _audience(profile: Profile) -> dict[str, str]:
    """Who may see each field, for the owner's own view of the page."""
    return {
        field: str(Visibility(getattr(profile, visibility_column(field))).label)
        for field in VISIBILITY_CONTROLLED_FIELDS
    }
