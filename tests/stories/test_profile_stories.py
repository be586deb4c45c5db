"""A person's profile lists their latest published stories that the viewer may see, with a link to all
of them in the feed, for one more query."""

import re
from html import unescape

import pytest
from django.urls import reverse

from stories.models import Story
from tests.factories import NetworkFactory, StoryFactory
from tests.stories.test_feed_selectors import published

pytestmark = pytest.mark.django_db

# The `network` fixture made visible to its members only.


def stories_section(client, person) -> str | None:
    response = client.get(person.get_absolute_url())
    assert response.status_code == 200
    found = re.search(r'<section class="panel profile-stories".*?</section>', response.content.decode(), re.S)
    return unescape(found.group(0)) if found else None


def test_the_profile_lists_the_latest_five_stories_and_links_to_all(client, network, champion, member):
    stories = [published(champion, [network], minutes_ago=n, title=f"Story number {n}") for n in range(7)]
    co_written = published(member, [network], minutes_ago=2, title="Written together")
    co_written.co_authors.add(champion)

    section = stories_section(client, champion)

    titles = re.findall(r'<a href="[^"]+">([^<]+)</a>\s*<span', section)
    assert titles == [
        "Story number 0",
        "Story number 1",
        "Written together",
        "Story number 2",
        "Story number 3",
    ]
    assert f'href="{stories[0].get_absolute_url()}"' in section
    assert f'href="{reverse("stories:feed")}?author={champion.username}"' in section
    assert f"All stories by {champion}" in section


def test_a_profile_without_published_stories_has_no_stories_section(client, network, champion):
    StoryFactory(author=champion, networks=[network])

    assert stories_section(client, champion) is None


def test_stories_of_a_members_only_network_show_only_to_those_who_see_it(
    client, members_only, champion, member, outsider
):
    published(champion, [members_only], title="Inside the network")

    assert stories_section(client, champion) is None
    client.force_login(outsider)
    assert stories_section(client, champion) is None
    client.force_login(member)
    assert "Inside the network" in stories_section(client, champion)


def test_the_section_costs_one_query_whatever_the_number_of_stories(
    client, network, champion, django_assert_num_queries
):
    # The profile page read five queries for a visitor before it listed stories.
    for size in (6, 30):
        for n in range(size - Story.objects.count()):
            published(champion, [network, NetworkFactory()], minutes_ago=n)
        with django_assert_num_queries(6):
            assert stories_section(client, champion) is not None
