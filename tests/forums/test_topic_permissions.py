"""Who may do what in the threaded forum, for everyone the network rules distinguish, in public and
members-only networks. The `topic` fixture was started by `member`, who is therefore its author; the
champion is a member who wrote nothing."""

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from forums.models import Post, Topic
from forums.permissions import topics as permissions
from network.models import Membership, Network
from tests.factories import MembershipFactory, NetworkFactory, PostFactory, TopicFactory, UserFactory

pytestmark = pytest.mark.django_db

PERSONAS = ["anonymous", "outsider", "member", "champion", "moderator", "admin", "superuser"]
VISIBILITIES = [Network.Visibility.PUBLIC, Network.Visibility.MEMBERS_ONLY]
EVERYONE = set(PERSONAS)
SIGNED_IN = EVERYONE - {"anonymous"}
MEMBERS = {"member", "champion", "moderator", "admin", "superuser"}
MODERATORS = {"moderator", "admin", "superuser"}
ADMINS = {"admin", "superuser"}


def check_rule(rule: str, user, obj, allowed: bool, reason: str | None = None) -> None:
    """`can_<rule>` answers `allowed`, and `check_<rule>` agrees (raising, with `reason` in its message,
    when not)."""
    assert getattr(permissions, f"can_{rule}")(user, obj) is allowed
    check = getattr(permissions, f"check_{rule}")
    if allowed:
        check(user, obj)
    else:
        with pytest.raises(PermissionDenied, match=reason):
            check(user, obj)


@pytest.fixture(params=VISIBILITIES)
def visibility(request, network) -> str:
    network.visibility = request.param
    network.save()
    return request.param


@pytest.fixture
def reply(topic, member) -> Post:
    """A reply of `member` (the topic's author) in `topic`."""
    return PostFactory(topic=topic, author=member)


def readers(visibility: str) -> set[str]:
    return EVERYONE if visibility == Network.Visibility.PUBLIC else MEMBERS


# --- The forum --------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", PERSONAS)
def test_a_public_forum_is_read_by_everyone_a_members_only_one_by_its_members(
    request, network, visibility, name
):
    check_rule(
        "read_forum", request.getfixturevalue(name), network, name in readers(visibility), "members only"
    )


@pytest.mark.parametrize("state", [Membership.State.PENDING, Membership.State.INVITED, Membership.State.LEFT])
def test_people_not_yet_or_no_longer_members_do_not_read_a_members_only_forum(members_only, state):
    user = MembershipFactory(network=members_only, state=state).user
    assert not permissions.can_read_forum(user, members_only)


@pytest.mark.parametrize("name", PERSONAS)
def test_forum_networks_are_the_public_ones_and_those_one_is_an_active_member_of(request, network, name):
    user = request.getfixturevalue(name)
    public = NetworkFactory()
    members_only = NetworkFactory(visibility=Network.Visibility.MEMBERS_ONLY)
    other_members_only = NetworkFactory(visibility=Network.Visibility.MEMBERS_ONLY)
    if name in MEMBERS - {"superuser"}:
        MembershipFactory(network=members_only, user=user)
        MembershipFactory(network=other_members_only, user=user, state=Membership.State.INVITED)

    readable = set(Network.objects.filter(permissions.forum_networks_q(user)))

    expected = {network, public, members_only} if name in MEMBERS else {network, public}
    if name == "superuser":
        expected.add(other_members_only)
    assert readable == expected


@pytest.mark.parametrize("name", PERSONAS)
def test_watching_is_for_signed_in_readers(request, network, visibility, name):
    check_rule(
        "watch",
        request.getfixturevalue(name),
        network,
        name in readers(visibility) & SIGNED_IN,
        r"Log in|members only",
    )


@pytest.mark.parametrize("name", PERSONAS)
def test_categories_are_managed_by_admins(request, network, visibility, name):
    check_rule("manage_categories", request.getfixturevalue(name), network, name in ADMINS, "admins")


# --- Topics -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", PERSONAS)
def test_a_topic_is_read_by_whoever_reads_the_forum(request, topic, visibility, name):
    check_rule("read_topic", request.getfixturevalue(name), topic, name in readers(visibility))


@pytest.mark.parametrize("name", PERSONAS)
def test_a_deleted_topic_is_read_by_moderators_only(request, topic, visibility, name):
    topic.deleted_at = timezone.now()
    check_rule(
        "read_topic", request.getfixturevalue(name), topic, name in MODERATORS, r"deleted|members only"
    )


@pytest.mark.parametrize("name", PERSONAS)
def test_a_hidden_topic_is_read_by_moderators_and_its_author(request, topic, visibility, name):
    topic.is_hidden = True
    check_rule(
        "read_topic",
        request.getfixturevalue(name),
        topic,
        name in MODERATORS | {"member"},
        r"hidden|members only",
    )


@pytest.mark.parametrize("name", PERSONAS)
def test_members_start_topics_in_an_open_category(request, category, visibility, name):
    check_rule(
        "start_topic", request.getfixturevalue(name), category, name in MEMBERS, r"Log in|Only members"
    )


@pytest.mark.parametrize("name", PERSONAS)
def test_only_moderators_start_topics_in_an_announcements_category(request, announcements, visibility, name):
    check_rule(
        "start_topic",
        request.getfixturevalue(name),
        announcements,
        name in MODERATORS,
        r"Log in|Only members|Only the network's moderators start topics",
    )


@pytest.mark.parametrize("name", PERSONAS)
def test_members_reply_to_an_open_topic(request, topic, visibility, name):
    check_rule(
        "reply_to_topic", request.getfixturevalue(name), topic, name in MEMBERS, r"Log in|Only members"
    )


@pytest.mark.parametrize("name", PERSONAS)
def test_only_moderators_reply_to_a_locked_topic_and_members_are_told_why(request, topic, visibility, name):
    topic.is_locked = True
    check_rule(
        "reply_to_topic",
        request.getfixturevalue(name),
        topic,
        name in MODERATORS,
        "locked" if name in MEMBERS else r"Log in|Only members",
    )


@pytest.mark.parametrize("name", PERSONAS)
@pytest.mark.parametrize("state", ["deleted", "hidden"])
def test_nobody_replies_to_a_deleted_or_hidden_topic(request, topic, name, state):
    topic.deleted_at = timezone.now() if state == "deleted" else None
    topic.is_hidden = state == "hidden"
    check_rule(
        "reply_to_topic",
        request.getfixturevalue(name),
        topic,
        False,
        state if name in MEMBERS else r"Log in|Only members",
    )


def test_the_locked_notice_is_there_only_while_the_topic_is_locked(topic):
    assert permissions.locked_topic_notice(topic) is None
    topic.is_locked = True
    assert "locked" in (permissions.locked_topic_notice(topic) or "")


@pytest.mark.parametrize("name", PERSONAS)
@pytest.mark.parametrize("locked", [False, True])
def test_its_author_renames_an_open_topic_moderators_any(request, topic, visibility, name, locked):
    topic.is_locked = locked
    allowed = name in MODERATORS or (name == "member" and not locked)
    check_rule(
        "rename_topic",
        request.getfixturevalue(name),
        topic,
        allowed,
        r"Log in|Only members|Only its author|locked",
    )


@pytest.mark.parametrize("name", PERSONAS)
def test_the_topics_author_or_a_moderator_chooses_its_answer(request, topic, visibility, name):
    check_rule(
        "accept_answer",
        request.getfixturevalue(name),
        topic,
        name in MODERATORS | {"member"},
        r"Log in|Only members|Only the topic's author",
    )


def test_no_answer_is_chosen_in_a_deleted_topic(topic, member, moderator):
    topic.deleted_at = timezone.now()
    assert not permissions.can_accept_answer(member, topic)
    assert not permissions.can_accept_answer(moderator, topic)


@pytest.mark.parametrize("name", PERSONAS)
def test_moderators_pin_and_lock(request, topic, visibility, name):
    check_rule("moderate_topic", request.getfixturevalue(name), topic, name in MODERATORS, "moderators")


# --- Posts ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", PERSONAS)
def test_only_its_author_edits_a_post(request, reply, visibility, name):
    check_rule(
        "edit_post",
        request.getfixturevalue(name),
        reply,
        name == "member",
        r"Log in|Only members|Only its author",
    )


def test_a_deleted_post_or_one_in_a_locked_topic_is_not_edited_by_its_author(topic, reply, member):
    topic.is_locked = True
    with pytest.raises(PermissionDenied, match="locked"):
        permissions.check_edit_post(member, reply)
    topic.is_locked = False
    reply.deleted_at = timezone.now()
    with pytest.raises(PermissionDenied, match="deleted"):
        permissions.check_edit_post(member, reply)


def test_a_moderator_edits_their_own_post_in_a_topic_they_locked(topic, moderator):
    post = PostFactory(topic=topic, author=moderator)
    topic.is_locked = True
    assert permissions.can_edit_post(moderator, post)


def test_a_member_who_left_edits_their_posts_no_more(network, reply, member):
    Membership.objects.filter(network=network, user=member).update(state=Membership.State.LEFT)
    with pytest.raises(PermissionDenied, match="Only members"):
        permissions.check_edit_post(member, reply)


@pytest.mark.parametrize("name", PERSONAS)
def test_its_author_or_a_moderator_deletes_a_post(request, reply, visibility, name):
    check_rule(
        "delete_post",
        request.getfixturevalue(name),
        reply,
        name in MODERATORS | {"member"},
        r"Log in|Only members|Only its author or the network's moderators",
    )


@pytest.mark.parametrize("name", ["member", "moderator"])
def test_a_deleted_post_is_not_deleted_again(request, reply, name):
    reply.deleted_at = timezone.now()
    with pytest.raises(PermissionDenied, match="already deleted"):
        permissions.check_delete_post(request.getfixturevalue(name), reply)


@pytest.mark.parametrize("name", PERSONAS)
def test_members_react_to_posts_of_open_topics(request, reply, visibility, name):
    check_rule("react_to_post", request.getfixturevalue(name), reply, name in MEMBERS, r"Log in|Only members")


@pytest.mark.parametrize(
    ("change", "reason"),
    [({"deleted_at": timezone.now()}, "deleted"), ({"is_hidden": True}, "hidden")],
)
def test_nobody_reacts_to_a_post_taken_down(reply, champion, moderator, change, reason):
    for field, value in change.items():
        setattr(reply, field, value)
    for user in (champion, moderator):
        with pytest.raises(PermissionDenied, match=reason):
            permissions.check_react_to_post(user, reply)


def test_members_do_not_react_in_a_locked_topic(topic, reply, champion, moderator):
    topic.is_locked = True
    assert not permissions.can_react_to_post(champion, reply)
    assert permissions.can_react_to_post(moderator, reply)


@pytest.mark.parametrize("name", PERSONAS)
def test_a_posts_history_is_for_its_author_and_moderators(request, reply, visibility, name):
    check_rule(
        "view_post_history",
        request.getfixturevalue(name),
        reply,
        name in MODERATORS | {"member"},
        r"Log in|Only its author and the network's moderators",
    )


def test_the_author_of_a_deleted_post_no_longer_sees_its_history(reply, member, moderator):
    reply.deleted_at = timezone.now()
    assert not permissions.can_view_post_history(member, reply)
    assert permissions.can_view_post_history(moderator, reply)


def test_the_rules_ask_for_one_membership_row_per_check(django_assert_num_queries, topic, champion):
    topic = Topic.objects.select_related("network").get(pk=topic.pk)
    with django_assert_num_queries(1):
        assert permissions.can_reply_to_topic(champion, topic)


def test_a_moderator_of_another_network_is_an_outsider_here(members_only, topic):
    elsewhere = MembershipFactory(role=Membership.Role.MODERATOR).user
    assert not permissions.can_read_topic(elsewhere, topic)
    assert not permissions.can_moderate_topic(elsewhere, topic)
    assert not permissions.can_delete_post(elsewhere, TopicFactory(category=topic.category).posts.get())
    assert not permissions.can_start_topic(UserFactory(), topic.category)
