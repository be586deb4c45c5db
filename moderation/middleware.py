"""Mutes and suspensions end on time without a scheduler: each web process ends those that are due at
most once every `MODERATION_EXPIRY_INTERVAL` seconds (a setting; unset or None turns this off), on the
first request after that interval.

Between two runs a request costs one clock reading and no query. A member whose suspension ended is
back within that interval; the `lift_expired_sanctions` command does the same from cron, for a site
that sleeps between requests. The test settings turn it off: a run's queries would land in whichever
request came at the wrong moment, and upset the pages' query counts.
"""

import threading
import time
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from moderation.services.members import lift_expired

# When this process may next run, on the monotonic clock; the lock keeps two threads of one process
# from running at once (the second one goes on with its request instead of waiting).
_next_run = 0.0
_running = threading.Lock()


def interval() -> float | None:
    """Seconds between two runs in one process, or None when the middleware is off."""
    value = getattr(settings, "MODERATION_EXPIRY_INTERVAL", None)
    return None if value is None else float(value)


def run_if_due() -> bool:
    """End the sanctions that are due if this process has not done so for an interval; True if it ran."""
    global _next_run
    every = interval()
    now = time.monotonic()
    if every is None or now < _next_run or not _running.acquire(blocking=False):
        return False
    try:
        _next_run = now + every
        lift_expired()
    finally:
        _running.release()
    return True


class LiftExpiredSanctionsMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # Before the view, so that a member whose suspension just ended sees the network on this request.
        run_if_due()
        return self.get_response(request)
