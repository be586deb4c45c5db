import copy
import json
import uuid

import pytest

from forums.models import ChatMessage, ChatRoom
from forums.services import chat as services
from tests.forums.topic_fixtures import (  # noqa: F401  (fixtures of the forum's tests)
    announcements,
    category,
    inboxes,
    no_forum_rate_limit,
    topic,
)
from tests.network.conftest import anonymous, members_only, superuser  # noqa: F401  (fixtures used here too)
from tests.realtime.conftest import sockets  # noqa: F401  (fixture used by the consumer tests)
from tests.realtime.replay import reader  # noqa: F401  (the replay tests' reader, by name)


@pytest.fixture(autouse=True)
def _fresh_rate_limits(settings):
    """Each test counts messages from zero: a cache key prefix of its own, since other test runs (and
    earlier runs whose rooms had the same ids) share the Redis."""
    caches = copy.deepcopy(settings.CACHES)
    caches["default"]["KEY_PREFIX"] = f"chat-test-{uuid.uuid4().hex}"
    settings.CACHES = caches


@pytest.fixture
def room(network) -> ChatRoom:
    """The general room of the `network` fixture."""
    return services.create_general_room(network=network)


@pytest.fixture
def published(monkeypatch) -> list[tuple[str, int, dict]]:
    """What the rooms announce, once committed: (stream, seq, frame) for each event."""
    frames: list[tuple[str, int, dict]] = []
    monkeypatch.setattr(
        "realtime.hub.publish", lambda stream, seq, frame: frames.append((stream, seq, json.loads(frame)))
    )
    return frames


@pytest.fixture
def no_rate_limit(settings):
    """For tests that build long histories through the services."""
    settings.CHAT_RATE_LIMIT = None


def post(author, room: ChatRoom, body: str = "Hello, colleagues.", **kwargs) -> ChatMessage:
    return services.post_message(author=author, room=room, body=body, **kwargs)
