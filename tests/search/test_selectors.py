import pytest
from django.core.paginator import EmptyPage
from django.db import connection
from django.test.utils import CaptureQueriesContext

from network.models import Membership, Network
from search import selectors
from search.selectors import PAGE_SIZE, search, visible_entries, word_search
from tests.factories import MembershipFactory, NetworkFactory, UserFactory
from tests.network.conftest import PERSONAS
from tests.search.conftest import MEMO, index

pytestmark = pytest.mark.django_db


def titles(results) -> list[str]:
    return [str(result.title_html) for result in results.results]


def found(viewer, query, **filters) -> list[str]:
    return titles(search(viewer, query=query, **filters))


# --- Matching and ranking -----------------------------------------------------------------------------


def test_a_match_in_the_title_ranks_above_the_same_match_in_the_text(network, anonymous):
    index(network, title="Shift patterns", text="We tried a new roster last spring.")
    index(network, title="Roster templates", text="Shared by the Kenyan administration.")
    index(network, title="Unrelated", text="Nothing here.")

    assert found(anonymous, "roster") == ["<mark>Roster</mark> templates", "Shift patterns"]


def test_equal_ranks_list_the_newest_first(network, anonymous):
    older = index(network, title="Hybrid work one")
    newer = index(network, title="Hybrid work two")

    results = search(anonymous, query="hybrid").results

    assert [result.url for result in results] == [newer.url, older.url]


def test_words_match_their_other_forms_and_every_word_must_match(network, anonymous):
    index(network, title="Working from home", text="Officers described their experiences.")
    index(network, title="Home office furniture", text="Desks.")

    assert found(anonymous, "works homes experience") == ["<mark>Working</mark> from <mark>home</mark>"]


def test_the_query_reads_phrases_and_exclusions(network, anonymous):
    index(network, title="Gender equality", text="Equality of gender in customs.")
    index(network, title="Equality gender", text="Customs again.")
    index(network, title="Gender pay", text="Equality of pay.")

    assert found(anonymous, '"gender equality"') == ["<mark>Gender</mark> <mark>equality</mark>"]
    assert found(anonymous, "gender -customs") == ["<mark>Gender</mark> pay"]


@pytest.mark.parametrize("query", ["", "   ", "!!! ???", "-", "-customs", "or", '"" -a -b'])
def test_a_query_without_words_to_look_for_finds_nothing_and_asks_nothing(
    network, anonymous, query, django_assert_num_queries
):
    index(network, title="Anything")

    with django_assert_num_queries(0):
        assert search(anonymous, query=query).results == []


def test_a_query_of_stop_words_finds_nothing(network, anonymous):
    index(network, title="The and of", text="the and of")

    assert found(anonymous, "the of") == []


# --- Highlighting and escaping ------------------------------------------------------------------------


def test_the_snippet_highlights_the_matches_in_the_text(network, anonymous):
    index(network, title="Well-being", text="Officers on night shifts asked for quieter rest rooms.")

    result = search(anonymous, query="shift rooms").results[0]

    assert str(result.snippet_html) == (
        "Officers on night <mark>shifts</mark> asked for quieter rest <mark>rooms</mark>"
    )


def test_a_long_text_is_cut_to_fragments_around_the_matches(network, anonymous):
    filler = " ".join(f"filler{n}" for n in range(200))
    index(network, title="Long", text=f"{filler} the roster changed {filler} and the roster again {filler}")

    snippet = str(search(anonymous, query="roster").results[0].snippet_html)

    assert snippet.count("<mark>roster</mark>") == 2
    assert snippet.startswith("… filler")
    assert snippet.endswith(" …")
    assert snippet.count(" … ") == 1  # between the two fragments
    assert len(snippet.split()) < 80


def test_a_match_only_in_the_title_shows_the_opening_of_the_text(network, anonymous):
    index(network, title="Roster templates", text="Here are the files we use. " * 20)

    result = search(anonymous, query="roster").results[0]

    assert str(result.title_html) == "<mark>Roster</mark> templates"
    assert str(result.snippet_html).startswith("Here are the files we use.")
    assert "<mark>" not in result.snippet_html


def test_a_title_that_is_not_searchable_is_shown_plain(network, anonymous):
    index(network, title="Roster templates", text="My roster is attached.", title_searchable=False)

    result = search(anonymous, query="roster").results[0]

    assert str(result.title_html) == "Roster templates"
    assert str(result.snippet_html) == "My <mark>roster</mark> is attached"


def test_what_members_wrote_is_escaped_and_only_the_highlights_are_markup(network, anonymous):
    index(
        network,
        title='<img src=x onerror="alert(1)"> roster',
        text="<script>alert('roster')</script> & <mark>fake</mark> roster",
    )

    result = search(anonymous, query="roster").results[0]

    assert "<img" not in result.title_html
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in result.title_html
    assert "<script>" not in result.snippet_html
    assert "alert(&#x27;<mark>roster</mark>&#x27;)&lt;/script&gt;" in result.snippet_html
    assert "&amp; &lt;mark&gt;fake&lt;/mark&gt;" in result.snippet_html
    assert result.snippet_html.count("<mark>") == result.snippet_html.count("</mark>") == 2


def test_words_written_between_angle_brackets_are_found_and_shown(network, anonymous):
    index(network, title="Markup", text="Use the <details> element when a<b.")

    result = search(anonymous, query="details").results[0]

    assert str(result.snippet_html) == "Use the &lt;<mark>details</mark>&gt; element when a&lt;b"


# --- Filters ------------------------------------------------------------------------------------------


def test_filters_narrow_to_a_network_a_scope_and_a_kind(network, superuser):
    other = NetworkFactory()
    index(network, title="Roster in network", scope="shelf:a")
    index(network, title="Roster on another shelf", scope="shelf:b")
    index(other, title="Roster elsewhere", scope="shelf:a")
    index(network, kind=MEMO, title="Roster memo", scope="shelf:a")

    assert len(found(superuser, "roster")) == 4
    assert len(found(superuser, "roster", network=network)) == 3
    assert found(superuser, "roster", network=network, scope="shelf:b") == [
        "<mark>Roster</mark> on another shelf"
    ]
    assert found(superuser, "roster", kind=MEMO) == ["<mark>Roster</mark> memo"]
    assert found(superuser, "roster", network=other, kind=MEMO) == []


def test_the_scopes_of_a_network_come_from_every_kind_that_has_them_each_once(network, kinds, monkeypatch):
    from search import registry

    monkeypatch.setitem(
        registry._kinds,
        "extra",
        registry.SearchKind(
            "extra",
            "Extra",
            lambda viewer: selectors.Q(),
            lambda n: [(f"shelf:{n.pk}:b", "B again"), ("c", "C")],
        ),
    )

    assert selectors.scope_choices(network) == [
        (f"shelf:{network.pk}:a", "Shelf A"),
        (f"shelf:{network.pk}:b", "Shelf B"),
        ("c", "C"),
    ]


# --- Who sees what ------------------------------------------------------------------------------------


@pytest.fixture
def secret(network) -> Network:
    return NetworkFactory(visibility=Network.Visibility.MEMBERS_ONLY)


@pytest.mark.parametrize("persona", PERSONAS)
def test_everyone_finds_what_is_in_a_public_network(persona, request, network):
    index(network, title="Public roster")

    assert found(request.getfixturevalue(persona), "roster") == ["Public <mark>roster</mark>"]


@pytest.mark.parametrize(
    ("persona", "finds"),
    [
        ("anonymous", False),
        ("outsider", False),
        ("member", True),
        ("champion", True),
        ("moderator", True),
        ("admin", True),
        ("superuser", True),
    ],
)
def test_what_is_in_a_members_only_network_is_found_by_its_members_only(
    persona, finds, request, members_only
):
    index(members_only, title="Members roster")

    assert bool(found(request.getfixturevalue(persona), "roster")) is finds


@pytest.mark.parametrize(
    "state",
    [Membership.State.INVITED, Membership.State.PENDING, Membership.State.LEFT, Membership.State.DECLINED],
)
def test_people_who_are_not_active_members_do_not_find_members_only_content(state, members_only):
    person = MembershipFactory(network=members_only, state=state).user
    index(members_only, title="Members roster")

    assert found(person, "roster") == []


def test_narrowing_to_a_network_one_may_not_see_finds_nothing(members_only, outsider):
    index(members_only, title="Members roster")

    assert found(outsider, "roster", network=members_only) == []


def test_a_kind_rule_is_applied_to_its_own_entries_only(network, member, superuser):
    index(network, title="Roster note")
    index(network, kind=MEMO, title="Roster memo")

    assert found(member, "roster") == ["<mark>Roster</mark> note"]
    assert sorted(found(superuser, "roster")) == ["<mark>Roster</mark> memo", "<mark>Roster</mark> note"]


def test_entries_of_a_kind_nobody_registered_never_show(network, superuser):
    index(network, kind="retired", title="Roster of a retired kind")

    assert found(superuser, "roster") == []
    assert found(superuser, "roster", kind="retired") == []


def test_a_permissive_kind_still_shows_nothing_of_a_network_the_viewer_may_not_see(
    members_only, outsider, kinds, monkeypatch
):
    from search import registry

    monkeypatch.setitem(
        registry._kinds, MEMO, registry.SearchKind(MEMO, "Memo", lambda viewer: selectors.Q())
    )
    index(members_only, kind=MEMO, title="Members roster")
    index(None, kind=MEMO, title="Site-wide roster")

    assert found(outsider, "roster") == ["Site-wide <mark>roster</mark>"]


def test_without_any_registered_kind_nothing_is_found(network, superuser, monkeypatch):
    from search import registry

    monkeypatch.setattr(registry, "_kinds", {})
    index(network, title="Roster")

    assert not visible_entries(superuser).exists()
    assert found(superuser, "roster") == []


# --- Pages and queries --------------------------------------------------------------------------------


def test_results_come_twenty_a_page_and_a_page_past_the_last_is_refused(network, anonymous):
    for n in range(PAGE_SIZE + 3):
        index(network, title=f"Roster {n}")

    first = search(anonymous, query="roster")
    second = search(anonymous, query="roster", page=2)

    assert (len(first.results), first.has_next, first.has_previous, first.first_number) == (
        20,
        True,
        False,
        1,
    )
    assert (len(second.results), second.has_next, second.has_previous, second.first_number) == (
        3,
        False,
        True,
        21,
    )
    assert {r.url for r in first.results}.isdisjoint({r.url for r in second.results})
    with pytest.raises(EmptyPage):
        search(anonymous, query="roster", page=3)
    with pytest.raises(EmptyPage):
        search(anonymous, query="roster", page=0)


def test_a_first_page_without_results_is_not_an_error(network, anonymous):
    assert search(anonymous, query="roster").results == []


def build(size: int) -> tuple[Network, list[object]]:
    """`size` matching entries by several authors in a members-only network with its own members."""
    network = NetworkFactory(visibility=Network.Visibility.MEMBERS_ONLY)
    authors = [UserFactory() for _ in range(3)]
    for n in range(size):
        index(network, title=f"Roster {n}", text="Shared roster.", author_id=authors[n % 3].pk)
    return network, authors


@pytest.mark.parametrize("backend", [search, "fallback"])
def test_a_page_of_results_takes_one_query_for_10_and_100_matches(backend):
    small, _ = build(10)
    large, _ = build(100)
    viewer = MembershipFactory(network=small).user
    MembershipFactory(network=large, user=viewer)

    def read(network):
        with CaptureQueriesContext(connection) as captured:
            if backend == "fallback":
                page = word_search(visible_entries(viewer).filter(network=network), query="roster", page=1)
            else:
                page = search(viewer, query="roster", network=network)
            shown = [(r.author.display_name, r.network.name, r.kind.label) for r in page.results]
        return len(captured.captured_queries), len(shown)

    assert read(small) == (1, 10)
    assert read(large) == (1, PAGE_SIZE)


def test_results_carry_what_the_page_shows(network, anonymous):
    author = UserFactory(display_name="Amina Diallo")
    doc = index(network, title="Roster", url="/somewhere/", author_id=author.pk)

    result = search(anonymous, query="roster").results[0]

    assert (result.kind.label, result.url, result.network, result.author, result.created_at) == (
        "Note",
        "/somewhere/",
        network,
        author,
        doc.created_at,
    )


# --- The fallback without full-text search ------------------------------------------------------------


def fallback(viewer, query, page=1):
    return word_search(visible_entries(viewer), query=query, page=page)


def test_the_fallback_needs_every_word_in_the_title_or_the_text_whatever_the_case(network, anonymous):
    index(network, title="Roster templates", text="From Kenya.")
    index(network, title="Rosters", text="From Peru.")
    index(network, title="Kenya", text="No match for the other word.")

    assert titles(fallback(anonymous, "KENYA roster")) == ["<mark>Roster</mark> templates"]


def test_the_fallback_leaves_out_excluded_words_and_reads_quotes_and_or_as_no_words(network, anonymous):
    index(network, title="Gender equality", text="In customs.")
    index(network, title="Equality and gender", text="At home.")

    assert titles(fallback(anonymous, '"gender equality" -CUSTOMS')) == [
        "<mark>Equality</mark> and <mark>gender</mark>"
    ]
    assert len(fallback(anonymous, "gender or equality").results) == 2


def test_the_query_terms_are_the_words_to_find_and_to_leave_out():
    assert selectors.query_terms('"Gender  equality" or -Customs, -x-ray gender') == (
        ["gender", "equality"],
        ["customs", "x", "ray"],
    )


def test_the_fallback_lists_the_newest_first_and_pages(network, anonymous):
    docs = [index(network, title=f"Roster {n}") for n in range(PAGE_SIZE + 1)]

    first, second = fallback(anonymous, "roster"), fallback(anonymous, "roster", page=2)

    assert [r.url for r in first.results] == [doc.url for doc in reversed(docs[1:])]
    assert first.has_next
    assert [r.url for r in second.results] == [docs[0].url]
    with pytest.raises(EmptyPage):
        fallback(anonymous, "roster", page=3)


def test_the_fallback_ignores_a_title_that_is_not_searchable(network, anonymous):
    index(network, title="Roster templates", text="Attached.", title_searchable=False)

    assert fallback(anonymous, "roster").results == []


def test_the_fallback_respects_who_may_read(members_only, outsider, member):
    index(members_only, title="Members roster")

    assert fallback(outsider, "roster").results == []
    assert titles(fallback(member, "roster")) == ["Members <mark>roster</mark>"]


def test_the_fallback_excerpt_surrounds_the_first_match_and_escapes(network, anonymous):
    before = " ".join(f"word{n}" for n in range(60))
    after = " ".join(f"more{n}" for n in range(60))
    index(network, title="Long", text=f"{before} <b>roster</b> & {after}")

    snippet = str(fallback(anonymous, "roster").results[0].snippet_html)

    assert snippet.startswith("… word")
    assert snippet.endswith(" …")
    assert "&lt;b&gt;<mark>roster</mark>&lt;/b&gt; &amp; more0" in snippet
    assert len(snippet) < 320


def test_the_fallback_shows_the_opening_when_only_the_title_matches(network, anonymous):
    index(network, title="Roster", text="Opening words. " * 30)

    result = fallback(anonymous, "roster").results[0]

    assert str(result.title_html) == "<mark>Roster</mark>"
    assert str(result.snippet_html).startswith("Opening words.")
    assert str(result.snippet_html).endswith(" …")
