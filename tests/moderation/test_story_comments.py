"""Story comments in moderation: members report someone else's comment from the story page, and a
moderator who deletes it leaves an audit entry and takes its reports off the queue."""

import pytest

from moderation.models import AuditEntry, QueueItem, TargetKind
from moderation.services import reports
from stories.models import StoryComment
from stories.services import discussion
from tests.factories import StoryFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def comment(network, champion, member) -> StoryComment:
    story = StoryFactory(author=champion, networks=[network], published=True)
    return discussion.comment_on_story(actor=member, story=story, body="Read **this** offer.")


def test_a_member_is_offered_to_report_someone_else_s_comment_only(
    client, network, comment, member, champion
):
    report_url = f"/networks/{network.slug}/report/comment/{comment.pk}/"

    client.force_login(champion)
    assert report_url in client.get(comment.story.get_absolute_url()).content.decode()
    client.force_login(member)
    assert report_url not in client.get(comment.story.get_absolute_url()).content.decode()


def test_a_moderator_deleting_a_reported_comment_records_it_and_empties_the_queue(
    network, comment, champion, moderator
):
    reports.report(
        actor=champion, network=network, target_kind=TargetKind.COMMENT, target_id=comment.pk, reason="spam"
    )
    comment_id = comment.pk

    discussion.delete_comment(actor=moderator, comment=comment)

    item = QueueItem.objects.get(target_kind=TargetKind.COMMENT, target_id=comment_id)
    assert (item.state, item.resolution, item.handled_by) == (QueueItem.State.HANDLED, "deleted", moderator)
    entry = AuditEntry.objects.get(action=AuditEntry.Action.COMMENT_DELETE)
    assert (entry.network, entry.actor, entry.target_id) == (network, moderator, comment_id)
    assert entry.before == {"body": "Read **this** offer."}


def test_an_author_deleting_their_own_comment_is_no_moderation(comment, member):
    discussion.delete_comment(actor=member, comment=comment)

    assert not AuditEntry.objects.exists()
