"""Reads for the search page: the entries a viewer may read that match a query, best first, each with its
matches highlighted. One query for a page of results, whatever their number.

On PostgreSQL the match is full-text (stemmed words, `websearch_to_tsquery` syntax: quotes for a phrase,
`-word` to exclude, `or`), ranked with the title above the text. Elsewhere (the SQLite of the embedded
demo) every word of the query must occur in the title or the text, and none it leaves out with `-word`;
the newest come first.

Highlights come back from the database (or the fallback) between markers that search.text turns into
`<mark>` tags once the text is escaped.
"""

import re
from dataclasses import dataclass
from datetime import datetime
from functools import reduce
from operator import and_, or_
from typing import Any

from django.conf import settings
from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank
from django.core.paginator import EmptyPage
from django.db import connection
from django.db.models import Case, F, Q, QuerySet, TextField, When
from django.utils.safestring import SafeString

from network.models import Network
from network.permissions import visible_networks_q
from profiles.models import User
from search import registry
from search.models import SearchEntry
from search.registry import AnyUser, SearchKind
from search.text import HIGHLIGHT_START, HIGHLIGHT_STOP, highlight, marked_html, parsable, parsable_query

PAGE_SIZE = 20
# The fallback's excerpt: about this many characters, the first match a third of the way in.
EXCERPT_CHARACTERS = 240
ELLIPSIS = "…"
_WORD = re.compile(r"\w+")
_LAST_WORD = re.compile(r"(\w+)\W*\Z")
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class SearchResult:
    kind: SearchKind
    url: str
    network: Network | None
    author: User | None
    created_at: datetime
    # Escaped text with the matches in <mark>.
    title_html: SafeString
    snippet_html: SafeString


@dataclass(frozen=True)
class SearchResults:
    query: str
    results: list[SearchResult]
    page: int
    has_next: bool

    @property
    def has_previous(self) -> bool:
        return self.page > 1

    @property
    def first_number(self) -> int:
        """The position of the page's first result among all results, from 1."""
        return (self.page - 1) * PAGE_SIZE + 1


def visible_entries(viewer: AnyUser) -> QuerySet[SearchEntry]:
    """The entries `viewer` may read: of a registered kind whose rule lets them through, and never one
    in a network `viewer` may not see, whatever a kind's rule says."""
    rules = [Q(kind=kind.name) & kind.visible_q(viewer) for kind in registry.kinds()]
    if not rules:
        return SearchEntry.objects.none()
    seen_network = Q(network__isnull=True) | Q(network__in=Network.objects.filter(visible_networks_q(viewer)))
    return SearchEntry.objects.filter(reduce(or_, rules), seen_network)


def scope_choices(network: Network) -> list[tuple[str, str]]:
    """What a search in `network` may be narrowed to, from every kind that has scopes, each once."""
    choices: dict[str, str] = {}
    for kind in registry.kinds():
        if kind.scope_choices is not None:
            for value, label in kind.scope_choices(network):
                choices.setdefault(value, label)
    return list(choices.items())


def search(
    viewer: AnyUser,
    *,
    query: str,
    network: Network | None = None,
    scope: str = "",
    kind: str = "",
    page: int = 1,
) -> SearchResults:
    """Page `page` (from 1) of what `viewer` may read that matches `query`, narrowed to `network`, to
    `scope` within it and to entries of `kind` when given.

    A query without a word to look for (nothing, punctuation, only words to leave out) finds nothing and
    asks the database nothing. Raises EmptyPage for a page number below 1, or past the last page.
    """
    if page < 1:
        raise EmptyPage(page)
    if not query_terms(query)[0]:
        return SearchResults(query=query, results=[], page=page, has_next=False)
    entries = visible_entries(viewer)
    if network is not None:
        entries = entries.filter(network=network)
    if scope:
        entries = entries.filter(scope=scope)
    if kind:
        entries = entries.filter(kind=kind)
    find = full_text_search if connection.vendor == "postgresql" else word_search
    return find(entries, query=query, page=page)


def full_text_search(entries: QuerySet[SearchEntry], *, query: str, page: int) -> SearchResults:
    """PostgreSQL's search of `entries`: ranked, the title's matches highlighted in full (where the title
    is searchable) and the text's in up to two fragments (its opening when only the title matched)."""
    tsquery = SearchQuery(parsable_query(query), search_type="websearch", config=settings.SEARCH_CONFIG)
    rows = (
        entries.filter(vector=tsquery)
        .annotate(
            rank=SearchRank(F("vector"), tsquery),
            title_marked=Case(
                When(title_searchable=True, then=_headline("title", tsquery, highlight_all=True)),
                default=F("title"),
                output_field=TextField(),
            ),
            # Fragments keep context on both sides of a match; short words count as words.
            snippet_marked=_headline(
                "text",
                tsquery,
                min_words=15,
                max_words=35,
                short_word=0,
                max_fragments=2,
                fragment_delimiter=f" {ELLIPSIS} ",
            ),
        )
        .select_related("author", "network")
        .order_by("-rank", "-created_at", "-pk")
    )
    return _page(
        [
            (entry, entry.title_marked, _with_ellipses(entry.snippet_marked, entry.text))  # type: ignore[attr-defined]
            for entry in _window(rows, page)
        ],
        query=query,
        page=page,
    )


def _headline(field: str, tsquery: SearchQuery, **options: Any) -> SearchHeadline:
    return SearchHeadline(
        parsable(field),
        tsquery,
        config=settings.SEARCH_CONFIG,
        start_sel=HIGHLIGHT_START,
        stop_sel=HIGHLIGHT_STOP,
        **options,
    )


def query_terms(query: str) -> tuple[list[str], list[str]]:
    """The words a result must hold and those it must not, lowercase, read from `query` as a search
    engine's box is: `-word` leaves out, `or` and punctuation (quotes too) are not words to find."""
    required: dict[str, None] = {}
    excluded: dict[str, None] = {}
    for token in query.split():
        if token.lower() != "or":
            terms = excluded if token.startswith("-") else required
            terms.update(dict.fromkeys(word.lower() for word in _WORD.findall(token)))
    return list(required), list(excluded)


def word_search(entries: QuerySet[SearchEntry], *, query: str, page: int) -> SearchResults:
    """The search of `entries` without full-text support: every word of `query` must occur in the text
    or the searchable title, and no word it leaves out (ignoring case), newest first, with an excerpt
    around the first match. Needs a word to look for."""
    required, excluded = query_terms(query)
    rows = entries.filter(reduce(and_, (_holds(word) for word in required)))
    for word in excluded:
        rows = rows.exclude(_holds(word))
    rows = rows.select_related("author", "network").order_by("-created_at", "-pk")
    pattern = re.compile("|".join(re.escape(word) for word in required), re.IGNORECASE)
    return _page(
        [
            (
                entry,
                highlight(entry.title, pattern) if entry.title_searchable else entry.title,
                _excerpt(pattern, entry.text),
            )
            for entry in _window(rows, page)
        ],
        query=query,
        page=page,
    )


def _holds(word: str) -> Q:
    return Q(text__icontains=word) | Q(title_searchable=True, title__icontains=word)


def _window(rows: QuerySet[SearchEntry], page: int) -> list[SearchEntry]:
    """Page `page` of `rows` and the first row of the next page, if any, in one query."""
    start = (page - 1) * PAGE_SIZE
    return list(rows[start : start + PAGE_SIZE + 1])


def _page(marked: list[tuple[SearchEntry, str, str]], *, query: str, page: int) -> SearchResults:
    if not marked and page > 1:
        raise EmptyPage(page)
    results = [
        SearchResult(
            kind=_kind(entry.kind),
            url=entry.url,
            network=entry.network,
            author=entry.author,
            created_at=entry.created_at,
            title_html=marked_html(title),
            snippet_html=marked_html(snippet),
        )
        for entry, title, snippet in marked[:PAGE_SIZE]
    ]
    return SearchResults(query=query, results=results, page=page, has_next=len(marked) > PAGE_SIZE)


def _kind(name: str) -> SearchKind:
    kind = registry.get_kind(name)
    # visible_entries only lets registered kinds through.
    assert kind is not None
    return kind


def _with_ellipses(snippet: str, text: str) -> str:
    """`snippet` with an ellipsis at each end where it does not reach the end of `text` (a headline does
    not say where it cut)."""
    if not snippet:
        return snippet
    shown_first, text_first = _WORD.search(snippet), _WORD.search(text)
    shown_last, text_last = _LAST_WORD.search(snippet), _LAST_WORD.search(text)
    cut_before = shown_first and text_first and shown_first.group(0) != text_first.group(0)
    cut_after = shown_last and text_last and shown_last.group(1) != text_last.group(1)
    opening = f"{ELLIPSIS} " if cut_before else ""
    closing = f" {ELLIPSIS}" if cut_after else ""
    return opening + snippet + closing


def _excerpt(pattern: re.Pattern[str], text: str) -> str:
    """About EXCERPT_CHARACTERS of `text` with its first match a third of the way in (its opening when
    nothing matches in it), cut between words, with the matches marked."""
    first = pattern.search(text)
    start, lead = 0, EXCERPT_CHARACTERS // 3
    if first is not None and first.start() > lead:
        space = _SPACE.search(text, first.start() - lead, first.start())
        start = space.end() if space else first.start()
    end = start + EXCERPT_CHARACTERS
    if end < len(text):
        cut = max(text.rfind(" ", start, end), text.rfind("\n", start, end))
        # Between words, unless that loses the match or there is no space to cut at.
        if cut > max(start, first.end() if first else 0):
            end = cut
    opening = f"{ELLIPSIS} " if start else ""
    closing = f" {ELLIPSIS}" if end < len(text) else ""
    return opening + highlight(text[start:end], pattern) + closing
