"""First-post approval: a newcomer's posts wait on the queue, moderators approve (the post appears, the
author moves towards trust) or reject them (the post stays hidden, with the reason), one moderator at a
time; and the network's admins set how many posts wait."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from forums.models import Post, Topic
from forums.services import topics as forum
from moderation.models import AuditEntry, QueueItem
from moderation.permissions import needs_approval
from moderation.services import approval
from network.models import Membership, Network
from network.services import update_network
from profiles.models import User
from tests.factories import CategoryFactory, MembershipFactory, PostFactory, UserFactory
from tests.moderation.test_reports import (  # noqa: F401  (fixtures shared by the queue's tests)
    other_moderator_fixture,
    post_fixture,
    report,
    topic_fixture,
    writer_fixture,
)

pytestmark = pytest.mark.django_db

APPROVALS_NEEDED = 2


@pytest.fixture(autouse=True)
def _approval_on(network: Network, settings) -> None:
    network.posts_awaiting_approval = APPROVALS_NEEDED
    network.save(update_fields=["posts_awaiting_approval"])
    settings.FORUM_POST_RATE_LIMIT = None


@pytest.fixture
def newcomer(network: Network) -> User:
    return MembershipFactory(network=network, user=UserFactory(display_name="Nina Newcomer")).user


def reply(author: User, topic: Topic, body: str = "Hello, I am *new* here.") -> Post:
    return forum.post_reply(author=author, topic=topic, body=body)


def item_of(post: Post) -> QueueItem:
    return QueueItem.objects.get(kind=QueueItem.Kind.APPROVAL, target_id=post.pk)


def standing(user: User, network: Network) -> Membership:
    return Membership.objects.select_related("network").get(user=user, network=network)


# --- Holding ----------------------------------------------------------------------------------------


def test_a_newcomers_reply_waits_on_the_queue(topic, newcomer):
    held = reply(newcomer, topic)

    assert (held.is_hidden, held.awaiting_approval) == (True, True)
    item = item_of(held)
    assert (item.state, item.target_kind, item.target_author) == ("open", "post", newcomer)
    assert item.title == topic.title
    assert item.excerpt == "Hello, I am new here."
    assert item.url == f"{topic.get_absolute_url()}?page=1#post-{held.number}"
    assert item.report_count == 0


def test_a_newcomers_topic_waits_with_its_opening_post(network, newcomer):
    started = forum.start_topic(
        author=newcomer, category=CategoryFactory(network=network), title="My first question", body="Hi!"
    )

    opening = started.posts.get(number=1)
    assert (started.is_hidden, started.awaiting_approval, opening.awaiting_approval) == (True, True, True)
    assert item_of(opening).title == "My first question"


def test_trusted_roles_never_wait(topic, champion):
    assert reply(champion, topic).is_visible
    assert not QueueItem.objects.exists()


# --- Approving --------------------------------------------------------------------------------------


def test_approving_shows_the_post_and_counts_towards_trust(network, topic, newcomer, moderator):
    held = reply(newcomer, topic)

    approved = approval.approve_post(actor=moderator, item=item_of(held))

    assert approved is not None
    held.refresh_from_db()
    assert (held.is_visible, held.awaiting_approval) == (True, False)
    assert standing(newcomer, network).approved_posts == 1
    item = item_of(held)
    assert (item.state, item.handled_by, item.resolution) == ("handled", moderator, "approved")
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.actor, entry.target_kind, entry.target_id) == (
        AuditEntry.Action.POST_APPROVE,
        moderator,
        "post",
        held.pk,
    )
    assert entry.target_user == newcomer
    topic.refresh_from_db()
    assert topic.reply_count == 1


def test_members_are_trusted_once_enough_posts_were_approved(network, topic, newcomer, moderator):
    for _ in range(APPROVALS_NEEDED):
        approval.approve_post(actor=moderator, item=item_of(reply(newcomer, topic)))

    assert not needs_approval(newcomer, standing(newcomer, network))
    trusted = reply(newcomer, topic, "Now I post freely.")
    assert trusted.is_visible
    assert not QueueItem.objects.filter(target_id=trusted.pk).exists()


def test_approving_an_opening_post_shows_its_topic(network, newcomer, moderator):
    started = forum.start_topic(
        author=newcomer, category=CategoryFactory(network=network), title="My first question", body="Hi!"
    )

    approval.approve_post(actor=moderator, item=item_of(started.posts.get(number=1)))

    started.refresh_from_db()
    assert (started.is_hidden, started.awaiting_approval) == (False, False)


def test_a_second_moderator_is_told_who_approved_first(topic, newcomer, moderator, admin):
    item = item_of(reply(newcomer, topic))
    approval.approve_post(actor=moderator, item=item)

    with pytest.raises(ValidationError) as refused:
        approval.approve_post(actor=admin, item=item)
    with pytest.raises(ValidationError) as refused_again:
        approval.reject_post(actor=admin, item=item, reason="Too late")

    assert refused.value.messages == [f"{moderator} already handled this item."]
    assert refused_again.value.messages == [f"{moderator} already handled this item."]
    assert AuditEntry.objects.count() == 1


def test_a_post_deleted_meanwhile_closes_its_item_and_nothing_else(network, topic, newcomer, moderator):
    held = reply(newcomer, topic)
    Post.objects.filter(pk=held.pk).update(deleted_at=timezone.now())

    assert approval.approve_post(actor=moderator, item=item_of(held)) is None

    item = item_of(held)
    assert (item.state, item.resolution) == ("handled", "gone")
    assert standing(newcomer, network).approved_posts == 0
    assert not AuditEntry.objects.exists()


@pytest.mark.parametrize("persona", ["member", "champion", "other_moderator"])
def test_only_the_networks_moderators_approve(request, topic, newcomer, persona):
    held = reply(newcomer, topic)

    with pytest.raises(PermissionDenied):
        approval.approve_post(actor=request.getfixturevalue(persona), item=item_of(held))

    held.refresh_from_db()
    assert held.awaiting_approval


def test_a_report_is_not_approved(post, member, moderator):
    item = report(member, post).item

    with pytest.raises(ValidationError, match="not a post awaiting approval"):
        approval.approve_post(actor=moderator, item=item)

    item.refresh_from_db()
    assert item.state == "open"


# --- Rejecting --------------------------------------------------------------------------------------


def test_rejecting_keeps_the_post_hidden_with_the_reason_for_its_author(network, topic, newcomer, moderator):
    held = reply(newcomer, topic)

    approval.reject_post(actor=moderator, item=item_of(held), reason="  Advertising   is not allowed. ")

    held.refresh_from_db()
    assert (held.is_hidden, held.awaiting_approval) == (True, False)
    assert held.hidden_reason == "Advertising is not allowed."
    assert standing(newcomer, network).approved_posts == 0
    assert item_of(held).resolution == "rejected"
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.reason) == (AuditEntry.Action.POST_REJECT, "Advertising is not allowed.")
    assert entry.before == {"body": "Hello, I am *new* here."}
    topic.refresh_from_db()
    assert topic.reply_count == 0


def test_rejecting_an_opening_post_keeps_its_topic_hidden_with_the_reason(network, newcomer, moderator):
    started = forum.start_topic(
        author=newcomer, category=CategoryFactory(network=network), title="Buy my course", body="Cheap!"
    )

    approval.reject_post(actor=moderator, item=item_of(started.posts.get(number=1)), reason="Advertising")

    started.refresh_from_db()
    assert (started.is_hidden, started.awaiting_approval, started.hidden_reason) == (
        True,
        False,
        "Advertising",
    )


@pytest.mark.parametrize("reason", ["", "   ", "x" * 1001])
def test_a_rejection_needs_a_reason_of_sensible_length(topic, newcomer, moderator, reason):
    held = reply(newcomer, topic)

    with pytest.raises(ValidationError) as refused:
        approval.reject_post(actor=moderator, item=item_of(held), reason=reason)

    assert list(refused.value.message_dict) == ["reason"]
    assert item_of(held).state == "open"


# --- The network's setting --------------------------------------------------------------------------


def settings_form(**overrides) -> dict[str, str]:
    return {
        "name": "Border Agencies",
        "tagline": "",
        "mission": "",
        "visibility": "public",
        "join_policy": "open",
    } | overrides


def test_an_admin_sets_how_many_posts_wait(client, network, admin):
    client.force_login(admin)

    page = client.get(reverse("network:settings", args=[network.slug]))
    response = client.post(
        reverse("network:settings", args=[network.slug]), settings_form(posts_awaiting_approval="5")
    )

    assert 'name="posts_awaiting_approval"' in page.content.decode()
    assert f'value="{APPROVALS_NEEDED}"' in page.content.decode()
    assert response.status_code == 302
    network.refresh_from_db()
    assert network.posts_awaiting_approval == 5


@pytest.mark.parametrize("value", ["-1", "51", "many"])
def test_a_bad_number_of_posts_is_a_form_error(client, network, admin, value):
    client.force_login(admin)

    response = client.post(
        reverse("network:settings", args=[network.slug]), settings_form(posts_awaiting_approval=value)
    )

    assert response.status_code == 200
    assert f'value="{value}"' in response.content.decode()
    network.refresh_from_db()
    assert network.posts_awaiting_approval == APPROVALS_NEEDED


def test_left_out_the_number_of_posts_stays(network, admin):
    update_network(
        actor=admin,
        network=network,
        name="Renamed",
        tagline="",
        mission="",
        visibility="public",
        join_policy="open",
    )

    network.refresh_from_db()
    assert (network.name, network.posts_awaiting_approval) == ("Renamed", APPROVALS_NEEDED)


def test_zero_turns_approval_off(network, topic, newcomer, admin):
    update_network(
        actor=admin,
        network=network,
        name=network.name,
        tagline="",
        mission="",
        visibility="public",
        join_policy="open",
        posts_awaiting_approval=0,
    )

    assert reply(newcomer, topic).is_visible


def test_members_who_wrote_enough_before_approval_was_turned_on_do_not_wait(network, topic, writer):
    PostFactory(topic=topic, author=writer, body="Written before the network held first posts.")

    shown = reply(writer, topic)

    assert (shown.is_hidden, shown.awaiting_approval) == (False, False)
    assert not QueueItem.objects.filter(kind=QueueItem.Kind.APPROVAL).exists()
