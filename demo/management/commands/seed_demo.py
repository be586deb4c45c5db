"""Load the demo: the two founding networks, about forty members from the six regions, their champions,
a moderator and an admin per network, the site's superuser, their chat rooms and their forums, stories
and case studies, and a little moderation. Safe to run again: what exists is kept."""

from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction
from django.test.utils import override_settings

from demo.data import (
    CATEGORIES,
    DEMO_PASSWORD,
    FORUM_MODERATORS,
    INVITED,
    MEMBERS,
    NETWORKS,
    PENDING,
    ROOMS,
    SUPERUSER_EMAIL,
    DemoCategory,
    DemoMember,
    DemoNetwork,
    DemoRoom,
    DemoTopic,
    Reactions,
)
from demo.moderation import seed_moderation
from demo.stories import seed_stories
from forums.models import Category, ChatMessage, ChatRoom, Post, ReactionKind, Topic
from forums.services import chat as chat_services
from forums.services import topics as topic_services
from network import services as network_services
from network.models import Membership, Network
from profiles import services as profile_services
from profiles.models import Language, User


class Command(BaseCommand):
    help = "Load the demo networks, members, champions, chat rooms and forums (idempotent)."

    # The demo's people are fictional: nobody is to be emailed that they asked to join or were approved.
    # Its conversations are written in one go, faster than the rate limits allow people to.
    @override_settings(
        EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend",
        CHAT_RATE_LIMIT=None,
        FORUM_POST_RATE_LIMIT=None,
    )
    def handle(self, *args: Any, **options: Any) -> None:
        with transaction.atomic():
            superuser = self._superuser()
            networks = {spec.slug: self._network(spec, superuser) for spec in NETWORKS}
            languages = {language.code: language for language in Language.objects.all()}
            created = sum(self._member(spec, networks, superuser, languages) for spec in MEMBERS)
            for room in ROOMS:
                self._room(room, networks[room.network], superuser)
            for category in CATEGORIES:
                self._category(category, networks[category.network], superuser)
            seed_stories()
            seed_moderation()
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo ready: {len(networks)} networks, {len(MEMBERS)} members ({created} new). "
                f"Log in as {SUPERUSER_EMAIL} / {DEMO_PASSWORD}, or as any member "
                f"(e.g. {MEMBERS[0].handle}@convene.example) with the same password."
            )
        )

    def _superuser(self) -> User:
        existing = User.objects.filter(email__iexact=SUPERUSER_EMAIL).first()
        if existing is not None:
            return existing
        return profile_services.create_account(
            email=SUPERUSER_EMAIL,
            handle="convene-admin",
            display_name="Convene administrator",
            password=DEMO_PASSWORD,
            email_verified=True,
            superuser=True,
        )

    def _network(self, spec: DemoNetwork, superuser: User) -> Network:
        existing = Network.objects.filter(slug=spec.slug).first()
        if existing is not None:
            return existing
        return network_services.create_network(
            actor=superuser,
            name=spec.name,
            slug=spec.slug,
            tagline=spec.tagline,
            mission=spec.mission,
            visibility=spec.visibility,
            join_policy=spec.join_policy,
        )

    def _member(
        self, spec: DemoMember, networks: dict[str, Network], superuser: User, languages: dict[str, Language]
    ) -> bool:
        email = f"{spec.handle}@convene.example"
        user = User.objects.filter(email__iexact=email).first()
        created = user is None
        if user is None:
            user = profile_services.create_account(
                email=email,
                handle=spec.handle,
                display_name=spec.name,
                password=DEMO_PASSWORD,
                email_verified=True,
            )
            profile_services.update_profile(
                actor=user,
                profile=user.profile,
                data=profile_services.ProfileData(
                    display_name=spec.name,
                    headline=spec.headline,
                    organization=spec.organization,
                    sector=spec.sector,
                    country=spec.country,
                    languages=[languages[code] for code in spec.languages],
                    expertise=list(spec.expertise),
                    bio=spec.bio,
                    gender=spec.gender,
                ),
            )
        for slug, role in spec.roles.items():
            self._membership(user, networks[slug], role, superuser)
        return created

    def _membership(self, user: User, network: Network, role: str, superuser: User) -> None:
        if Membership.objects.filter(user=user, network=network).exists():
            return
        if role == INVITED:
            network_services.invite_member(actor=superuser, network=network, email=user.email)
            return
        membership = network_services.request_to_join(
            user=user, network=network, message="I would like to share our experience."
        )
        if role == PENDING:
            return
        membership = network_services.approve_membership(actor=superuser, membership=membership)
        if role != Membership.Role.MEMBER:
            network_services.change_role(actor=superuser, membership=membership, role=role)

    def _room(self, spec: DemoRoom, network: Network, superuser: User) -> None:
        room = ChatRoom.objects.filter(network=network, name=spec.name).first()
        if room is None:
            room = chat_services.create_room(
                actor=superuser, network=network, name=spec.name, topic=spec.topic
            )
        if ChatMessage.objects.filter(room=room).exists():
            return
        people = {user.username: user for user in User.objects.filter(memberships__network=network)}
        for handle, body, reactions in spec.messages:
            message = chat_services.post_message(author=people[handle], room=room, body=body)
            for reactor, kind in reactions:
                chat_services.react_to_message(user=people[reactor], message=message, kind=ReactionKind[kind])

    def _category(self, spec: DemoCategory, network: Network, superuser: User) -> None:
        category = Category.objects.filter(network=network, name=spec.name).first()
        if category is None:
            policy = Category.StartPolicy.MODERATORS if spec.moderators_only else Category.StartPolicy.MEMBERS
            category = topic_services.create_category(
                actor=superuser,
                network=network,
                name=spec.name,
                description=spec.description,
                start_policy=policy,
            )
        people = {user.username: user for user in User.objects.filter(memberships__network=network)}
        for topic in spec.topics:
            if not Topic.objects.filter(category=category, title=topic.title).exists():
                self._topic(topic, category, people, people[FORUM_MODERATORS[spec.network]])

    def _topic(self, spec: DemoTopic, category: Category, people: dict[str, User], moderator: User) -> None:
        """The topic with its replies, reactions and answer, pinned or locked by the moderator last,
        as a locked topic takes no more replies."""
        topic = topic_services.start_topic(
            author=people[spec.author], category=category, title=spec.title, body=spec.body
        )
        posts = {1: topic.posts.get(number=1)}
        self._react(posts[1], spec.reactions, people)
        for reply in spec.replies:
            post = topic_services.post_reply(
                author=people[reply.author],
                topic=topic,
                body=reply.body,
                reply_to_id=posts[reply.reply_to].pk if reply.reply_to else None,
            )
            posts[post.number] = post
            self._react(post, reply.reactions, people)
        if spec.accepted is not None:
            topic_services.accept_answer(actor=topic.author, topic=topic, post=posts[spec.accepted])
        if spec.pinned:
            topic_services.set_topic_pinned(actor=moderator, topic=topic, pinned=True)
        if spec.locked:
            topic_services.set_topic_locked(actor=moderator, topic=topic, locked=True)

    def _react(self, post: Post, reactions: Reactions, people: dict[str, User]) -> None:
        for handle, kind in reactions:
            topic_services.react_to_post(user=people[handle], post=post, kind=ReactionKind[kind])
