"""What the review queue announces on its network's moderation stream, and who may follow that stream."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from forums.services import topics as forum
from moderation.models import QueueItem, Report
from moderation.services import approval
from moderation.services import reports as services
from network.models import Membership, Network
from realtime.models import Event
from realtime.streams import can_subscribe
from tests.factories import MembershipFactory
from tests.moderation.test_reports import (  # noqa: F401  (fixtures shared by the queue's tests)
    other_moderator_fixture,
    post_fixture,
    report,
    topic_fixture,
    writer_fixture,
)
from tests.network.conftest import anonymous, superuser  # noqa: F401  (fixtures used here too)

pytestmark = pytest.mark.django_db


def announced(network: Network) -> list[tuple[str, dict]]:
    """What the network's queue stream holds, in order: (kind, data)."""
    rows = Event.objects.filter(stream__key=f"moderation:{network.pk}").order_by("seq")
    return [(event.kind, event.data) for event in rows]


def item_data(item: QueueItem, **changes) -> dict:
    return {
        "id": item.pk,
        "kind": item.kind,
        "target_kind": item.target_kind,
        "title": item.title,
        "excerpt": item.excerpt,
        "url": item.url,
        "report_count": item.report_count,
    } | changes


def test_a_first_report_opens_an_item_on_the_stream(network, post, member):
    item = report(member, post).item

    assert announced(network) == [("item.opened", item_data(item, report_count=1))]


def test_further_reports_update_the_item(network, post, member, champion):
    item = report(member, post).item
    report(champion, post, reason=Report.Reason.ABUSE)

    assert announced(network)[1:] == [("item.updated", item_data(item, report_count=2))]


def test_a_refused_report_announces_nothing(network, post, member):
    report(member, post)

    with pytest.raises(ValidationError):
        report(member, post)

    assert [kind for kind, _data in announced(network)] == ["item.opened"]


def test_dismissing_announces_who_handled_the_item(network, post, member, moderator):
    item = report(member, post).item

    services.dismiss_item(actor=moderator, item=item)

    assert announced(network)[-1] == (
        "item.handled",
        {"id": item.pk, "resolution": "dismissed", "handled_by": str(moderator)},
    )


def test_a_post_held_for_approval_opens_an_item(network, topic, settings):
    settings.FORUM_POST_RATE_LIMIT = None
    network.posts_awaiting_approval = 1
    network.save(update_fields=["posts_awaiting_approval"])
    newcomer = MembershipFactory(network=network).user

    held = forum.post_reply(author=newcomer, topic=topic, body="First words")

    item = QueueItem.objects.get(target_id=held.pk)
    assert announced(network) == [("item.opened", item_data(item, kind="approval", report_count=0))]


@pytest.mark.parametrize("decision", ["approve", "reject"])
def test_deciding_on_a_held_post_announces_it_handled(network, topic, moderator, settings, decision):
    settings.FORUM_POST_RATE_LIMIT = None
    network.posts_awaiting_approval = 1
    network.save(update_fields=["posts_awaiting_approval"])
    held = forum.post_reply(author=MembershipFactory(network=network).user, topic=topic, body="First words")
    item = QueueItem.objects.get(target_id=held.pk)

    if decision == "approve":
        approval.approve_post(actor=moderator, item=item)
    else:
        approval.reject_post(actor=moderator, item=item, reason="Off-topic")

    resolution = "approved" if decision == "approve" else "rejected"
    assert announced(network)[-1] == (
        "item.handled",
        {"id": item.pk, "resolution": resolution, "handled_by": str(moderator)},
    )


def test_another_networks_queue_hears_nothing(network, post, member, other_moderator):
    report(member, post)

    elsewhere = Membership.objects.get(user=other_moderator).network
    assert announced(elsewhere) == []


# --- Who may follow the stream ----------------------------------------------------------------------


@pytest.fixture
def suspended_moderator(network: Network):
    return MembershipFactory(
        network=network,
        role=Membership.Role.MODERATOR,
        state=Membership.State.SUSPENDED,
        suspended_until=timezone.now() + timezone.timedelta(days=3),
    ).user


@pytest.fixture
def muted_member(network: Network):
    return MembershipFactory(network=network, muted_until=timezone.now() + timezone.timedelta(days=1)).user


@pytest.fixture
def former_moderator(network: Network):
    return MembershipFactory(
        network=network, role=Membership.Role.MODERATOR, state=Membership.State.LEFT
    ).user


@pytest.mark.parametrize(
    ("persona", "allowed"),
    [
        ("anonymous", False),
        ("outsider", False),
        ("member", False),
        ("muted_member", False),
        ("champion", False),
        ("other_moderator", False),
        ("suspended_moderator", False),
        ("former_moderator", False),
        ("moderator", True),
        ("admin", True),
        ("superuser", True),
    ],
)
def test_only_the_networks_moderators_follow_its_queue(request, network, persona, allowed):
    user = request.getfixturevalue(persona)

    assert can_subscribe(user, f"moderation:{network.pk}") is allowed


@pytest.mark.parametrize("key", ["moderation:", "moderation:abc", "moderation:999999999"])
def test_a_queue_stream_of_no_network_is_followed_by_nobody(request, network, moderator, key):
    assert not can_subscribe(moderator, key)
    assert not can_subscribe(request.getfixturevalue("superuser"), key)
