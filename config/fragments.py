"""Partials rendered once and shared between requests: every visitor, and most members, see the same
HTML for each post, topic row or story card."""

import hashlib
from collections.abc import Sequence
from typing import Any

from django.core.cache import caches
from django.template.loader import render_to_string
from django.urls import get_script_prefix
from django.utils import timezone, translation
from django.utils.safestring import SafeString, mark_safe


def rendered_fragments(
    template_name: str, name: str, views: Sequence[object], context: dict[str, Any]
) -> list[SafeString]:
    """`template_name` rendered for each of `views` (as `name`, beside `context`), taken from the
    `fragments` cache when it was rendered so before.

    The partial must read nothing but its view, `context` and what the key below holds, and a fragment
    is kept under a digest of all of it: the view object's repr, the context, the site's address prefix
    (partials reverse their links), the language, the time zone and today's date (times are worded
    against it). Whatever changes (an edit, a reaction, a permission, a rename, the day) makes another
    key, so no fragment is ever invalidated and none can be stale; the cache is bounded and forgets
    the least recently used."""
    shared = repr(
        (
            template_name,
            get_script_prefix(),
            translation.get_language(),
            timezone.get_current_timezone_name(),
            timezone.localdate(),
            sorted(context.items()),
        )
    )
    keys = [
        "fragment:" + hashlib.blake2b(f"{shared}{view!r}".encode(), digest_size=16).hexdigest()
        for view in views
    ]
    fragments = caches["fragments"]
    kept = fragments.get_many(keys)
    rendered = {
        key: render_to_string(template_name, {name: view, **context})
        for key, view in zip(keys, views, strict=True)
        if key not in kept
    }
    fragments.set_many(rendered)
    kept.update(rendered)
    return [mark_safe(kept[key]) for key in keys]  # noqa: S308 (the partial's own output, escaped by it)
