"""Factories that build valid data for tests; each test states only what matters to it."""

from typing import Any

import factory
from allauth.account.models import EmailAddress
from django.db import transaction
from django.db.models import F
from django.db.models.functions import Greatest
from django.utils import timezone
from django.utils.text import slugify

from forums import indexing
from forums.models import Category, Post, Topic
from network.models import Membership, Network
from profiles.models import User
from richtext import render_markdown


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


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category

    network = factory.SubFactory(NetworkFactory)
    name = factory.Sequence(lambda n: f"Category {n}")
    slug = factory.Sequence(lambda n: f"category-{n}")
    description = "Experiences and questions from our administrations."
    position = factory.Sequence(lambda n: n)


class TopicFactory(factory.django.DjangoModelFactory):
    """A topic with its opening post by its author (`TopicFactory(body="...")` sets that post's text),
    counted in its category as the services count it."""

    class Meta:
        model = Topic
        skip_postgeneration_save = True

    category = factory.SubFactory(CategoryFactory)
    network = factory.SelfAttribute("category.network")
    title = factory.Sequence(lambda n: f"How our teams work in hybrid mode, part {n}")
    slug = factory.LazyAttribute(lambda topic: slugify(topic.title, allow_unicode=True)[:80])
    author = factory.SubFactory(UserFactory)
    last_activity_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def body(self, create: bool, extracted: str | None, **kwargs: Any) -> None:
        if create:
            PostFactory(topic=self, author=self.author, body=extracted or "Here is what worked for us.")


class PostFactory(factory.django.DjangoModelFactory):
    """A post at the end of `topic` (it takes the next number), counted in its topic and its category
    and indexed for search as the services do it: a test can build long topics fast and still see
    consistent counters and search results."""

    class Meta:
        model = Post

    topic = factory.SubFactory(TopicFactory)
    author = factory.SubFactory(UserFactory)
    body = "In our administration, flexible hours made the difference."
    body_html = factory.LazyAttribute(lambda post: render_markdown(post.body))

    @classmethod
    def _create(cls, model_class: type[Post], *args: Any, **kwargs: Any) -> Post:
        topic: Topic = kwargs["topic"]
        with transaction.atomic():
            highest = Topic.objects.select_for_update().values_list("highest_post_number", flat=True)
            kwargs.setdefault("number", highest.get(pk=topic.pk) + 1)
            post = super()._create(model_class, *args, **kwargs)
            _count_post(topic, post)
            indexing.index_post(post)
        topic.refresh_from_db()
        return post


def _count_post(topic: Topic, post: Post) -> None:
    topics = Topic.objects.filter(pk=topic.pk)
    topics.update(highest_post_number=Greatest("highest_post_number", post.number))
    if not post.is_visible or topic.is_hidden or topic.is_deleted:
        return
    topics.update(
        reply_count=F("reply_count") + (1 if post.number > 1 else 0),
        last_activity_at=post.created_at,
        last_poster=post.author,
    )
    Category.objects.filter(pk=topic.category_id).update(
        topic_count=F("topic_count") + (1 if post.number == 1 else 0),
        post_count=F("post_count") + 1,
        last_activity_at=post.created_at,
        last_topic=topic,
    )


class StoryFactory(factory.django.DjangoModelFactory):
    """A draft story by `author`, shared with `networks` (`StoryFactory(networks=[network])`, or one new
    network by default). `StoryFactory(published=True)` gives one already out."""

    class Meta:
        model = "stories.Story"
        skip_postgeneration_save = True

    class Params:
        published = factory.Trait(status="published", published_at=factory.LazyFunction(timezone.now))

    title = factory.Sequence(lambda n: f"Flexible hours at the border, part {n}")
    slug = factory.LazyAttribute(lambda story: slugify(story.title)[:80])
    summary = "What changed when our officers chose their shifts."
    body = "We asked the **teams** first."
    body_html = factory.LazyAttribute(lambda story: render_markdown(story.body))
    author = factory.SubFactory(UserFactory)
    preview_token = factory.Sequence(lambda n: f"preview-token-{n}")

    @factory.post_generation
    def networks(self, create: bool, extracted: list[Network] | None, **kwargs: Any) -> None:
        if create:
            self.networks.set(extracted if extracted is not None else [NetworkFactory()])
