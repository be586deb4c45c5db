"""How often a member may post, counted in the shared cache so that every server process counts the
same posts; chat rooms and the forum each set their own allowance."""

from django.core.cache import cache


def take_allowance(key: str, limit: tuple[int, int] | None) -> bool:
    """Count one more post under `key` against `limit` (so many posts within so many seconds, a fixed
    window; None for no limit). False when this one is over the allowance."""
    if limit is None:
        return True
    allowed, seconds = limit
    cache.add(key, 0, timeout=seconds)
    try:
        sent = cache.incr(key)
    except ValueError:  # the window ended between the two calls
        cache.set(key, 1, timeout=seconds)
        sent = 1
    return sent <= allowed
