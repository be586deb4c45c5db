"""Two moderators with their network's review queue open: a new report appears on both queues without
reloading, and when one moderator dismisses it, it leaves the other's queue at once."""

import pytest
from playwright.sync_api import Browser, Page, expect

from moderation.models import QueueItem, Report
from moderation.services.reports import report
from network.models import Membership, Network
from profiles.models import User
from tests.factories import (
    CategoryFactory,
    MembershipFactory,
    NetworkFactory,
    PostFactory,
    TopicFactory,
    UserFactory,
)
from tests.realtime.conftest import session_cookie_for

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


def open_queue(browser: Browser, base_url: str, user: User, network: Network) -> Page:
    """`user`'s own browser (cookies of their own session) on the network's queue."""
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    context.add_cookies([{"name": "sessionid", "value": session_cookie_for(user), "url": base_url}])
    page = context.new_page()
    page.goto(f"{base_url}/networks/{network.slug}/moderation/")
    return page


def moderator_of(network: Network, name: str) -> User:
    return MembershipFactory(
        network=network, role=Membership.Role.MODERATOR, user=UserFactory(display_name=name)
    ).user


def test_a_report_reaches_both_queues_and_leaves_both_once_dismissed(asgi_server, browser):
    network = NetworkFactory(name="Customs Work Organization Forum")
    amina = moderator_of(network, "Amina Diallo")
    carlos = moderator_of(network, "Carlos Rojas")
    writer = MembershipFactory(network=network).user
    reporter = MembershipFactory(network=network).user
    topic = TopicFactory(category=CategoryFactory(network=network), author=writer, title="Rosters")
    spam = PostFactory(topic=topic, author=writer, body="Buy cheap watches at my shop.")
    amina_page = open_queue(browser, asgi_server, amina, network)
    carlos_page = open_queue(browser, asgi_server, carlos, network)
    expect(amina_page.get_by_text("Nothing waits for you")).to_be_visible()
    expect(carlos_page.get_by_text("Nothing waits for you")).to_be_visible()

    report(
        actor=reporter,
        network=network,
        target_kind="post",
        target_id=spam.pk,
        reason=Report.Reason.SPAM,
        text="",
    )

    item = QueueItem.objects.get()
    amina_item = amina_page.locator(f"#item-{item.pk}")
    carlos_item = carlos_page.locator(f"#item-{item.pk}")
    expect(amina_item).to_contain_text("Buy cheap watches at my shop.")
    expect(carlos_item).to_contain_text("Buy cheap watches at my shop.")
    expect(carlos_page.locator("[data-queue-announce]")).to_have_text("New in the queue: Rosters")
    expect(carlos_page.get_by_text("Nothing waits for you")).to_be_hidden()

    amina_item.get_by_text("Dismiss…").click()
    amina_item.get_by_label("Why nothing needs doing (optional)").fill("Fair criticism of the rosters.")
    amina_item.get_by_role("button", name="Dismiss").click()

    expect(carlos_item).to_have_count(0)
    expect(carlos_page.locator("[data-queue-announce]")).to_have_text("Handled by Amina Diallo: Rosters")
    expect(carlos_page.get_by_text("Nothing waits for you")).to_be_visible()
    expect(amina_page.get_by_text("Dismissed: “Rosters” left the queue.")).to_be_visible()
    expect(amina_page.locator(f"#item-{item.pk}")).to_have_count(0)
    item.refresh_from_db()
    assert (item.state, item.handled_by) == ("handled", amina)
