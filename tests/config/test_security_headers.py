"""Every response says which sources its page may use and that no one may frame it."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("path", ["/", "/accounts/login/", "/networks/", "/stories/rss/", "/no-such-page/"])
def test_every_response_carries_the_content_security_policy(client, path):
    policy = client.get(path)["Content-Security-Policy"]

    directives = dict(directive.strip().split(" ", 1) for directive in policy.split(";"))
    assert directives["frame-ancestors"] == "'none'"
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["object-src"] == "'none'"
    assert "unsafe-inline" not in policy
    assert "unsafe-eval" not in policy


def test_every_response_denies_the_device_features_no_page_uses(client):
    policy = client.get(reverse("home"))["Permissions-Policy"]

    assert "camera=()" in policy
    assert "microphone=()" in policy
    assert "geolocation=()" in policy
