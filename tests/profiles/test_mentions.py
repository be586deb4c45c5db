import pytest

from profiles.mentions import mention_links, resolve_mentions
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_mentioned_people_are_found_by_handle_in_one_query(django_assert_num_queries):
    amina = UserFactory(username="Amina.Diallo")
    carlos = UserFactory(username="carlos")
    UserFactory(username="gone", is_active=False)

    with django_assert_num_queries(1):
        people = resolve_mentions("Thanks @amina.diallo and @Carlos; @gone and @nobody are not here.")

    assert people == {"amina.diallo": amina, "carlos": carlos}
    assert mention_links(people) == {"amina.diallo": "/people/Amina.Diallo/", "carlos": "/people/carlos/"}


def test_a_text_without_mentions_asks_nothing(django_assert_num_queries):
    with django_assert_num_queries(0):
        assert resolve_mentions("No one named here; `@code` is not a mention.") == {}
