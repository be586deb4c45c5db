"""A member logs in through the real login form and lands on the networks page."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import log_in
from tests.factories import NetworkFactory, VerifiedUserFactory

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

PASSWORD = "correct horse battery staple"


def test_a_verified_member_logs_in_and_reaches_the_networks_page(asgi_server, page):
    member = VerifiedUserFactory(
        email="browser.login@example.org", display_name="Léa Martin", password=PASSWORD
    )
    network = NetworkFactory(name="Customs Work Organization Forum")

    log_in(page, asgi_server, member.email, PASSWORD)

    expect(page).to_have_url(re.compile(r"/networks/$"))
    expect(page.get_by_role("heading", level=1)).to_have_count(1)
    expect(page.get_by_role("link", name=network.name).first).to_be_visible()
    navigation = page.get_by_role("navigation", name="Main")
    expect(navigation.get_by_role("link", name="Léa Martin")).to_be_visible()
    expect(navigation.get_by_role("button", name="Log out")).to_be_visible()


def test_a_wrong_password_keeps_the_member_on_the_login_form(asgi_server, page):
    member = VerifiedUserFactory(email="browser.wrong@example.org", password=PASSWORD)

    log_in(page, asgi_server, member.email, "not the right password")

    expect(page).to_have_url(re.compile(r"/accounts/login/$"))
    expect(page.get_by_role("alert")).to_contain_text("not correct")
    expect(page.get_by_label("Email")).to_have_value(member.email)
