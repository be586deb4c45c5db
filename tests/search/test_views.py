import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from network.models import Network
from search.selectors import PAGE_SIZE
from tests.factories import MembershipFactory, NetworkFactory, UserFactory
from tests.profiles.html import assert_accessible
from tests.search.conftest import MEMO, index

pytestmark = pytest.mark.django_db

SEARCH = "/search/"


def page(client, status=200, **params) -> str:
    response = client.get(SEARCH, params)
    assert response.status_code == status
    return response.content.decode()


def test_the_page_has_its_own_address_and_the_navigation_leads_to_it(client):
    assert reverse("search:results") == SEARCH
    html = page(client, **{})

    assert f'action="{SEARCH}"' in html.split("</nav>")[0]
    assert 'role="search"' in html


def test_without_a_query_the_page_shows_the_form_and_a_hint(client, network):
    html = page(client)

    assert_accessible(html)
    assert "Type a few words to search" in html
    assert "Results for" not in html


def test_results_show_kind_title_network_author_date_and_snippet(client, network):
    author = UserFactory(display_name="Amina Diallo")
    index(
        network,
        title="Roster templates",
        text="Our roster changed.",
        url="/notes/roster/",
        author_id=author.pk,
    )

    html = page(client, q="roster")

    assert_accessible(html)
    assert "Results for “roster”" in html
    assert '<a href="/notes/roster/"><mark>Roster</mark> templates</a>' in html
    assert "Our <mark>roster</mark> changed" in html
    assert ">Note</span>" in html
    assert f">{network.name}</a>" in html
    assert "by Amina Diallo" in html
    assert "<time datetime=" in html


def test_what_members_wrote_reaches_the_page_escaped(client, network):
    index(network, title="<script>alert(1)</script> roster", text='<img src=x onerror="alert(2)"> roster')

    html = page(client, q="roster")

    assert "<script>alert" not in html
    assert "<img src=x" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; <mark>roster</mark>" in html


def test_a_query_is_escaped_where_the_page_repeats_it(client, network):
    html = page(client, q="<b>roster</b>")

    assert "<b>roster</b>" not in html
    assert "&lt;b&gt;roster&lt;/b&gt;" in html


def test_no_match_says_so(client, network):
    index(network, title="Roster")

    assert "Nothing you can read matches this search" in page(client, q="furniture")


def test_a_query_longer_than_200_characters_is_refused_clearly(client, network):
    html = page(client, status=400, q="roster " * 40)

    assert "Search for at most 200 characters (this is 279)." in html
    assert "Results for" not in html
    assert "roster roster" in html  # the query stays in the box, to be shortened


@pytest.mark.parametrize("slug", ["no-such-network", "members"])
def test_a_network_that_does_not_exist_or_is_hidden_reads_the_same(client, slug, network):
    hidden = NetworkFactory(slug="members", name="Quiet circle", visibility=Network.Visibility.MEMBERS_ONLY)
    index(hidden, title="Hidden roster")

    html = page(client, status=400, q="roster", network=slug)

    assert f"There is no network “{slug}”." in html
    assert "Quiet circle" not in html
    assert "Hidden" not in html


def test_the_network_choices_are_the_networks_the_viewer_may_see(client, network):
    hidden = NetworkFactory(name="Quiet circle", visibility=Network.Visibility.MEMBERS_ONLY)

    assert "Quiet circle" not in page(client)
    client.force_login(MembershipFactory(network=hidden).user)
    assert "Quiet circle" in page(client)


def test_filters_narrow_the_results(client, network, superuser):
    other = NetworkFactory()
    index(network, title="Roster on shelf A", scope=f"shelf:{network.pk}:a")
    index(network, title="Roster on shelf B", scope=f"shelf:{network.pk}:b")
    index(other, title="Roster elsewhere", scope=f"shelf:{other.pk}:a")
    index(network, kind=MEMO, title="Roster memo", scope=f"shelf:{network.pk}:b")
    client.force_login(superuser)

    everything = page(client, q="roster")
    in_network = page(client, q="roster", network=network.slug)
    on_shelf = page(client, q="roster", network=network.slug, scope=f"shelf:{network.pk}:b")
    memos = page(client, q="roster", kind=MEMO)

    assert everything.count('class="search-result"') == 4
    assert in_network.count('class="search-result"') == 3
    assert on_shelf.count('class="search-result"') == 2
    assert "Roster</mark> on shelf B" in on_shelf
    assert memos.count('class="search-result"') == 1


def test_the_category_choice_appears_once_a_network_is_chosen(client, network):
    assert 'name="scope"' not in page(client, q="roster")

    html = page(client, q="roster", network=network.slug)

    assert 'name="scope"' in html
    assert f'<option value="shelf:{network.pk}:b">Shelf B</option>' in html


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"scope": "shelf:1:a"}, "Choose a network to narrow the search to one of its categories."),
        ({"scope": "shelf:0:z", "network": "NETWORK"}, "This network has no such category."),
        ({"kind": "unknown"}, "Select a valid choice. unknown is not one of the available choices."),
        ({"page": "two"}, "Bad page number."),
        ({"page": "0"}, "Bad page number."),
        ({"page": "100000"}, "Results stop at page 500: narrow the search instead."),
    ],
)
def test_bad_filters_are_a_400_with_a_clear_message(client, network, params, message):
    if params.get("network") == "NETWORK":
        params["network"] = network.slug

    html = page(client, status=400, q="roster", **params)

    assert message in html
    assert_accessible(html)


def test_a_scope_of_a_hidden_network_reports_the_network_only(client, network):
    html = page(client, status=400, q="roster", network="nowhere", scope="shelf:1:a")

    assert "There is no network “nowhere”." in html
    assert "category" not in html.split('role="alert"')[1].split("</div>")[0]


def test_a_page_past_the_last_is_not_found(client, network):
    index(network, title="Roster")

    assert client.get(SEARCH, {"q": "roster", "page": 2}).status_code == 404


def test_pages_link_to_each_other_keeping_the_query_and_filters(client, network):
    for n in range(21):
        index(network, title=f"Roster {n}")

    first = page(client, q="roster", network=network.slug)
    second = page(client, q="roster", network=network.slug, page=2)

    assert f'href="?q=roster&amp;network={network.slug}&amp;page=2" rel="next"' in first
    assert 'rel="prev"' not in first
    assert f'href="?q=roster&amp;network={network.slug}&amp;page=1" rel="prev"' in second
    assert second.count('class="search-result"') == 1
    assert '<ol class="search-results__list" start="21">' in second


def test_members_only_content_shows_to_members_only(client, members_only, member, outsider):
    index(members_only, title="Members roster")

    assert "Members <mark>roster</mark>" not in page(client, q="roster")
    client.force_login(outsider)
    assert "Members <mark>roster</mark>" not in page(client, q="roster")
    client.force_login(member)
    assert "Members <mark>roster</mark>" in page(client, q="roster")


def test_only_get_is_allowed(client):
    assert client.post(SEARCH, {"q": "roster"}).status_code == 405


def test_the_page_takes_the_same_queries_for_10_and_100_matches(client, member):
    client.force_login(member)

    def queries(size: int) -> int:
        network = NetworkFactory()
        for n in range(size):
            index(network, title=f"Roster {n}", author_id=UserFactory().pk)
        with CaptureQueriesContext(connection) as captured:
            html = page(client, q="roster", network=network.slug)
        assert html.count('class="search-result"') == min(size, PAGE_SIZE)
        return len(captured.captured_queries)

    assert queries(10) == queries(100) <= 8
