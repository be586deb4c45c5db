import pytest
from django.core.management import call_command

from demo.data import CWOF, GENDER
from moderation.models import AuditEntry, QueueItem, Report
from network.models import Network

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded(db):
    call_command("seed_demo")


def test_the_forum_s_moderators_find_a_reported_reply_in_their_queue(seeded):
    item = QueueItem.objects.get(network__slug=CWOF, state=QueueItem.State.OPEN)

    assert (item.kind, item.report_count) == (QueueItem.Kind.REPORT, 2)
    assert set(Report.objects.filter(item=item).values_list("reason", flat=True)) == {"off_topic", "other"}


def test_the_conference_room_s_slow_mode_opens_the_audit_log(seeded):
    entry = AuditEntry.objects.get()

    assert entry.action == AuditEntry.Action.ROOM_SLOW_MODE
    assert entry.network == Network.objects.get(slug=CWOF)
    assert entry.reason


def test_seeding_again_adds_no_moderation(seeded):
    call_command("seed_demo")

    assert (QueueItem.objects.count(), Report.objects.count(), AuditEntry.objects.count()) == (1, 2, 1)


def test_the_gender_network_holds_a_newcomer_s_first_post(seeded):
    assert Network.objects.get(slug=GENDER).posts_awaiting_approval == 1
