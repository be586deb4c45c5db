"""Fixtures for the account flows.

allauth counts attempts (failed log-ins, sign-ups, resets) per client address and per email address in
the cache, which in tests is the shared Redis and outlives a test run. So that each test counts its own
attempts only, every test gets a client with an address of its own and builds unique email addresses.
"""

import secrets
from collections.abc import Callable

import pytest
from django.test import Client

from profiles.models import User
from tests.accounts.helpers import PASSWORD, random_ip
from tests.factories import VerifiedUserFactory


@pytest.fixture
def client() -> Client:
    return Client(REMOTE_ADDR=random_ip())


@pytest.fixture
def unique_email() -> Callable[[], str]:
    def make() -> str:
        return f"member-{secrets.token_hex(6)}@example.org"

    return make


@pytest.fixture
def verified_user(db, unique_email) -> User:
    """A member who signed up and confirmed their address; their password is PASSWORD."""
    return VerifiedUserFactory(email=unique_email(), password=PASSWORD)
