"""The navigation's count of unread chat messages, on every page for a signed-in member."""

from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from forums.selectors.chat import unread_total
from profiles.models import User


def chat_unread(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if not isinstance(user, User):
        return {}
    # Lazy: the query runs only when a template shows the count.
    return {"chat_unread_total": SimpleLazyObject(lambda: unread_total(user))}
