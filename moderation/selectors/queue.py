"""A network's review queue as its moderators read it: the open items, the reports gathered on each
(how many of each reason, what the reporters wrote, and who they are), the text of the posts awaiting
approval, and what was handled lately and by whom.

Items are listed by their latest activity, newest first: a new report puts an item back at the top.
"""

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from forums.models import Post
from moderation.events import queue_stream
from moderation.models import QueueItem, Report, TargetKind
from network.models import Network
from realtime.selectors import last_seq

ITEMS_PER_PAGE = 30
RECENTLY_HANDLED = 20

# How the resolutions of moderation's services read; others show as they were recorded.
RESOLUTION_LABELS: dict[str, StrOrPromise] = {
    "approved": _("approved"),
    "rejected": _("rejected"),
    "dismissed": _("dismissed"),
    "gone": _("taken down meanwhile"),
}


@dataclass(frozen=True)
class ReasonCount:
    reason: str
    label: str
    count: int


@dataclass(frozen=True)
class QueueEntry:
    """One item as its card shows it. `reports` are in the order they came; `post_html` is the
    sanitized text of the post an approval item holds ("" for reports, or a post gone meanwhile)."""

    item: QueueItem
    reports: list[Report]
    reasons: list[ReasonCount]
    post_html: str

    @property
    def texts(self) -> list[Report]:
        """The reports whose reporters said something in their own words."""
        return [report for report in self.reports if report.text]


@dataclass(frozen=True)
class HandledRow:
    item: QueueItem
    outcome: str


@dataclass(frozen=True)
class QueuePage:
    network: Network
    page: Page[QueueItem]
    entries: list[QueueEntry]
    handled: list[HandledRow]
    stream: str
    stream_seq: int

    @property
    def open_count(self) -> int:
        return self.page.paginator.count


def _items(network: Network) -> QuerySet[QueueItem]:
    reports = Report.objects.select_related("reporter").order_by("created_at", "id")
    return (
        QueueItem.objects.filter(network=network)
        .select_related("network", "target_author", "handled_by")
        .prefetch_related(Prefetch("reports", queryset=reports))
    )


def _open(network: Network) -> QuerySet[QueueItem]:
    return _items(network).filter(state=QueueItem.State.OPEN).order_by("-updated_at", "-id")


def _entries(items: Sequence[QueueItem]) -> list[QueueEntry]:
    """Cards for `items` (their reports prefetched), with one query for the held posts' text."""
    held = [
        item.target_id
        for item in items
        if item.kind == QueueItem.Kind.APPROVAL and item.target_kind == TargetKind.POST
    ]
    texts: dict[int, str] = {}
    if held:
        posts = Post.objects.filter(pk__in=held, deleted_at__isnull=True)
        texts = dict(posts.values_list("pk", "body_html"))
    entries = []
    for item in items:
        reports = list(item.reports.all())
        counts = Counter(report.reason for report in reports)
        reasons = [
            ReasonCount(reason=reason, label=str(Report.Reason(reason).label), count=counts[reason])
            for reason in Report.Reason.values
            if counts[reason]
        ]
        post_html = texts.get(item.target_id, "") if item.kind == QueueItem.Kind.APPROVAL else ""
        entries.append(QueueEntry(item=item, reports=reports, reasons=reasons, post_html=post_html))
    return entries


def queue_page(*, network: Network, page_number: str | int | None = None) -> QueuePage:
    """Page `page_number` of the open items of `network`'s queue, the items handled lately, and where
    its stream stood when read (for the page to follow it from there). InvalidPage for a page that
    does not exist."""
    stream = queue_stream(network.pk)
    # Read before the items: an item opened in between is then both listed and announced, and the
    # page ignores the announcement of an item it already shows.
    seq = last_seq(stream=stream)
    page = Paginator(_open(network), ITEMS_PER_PAGE, allow_empty_first_page=True).page(page_number or 1)
    return QueuePage(
        network=network,
        page=page,
        entries=_entries(list(page.object_list)),
        handled=recently_handled(network=network),
        stream=stream,
        stream_seq=seq,
    )


def open_entries(*, network: Network, ids: Sequence[int]) -> list[QueueEntry]:
    """The open items of `network` among `ids`, newest activity first (the queue page fetches those it
    hears of); items handled or of another network are left out."""
    return _entries(list(_open(network).filter(pk__in=ids)))


def queue_entry(*, network: Network, item_id: int) -> QueueEntry | None:
    """One item of `network`'s queue, open or handled, with all its reports."""
    item = _items(network).filter(pk=item_id).first()
    return _entries([item])[0] if item is not None else None


def recently_handled(*, network: Network, limit: int = RECENTLY_HANDLED) -> list[HandledRow]:
    """The items of `network` handled last, newest first, each with how it ended, in words."""
    handled = (
        QueueItem.objects.filter(network=network, state=QueueItem.State.HANDLED)
        .select_related("handled_by")
        .order_by("-handled_at", "-id")[:limit]
    )
    return [HandledRow(item=item, outcome=resolution_label(item.resolution)) for item in handled]


def open_count(*, network: Network) -> int:
    return QueueItem.objects.filter(network=network, state=QueueItem.State.OPEN).count()


def resolution_label(resolution: str) -> str:
    return str(RESOLUTION_LABELS.get(resolution, resolution))
