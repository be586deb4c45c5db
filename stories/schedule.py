"""Scheduled stories going out without a cron job: the feed publishes the due ones when it is visited.

`manage.py publish_due_stories` is the production way (run it every minute). A site started with
`make run` has no cron, so the feed page calls `publish_if_due` too. Knowing whether anything is due must
cost the page no SQL: the time the next scheduled story is due is kept in the default cache (computed with
one query when missing) and only once it has passed are the due stories published.

A story scheduled while the cache says that nothing is due would wait for the cached answer to expire, so
the answer is kept for `NEXT_DUE_TTL` seconds only, and scheduling a story may forget it at once
(`forget_next_due`, on commit).
"""

import math
from datetime import datetime

from django.core.cache import cache
from django.utils import timezone

from stories.models import Story
from stories.services import publishing  # the module: publishing may import this one in turn

NEXT_DUE_KEY = "stories:next_due"
NEXT_DUE_TTL = 60
# Cached when no story is scheduled: later than any time.
NOTHING_DUE = math.inf


def next_due() -> float:
    """When the earliest scheduled story is due, as a POSIX timestamp (NOTHING_DUE if none is)."""
    due = cache.get(NEXT_DUE_KEY)
    if due is None:
        due = _read_next_due()
        cache.set(NEXT_DUE_KEY, due, NEXT_DUE_TTL)
    return float(due)


def publish_if_due(*, now: datetime | None = None) -> int:
    """Publish the scheduled stories whose time has come, if any is; returns how many went out."""
    now = now or timezone.now()
    if now.timestamp() < next_due():
        return 0
    published = publishing.publish_due_stories(now=now)
    cache.set(NEXT_DUE_KEY, _read_next_due(), NEXT_DUE_TTL)
    return published


def forget_next_due() -> None:
    """Make the next visit read the schedule again: a story was just scheduled or published."""
    cache.delete(NEXT_DUE_KEY)


def _read_next_due() -> float:
    due = (
        Story.objects.filter(status=Story.Status.SCHEDULED)
        .order_by("publish_at")
        .values_list("publish_at", flat=True)
        .first()
    )
    return due.timestamp() if due is not None else NOTHING_DUE
