"""The benchmark's own database: created afresh, migrated, and filled with what a benchmark measures:
a network with a chat room and its listening members, or networks with a forum and with stories.

The people who act go through the product's services: an operator founds an open network and adds
the room, the sender joins. The thousands of listening members are written in bulk, each row what the
services would have left (a default profile, an active membership, a login session), because one by
one they would take a minute of the run's few. Each session key is what a load generator sends as its
`sessionid` cookie, as a signed-in browser would. The forum is written through the services alone
(topics, replies, reactions, a pin), with the post rate limit off: its members write faster than
anyone is allowed to. So are the stories (drafts, publishing, a feature).

Runs in the benchmark's own process, with `bench.settings`, before any server starts.
"""

import math
from dataclasses import dataclass
from datetime import timedelta

import psycopg
import redis
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.auth.hashers import make_password
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.db import connections, transaction
from django.test.utils import override_settings
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import get_random_string
from psycopg import sql

from demo.data import CATEGORIES
from demo.stories import CASE_STUDIES, STORIES, DemoStory
from forums.events.chat import room_stream
from forums.models import Post, ReactionKind
from forums.services.chat import create_room
from forums.services.topics import (
    create_category,
    post_reply,
    react_to_post,
    set_topic_pinned,
    start_topic,
)
from network.models import Membership, Network
from network.services import change_role, create_network, request_to_join
from profiles.models import Language, Profile, User
from stories.models import Story
from stories.services.publishing import feature_story, publish_story
from stories.services.writing import StoryText, create_draft


@dataclass(frozen=True)
class Room:
    id: int
    stream: str
    sender_session: str
    # One signed-in member per listening socket.
    member_sessions: list[str]


def recreate_database() -> None:
    """Drop the bench database if an earlier run left it, create it empty, and migrate it."""
    database = settings.DATABASES["default"]
    name = database["NAME"]
    # The bench drops this database: make sure it is one nothing else works in.
    if not name.startswith("convene_bench"):
        raise SystemExit(f"BENCH_DATABASE_URL names {name!r}; its name must start with 'convene_bench'.")
    connections.close_all()
    # Pooled connections stay open when closed: an earlier benchmark's would break when it is dropped.
    connections["default"].close_pool()  # type: ignore[attr-defined]
    maintenance = {
        "host": database["HOST"],
        "port": database["PORT"] or None,
        "user": database["USER"],
        "password": database["PASSWORD"] or None,
        "dbname": "postgres",
    }
    with psycopg.connect(autocommit=True, **maintenance) as admin:
        admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    call_command("migrate", verbosity=0, interactive=False)


def clear_redis() -> None:
    """Delete what earlier runs left in Redis under the bench's prefixes (channel-layer groups, presence,
    rate counters), so that a run starts from nothing there too."""
    assert settings.REDIS_URL is not None  # bench.settings always sets it
    client = redis.Redis.from_url(settings.REDIS_URL)
    prefixes = {
        settings.CACHES["default"]["KEY_PREFIX"],
        settings.CHANNEL_LAYERS["default"]["CONFIG"]["prefix"],
        settings.REALTIME_CHANNEL_PREFIX,
    }
    for prefix in prefixes:
        for key in client.scan_iter(match=f"{prefix}*", count=1000):
            client.delete(key)


def _person(handle: str) -> User:
    # No password: these accounts only ever sign in through the sessions made here.
    return User.objects.create_user(f"{handle}@bench.invalid", username=handle, display_name=handle.title())


def _session_data(user: User) -> dict[str, str]:
    """What django.contrib.auth's `login()` leaves in a session."""
    return {
        SESSION_KEY: str(user.pk),
        BACKEND_SESSION_KEY: "django.contrib.auth.backends.ModelBackend",
        HASH_SESSION_KEY: user.get_session_auth_hash(),
    }


def _signed_in(user: User) -> str:
    session = SessionStore()
    session.update(_session_data(user))
    session.create()
    assert session.session_key is not None
    return session.session_key


def _listeners(network: Network, count: int) -> list[str]:
    """`count` active members of `network`, each signed in; returns their session keys."""
    users = User.objects.bulk_create(
        User(
            email=f"listener{n}@bench.invalid",
            username=f"listener{n}",
            display_name=f"Listener {n}",
            password=make_password(None),
        )
        for n in range(count)
    )
    Profile.objects.bulk_create(Profile(user=user) for user in users)
    now = timezone.now()
    Membership.objects.bulk_create(
        Membership(network=network, user=user, state=Membership.State.ACTIVE, joined_at=now) for user in users
    )
    store = SessionStore()
    expiry = now + timedelta(seconds=settings.SESSION_COOKIE_AGE)
    sessions = [
        Session(
            session_key=get_random_string(32, "abcdefghijklmnopqrstuvwxyz0123456789"),
            session_data=store.encode(_session_data(user)),
            expire_date=expiry,
        )
        for user in users
    ]
    Session.objects.bulk_create(sessions)
    return [session.session_key for session in sessions]


def _public_network(name: str, slug: str) -> tuple[User, Network]:
    """A public network anyone joins at once, and the site operator who founded it."""
    operator = _person(f"{slug}-operator")
    operator.is_superuser = True
    operator.save(update_fields=["is_superuser"])
    network = create_network(
        actor=operator,
        name=name,
        slug=slug,
        mission="",
        tagline="",
        visibility=Network.Visibility.PUBLIC,
        join_policy=Network.JoinPolicy.OPEN,
    )
    return operator, network


@transaction.atomic
def seed_room(*, members: int) -> Room:
    """A network with `members` listening members and one sender, all active, and its chat room."""
    operator, network = _public_network("Bench network", "bench")
    sender = _person("sender")
    request_to_join(user=sender, network=network)
    room = create_room(actor=operator, network=network, name="Plenary")
    return Room(
        id=room.pk,
        stream=room_stream(room.pk),
        sender_session=_signed_in(sender),
        member_sessions=_listeners(network, members),
    )


@dataclass(frozen=True)
class Forum:
    """Where the page benchmark's pages are, and a signed-in member of their network."""

    category_path: str
    topic_path: str
    # The topic's pages, FORUM_POSTS_PER_PAGE posts each.
    topic_pages: int
    member_session: str


FORUM_AUTHORS = 12


def _forum_texts() -> list[tuple[str, str]]:
    """Titles and Markdown bodies of real length and shape (lists, emphasis, quotes of other posts):
    the demo's, every topic's title with each of its posts."""
    return [
        (topic.title, body)
        for category in CATEGORIES
        for topic in category.topics
        for body in (topic.body, *(reply.body for reply in topic.replies))
    ]


@transaction.atomic
@override_settings(FORUM_POST_RATE_LIMIT=None)
def seed_forum(*, topics: int, posts: int) -> Forum:
    """A public network whose one category holds `topics` topics, the first pinned, the last of them
    `posts` posts long; FORUM_AUTHORS members write them, reply to each other and react."""
    operator, network = _public_network("Bench forum", "bench-forum")
    authors = [_person(f"author{n}") for n in range(FORUM_AUTHORS)]
    for author in authors:
        request_to_join(user=author, network=network)
    category = create_category(actor=operator, network=network, name="Hybrid working models")
    texts = _forum_texts()
    kinds = list(ReactionKind)

    def text(n: int) -> tuple[str, str]:
        return texts[n % len(texts)]

    def react(post: Post, n: int) -> None:
        # Up to three reactions a post, by the members after its author.
        for k in range(n % 4):
            reactor = authors[(n + k + 1) % FORUM_AUTHORS]
            react_to_post(user=reactor, post=post, kind=kinds[(n + k) % len(kinds)])

    for n in range(topics - 1):
        title, body = text(n)
        topic = start_topic(author=authors[n % FORUM_AUTHORS], category=category, title=title, body=body)
        react(topic.posts.get(number=1), n)
    set_topic_pinned(actor=operator, topic=category.topics.earliest("pk"), pinned=True)

    title, body = text(topics)
    topic = start_topic(author=authors[0], category=category, title=title, body=body)
    written = [topic.posts.get(number=1)]
    for n in range(1, posts):
        # Every fifth reply answers a post a few above it, and shows a quote of it.
        reply_to = written[max(0, n - 3)].pk if n % 5 == 0 else None
        post = post_reply(
            author=authors[n % FORUM_AUTHORS], topic=topic, body=text(n)[1], reply_to_id=reply_to
        )
        react(post, n)
        written.append(post)
    return Forum(
        category_path=category.get_absolute_url(),
        topic_path=topic.get_absolute_url(),
        topic_pages=math.ceil(posts / settings.FORUM_POSTS_PER_PAGE),
        member_session=_signed_in(authors[1]),
    )


@dataclass(frozen=True)
class Stories:
    """Where the stories feed is, the page that lists them."""

    feed_path: str


STORY_AUTHORS = 12


def _story_texts() -> list[DemoStory]:
    """Titles, summaries, Markdown bodies, kinds, tags and languages of real length and shape: the
    demo's case studies and stories."""
    return [*(case.story for case in CASE_STUDIES), *STORIES]


@transaction.atomic
def seed_stories(*, stories: int) -> Stories:
    """A public network whose STORY_AUTHORS champions write and publish `stories` stories, every third
    with a co-author, each with a demo story's text, tags and language; its operator features the
    first, which the feed then shows on top of the newer ones."""
    operator, network = _public_network("Bench stories", "bench-stories")
    authors = [_person(f"writer{n}") for n in range(STORY_AUTHORS)]
    for author in authors:
        membership = request_to_join(user=author, network=network)
        change_role(actor=operator, membership=membership, role=Membership.Role.CHAMPION)
    languages = {language.code: language for language in Language.objects.all()}
    texts = _story_texts()
    for n in range(stories):
        spec = texts[n % len(texts)]
        author = authors[n % STORY_AUTHORS]
        story = create_draft(
            author=author,
            text=StoryText(
                title=spec.title,
                networks=[network],
                summary=spec.summary,
                body=spec.body,
                kind=spec.kind,
                tags=spec.tags,
                language=languages[spec.language],
                co_authors=[authors[(n + 1) % STORY_AUTHORS]] if n % 3 == 0 else [],
            ),
        )
        publish_story(actor=author, story=story)
    feature_story(actor=operator, story=Story.objects.filter(networks=network).earliest("pk"))
    return Stories(feed_path=reverse("stories:feed"))
