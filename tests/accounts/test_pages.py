"""Every account page sits in the site's frame and is accessible: one h1, a label for every input, errors
and help tied to their input, and the account sub-navigation on the pages that manage an account."""

import pytest
from django.core import mail
from django.urls import reverse

from tests.factories import VerifiedUserFactory
from tests.profiles.html import Page, assert_accessible

pytestmark = pytest.mark.django_db


class AccountPage(Page):
    """What account pages add to every page: the site's frame and the account sub-navigation."""

    def __init__(self, html: str) -> None:
        self.account_nav_current: list[str | None] = []
        self.has_skip_link = False
        self._in_account_nav = False
        super().__init__(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        super().handle_starttag(tag, attrs)
        attributes = dict(attrs)
        if tag == "nav" and attributes.get("aria-label") == "Account settings":
            self._in_account_nav = True
        elif tag == "a" and self._in_account_nav and attributes.get("aria-current") == "page":
            self.account_nav_current.append(attributes.get("href"))
        elif tag == "a" and "skip-link" in (attributes.get("class") or ""):
            self.has_skip_link = True

    def handle_endtag(self, tag: str) -> None:
        if tag == "nav":
            self._in_account_nav = False


def outline(response) -> AccountPage:
    """The page, checked for what every page must be (one h1, headings in order, labelled controls)."""
    assert response.status_code == 200
    html = response.content.decode()
    assert_accessible(html)
    page = AccountPage(html)
    assert page.has_skip_link, "the page is not inside the site's frame"
    return page


ANONYMOUS_PAGES = [
    ("account_login", []),
    ("account_signup", []),
    ("account_reset_password", []),
    ("account_reset_password_done", []),
    ("account_email_verification_sent", []),
    ("account_inactive", []),
    ("account_confirm_email", ["no-such-key"]),
    ("account_reset_password_from_key", ["0", "no-such-key"]),
]


@pytest.mark.parametrize(("url_name", "args"), ANONYMOUS_PAGES, ids=[name for name, _ in ANONYMOUS_PAGES])
def test_entrance_pages_are_accessible(client, url_name, args):
    outline(client.get(reverse(url_name, args=args)))


MANAGE_PAGES = ["account_email", "account_change_password"]


@pytest.mark.parametrize("url_name", MANAGE_PAGES)
def test_manage_pages_have_the_account_navigation_with_the_current_page_marked(client, url_name):
    client.force_login(VerifiedUserFactory())

    page = outline(client.get(reverse(url_name)))

    assert page.account_nav_current == [reverse(url_name)]


def test_a_member_without_a_password_is_offered_to_set_one(client):
    user = VerifiedUserFactory()
    user.set_unusable_password()
    user.save()
    client.force_login(user)

    response = client.get(reverse("account_change_password"), follow=True)

    page = outline(response)
    assert response.redirect_chain[-1][0] == reverse("account_set_password")
    assert page.account_nav_current == [reverse("account_change_password")]


def test_the_logout_confirmation_is_accessible(client):
    client.force_login(VerifiedUserFactory())

    outline(client.get(reverse("account_logout")))


def test_field_errors_are_tied_to_their_input(client):
    response = client.post(reverse("account_signup"), {"email": "not an address", "username": "x"})

    page = outline(response)
    email = next(control for control in page.controls if control.get("name") == "email")
    assert email.get("aria-invalid") == "true"
    assert "id_email_error" in (email.get("aria-describedby") or "").split()
    assert '<ul class="errorlist" id="id_email_error">' in response.content.decode()


def test_password_rules_are_announced_as_the_password_help(client):
    page = outline(client.get(reverse("account_signup")))

    password = next(control for control in page.controls if control.get("name") == "password1")
    assert password.get("aria-describedby") == "id_password1_helptext"
    assert password.get("autocomplete") == "new-password"


def test_a_refused_login_is_announced_as_an_alert(client):
    response = client.post(
        reverse("account_login"), {"login": "nobody@example.org", "password": "wrong guess"}
    )

    html = response.content.decode()
    assert '<div class="form-errors" role="alert">' in html
    assert 'autocomplete="current-password"' in html


def test_the_email_page_lists_addresses_and_adds_one_pending_confirmation(client, unique_email):
    user = VerifiedUserFactory(email=unique_email())
    client.force_login(user)
    added = unique_email()

    response = client.post(reverse("account_email"), {"action_add": "", "email": added}, follow=True)

    html = response.content.decode()
    assert user.email in html
    assert added in html
    assert "Not confirmed" in html
    assert mail.outbox[-1].to == [added]
