"""Reactions and comments on published stories."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

import richtext
from forums.models.reactions import ReactionKind
from moderation.models import AuditEntry, TargetKind
from moderation.permissions import can_moderate
from moderation.services import audit, queue
from profiles.models import User
from stories import permissions
from stories.models import Story, StoryComment, StoryReaction


@transaction.atomic
def react_to_story(*, actor: User, story: Story, kind: str) -> bool:
    """Toggle `actor`'s reaction `kind`: True when it is now given, False when it was taken back."""
    permissions.check_discuss_story(actor, story)
    if kind not in ReactionKind.values:
        raise ValidationError(_("Unknown reaction."), code="unknown_reaction")
    removed, _by_model = StoryReaction.objects.filter(story=story, user=actor, kind=kind).delete()
    if removed:
        return False
    StoryReaction.objects.create(story=story, user=actor, kind=kind)
    return True


@transaction.atomic
def comment_on_story(
    *, actor: User, story: Story, body: str, parent: StoryComment | None = None
) -> StoryComment:
    permissions.check_discuss_story(actor, story)
    if not body.strip():
        raise ValidationError({"body": [_("Write something before sending.")]})
    if parent is not None and (parent.story_id != story.pk or parent.deleted_at is not None):
        raise ValidationError(_("The comment you answer is no longer on this story."), code="bad_parent")
    # Replies are one level deep: answering a reply joins the conversation of its top-level comment.
    top = parent if parent is None or parent.parent_id is None else parent.parent
    return StoryComment.objects.create(
        story=story, parent=top, author=actor, body=body, body_html=richtext.render_markdown(body)
    )


@transaction.atomic
def delete_comment(*, actor: User, comment: StoryComment) -> None:
    """Delete `comment`. One with replies still shown keeps its row, emptied, so that the replies keep
    their place under "This comment was deleted"; any other goes, and so does an emptied comment it was
    the last shown reply of."""
    story = comment.story
    permissions.check_delete_comment(actor, story, comment.author_id)
    if comment.deleted_at is not None:
        raise ValidationError(_("This comment is already deleted."), code="already_deleted")
    if comment.author_id != actor.pk:
        _record_moderator_deletion(actor, comment)
    if comment.replies.filter(deleted_at__isnull=True).exists():
        comment.deleted_at = timezone.now()
        comment.body = comment.body_html = ""
        comment.save(update_fields=["deleted_at", "body", "body_html", "updated_at"])
        return
    parent = comment.parent
    comment.delete()
    if (
        parent is not None
        and parent.deleted_at is not None
        and not parent.replies.filter(deleted_at__isnull=True).exists()
    ):
        parent.delete()


def _record_moderator_deletion(actor: User, comment: StoryComment) -> None:
    """A moderator took down someone else's comment: the audit log keeps what it said, and the reports
    of it leave the review queue of every network the story is shared with."""
    networks = list(comment.story.networks.all())
    for network in networks:
        queue.resolve_items_for(
            network=network,
            target_kind=TargetKind.COMMENT,
            target_id=comment.pk,
            actor=actor,
            resolution="deleted",
        )
    moderated = next((network for network in networks if can_moderate(actor, network)), None)
    audit.record(
        actor=actor,
        network=moderated,
        action=AuditEntry.Action.COMMENT_DELETE,
        target_kind=TargetKind.COMMENT,
        target_id=comment.pk,
        target_label=comment.story.title,
        target_user=comment.author,
        before={"body": comment.body},
        after={"deleted": True},
    )
