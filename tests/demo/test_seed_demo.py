import pytest
from django.core.management import call_command
from django.db.models import F

from demo.data import CATEGORIES, DEMO_PASSWORD, MEMBERS, ROOMS, SUPERUSER_EMAIL
from forums.models import Category, ChatMessage, ChatRoom, Post, PostReaction, Topic
from network.models import Membership, Network
from profiles.models import Profile, Sector, User
from profiles.regions import Region

pytestmark = pytest.mark.django_db


def _counts() -> tuple[int, ...]:
    models = (Network, User, Membership, ChatRoom, ChatMessage, Category, Topic, Post, PostReaction)
    return tuple(model.objects.count() for model in models)


def test_seed_demo_creates_the_networks_people_and_roles_and_is_idempotent(client):
    call_command("seed_demo")
    first = _counts()
    call_command("seed_demo")

    assert _counts() == first
    assert set(Network.objects.values_list("slug", flat=True)) == {"gender-equality", "cwof"}
    assert User.objects.count() == len(MEMBERS) + 1
    for network in Network.objects.all():
        active = Membership.objects.filter(network=network, state=Membership.State.ACTIVE)
        assert active.filter(role=Membership.Role.CHAMPION).count() >= 3
        assert active.filter(role=Membership.Role.MODERATOR).exists()
        assert active.filter(role=Membership.Role.ADMIN).exclude(user__is_superuser=True).exists()
        assert Membership.objects.filter(network=network, state=Membership.State.PENDING).exists()
    assert set(Profile.objects.exclude(region="").values_list("region", flat=True)) == set(Region.values)
    assert set(Profile.objects.exclude(sector="").values_list("sector", flat=True)) == set(Sector.values)
    assert Membership.objects.filter(state=Membership.State.INVITED).exists()
    assert ChatMessage.objects.count() == sum(len(room.messages) for room in ROOMS)
    assert set(ChatRoom.objects.values_list("name", flat=True)) >= {room.name for room in ROOMS}


def test_seed_demo_fills_each_forum_with_categories_topics_and_conversations():
    call_command("seed_demo")
    first = _counts()
    call_command("seed_demo")

    assert _counts() == first
    topics = [topic for category in CATEGORIES for topic in category.topics]
    assert Topic.objects.count() == len(topics)
    assert Post.objects.count() == sum(1 + len(topic.replies) for topic in topics)
    for network in Network.objects.all():
        categories = Category.objects.filter(network=network)
        assert categories.count() >= 3
        announcements = categories.get(name="Announcements")
        assert announcements.start_policy == Category.StartPolicy.MODERATORS
        assert announcements.topics.filter(is_pinned=True).exists()
        assert categories.filter(topic_count__gt=0).count() == categories.count()
    assert Topic.objects.filter(is_locked=True).exists()
    answered = Topic.objects.exclude(accepted_post=None)
    assert answered.exists()
    assert not answered.exclude(accepted_post__topic=F("pk")).exists()
    replies = Post.objects.exclude(reply_to=None)
    assert replies.exists()
    assert not replies.exclude(reply_to__topic=F("topic")).exists()
    assert Post.objects.filter(number__gt=1).values("author").distinct().count() >= 20
    assert PostReaction.objects.values("kind").distinct().count() >= 4


def test_demo_accounts_can_log_in_with_the_published_password(client):
    call_command("seed_demo")
    superuser = User.objects.get(email=SUPERUSER_EMAIL)

    response = client.post(
        "/accounts/login/", {"login": MEMBERS[0].handle + "@convene.example", "password": DEMO_PASSWORD}
    )

    assert superuser.is_superuser
    assert superuser.check_password(DEMO_PASSWORD)
    assert response.status_code == 302
    assert "_auth_user_id" in client.session
