"""Sign-up: email, @handle, display name and password; the address must be confirmed before logging in."""

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import reverse

from profiles.models import User
from tests.accounts.helpers import PASSWORD, link_in_last_email
from tests.factories import VerifiedUserFactory

pytestmark = pytest.mark.django_db


def signup_data(email: str, **overrides: str) -> dict[str, str]:
    data = {
        "email": email,
        "username": f"h{email.split('@')[0][-12:]}",
        "display_name": "Amina Diallo",
        "password1": PASSWORD,
        "password2": PASSWORD,
    }
    data.update(overrides)
    return data


def logged_in_user_id(client) -> str | None:
    return client.session.get("_auth_user_id")


def test_sign_up_sends_a_confirmation_email_and_the_link_logs_in(client, unique_email):
    email = unique_email()

    response = client.post(reverse("account_signup"), signup_data(email, username="amina.d"))

    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    user = User.objects.get(email=email)
    assert (user.username, user.display_name) == ("amina.d", "Amina Diallo")
    assert user.check_password(PASSWORD)
    assert not EmailAddress.objects.get(user=user).verified
    assert logged_in_user_id(client) is None
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [email]
    assert mail.outbox[0].subject == "[Convene] Confirm your email address"

    confirm_path = link_in_last_email("/accounts/confirm-email/")
    page = client.get(confirm_path)
    assert page.status_code == 200
    assert email in page.content.decode()
    confirmed = client.post(confirm_path)

    assert confirmed.status_code == 302
    assert EmailAddress.objects.get(user=user).verified
    assert logged_in_user_id(client) == str(user.pk)


def test_login_is_refused_until_the_address_is_confirmed(client, unique_email):
    email = unique_email()
    client.post(reverse("account_signup"), signup_data(email))
    client.logout()

    response = client.post(reverse("account_login"), {"login": email, "password": PASSWORD})

    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    assert logged_in_user_id(client) is None
    page = client.get(response["Location"])
    assert "Check your email" in page.content.decode()


def test_an_invalid_confirmation_link_says_so(client):
    response = client.get(reverse("account_confirm_email", args=["not-a-real-key"]))

    assert response.status_code == 200
    assert "This confirmation link has expired or is not valid" in response.content.decode()


@pytest.mark.parametrize("typed", [str.lower, str.upper], ids=["same case", "other case"])
def test_an_email_already_used_is_refused_clearly_and_nothing_is_saved(client, unique_email, typed):
    existing = VerifiedUserFactory(email=unique_email())

    response = client.post(
        reverse("account_signup"), signup_data(typed(existing.email), username="someone-new")
    )

    assert response.status_code == 200
    assert response.context["form"].errors["email"] == [
        "A user is already registered with this email address."
    ]
    assert User.objects.filter(email__iexact=existing.email).count() == 1
    assert not User.objects.filter(username="someone-new").exists()
    assert EmailAddress.objects.filter(email__iexact=existing.email).count() == 1
    assert mail.outbox == []


def test_a_handle_already_taken_in_any_case_is_refused(client, unique_email):
    VerifiedUserFactory(email=unique_email(), username="Customs.Leader")
    email = unique_email()

    response = client.post(reverse("account_signup"), signup_data(email, username="customs.leader"))

    assert response.status_code == 200
    assert "username" in response.context["form"].errors
    assert not User.objects.filter(email=email).exists()


def test_a_weak_password_shows_the_validators_message_and_keeps_what_was_typed(client, unique_email):
    email = unique_email()

    response = client.post(
        reverse("account_signup"),
        signup_data(email, username="kept.handle", password1="password", password2="password"),
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert "This password is too common." in html
    assert "This password is too short. It must contain at least 10 characters." in html
    assert f'value="{email}"' in html
    assert 'value="kept.handle"' in html
    assert 'value="Amina Diallo"' in html
    assert 'value="password"' not in html
    assert not User.objects.filter(email=email).exists()
    assert mail.outbox == []


def test_the_two_passwords_must_match(client, unique_email):
    email = unique_email()

    response = client.post(
        reverse("account_signup"), signup_data(email, password2="correct horse battery stapler")
    )

    assert response.context["form"].errors["password2"] == ["You must type the same password each time."]
    assert not User.objects.filter(email=email).exists()


def test_a_display_name_is_required(client, unique_email):
    email = unique_email()

    response = client.post(reverse("account_signup"), signup_data(email, display_name=""))

    assert "display_name" in response.context["form"].errors
    assert not User.objects.filter(email=email).exists()
