"""Resetting a forgotten password by email, and changing it while logged in."""

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client
from django.urls import reverse

from tests.accounts.helpers import PASSWORD, link_in_last_email, random_ip

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a new and longer passphrase"


def test_password_reset_sends_a_link_that_sets_a_new_password(client, verified_user):
    response = client.post(reverse("account_reset_password"), {"email": verified_user.email})

    assert response.status_code == 302
    assert response["Location"] == reverse("account_reset_password_done")
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [verified_user.email]

    key_page = client.get(link_in_last_email("/accounts/password/reset/key/"), follow=True)
    assert key_page.status_code == 200
    assert "Choose a new password" in key_page.content.decode()
    form_path = key_page.redirect_chain[-1][0]
    done = client.post(form_path, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})

    assert done.status_code == 302
    assert done["Location"] == reverse("account_reset_password_from_key_done")
    verified_user.refresh_from_db()
    assert verified_user.check_password(NEW_PASSWORD)
    assert not verified_user.check_password(PASSWORD)


def test_a_reset_link_works_only_once(client, verified_user):
    client.post(reverse("account_reset_password"), {"email": verified_user.email})
    link = link_in_last_email("/accounts/password/reset/key/")
    form_path = client.get(link, follow=True).redirect_chain[-1][0]
    client.post(form_path, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})

    again = client.get(link, follow=True)

    assert "This link no longer works" in again.content.decode()


def test_a_reset_answers_the_same_for_a_known_and_an_unknown_address(client, verified_user, unique_email):
    unknown = unique_email()

    for_member = client.post(reverse("account_reset_password"), {"email": verified_user.email})
    for_stranger = client.post(reverse("account_reset_password"), {"email": unknown})

    assert for_member.status_code == for_stranger.status_code == 302
    assert for_member["Location"] == for_stranger["Location"] == reverse("account_reset_password_done")
    # Whoever owns the unknown address learns that it has no account here; the asker learns nothing.
    assert [message.to for message in mail.outbox] == [[verified_user.email], [unknown]]
    assert "/accounts/password/reset/key/" not in mail.outbox[1].body


def test_reset_requests_are_limited_per_client_address(client, unique_email):
    answers = [
        client.post(reverse("account_reset_password"), {"email": unique_email()}).status_code
        for _ in range(6)
    ]

    assert answers == [302] * 5 + [429]


def test_reset_requests_are_limited_per_email_address(verified_user):
    answers = [
        Client(REMOTE_ADDR=random_ip())
        .post(reverse("account_reset_password"), {"email": verified_user.email})
        .status_code
        for _ in range(4)
    ]

    assert answers == [302] * 3 + [429]
    assert len(mail.outbox) == 3


def test_the_reset_limits_tested_here_are_the_configured_ones():
    assert settings.ACCOUNT_RATE_LIMITS["reset_password"] == "5/m/ip,20/h/ip,3/h/key"


def test_a_weak_new_password_is_refused_on_reset(client, verified_user):
    client.post(reverse("account_reset_password"), {"email": verified_user.email})
    form_path = client.get(link_in_last_email("/accounts/password/reset/key/"), follow=True).redirect_chain[
        -1
    ][0]

    response = client.post(form_path, {"password1": "1234567890", "password2": "1234567890"})

    assert response.status_code == 200
    assert "This password is entirely numeric." in response.content.decode()
    verified_user.refresh_from_db()
    assert verified_user.check_password(PASSWORD)


def test_a_logged_in_member_changes_their_password_and_stays_logged_in(client, verified_user):
    client.force_login(verified_user)

    response = client.post(
        reverse("account_change_password"),
        {"oldpassword": PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )

    assert response.status_code == 302
    verified_user.refresh_from_db()
    assert verified_user.check_password(NEW_PASSWORD)
    assert client.session["_auth_user_id"] == str(verified_user.pk)
    assert client.get(reverse("account_change_password")).status_code == 200


def test_changing_the_password_needs_the_current_one(client, verified_user):
    client.force_login(verified_user)

    response = client.post(
        reverse("account_change_password"),
        {"oldpassword": "a wrong guess at it", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )

    assert response.status_code == 200
    assert response.context["form"].errors["oldpassword"] == ["Please type your current password."]
    verified_user.refresh_from_db()
    assert verified_user.check_password(PASSWORD)


def test_the_password_change_page_needs_a_login(client):
    response = client.get(reverse("account_change_password"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
