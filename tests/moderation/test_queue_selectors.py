"""Reading the review queue: what each item carries, in which order, what was handled, and a fixed
number of queries whatever the size of the queue."""

import pytest

from forums.models import Post
from moderation.models import QueueItem, Report
from moderation.selectors import queue as selectors
from moderation.services import approval
from moderation.services import reports as services
from network.models import Membership, Network
from profiles.models import User
from tests.factories import MembershipFactory, NetworkFactory, PostFactory, TopicFactory
from tests.moderation.test_reports import (  # noqa: F401  (fixtures shared by the queue's tests)
    other_moderator_fixture,
    post_fixture,
    report,
    topic_fixture,
    writer_fixture,
)

pytestmark = pytest.mark.django_db


def held_post(topic, author: User) -> Post:
    """A post of `author` awaiting approval in `topic`, on the queue."""
    held = PostFactory(
        topic=topic, author=author, body="My *first* post", is_hidden=True, awaiting_approval=True
    )
    approval.hold_for_approval(held)
    return held


def fill_queue(network: Network, topic, count: int) -> None:
    """`count` reported posts, each reported twice, and `count` posts awaiting approval."""
    reporters = [MembershipFactory(network=network).user for _ in range(2)]
    for _ in range(count):
        author = MembershipFactory(network=network).user
        reported = PostFactory(topic=topic, author=author)
        report(reporters[0], reported, reason=Report.Reason.SPAM)
        report(reporters[1], reported, reason=Report.Reason.OTHER, text="Seen before.")
        held_post(topic, author)


def test_items_carry_their_reports_reasons_and_notes(network, post, member, champion, moderator):
    report(member, post, reason=Report.Reason.SPAM)
    report(champion, post, reason=Report.Reason.OTHER, text="Posted three times today.")
    report(moderator, post, reason=Report.Reason.SPAM)

    [entry] = selectors.queue_page(network=network).entries

    assert entry.item.report_count == 3
    assert [report.reporter for report in entry.reports] == [member, champion, moderator]
    assert [(reason.reason, reason.label, reason.count) for reason in entry.reasons] == [
        ("spam", "Spam", 2),
        ("other", "Something else", 1),
    ]
    assert [(note.reporter, note.text) for note in entry.texts] == [(champion, "Posted three times today.")]
    assert entry.post_html == ""


def test_an_approval_item_carries_the_posts_text(network, topic, member):
    held = held_post(topic, member)

    [entry] = selectors.queue_page(network=network).entries

    assert (entry.item.kind, entry.item.target_id) == ("approval", held.pk)
    assert entry.post_html == "<p>My <em>first</em> post</p>\n"
    assert entry.reports == []


def test_newest_activity_comes_first_and_a_new_report_brings_an_item_back_up(
    network, topic, post, member, champion
):
    held = held_post(topic, member)
    report(member, post)
    other = PostFactory(topic=topic, author=champion)
    report(member, other)

    assert [entry.item.target_id for entry in selectors.queue_page(network=network).entries] == [
        other.pk,
        post.pk,
        held.pk,
    ]

    report(champion, post)

    assert [entry.item.target_id for entry in selectors.queue_page(network=network).entries] == [
        post.pk,
        other.pk,
        held.pk,
    ]


def test_handled_items_leave_the_open_list_for_the_recent_list(network, post, member, moderator):
    item = report(member, post).item
    services.dismiss_item(actor=moderator, item=item)

    page = selectors.queue_page(network=network)

    assert page.entries == []
    assert page.open_count == 0
    assert [(row.item, row.item.handled_by, row.outcome) for row in page.handled] == [
        (item, moderator, "dismissed")
    ]


def test_an_outcome_recorded_by_another_service_shows_as_recorded():
    assert selectors.resolution_label("approved") == "approved"
    assert selectors.resolution_label("hidden by a moderator") == "hidden by a moderator"


def test_another_networks_items_are_not_in_this_queue(network, post, member):
    elsewhere = NetworkFactory()
    outside_author = MembershipFactory(network=elsewhere).user
    outside_reporter = MembershipFactory(network=elsewhere).user
    outside_topic = TopicFactory(category__network=elsewhere, author=outside_author)
    outside_item = report(outside_reporter, outside_topic).item
    item = report(member, post).item

    assert [entry.item for entry in selectors.queue_page(network=network).entries] == [item]
    assert selectors.open_entries(network=network, ids=[item.pk, outside_item.pk])[0].item == item
    assert len(selectors.open_entries(network=network, ids=[item.pk, outside_item.pk])) == 1
    assert selectors.queue_entry(network=network, item_id=outside_item.pk) is None


def test_open_entries_leave_out_handled_items(network, post, member, moderator):
    item = report(member, post).item
    services.dismiss_item(actor=moderator, item=item)

    assert selectors.open_entries(network=network, ids=[item.pk]) == []
    assert selectors.queue_entry(network=network, item_id=item.pk).item == item


def test_the_page_says_where_the_stream_stood(network, post, member):
    report(member, post)

    page = selectors.queue_page(network=network)

    assert page.stream == f"moderation:{network.pk}"
    assert page.stream_seq == 1


def test_open_count(network, post, topic, member):
    report(member, post)
    held_post(topic, member)

    assert selectors.open_count(network=network) == 2


@pytest.mark.parametrize("size", [3, 20])
def test_the_queue_reads_in_a_fixed_number_of_queries(network, topic, size, django_assert_num_queries):
    fill_queue(network, topic, size)
    moderator = MembershipFactory(network=network, role=Membership.Role.MODERATOR).user
    services.dismiss_item(actor=moderator, item=QueueItem.objects.filter(kind="report").first())

    # The stream's position, the count, the items, their reports, the held posts' text, the handled.
    with django_assert_num_queries(6):
        page = selectors.queue_page(network=network)
        assert [len(entry.reports) for entry in page.entries if entry.item.kind == "report"]

    assert len(page.entries) == min(2 * size - 1, selectors.ITEMS_PER_PAGE)


@pytest.mark.parametrize("size", [3, 20])
def test_fetched_items_read_in_a_fixed_number_of_queries(network, topic, size, django_assert_num_queries):
    fill_queue(network, topic, size)
    ids = list(QueueItem.objects.values_list("pk", flat=True))

    with django_assert_num_queries(3):
        entries = selectors.open_entries(network=network, ids=ids)

    assert len(entries) == 2 * size
