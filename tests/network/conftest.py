import pytest
from django.contrib.auth.models import AnonymousUser

from network.models import Membership, Network
from profiles.models import Profile, User
from tests.factories import MembershipFactory, NetworkFactory, UserFactory

# Everyone whose rights the network rules distinguish; each is a fixture of that name.
PERSONAS = ["anonymous", "outsider", "member", "champion", "moderator", "admin", "superuser"]


@pytest.fixture
def anonymous() -> AnonymousUser:
    return AnonymousUser()


@pytest.fixture
def superuser(db) -> User:
    """A site operator who is a member of no network."""
    return UserFactory(is_superuser=True, is_staff=True)


@pytest.fixture
def members_only(network) -> Network:
    """The `network` fixture (with its members) made invisible to outsiders."""
    network.visibility = Network.Visibility.MEMBERS_ONLY
    network.save()
    return network


def membership_in(network: Network, user: User, **fields) -> Membership:
    return MembershipFactory(network=network, user=user, **fields)


def add_members(network: Network, count: int, **fields) -> list[User]:
    return [MembershipFactory(network=network, **fields).user for _ in range(count)]


def set_profile(user: User, **fields) -> None:
    Profile.objects.filter(user=user).update(**fields)


@pytest.fixture
def open_network(db) -> Network:
    network = NetworkFactory(join_policy=Network.JoinPolicy.OPEN)
    MembershipFactory(network=network, role=Membership.Role.ADMIN)
    return network


@pytest.fixture
def invitation_network(db) -> Network:
    network = NetworkFactory(join_policy=Network.JoinPolicy.INVITATION)
    MembershipFactory(network=network, role=Membership.Role.ADMIN)
    return network
