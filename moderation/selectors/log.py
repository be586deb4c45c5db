"""A network's moderation log, newest first, in pages read by keyset (the log only grows, so a page
never shifts under a moderator reading on): the full log for its moderators, and the public log for
whoever may see the network.

The public log is built from the few columns it may show (when, what kind of action on what kind of
thing, and why), so that no template can show who acted, whom it concerned, or what the content said.
"""

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Q, QuerySet, Subquery
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.dateparse import parse_datetime
from django.utils.text import capfirst

from forums.models import ChatMessage, ChatRoom, Post, Topic
from moderation.models import AuditEntry, TargetKind
from network.models import Network
from profiles.models import User
from stories.models import StoryComment

ENTRIES_PER_PAGE = 50


# --- The full log -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Change:
    """One field an action changed, as it was and as it became (as text; "" when it was not set)."""

    field: str
    before: str
    after: str


@dataclass(frozen=True)
class LogRow:
    entry: AuditEntry
    # Where the target is read, or "" once it no longer exists.
    target_url: str
    changes: list[Change]


@dataclass(frozen=True)
class LogPage:
    rows: list[LogRow]
    # The id to pass as `before` for the next (older) page, or None on the last one.
    next_before: int | None


def full_log(*, network: Network, action: str = "", before: int | None = None) -> LogPage:
    """A page of `network`'s whole log, of one `action` when given, older than entry `before` when
    given. One query for the entries, and one for each kind of target they link to (posts, topics...)."""
    entries = _page(
        AuditEntry.objects.filter(network=network).select_related("actor", "target_user"), action, before
    )
    return LogPage(log_rows(network, entries[:ENTRIES_PER_PAGE]), _next_before(entries))


def log_rows(network: Network, entries: list[AuditEntry]) -> list[LogRow]:
    """`entries` of `network`'s log (with their actor and target user loaded) as the log shows them: with
    a link to each target that still exists, and what each changed. A query per kind of target."""
    urls = _target_urls(network, entries)
    return [
        LogRow(entry, urls.get((entry.target_kind, entry.target_id), ""), _changes(entry.before, entry.after))
        for entry in entries
    ]


def _changes(before: Any, after: Any) -> list[Change]:
    before = before if isinstance(before, dict) else {}
    after = after if isinstance(after, dict) else {}
    fields = list(dict.fromkeys([*before, *after]))
    return [Change(field, _text(before.get(field)), _text(after.get(field))) for field in fields]


def _text(value: Any) -> str:
    """A before or after value as a moderator reads it: moments in the site's own format."""
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return ", ".join(_text(item) for item in value)
    moment = _moment(value) if isinstance(value, str) else None
    if moment is not None and timezone.is_aware(moment):
        return formats.date_format(timezone.localtime(moment), "DATETIME_FORMAT")
    return str(value)


def _moment(text: str) -> datetime | None:
    try:
        return parse_datetime(text)
    except ValueError:  # shaped like a moment, but no such date: text like any other
        return None


# --- The public log ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class PublicEntry:
    created_at: datetime
    action: str
    target_kind: str
    reason: str


@dataclass(frozen=True)
class PublicLogPage:
    entries: list[PublicEntry]
    next_before: int | None


def public_log(*, network: Network, action: str = "", before: int | None = None) -> PublicLogPage:
    """A page of `network`'s public log: its public entries, without who acted, whom or what they
    concerned beyond its kind, or the before and after. One query."""
    entries = _page(
        AuditEntry.objects.filter(network=network, public=True).only(
            "id", "created_at", "action", "target_kind", "reason"
        ),
        action,
        before,
    )
    return PublicLogPage(
        entries=[
            PublicEntry(
                created_at=entry.created_at,
                action=capfirst(entry.get_action_display()),
                target_kind=entry.get_target_kind_display(),
                reason=entry.reason,
            )
            for entry in entries[:ENTRIES_PER_PAGE]
        ],
        next_before=_next_before(entries),
    )


# --- Pages ------------------------------------------------------------------------------------------


def _page(entries: QuerySet[AuditEntry], action: str, before: int | None) -> list[AuditEntry]:
    """One page of `entries` newest first, and the first entry of the next page if there is one.

    `before` names the last entry of the page read before; the query finds its time itself, and an id
    not among `entries` gives an empty page."""
    if action:
        entries = entries.filter(action=action)
    if before is not None:
        anchor = Subquery(entries.filter(pk=before).values("created_at")[:1])
        entries = entries.filter(Q(created_at__lt=anchor) | Q(created_at=anchor, pk__lt=before))
    return list(entries.order_by("-created_at", "-id")[: ENTRIES_PER_PAGE + 1])


def _next_before(entries: list[AuditEntry]) -> int | None:
    return entries[ENTRIES_PER_PAGE - 1].pk if len(entries) > ENTRIES_PER_PAGE else None


# --- Links to targets -------------------------------------------------------------------------------

TargetUrls = dict[tuple[str, int], str]


def _target_urls(network: Network, entries: Iterable[AuditEntry]) -> TargetUrls:
    """Where each entry's target is read in `network`, for those that still exist: one query per kind
    of target among `entries` (members need none: their entry holds the person)."""
    ids: defaultdict[str, set[int]] = defaultdict(set)
    urls: TargetUrls = {}
    for entry in entries:
        if entry.target_kind == TargetKind.MEMBER and entry.target_user is not None:
            urls[(entry.target_kind, entry.target_id)] = reverse(
                "moderation:member", args=[network.slug, entry.target_user.username]
            )
        else:
            ids[entry.target_kind].add(entry.target_id)
    for kind, kind_ids in ids.items():
        finder = _URL_FINDERS.get(kind)
        if finder is not None:
            urls.update({(kind, pk): url for pk, url in finder(network, kind_ids)})
    return urls


def _posts(network: Network, ids: set[int]) -> Iterable[tuple[int, str]]:
    rows = Post.objects.filter(pk__in=ids, topic__network=network).values_list("pk", "topic_id", "number")
    for pk, topic_id, number in rows:
        yield pk, reverse("forum:post", args=[network.slug, topic_id, number])


def _topics(network: Network, ids: set[int]) -> Iterable[tuple[int, str]]:
    for pk, slug in Topic.objects.filter(pk__in=ids, network=network).values_list("pk", "slug"):
        yield pk, reverse("forum:topic", args=[network.slug, pk, slug])


def _messages(network: Network, ids: set[int]) -> Iterable[tuple[int, str]]:
    rows = ChatMessage.objects.filter(pk__in=ids, room__network=network).values_list("pk", "room__slug")
    for pk, room_slug in rows:
        yield pk, f"{reverse('chat:room', args=[network.slug, room_slug])}#message-{pk}"


def _rooms(network: Network, ids: set[int]) -> Iterable[tuple[int, str]]:
    for pk, slug in ChatRoom.objects.filter(pk__in=ids, network=network).values_list("pk", "slug"):
        yield pk, reverse("chat:room", args=[network.slug, slug])


def _comments(network: Network, ids: set[int]) -> Iterable[tuple[int, str]]:
    rows = StoryComment.objects.filter(pk__in=ids, story__networks=network).select_related("story")
    for comment in rows.only("pk", "story__pk", "story__slug"):
        yield comment.pk, comment.get_absolute_url()


def _profiles(network: Network, ids: set[int]) -> Iterable[tuple[int, str]]:
    for user in User.objects.filter(pk__in=ids).only("pk", "username"):
        yield user.pk, user.get_absolute_url()


_URL_FINDERS: dict[str, Callable[[Network, set[int]], Iterable[tuple[int, str]]]] = {
    TargetKind.POST: _posts,
    TargetKind.TOPIC: _topics,
    TargetKind.MESSAGE: _messages,
    TargetKind.ROOM: _rooms,
    TargetKind.COMMENT: _comments,
    TargetKind.PROFILE: _profiles,
}
