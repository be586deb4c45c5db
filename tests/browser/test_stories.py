"""A member reading the stories feed sees, live, that a champion's story was published, and shows it."""

import pytest
from playwright.sync_api import Browser, Page, expect

from network.models import Membership, Network
from profiles.models import User
from stories.models import Story
from stories.services.publishing import publish_story, unpublish_story
from tests.factories import MembershipFactory, NetworkFactory, StoryFactory, UserFactory
from tests.realtime.conftest import session_cookie_for

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


def open_feed(browser: Browser, base_url: str, user: User, query: str = "") -> Page:
    """`user`'s own browser (cookies of their own session) on the stories feed."""
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    context.add_cookies([{"name": "sessionid", "value": session_cookie_for(user), "url": base_url}])
    page = context.new_page()
    page.goto(f"{base_url}/stories/{query}")
    return page


def person(network: Network, name: str, role: str = Membership.Role.MEMBER) -> User:
    return MembershipFactory(network=network, user=UserFactory(display_name=name), role=role).user


@pytest.fixture
def network(transactional_db) -> Network:
    return NetworkFactory(name="Customs Work Organization Forum")


def draft(network: Network, author: User, title: str, **fields) -> Story:
    return StoryFactory(author=author, networks=[network], title=title, **fields)


def test_a_story_published_while_the_feed_is_open_shows_as_a_new_stories_bar(asgi_server, browser, network):
    reader = person(network, "Amina Diallo")
    champion = person(network, "Carlos Rojas", Membership.Role.CHAMPION)
    page = open_feed(browser, asgi_server, reader)
    expect(page.get_by_text("No story has been published yet.")).to_be_visible()

    publish_story(actor=champion, story=draft(network, champion, "Flexible rosters at the Lima border"))

    bar = page.get_by_role("button", name="1 new story — show")
    expect(bar).to_be_visible()
    bar.click()
    link = page.get_by_role("link", name="Flexible rosters at the Lima border")
    expect(link).to_be_visible()
    expect(link).to_be_focused()
    expect(bar).to_be_hidden()


def test_the_bar_counts_only_what_the_filters_list_and_forgets_withdrawn_stories(
    asgi_server, browser, network
):
    reader = person(network, "Amina Diallo")
    champion = person(network, "Carlos Rojas", Membership.Role.CHAMPION)
    page = open_feed(browser, asgi_server, reader, "?kind=case_study")
    expect(page.get_by_role("heading", level=1)).to_have_text("Stories")

    publish_story(actor=champion, story=draft(network, champion, "Our hybrid week", kind=Story.Kind.STORY))
    first = publish_story(
        actor=champion, story=draft(network, champion, "Workplace design", kind=Story.Kind.CASE_STUDY)
    )
    publish_story(
        actor=champion, story=draft(network, champion, "Shift planning", kind=Story.Kind.CASE_STUDY)
    )
    expect(page.get_by_role("button", name="2 new stories — show")).to_be_visible()

    unpublish_story(actor=champion, story=first)

    expect(page.get_by_role("button", name="1 new story — show")).to_be_visible()


def test_the_feed_fits_a_375px_wide_screen(asgi_server, browser, network):
    champion = person(network, "Carlos Rojas", Membership.Role.CHAMPION)
    story = draft(network, champion, "Flexible rosters, workplace design and well-being at the Lima border")
    story.co_authors.add(person(network, "Amina Diallo"))
    story.tags.add("hybrid work", "workplace design", "well-being")
    publish_story(actor=champion, story=story)
    page = browser.new_page(viewport={"width": 375, "height": 812})

    page.goto(f"{asgi_server}/stories/")

    expect(page.get_by_role("link", name=story.title)).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") == 0
