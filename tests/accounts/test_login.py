"""Logging in with an email address and password, and the throttling of failed attempts."""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from tests.accounts.helpers import PASSWORD, link_in_last_email, random_ip

pytestmark = pytest.mark.django_db

WRONG_PASSWORD = "not the right password"
NEW_PASSWORD = "a new and longer passphrase"
TOO_MANY = "Too many failed login attempts. Try again later."


def log_in(client: Client, login: str, password: str):
    return client.post(reverse("account_login"), {"login": login, "password": password})


def test_the_rate_limit_tested_here_is_the_configured_one():
    assert settings.ACCOUNT_RATE_LIMITS["login_failed"] == "10/m/ip,5/5m/key"


@pytest.mark.parametrize("typed", [str.lower, str.upper], ids=["as registered", "other case"])
def test_a_confirmed_member_logs_in_with_their_email(client, verified_user, typed):
    response = log_in(client, typed(verified_user.email), PASSWORD)

    assert response.status_code == 302
    assert response["Location"] == reverse("network:list")
    assert client.session["_auth_user_id"] == str(verified_user.pk)


def test_a_wrong_password_is_refused_with_a_clear_error_and_the_email_kept(client, verified_user):
    response = log_in(client, verified_user.email, WRONG_PASSWORD)

    assert response.status_code == 200
    html = response.content.decode()
    assert "The email address and/or password you specified are not correct." in html
    assert f'value="{verified_user.email}"' in html
    assert WRONG_PASSWORD not in html
    assert "_auth_user_id" not in client.session


def test_an_unknown_email_gets_the_same_error_as_a_wrong_password(client, unique_email):
    response = log_in(client, unique_email(), PASSWORD)

    assert response.status_code == 200
    assert "The email address and/or password you specified are not correct." in response.content.decode()


def test_five_failures_on_one_account_from_one_address_refuse_that_address_only(client, verified_user):
    for _ in range(5):
        assert TOO_MANY not in log_in(client, verified_user.email, WRONG_PASSWORD).content.decode()

    response = log_in(client, verified_user.email, PASSWORD)

    assert TOO_MANY in response.content.decode()
    assert "_auth_user_id" not in client.session
    # The member, from their own address, is not locked out by whoever failed.
    assert log_in(Client(REMOTE_ADDR=random_ip()), verified_user.email, PASSWORD).status_code == 302


def test_strangers_failing_from_many_addresses_do_not_lock_the_account(verified_user):
    for _ in range(12):
        log_in(Client(REMOTE_ADDR=random_ip()), verified_user.email, WRONG_PASSWORD)

    assert log_in(Client(REMOTE_ADDR=random_ip()), verified_user.email, PASSWORD).status_code == 302


def test_the_account_backstop_stops_guesses_from_new_addresses_but_not_the_members_own(
    settings, verified_user
):
    settings.LOGIN_FAILED_ACCOUNT_RATE_LIMIT = "3/h/key"
    usual = Client(REMOTE_ADDR=random_ip())
    assert log_in(usual, verified_user.email, PASSWORD).status_code == 302
    usual.logout()
    for _ in range(3):
        assert (
            TOO_MANY
            not in log_in(
                Client(REMOTE_ADDR=random_ip()), verified_user.email, WRONG_PASSWORD
            ).content.decode()
        )

    stranger = log_in(Client(REMOTE_ADDR=random_ip()), verified_user.email, PASSWORD)

    assert TOO_MANY in stranger.content.decode()
    assert log_in(usual, verified_user.email, PASSWORD).status_code == 302


def test_after_ten_failures_from_one_address_further_attempts_are_refused(
    client, verified_user, unique_email
):
    # Each attempt on another account: only the per-address limit can refuse the eleventh one.
    for _ in range(10):
        assert TOO_MANY not in log_in(client, unique_email(), WRONG_PASSWORD).content.decode()

    response = log_in(client, verified_user.email, PASSWORD)

    assert TOO_MANY in response.content.decode()
    assert "_auth_user_id" not in client.session
    # Another address is not affected.
    other = Client(REMOTE_ADDR=random_ip())
    assert log_in(other, verified_user.email, PASSWORD).status_code == 302


def test_a_password_reset_lifts_the_account_backstop_for_the_member(settings, verified_user):
    settings.LOGIN_FAILED_ACCOUNT_RATE_LIMIT = "3/h/key"
    for _ in range(3):
        log_in(Client(REMOTE_ADDR=random_ip()), verified_user.email, WRONG_PASSWORD)
    member = Client(REMOTE_ADDR=random_ip())
    assert TOO_MANY in log_in(member, verified_user.email, PASSWORD).content.decode()

    member.post(reverse("account_reset_password"), {"email": verified_user.email})
    form = member.get(link_in_last_email("/accounts/password/reset/key/"), follow=True).redirect_chain[-1][0]
    member.post(form, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    member.logout()

    assert log_in(member, verified_user.email, NEW_PASSWORD).status_code == 302


def test_a_successful_login_does_not_count_as_a_failure(client, verified_user):
    for _ in range(4):
        log_in(client, verified_user.email, WRONG_PASSWORD)
    assert log_in(client, verified_user.email, PASSWORD).status_code == 302
    client.logout()

    # The fifth failure is still allowed; the sixth attempt is refused.
    assert TOO_MANY not in log_in(client, verified_user.email, WRONG_PASSWORD).content.decode()
    assert TOO_MANY in log_in(client, verified_user.email, PASSWORD).content.decode()


def test_the_login_page_links_to_password_reset_and_sign_up(client):
    html = client.get(reverse("account_login")).content.decode()

    assert f'href="{reverse("account_reset_password")}"' in html
    assert f'href="{reverse("account_signup")}"' in html


def test_logging_in_greets_the_member_by_their_display_name(client, verified_user):
    response = client.post(
        reverse("account_login"), {"login": verified_user.email, "password": PASSWORD}, follow=True
    )

    messages = [str(message) for message in response.context["messages"]]
    assert f"Welcome, {verified_user.display_name}. You are logged in." in messages
