"""Error pages say what went wrong in words, inside the site's layout, with a way on."""

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client, override_settings
from django.urls import include, path


def refuse(request):
    raise PermissionDenied("Only the network's admins can manage its categories.")


def fail(request):
    raise RuntimeError("boom")


# The site's own addresses too: the layout links to them.
urlpatterns = [path("refuse/", refuse), path("fail/", fail), path("", include("config.urls"))]


@pytest.fixture
def errors_urls(settings):
    settings.ROOT_URLCONF = __name__


def test_a_refusal_shows_its_reason(db, errors_urls):
    response = Client().get("/refuse/")

    assert response.status_code == 403
    page = response.content.decode()
    assert "Only the network&#x27;s admins can manage its categories." in page
    assert page.count("<h1") == 1
    assert 'class="skip-link"' in page


def test_a_missing_page_says_so(db):
    response = Client().get("/no-such-page/")

    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


@override_settings(DEBUG_PROPAGATE_EXCEPTIONS=False)
def test_a_server_error_page_needs_neither_request_nor_database(db, errors_urls):
    response = Client(raise_request_exception=False).get("/fail/")

    assert response.status_code == 500
    assert "Something went wrong" in response.content.decode()
