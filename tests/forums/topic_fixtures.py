"""Fixtures for the threaded forum's tests, imported by tests/forums/conftest.py."""

import pytest

from forums.models import Category, Topic
from network.models import Network
from profiles.models import User
from tests.factories import CategoryFactory, TopicFactory
from tests.forums.test_consumers import inboxes  # noqa: F401  (the chat tests' sockets, for the forum's too)


@pytest.fixture
def category(network: Network) -> Category:
    """A category of the `network` fixture where any member may start topics."""
    return CategoryFactory(network=network, name="Well-being at work", slug="well-being")


@pytest.fixture
def announcements(network: Network) -> Category:
    """A category of the `network` fixture where only moderators start topics."""
    return CategoryFactory(
        network=network,
        name="Announcements",
        slug="announcements",
        start_policy=Category.StartPolicy.MODERATORS,
    )


@pytest.fixture
def topic(category: Category, member: User) -> Topic:
    """A topic of `category` started by the `member` fixture, with its opening post and no replies."""
    return TopicFactory(
        category=category,
        author=member,
        title="Flexible hours at the border post",
        body="Our team tried flexible hours for a year; here is what we learned.",
    )


@pytest.fixture
def no_forum_rate_limit(settings) -> None:
    """For tests that post more than a member may in a minute."""
    settings.FORUM_POST_RATE_LIMIT = None
