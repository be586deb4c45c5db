"""Logging out is an action: it takes a POST, and a GET only asks for confirmation."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_get_asks_for_confirmation_and_keeps_the_member_logged_in(client, verified_user):
    client.force_login(verified_user)

    response = client.get(reverse("account_logout"))

    assert response.status_code == 200
    html = response.content.decode()
    assert f'<form method="post" action="{reverse("account_logout")}"' in html
    assert client.session["_auth_user_id"] == str(verified_user.pk)


def test_post_logs_out_and_returns_home(client, verified_user):
    client.force_login(verified_user)

    response = client.post(reverse("account_logout"))

    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert "_auth_user_id" not in client.session


def test_logging_out_says_so(client, verified_user):
    client.force_login(verified_user)

    response = client.post(reverse("account_logout"), follow=True)

    assert "You have logged out." in [str(message) for message in response.context["messages"]]
