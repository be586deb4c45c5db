"""The Content-Security-Policy in a real browser: every page a network's admin, who sees the most of
them, opens (the admin site included) runs with no violation, and a violation would be caught.

The `browser` fixture fails any test whose pages report a violation; the tests here visit the pages no
other browser test opens.
"""

import pytest
from django.urls import reverse
from playwright.sync_api import Browser, Page, expect

from forums.models import Topic
from network.models import Membership, Network
from profiles.models import User
from stories.models import Story
from stories.services import compendiums
from tests.factories import (
    ChatRoomFactory,
    MembershipFactory,
    NetworkFactory,
    PostFactory,
    StoryFactory,
    TopicFactory,
    UserFactory,
)
from tests.realtime.conftest import session_cookie_for

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


def signed_in_page(browser: Browser, base_url: str, user: User) -> Page:
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    context.add_cookies([{"name": "sessionid", "value": session_cookie_for(user), "url": base_url}])
    return context.new_page()


def published_compendium(network: Network, admin: User) -> str:
    """The address of version 1 of a compendium of `network` holding one case study."""
    story = StoryFactory(author=admin, networks=[network], published=True, kind=Story.Kind.CASE_STUDY)
    compendium = compendiums.create_compendium(
        actor=admin, network=network, title="CWOF compendium", chapters=["Work setup"]
    )
    compendiums.add_to_compendium(actor=admin, chapter=compendium.chapters.get(), story=story)
    compendiums.publish_compendium_version(actor=admin, compendium=compendium)
    return reverse("stories:compendium_version", args=[network.slug, compendium.pk, 1])


def test_the_pages_of_every_part_run_with_no_policy_violation(asgi_server, browser):
    network = NetworkFactory(name="Customs Work Organization Forum")
    admin = UserFactory(display_name="Amina Diallo", is_staff=True, is_superuser=True)
    MembershipFactory(network=network, user=admin, role=Membership.Role.ADMIN)
    topic: Topic = TopicFactory(network=network, author=admin, title="Flexible hours at the border")
    PostFactory(topic=topic, author=admin, body="We tried **compressed weeks**.")
    room = ChatRoomFactory(network=network)
    story = StoryFactory(author=admin, networks=[network], published=True)
    paths = [
        "/",
        network.get_absolute_url(),
        reverse("forum:index", args=[network.slug]),
        topic.get_absolute_url(),
        room.get_absolute_url(),
        reverse("stories:feed"),
        story.get_absolute_url(),
        published_compendium(network, admin),
        reverse("profiles:directory"),
        admin.get_absolute_url(),
        reverse("profiles:edit"),
        reverse("moderation:queue", args=[network.slug]),
        reverse("admin:index"),
        reverse("admin:stories_story_changelist"),
        reverse("admin:network_network_change", args=[network.pk]),
    ]
    page = signed_in_page(browser, asgi_server, admin)

    for path in paths:
        response = page.goto(f"{asgi_server}{path}")
        assert response is not None, path
        assert response.status == 200, path
        assert "frame-ancestors 'none'" in response.headers["content-security-policy"], path
        page.wait_for_load_state("networkidle")


def test_the_printable_compendium_prints_through_its_own_script(asgi_server, browser):
    network = NetworkFactory(name="Customs Work Organization Forum")
    admin = MembershipFactory(network=network, user=UserFactory(), role=Membership.Role.ADMIN).user
    address = published_compendium(network, admin)
    page = signed_in_page(browser, asgi_server, admin)
    page.goto(f"{asgi_server}{address}")
    page.evaluate("window.print = () => { document.body.dataset.printed = 'yes'; }")

    page.get_by_role("button", name="Print").click()

    expect(page.locator("body")).to_have_attribute("data-printed", "yes")
    # The document's own stylesheet applies: a linked file, since the policy refuses inline style.
    assert page.locator(".compendium-doc").evaluate("e => getComputedStyle(e).maxWidth") != "none"


def test_an_inline_script_is_refused_and_reported(asgi_server, browser, policy_violations):
    page = browser.new_page()
    page.goto(f"{asgi_server}/accounts/login/")

    page.evaluate(
        """() => {
            const script = document.createElement("script");
            script.textContent = "document.body.dataset.injected = 'yes'";
            document.body.append(script);
        }"""
    )

    expect(page.locator("body")).not_to_have_attribute("data-injected", "yes")
    assert any("script-src" in violation for violation in policy_violations)
    policy_violations.clear()  # provoked on purpose: the test has proved it is caught
