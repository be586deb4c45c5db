"""Keyboard and small-screen use of the pages every visitor meets."""

import pytest
from playwright.sync_api import Page, expect

from tests.browser.helpers import log_in
from tests.factories import NetworkFactory, VerifiedUserFactory

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

PUBLIC_PAGES = ["/", "/accounts/login/", "/accounts/signup/", "/accounts/password/reset/", "/networks/"]
MEMBER_PAGES = ["/networks/", "/accounts/email/", "/accounts/password/change/"]


@pytest.mark.parametrize("path", ["/", "/accounts/login/"])
def test_the_skip_link_is_the_first_tab_stop_and_moves_focus_to_the_main_content(asgi_server, page, path):
    page.goto(f"{asgi_server}{path}")

    page.keyboard.press("Tab")

    skip_link = page.locator(":focus")
    expect(skip_link).to_have_text("Skip to main content")
    expect(skip_link).to_be_in_viewport()
    page.keyboard.press("Enter")
    expect(page.locator(":focus")).to_have_id("main")


def horizontal_overflow(page: Page) -> int:
    """How many CSS pixels the page is wider than the viewport (0 when nothing scrolls sideways)."""
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


def test_public_pages_fit_a_375px_wide_screen(asgi_server, browser):
    NetworkFactory(name="Network for Gender Equality and Diversity in Customs")
    page = browser.new_page(viewport={"width": 375, "height": 812})

    for path in PUBLIC_PAGES:
        page.goto(f"{asgi_server}{path}")
        assert horizontal_overflow(page) == 0, f"{path} scrolls sideways at 375px"


def test_member_pages_fit_a_375px_wide_screen(asgi_server, browser):
    NetworkFactory(name="Customs Work Organization Forum")
    member = VerifiedUserFactory(email="browser.narrow@example.org", password="correct horse battery staple")
    page = browser.new_page(viewport={"width": 375, "height": 812})
    log_in(page, asgi_server, member.email, "correct horse battery staple")
    expect(page.get_by_role("button", name="Log out")).to_be_visible()

    for path in MEMBER_PAGES:
        page.goto(f"{asgi_server}{path}")
        assert horizontal_overflow(page) == 0, f"{path} scrolls sideways at 375px"
