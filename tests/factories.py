"""Factories that build valid data for tests; each test states only what matters to it."""

import factory
from allauth.account.models import EmailAddress
from django.utils import timezone

from network.models import Membership, Network
from profiles.models import User


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"member{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    display_name = factory.Faker("name")
    password = factory.django.Password("correct horse battery staple")


class NetworkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Network

    name = factory.Sequence(lambda n: f"Network {n}")
    slug = factory.Sequence(lambda n: f"network-{n}")
    mission = "Share what works."
    visibility = Network.Visibility.PUBLIC
    join_policy = Network.JoinPolicy.APPROVAL


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    network = factory.SubFactory(NetworkFactory)
    user = factory.SubFactory(UserFactory)
    role = Membership.Role.MEMBER
    state = Membership.State.ACTIVE
    joined_at = factory.LazyFunction(timezone.now)


class VerifiedUserFactory(UserFactory):
    """A user whose email address is confirmed: with mandatory verification, only they can log in."""

    @factory.post_generation
    def verified_email(self, create: bool, extracted: object, **kwargs: object) -> None:
        if create:
            EmailAddress.objects.create(user=self, email=self.email, verified=True, primary=True)


class ChatRoomFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "forums.ChatRoom"

    network = factory.SubFactory(NetworkFactory)
    name = factory.Sequence(lambda n: f"Room {n}")
    slug = factory.Sequence(lambda n: f"room-{n}")
    topic = "What works in our administrations."
