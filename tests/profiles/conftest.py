import pytest

from network.models import Network
from profiles.models import Profile, User
from tests.factories import MembershipFactory, NetworkFactory, UserFactory


def update_profile_row(user: User, **fields) -> Profile:
    """Set profile columns directly: tests of reads state the data they read, without the service."""
    Profile.objects.filter(user=user).update(**fields)
    return Profile.objects.select_related("user").get(user=user)


@pytest.fixture
def co_member(network) -> User:
    """Shares the `network` fixture with `member`, `champion` and the others."""
    return MembershipFactory(network=network).user


@pytest.fixture
def private_network(db) -> Network:
    return NetworkFactory(visibility=Network.Visibility.MEMBERS_ONLY)


@pytest.fixture
def superuser(db) -> User:
    return UserFactory(is_staff=True, is_superuser=True)
