"""The kinds of search entry apps declare, and who may read each.

The owning app registers each kind once, in its AppConfig's `ready()`, with its permission rule written
as a filter on SearchEntry, so that the search page asks the same rule as the app's own pages, in the
same query that finds the matches. Entries of a kind nobody registered never show.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q

from network.models import Network
from profiles.models import User

AnyUser = User | AnonymousUser


@dataclass(frozen=True)
class SearchKind:
    name: str
    # What a result of this kind is called on the page ("Topic", "Reply").
    label: str
    # viewer -> a filter on SearchEntry keeping the entries of this kind the viewer may read.
    visible_q: Callable[[AnyUser], Q]
    # network -> the (scope, label) pairs a search in that network may be narrowed to (its categories).
    scope_choices: Callable[[Network], list[tuple[str, str]]] | None = None


_kinds: dict[str, SearchKind] = {}


def register_kind(kind: SearchKind) -> None:
    _kinds[kind.name] = kind


def get_kind(name: str) -> SearchKind | None:
    return _kinds.get(name)


def kinds() -> list[SearchKind]:
    """Every registered kind, in the order they were registered."""
    return list(_kinds.values())
