"""Writes to the search index.

The content apps call these inside their own transactions, so that an entry changes exactly when what it
describes does, and a rolled-back post leaves no entry behind. They take no actor and check no
permission: the caller has already done both for the change the entry follows.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from functools import reduce
from operator import or_

from django.conf import settings
from django.contrib.postgres.search import SearchVector
from django.db import connection, transaction
from django.db.models import Case, Q, TextField, Value, When
from django.db.models.expressions import CombinedExpression
from django.utils.text import Truncator

from search.models import SearchEntry
from search.text import clean, parsable

TITLE_MAX_LENGTH = SearchEntry._meta.get_field("title").max_length or 300


@dataclass(frozen=True)
class Document:
    """What the index holds of one object; `text` is plain text (richtext.plain_text of its HTML)."""

    kind: str
    object_id: int
    network_id: int | None
    scope: str
    title: str
    text: str
    url: str
    author_id: int | None
    created_at: datetime
    title_searchable: bool = True


def document_vector() -> CombinedExpression:
    """The lexemes of an entry as PostgreSQL indexes them: its title weighs A (when it is searchable),
    its text B, so that a match in a title ranks above the same match in a body."""
    config = settings.SEARCH_CONFIG
    title = Case(
        When(title_searchable=True, then=parsable("title")), default=Value(""), output_field=TextField()
    )
    return SearchVector(title, weight="A", config=config) + SearchVector(
        parsable("text"), weight="B", config=config
    )


def _entry(doc: Document) -> SearchEntry:
    return SearchEntry(
        kind=doc.kind,
        object_id=doc.object_id,
        network_id=doc.network_id,
        scope=doc.scope,
        title=Truncator(clean(doc.title)).chars(TITLE_MAX_LENGTH),
        title_searchable=doc.title_searchable,
        text=clean(doc.text),
        url=doc.url,
        author_id=doc.author_id,
        created_at=doc.created_at,
    )


@transaction.atomic(savepoint=False)
def index_documents(docs: Iterable[Document]) -> None:
    """Add or replace the entries of `docs` (the last one wins where a batch names an object twice).

    Two statements whatever the number of documents: an upsert, then on PostgreSQL one update computing
    the new entries' vectors in the database, with the configured text search configuration.
    """
    latest = {(doc.kind, doc.object_id): doc for doc in docs}
    if not latest:
        return
    SearchEntry.objects.bulk_create(
        [_entry(doc) for doc in latest.values()],
        update_conflicts=True,
        unique_fields=["kind", "object_id"],
        update_fields=[
            "network",
            "scope",
            "title",
            "title_searchable",
            "text",
            "url",
            "author",
            "created_at",
        ],
    )
    if connection.vendor != "postgresql":
        return
    ids_by_kind: defaultdict[str, list[int]] = defaultdict(list)
    for kind, object_id in latest:
        ids_by_kind[kind].append(object_id)
    written = reduce(or_, (Q(kind=kind, object_id__in=ids) for kind, ids in ids_by_kind.items()))
    SearchEntry.objects.filter(written).update(vector=document_vector())


def remove_documents(*, kind: str, object_ids: Iterable[int]) -> None:
    """Take the entries of these objects out of the index; ids without an entry are ignored."""
    ids = list(object_ids)
    if ids:
        SearchEntry.objects.filter(kind=kind, object_id__in=ids).delete()


def refresh_vectors() -> int:
    """Compute every entry's vector again (after SEARCH_CONFIG changes, or when data written on another
    database moves to PostgreSQL); the number of entries refreshed, 0 where there are no vectors."""
    if connection.vendor != "postgresql":
        return 0
    return SearchEntry.objects.update(vector=document_vector())
