import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from search.models import SearchEntry
from search.services import index_documents, refresh_vectors, remove_documents
from tests.factories import NetworkFactory, UserFactory
from tests.search.conftest import MEMO, NOTE, document, index

pytestmark = pytest.mark.django_db


def lexemes(entry: SearchEntry) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT vector::text FROM search_searchentry WHERE id = %s", [entry.pk])
        return cursor.fetchone()[0]


def test_a_document_becomes_an_entry_with_every_field(network):
    author = UserFactory()
    doc = index(network, title="Hybrid working", text="Two days at the office.", author_id=author.pk)

    entry = SearchEntry.objects.get(kind=NOTE, object_id=doc.object_id)

    assert (entry.network, entry.scope, entry.title, entry.text) == (
        network,
        doc.scope,
        "Hybrid working",
        "Two days at the office.",
    )
    assert (entry.url, entry.author, entry.created_at, entry.title_searchable) == (
        doc.url,
        author,
        doc.created_at,
        True,
    )


def test_indexing_again_replaces_the_entry_and_recomputes_its_vector(network):
    doc = index(network, title="Roster templates", text="Shared in March.")
    other = NetworkFactory()

    index(other, object_id=doc.object_id, scope="", title="Shift patterns", text="Changed in April.")

    entry = SearchEntry.objects.get()
    assert (entry.network, entry.scope, entry.title, entry.text) == (
        other,
        "",
        "Shift patterns",
        "Changed in April.",
    )
    assert "'shift':1A" in lexemes(entry)
    assert "roster" not in lexemes(entry)


def test_the_same_object_id_under_another_kind_is_another_entry(network):
    index(network, object_id=7001, kind=NOTE)
    index(network, object_id=7001, kind=MEMO)

    assert sorted(SearchEntry.objects.values_list("kind", flat=True)) == [MEMO, NOTE]


def test_a_batch_naming_an_object_twice_keeps_the_last(network):
    first = document(network, title="First wording")
    last = document(network, object_id=first.object_id, title="Last wording")

    index_documents([first, last])

    assert list(SearchEntry.objects.values_list("title", flat=True)) == ["Last wording"]


def test_the_vector_weighs_the_title_above_the_text_and_stems_words(network):
    index(network, title="Workplace design", text="Offices redesigned for wellbeing.")

    vector = lexemes(SearchEntry.objects.get())

    assert "'workplac':1A" in vector
    assert "'redesign':4B" in vector  # stemmed, and positioned after the title's words


def test_a_title_that_is_not_searchable_is_stored_but_not_in_the_vector(network):
    index(network, title="Workplace design", text="A reply about lighting.", title_searchable=False)

    entry = SearchEntry.objects.get()

    assert entry.title == "Workplace design"
    assert "workplac" not in lexemes(entry)
    assert "'light'" in lexemes(entry)


def test_control_characters_are_dropped_and_long_titles_shortened(network):
    index(network, title="T" * 400, text="Nul\x00 and \x02markers\x03 go;\ttabs\nand lines stay.")

    entry = SearchEntry.objects.get()

    assert entry.text == "Nul and markers go;\ttabs\nand lines stay."
    assert len(entry.title) == 300
    assert entry.title.endswith("…")


def test_removing_takes_only_the_named_objects_of_that_kind(network):
    kept, gone = index(network), index(network)
    same_id_other_kind = index(network, kind=MEMO, object_id=gone.object_id)

    remove_documents(kind=NOTE, object_ids=iter([gone.object_id, 999_999]))

    assert set(SearchEntry.objects.values_list("kind", "object_id")) == {
        (NOTE, kept.object_id),
        (MEMO, same_id_other_kind.object_id),
    }


def test_an_entry_follows_its_callers_transaction(network):
    def refused_post():
        with transaction.atomic():
            index(network)
            raise RuntimeError("the post was refused")

    with pytest.raises(RuntimeError):
        refused_post()

    assert not SearchEntry.objects.exists()


@pytest.mark.parametrize("size", [10, 100])
def test_indexing_takes_two_statements_whatever_the_number_of_documents(network, size):
    docs = [document(network, kind=NOTE if n % 2 else MEMO) for n in range(size)]

    with CaptureQueriesContext(connection) as captured:
        index_documents(docs)

    statements = [
        q["sql"] for q in captured.captured_queries if not q["sql"].startswith(("SAVEPOINT", "RELEASE"))
    ]
    assert len(statements) == 2
    assert SearchEntry.objects.filter(vector__isnull=False).count() == size


def test_nothing_to_index_or_remove_asks_nothing(network, django_assert_num_queries):
    with django_assert_num_queries(0):
        index_documents([])
        remove_documents(kind=NOTE, object_ids=[])


def test_refreshing_recomputes_every_vector_with_the_configured_language(network, settings):
    index(network, title="Trabajando juntos", text="Las oficinas")
    index(network, title="Second", text="")
    settings.SEARCH_CONFIG = "simple"

    assert refresh_vectors() == 2
    assert "'trabajando':1A" in lexemes(SearchEntry.objects.get(title="Trabajando juntos"))
