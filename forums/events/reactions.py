"""How reactions are counted in the forum's events, chat messages and posts alike."""

from typing import Any, TypedDict

from django.db.models import Count, QuerySet

from forums.models.reactions import REACTION_ORDER


class ReactionCount(TypedDict):
    kind: str
    count: int


def count_reactions(reactions: QuerySet[Any]) -> list[ReactionCount]:
    """How many of each kind `reactions` (the rows of one message or post) hold, in the offered order."""
    rows = reactions.values("kind").annotate(count=Count("pk")).order_by()
    counts: list[ReactionCount] = [{"kind": row["kind"], "count": row["count"]} for row in rows]
    return sorted(counts, key=lambda r: REACTION_ORDER.get(r["kind"], 99))
