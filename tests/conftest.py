import pytest

from network.models import Membership, Network
from profiles.models import User
from tests.factories import MembershipFactory, NetworkFactory, UserFactory


@pytest.fixture(autouse=True)
def _isolated_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def network(db) -> Network:
    return NetworkFactory()


def _member(network: Network, role: str) -> User:
    return MembershipFactory(network=network, role=role).user


@pytest.fixture
def member(network) -> User:
    return _member(network, Membership.Role.MEMBER)


@pytest.fixture
def champion(network) -> User:
    return _member(network, Membership.Role.CHAMPION)


@pytest.fixture
def moderator(network) -> User:
    return _member(network, Membership.Role.MODERATOR)


@pytest.fixture
def admin(network) -> User:
    return _member(network, Membership.Role.ADMIN)


@pytest.fixture
def outsider(db) -> User:
    """Signed in, but a member of no network."""
    return UserFactory()
