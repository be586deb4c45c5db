"""Deleting comments on stories: who may, and what stays of a conversation when a comment goes."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from stories.models import StoryComment
from stories.services import discussion
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def thread(member, champion, published_story) -> tuple[StoryComment, StoryComment]:
    """A comment by `member` on the published story and `champion`'s reply to it."""
    top = discussion.comment_on_story(actor=member, story=published_story, body="Did shifts change?")
    reply = discussion.comment_on_story(actor=champion, story=published_story, body="Yes.", parent=top)
    return top, reply


def test_a_comment_without_replies_is_removed(member, published_story):
    comment = discussion.comment_on_story(actor=member, story=published_story, body="Thanks!")

    discussion.delete_comment(actor=member, comment=comment)

    assert not StoryComment.objects.exists()


def test_a_comment_with_replies_keeps_its_place_without_its_words(member, thread):
    top, reply = thread

    discussion.delete_comment(actor=member, comment=top)

    top.refresh_from_db()
    assert top.deleted_at is not None
    assert (top.body, top.body_html) == ("", "")
    assert StoryComment.objects.get(pk=reply.pk).parent_id == top.pk


def test_the_last_reply_of_a_deleted_comment_takes_its_placeholder_with_it(member, champion, thread):
    top, reply = thread
    discussion.delete_comment(actor=member, comment=top)

    discussion.delete_comment(actor=champion, comment=reply)

    assert not StoryComment.objects.exists()


def test_a_reply_goes_and_its_living_parent_stays(champion, thread):
    top, reply = thread

    discussion.delete_comment(actor=champion, comment=reply)

    assert list(StoryComment.objects.all()) == [top]


def test_a_deleted_comment_cannot_be_answered_nor_deleted_again(member, champion, thread):
    top, _reply = thread
    discussion.delete_comment(actor=member, comment=top)
    top.refresh_from_db()

    with pytest.raises(ValidationError):
        discussion.comment_on_story(actor=champion, story=top.story, body="Still there?", parent=top)
    with pytest.raises(ValidationError):
        discussion.delete_comment(actor=member, comment=top)


@pytest.mark.parametrize("name", ["moderator", "admin", "superuser"])
def test_moderators_admins_and_operators_delete_others_comments(request, name, thread):
    top, reply = thread

    discussion.delete_comment(actor=request.getfixturevalue(name), comment=reply)

    assert list(StoryComment.objects.all()) == [top]


@pytest.mark.parametrize("name", ["champion", "outsider"])
def test_others_may_not_delete_a_comment(request, name, network, published_story):
    other = MembershipFactory(network=network).user
    comment = discussion.comment_on_story(actor=other, story=published_story, body="Mine.")

    with pytest.raises(PermissionDenied):
        discussion.delete_comment(actor=request.getfixturevalue(name), comment=comment)

    assert StoryComment.objects.filter(pk=comment.pk, deleted_at__isnull=True).exists()


def test_a_moderator_of_another_network_may_not_delete(published_story, member):
    comment = discussion.comment_on_story(actor=member, story=published_story, body="Mine.")
    elsewhere = MembershipFactory(role="moderator").user

    with pytest.raises(PermissionDenied):
        discussion.delete_comment(actor=elsewhere, comment=comment)


def test_an_author_who_left_the_network_still_deletes_their_comment(network, member, published_story):
    comment = discussion.comment_on_story(actor=member, story=published_story, body="Mine.")
    member.memberships.filter(network=network).update(state="left")

    discussion.delete_comment(actor=member, comment=comment)

    assert not StoryComment.objects.exists()
