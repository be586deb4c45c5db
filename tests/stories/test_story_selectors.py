"""The reads behind one story's pages and an author's own list: who gets a story, what each may do with
it, how comments and reactions are shaped, and a fixed number of queries."""

from datetime import timedelta

import pytest
from django.utils import timezone

from forums.models.reactions import ReactionKind
from network.models import Membership
from profiles.models import Visibility
from stories.models import Story, StoryComment, StoryReaction
from stories.selectors import stories as selectors
from stories.services import calls, discussion
from tests.factories import MembershipFactory, NetworkFactory, StoryFactory, UserFactory
from tests.network.conftest import members_only, set_profile  # noqa: F401  (a fixture used here)
from tests.stories.conftest import allow_member_submissions

pytestmark = pytest.mark.django_db


def visit(viewer, story):
    return selectors.story_for_reader(viewer=viewer, pk=story.pk)


def page(viewer, story):
    found = visit(viewer, story)
    assert found is not None
    return selectors.story_page(viewer=viewer, visit=found)


# --- Who gets the story -----------------------------------------------------------------------------


def test_an_unknown_story_and_someone_else_s_draft_are_none(outsider, champion, draft):
    assert selectors.story_for_reader(viewer=outsider, pk=999_999) is None
    assert visit(outsider, draft) is None
    assert visit(champion, draft) is None


@pytest.mark.usefixtures("members_only")
def test_an_invitee_reads_a_members_only_network_s_stories(network, published_story, outsider):
    MembershipFactory(network=network, user=outsider, state=Membership.State.INVITED)

    found = visit(outsider, published_story)

    assert found is not None
    assert found.memberships == []  # invited is not active: no say in the story


def test_the_visit_knows_co_authors_as_authors_and_only_active_rows(network, member, champion, draft):
    draft.co_authors.add(champion)
    elsewhere = NetworkFactory()
    draft.networks.add(elsewhere)
    MembershipFactory(network=elsewhere, user=champion, state=Membership.State.LEFT)

    found = visit(champion, draft)

    assert found is not None
    assert found.is_author
    assert [row.network for row in found.memberships] == [network]
    assert [person.handle for person in found.authors] == [member.username, champion.username]


def test_pictures_for_members_show_only_to_those_who_share_a_network(
    anonymous, outsider, member, published_story
):
    set_profile(
        published_story.author, avatar_small="avatars/small/face.webp", avatar_visibility=Visibility.MEMBERS
    )

    assert visit(member, published_story).authors[0].avatar_url.endswith("avatars/small/face.webp")
    assert visit(outsider, published_story).authors[0].avatar_url == ""
    assert visit(anonymous, published_story).authors[0].avatar_url == ""


def test_a_preview_reads_as_a_visitor_would(member, draft):
    set_profile(member, avatar_small="avatars/small/face.webp", avatar_visibility=Visibility.MEMBERS)

    found = selectors.story_for_preview(token=draft.preview_token)

    assert found is not None
    assert found.story == draft
    assert found.authors[0].avatar_url == ""
    assert selectors.story_for_preview(token="unknown") is None


# --- What each may do -------------------------------------------------------------------------------

# (edit, submit, publish, unpublish, feature, preview link) for each reader of each story.
ACTIONS = {
    ("draft", "member"): (True, False, False, False, False, True),
    ("draft", "superuser"): (True, False, True, False, False, True),
    ("published_story", "anonymous"): (False, False, False, False, False, False),
    ("published_story", "member"): (False, False, False, False, False, False),
    ("published_story", "champion"): (True, False, False, True, False, False),
    ("published_story", "moderator"): (False, False, False, False, True, False),
    ("published_story", "admin"): (False, False, False, True, True, False),
}


@pytest.mark.parametrize(("story_name", "name"), list(ACTIONS))
def test_what_each_reader_may_do(request, story_name, name):
    viewer = request.getfixturevalue(name)
    actions = page(viewer, request.getfixturevalue(story_name)).actions

    assert (
        actions.can_edit,
        actions.can_submit,
        actions.can_publish,
        actions.can_unpublish,
        actions.can_feature,
        actions.shows_preview_link,
    ) == ACTIONS[(story_name, name)]


def test_a_member_sends_for_review_where_allowed_and_cannot_edit_meanwhile(network, member, champion, draft):
    allow_member_submissions(network)
    network.refresh_from_db()
    assert page(member, draft).actions.can_submit

    Story.objects.filter(pk=draft.pk).update(status=Story.Status.IN_REVIEW)
    draft.refresh_from_db()
    mine, theirs = page(member, draft).actions, page(champion, draft).actions

    assert (mine.can_edit, mine.can_submit, mine.can_publish) == (False, False, False)
    assert (theirs.can_edit, theirs.can_publish) == (False, True)


def test_a_scheduled_story_may_be_published_now_or_unscheduled(champion, network):
    story = StoryFactory(
        author=champion,
        networks=[network],
        status=Story.Status.SCHEDULED,
        publish_at=timezone.now() + timedelta(days=1),
    )

    actions = page(champion, story).actions

    assert (actions.can_publish, actions.can_unpublish, actions.shows_preview_link) == (True, True, True)


# --- Reactions and comments -------------------------------------------------------------------------


def test_every_reaction_is_offered_in_order_with_counts_and_the_viewer_s_own(
    network, member, champion, published_story
):
    StoryReaction.objects.create(story=published_story, user=member, kind=ReactionKind.IDEA)
    StoryReaction.objects.create(story=published_story, user=champion, kind=ReactionKind.IDEA)
    StoryReaction.objects.create(story=published_story, user=champion, kind=ReactionKind.HEART)

    buttons = selectors.reaction_buttons(member, published_story)

    assert [button.kind for button in buttons] == list(ReactionKind.values)
    counts = {button.kind: (button.count, button.mine) for button in buttons}
    assert counts[ReactionKind.IDEA] == (2, True)
    assert counts[ReactionKind.HEART] == (1, False)
    assert counts[ReactionKind.THUMBS_UP] == (0, False)


def test_comments_come_oldest_first_with_replies_and_placeholders_only_where_needed(
    member, champion, moderator, published_story
):
    first = discussion.comment_on_story(actor=member, story=published_story, body="First")
    discussion.comment_on_story(actor=champion, story=published_story, body="Answer", parent=first)
    second = discussion.comment_on_story(actor=champion, story=published_story, body="Second")
    discussion.delete_comment(actor=member, comment=first)
    # A deleted comment left without replies by other means is not shown at all.
    StoryComment.objects.create(
        story=published_story, author=member, body="", body_html="", deleted_at=timezone.now()
    )

    shown = page(moderator, published_story)

    assert [view.id for view in shown.comments] == [first.pk, second.pk]
    placeholder = shown.comments[0]
    assert (placeholder.is_deleted, placeholder.author, placeholder.body_html) == (True, None, "")
    assert (placeholder.can_reply, placeholder.can_delete) == (False, False)
    assert [reply.body_html for reply in placeholder.replies] == ["<p>Answer</p>\n"]
    assert shown.comment_count == 2


def test_comments_say_who_may_delete_and_reply(network, member, champion, published_story):
    comment = discussion.comment_on_story(actor=member, story=published_story, body="Mine")

    assert page(member, published_story).comments[0].can_delete
    as_champion = page(champion, published_story).comments[0]
    assert (as_champion.can_delete, as_champion.can_reply) == (False, True)
    outsider_view = page(UserFactory(), published_story).comments[0]
    assert (outsider_view.can_delete, outsider_view.can_reply) == (False, False)
    assert comment.pk == as_champion.id


def test_a_story_not_out_has_no_conversation(member, draft):
    shown = page(member, draft)

    assert shown.discuss_refusal == "This story is not published."
    assert not shown.can_discuss


# --- An author's own stories ------------------------------------------------------------------------


def test_my_stories_are_grouped_with_scheduled_ones_in_time_order(network, member, champion):
    soon = StoryFactory(
        author=member,
        networks=[network],
        status=Story.Status.SCHEDULED,
        publish_at=timezone.now() + timedelta(hours=1),
    )
    later = StoryFactory(
        author=member,
        networks=[network],
        status=Story.Status.SCHEDULED,
        publish_at=timezone.now() + timedelta(days=9),
    )
    Story.objects.filter(pk=soon.pk).update(updated_at=timezone.now() - timedelta(days=1))
    written_together = StoryFactory(author=champion, networks=[network], published=True)
    written_together.co_authors.add(member)
    StoryFactory(author=champion, networks=[network])

    mine = selectors.my_stories(viewer=member)

    groups = {group.status: [row.story for row in group.stories] for group in mine.groups}
    assert [group.status for group in mine.groups] == [status for status, _heading in selectors.MINE_GROUPS]
    assert groups[Story.Status.SCHEDULED] == [soon, later]
    assert groups[Story.Status.PUBLISHED] == [written_together]
    assert groups[Story.Status.DRAFT] == []
    assert mine.waiting is None
    assert not mine.is_empty


def test_publishers_and_operators_see_stories_in_review_but_not_call_submissions(
    network, member, champion, superuser, call
):
    sent = StoryFactory(author=member, networks=[network], status=Story.Status.IN_REVIEW)
    to_call = StoryFactory(author=member, networks=[network])
    calls.submit_case_study(actor=member, call=call, story=to_call)
    elsewhere = StoryFactory(networks=[NetworkFactory()], status=Story.Status.IN_REVIEW)

    assert selectors.my_stories(viewer=champion).waiting == [sent]
    assert selectors.my_stories(viewer=superuser).waiting == [sent, elsewhere]


def test_a_returned_case_study_carries_the_address_of_its_review(network, member, admin, draft, call):
    submission = calls.submit_case_study(actor=member, call=call, story=draft)
    calls.review_submission(actor=admin, submission=submission, decision="return", comments="More figures.")

    mine = selectors.my_stories(viewer=member)

    (row,) = next(group.stories for group in mine.groups if group.status == Story.Status.RETURNED)
    assert row.review_url.endswith(f"/stories/submissions/{submission.pk}/")


# --- Queries ----------------------------------------------------------------------------------------


def test_a_story_and_its_page_read_in_six_queries_whatever_their_size(
    network, champion, member, django_assert_num_queries
):
    people = [MembershipFactory(network=network).user for _ in range(3)]
    for size in (5, 50):
        story = StoryFactory(author=champion, networks=[network], published=True)
        story.tags.set([f"tag {n}" for n in range(size // 5)])
        story.co_authors.add(*people)
        for n in range(size):
            top = StoryComment.objects.create(
                story=story, author=people[n % 3], body="c", body_html="<p>c</p>"
            )
            StoryComment.objects.create(
                story=story, author=member, parent=top, body="r", body_html="<p>r</p>"
            )
            if n < 3 * len(ReactionKind):
                StoryReaction.objects.create(
                    story=story, user=people[n % 3], kind=ReactionKind.values[n // 3]
                )

        with django_assert_num_queries(6):
            shown = page(member, story)
        assert len(shown.comments) == size


def test_my_stories_read_in_a_fixed_number_of_queries(network, member, champion, django_assert_num_queries):
    written = 0
    for size in (5, 50):
        for n in range(written, size):
            for author in (member, champion):
                story = StoryFactory(author=author, networks=[network], published=n % 2 == 0)
                StoryReaction.objects.create(story=story, user=champion, kind=ReactionKind.HEART)
            StoryFactory(author=member, networks=[network], status=Story.Status.IN_REVIEW)
        written = size
        with django_assert_num_queries(4):
            selectors.my_stories(viewer=member)
        with django_assert_num_queries(6):
            waiting = selectors.my_stories(viewer=champion).waiting
        assert waiting is not None
        assert len(waiting) == size
