from datetime import timedelta
from io import BytesIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.utils import timezone
from PIL import Image

from forums.models.reactions import ReactionKind
from network.models import Membership
from stories.models import CaseStudySubmission, Story, StoryComment, SubmissionReview
from stories.services import calls, compendiums, discussion, publishing, writing
from stories.services.writing import StoryText
from tests.factories import MembershipFactory, NetworkFactory, StoryFactory
from tests.profiles.images import image_bytes, upload
from tests.stories.conftest import allow_member_submissions


def _text(network, **fields) -> StoryText:
    return StoryText(**{"title": "Hybrid work in Finnish Customs", "networks": [network], **fields})


# --- Drafts -----------------------------------------------------------------------------------------


def test_a_draft_renders_its_markdown_once_and_keeps_tags_and_co_authors(network, member, champion):
    story = writing.create_draft(
        author=member,
        text=_text(
            network, body="We **asked** first.<script>x</script>", tags=["hybrid work"], co_authors=[champion]
        ),
    )

    story.refresh_from_db()
    assert story.status == Story.Status.DRAFT
    assert story.slug == "hybrid-work-in-finnish-customs"
    assert "<strong>asked</strong>" in story.body_html
    assert "<script" not in story.body_html
    assert [tag.name for tag in story.tags.all()] == ["hybrid work"]
    assert list(story.co_authors.all()) == [champion]
    assert list(story.networks.all()) == [network]
    assert len(story.preview_token) >= 40


def test_two_drafts_get_different_preview_tokens(network, member):
    first = writing.create_draft(author=member, text=_text(network))
    second = writing.create_draft(author=member, text=_text(network))

    assert first.preview_token != second.preview_token


def test_a_story_without_a_title_or_network_is_refused_field_by_field(network, member):
    with pytest.raises(ValidationError) as caught:
        writing.create_draft(author=member, text=StoryText(title="  ", networks=[]))

    assert set(caught.value.message_dict) == {"title", "networks"}
    assert not Story.objects.exists()


def test_a_story_cannot_be_shared_with_a_network_the_author_is_not_in(network, member):
    with pytest.raises(PermissionDenied):
        writing.create_draft(author=member, text=_text(NetworkFactory()))


def test_the_cover_is_re_encoded_at_both_sizes(network, member):
    story = writing.create_draft(author=member, text=_text(network), cover=upload(image_bytes((2000, 1000))))

    with (
        default_storage.open(story.cover.name) as large,
        default_storage.open(story.cover_small.name) as small,
    ):
        assert Image.open(BytesIO(large.read())).size == (1200, 630)
        assert Image.open(BytesIO(small.read())).size == (400, 210)
    assert story.cover.name.endswith(".webp")


def test_a_cover_that_is_not_an_image_is_refused_and_the_draft_keeps_its_text(network, member, draft):
    with pytest.raises(ValidationError) as caught:
        writing.update_draft(
            actor=member,
            story=draft,
            text=_text(network, body="New text"),
            cover=upload(b"not a picture", "cover.png"),
        )

    assert caught.value.message_dict == {"cover": ["The cover must be a JPEG, PNG, GIF or WebP image."]}
    draft.refresh_from_db()
    assert draft.body == "We asked the **teams** first."
    assert not draft.cover


def test_a_new_cover_removes_the_old_files_once_committed(
    network, member, draft, django_capture_on_commit_callbacks
):
    writing.update_draft(actor=member, story=draft, text=_text(network), cover=upload(image_bytes()))
    old = [draft.cover.name, draft.cover_small.name]

    with django_capture_on_commit_callbacks(execute=True):
        writing.update_draft(actor=member, story=draft, text=_text(network), cover=upload(image_bytes()))

    assert not any(default_storage.exists(name) for name in old)
    assert default_storage.exists(draft.cover.name)


def test_someone_else_cannot_update_a_draft(network, champion, draft):
    with pytest.raises(PermissionDenied):
        writing.update_draft(actor=champion, story=draft, text=_text(network))


def test_a_story_in_review_cannot_be_edited(network, member, draft):
    allow_member_submissions(network)
    publishing.submit_for_review(actor=member, story=draft)

    with pytest.raises(ValidationError):
        writing.update_draft(actor=member, story=draft, text=_text(network, title="Changed"))
    draft.refresh_from_db()
    assert draft.title != "Changed"


# --- Publishing -------------------------------------------------------------------------------------


def test_a_member_submits_for_review_where_allowed_and_a_champion_publishes(network, member, champion, draft):
    with pytest.raises(PermissionDenied):
        publishing.submit_for_review(actor=member, story=draft)
    allow_member_submissions(network)

    publishing.submit_for_review(actor=member, story=draft)
    assert draft.status == Story.Status.IN_REVIEW
    with pytest.raises(PermissionDenied):
        publishing.publish_story(actor=member, story=draft)
    publishing.publish_story(actor=champion, story=draft)

    draft.refresh_from_db()
    assert draft.status == Story.Status.PUBLISHED
    assert draft.published_at is not None


def test_scheduling_in_the_past_is_refused(champion, draft):
    with pytest.raises(ValidationError) as caught:
        publishing.publish_story(
            actor=champion, story=draft, publish_at=timezone.now() - timedelta(minutes=1)
        )

    assert "publish_at" in caught.value.message_dict
    draft.refresh_from_db()
    assert draft.status == Story.Status.DRAFT


def test_a_scheduled_story_goes_out_at_its_time(champion, draft):
    when = timezone.now() + timedelta(hours=2)
    publishing.publish_story(actor=champion, story=draft, publish_at=when)
    draft.refresh_from_db()
    assert (draft.status, draft.publish_at, draft.published_at) == (Story.Status.SCHEDULED, when, None)

    assert publishing.publish_due_stories(now=when - timedelta(minutes=1)) == 0
    assert publishing.publish_due_stories(now=when + timedelta(minutes=5)) == 1

    draft.refresh_from_db()
    assert (draft.status, draft.published_at) == (Story.Status.PUBLISHED, when)


def test_unpublishing_drops_the_feature_and_republishing_keeps_the_first_date(
    champion, moderator, published_story
):
    publishing.feature_story(actor=moderator, story=published_story)
    first_date = published_story.published_at

    publishing.unpublish_story(actor=champion, story=published_story)
    published_story.refresh_from_db()
    assert (published_story.status, published_story.featured) == (Story.Status.UNPUBLISHED, False)

    publishing.publish_story(actor=champion, story=published_story)
    published_story.refresh_from_db()
    assert published_story.published_at == first_date


def test_featuring_is_for_moderators_and_only_of_published_stories(member, moderator, draft, published_story):
    with pytest.raises(PermissionDenied):
        publishing.feature_story(actor=member, story=published_story)
    with pytest.raises(ValidationError):
        publishing.feature_story(actor=moderator, story=draft)

    publishing.feature_story(actor=moderator, story=published_story)
    published_story.refresh_from_db()
    assert published_story.featured
    assert published_story.featured_at is not None

    publishing.feature_story(actor=moderator, story=published_story, featured=False)
    published_story.refresh_from_db()
    assert (published_story.featured, published_story.featured_at) == (False, None)


# --- Reactions and comments -------------------------------------------------------------------------


def test_a_reaction_toggles(member, published_story):
    assert discussion.react_to_story(actor=member, story=published_story, kind=ReactionKind.HEART) is True
    assert published_story.reactions.count() == 1
    assert discussion.react_to_story(actor=member, story=published_story, kind=ReactionKind.HEART) is False
    assert published_story.reactions.count() == 0


def test_an_unknown_reaction_and_an_outsider_are_refused(member, outsider, published_story):
    with pytest.raises(ValidationError):
        discussion.react_to_story(actor=member, story=published_story, kind="🐍")
    with pytest.raises(PermissionDenied):
        discussion.react_to_story(actor=outsider, story=published_story, kind=ReactionKind.HEART)


def test_a_reply_to_a_reply_joins_the_top_level_comment(member, champion, published_story):
    top = discussion.comment_on_story(actor=member, story=published_story, body="Did **shifts** change?")
    reply = discussion.comment_on_story(actor=champion, story=published_story, body="Yes.", parent=top)
    again = discussion.comment_on_story(actor=member, story=published_story, body="Thanks!", parent=reply)

    assert "<strong>shifts</strong>" in top.body_html
    assert (reply.parent, again.parent) == (top, top)


def test_a_blank_comment_or_one_on_a_draft_is_refused(member, admin, draft, published_story):
    with pytest.raises(ValidationError):
        discussion.comment_on_story(actor=member, story=published_story, body="   ")
    with pytest.raises(PermissionDenied):
        discussion.comment_on_story(actor=admin, story=draft, body="Hello")
    assert not StoryComment.objects.exists()


def test_a_reply_must_answer_a_comment_of_the_same_story(network, member, published_story):
    other = StoryFactory(networks=[network], published=True)
    elsewhere = discussion.comment_on_story(actor=member, story=other, body="Elsewhere")

    with pytest.raises(ValidationError):
        discussion.comment_on_story(actor=member, story=published_story, body="Hi", parent=elsewhere)


# --- Calls, submissions and reviews -----------------------------------------------------------------


def test_only_admins_open_calls_and_their_deadline_must_be_ahead(network, admin, champion):
    with pytest.raises(PermissionDenied):
        calls.open_call(
            actor=champion, network=network, title="T", brief="B", deadline=timezone.now() + timedelta(days=1)
        )
    with pytest.raises(ValidationError) as caught:
        calls.open_call(actor=admin, network=network, title="", brief="B", deadline=timezone.now())
    assert set(caught.value.message_dict) == {"title", "deadline"}

    call = calls.open_call(
        actor=admin,
        network=network,
        title="Workforce",
        brief="*Share*",
        deadline=timezone.now() + timedelta(days=1),
    )
    assert call.opened_by == admin
    assert "<em>Share</em>" in call.brief_html


def test_a_submission_after_the_deadline_is_refused(member, draft, call):
    call.deadline = timezone.now() - timedelta(seconds=1)
    call.save()

    with pytest.raises(ValidationError, match="deadline"):
        calls.submit_case_study(actor=member, call=call, story=draft)
    assert not CaseStudySubmission.objects.exists()


def test_only_reviewers_review_and_a_return_needs_comments(member, champion, admin, draft, call):
    submission = calls.submit_case_study(actor=member, call=call, story=draft)

    with pytest.raises(PermissionDenied):
        calls.review_submission(actor=champion, submission=submission, decision="accept")
    with pytest.raises(ValidationError) as caught:
        calls.review_submission(actor=admin, submission=submission, decision="return", comments=" ")
    assert "comments" in caught.value.message_dict
    assert not SubmissionReview.objects.exists()


def test_a_story_sent_twice_to_a_call_is_refused(member, draft, call):
    calls.submit_case_study(actor=member, call=call, story=draft)

    with pytest.raises(ValidationError, match="already"):
        calls.submit_case_study(actor=member, call=call, story=draft)


def test_a_case_study_under_a_call_s_review_is_published_by_accepting_it_only(member, champion, draft, call):
    submission = calls.submit_case_study(actor=member, call=call, story=draft)

    with pytest.raises(ValidationError) as refused:
        publishing.publish_story(actor=champion, story=draft)

    assert refused.value.code == "under_call_review"
    draft.refresh_from_db()
    assert draft.status == Story.Status.IN_REVIEW
    submission.refresh_from_db()
    assert submission.state == CaseStudySubmission.State.SUBMITTED


def test_call_submission_review_and_compendium_versions(network, member, admin, draft, call):
    other_network = NetworkFactory()
    MembershipFactory(network=other_network, user=member)
    draft.networks.set([other_network])

    first = calls.submit_case_study(actor=member, call=call, story=draft)
    draft.refresh_from_db()
    assert (draft.kind, draft.status) == (Story.Kind.CASE_STUDY, Story.Status.IN_REVIEW)
    assert network in draft.networks.all()

    calls.review_submission(actor=admin, submission=first, decision="return", comments="Add **results**.")
    draft.refresh_from_db()
    assert draft.status == Story.Status.RETURNED

    writing.update_draft(actor=member, story=draft, text=_text(network, body="Results: fewer sick days."))
    second = calls.submit_case_study(actor=member, call=call, story=draft)
    assert (second.pk, second.round, second.state) == (first.pk, 2, CaseStudySubmission.State.SUBMITTED)

    review = calls.review_submission(actor=admin, submission=second, decision="accept")
    assert review.round == 2
    draft.refresh_from_db()
    assert (draft.kind, draft.status) == (Story.Kind.CASE_STUDY, Story.Status.PUBLISHED)
    assert draft.published_at is not None
    with pytest.raises(ValidationError):
        calls.review_submission(actor=admin, submission=second, decision="return", comments="Late")

    compendium = compendiums.create_compendium(
        actor=admin, network=network, title="CWOF compendium", chapters=["Work setup", "Workplace design"]
    )
    _work_setup, design = compendium.chapters.all()
    compendiums.add_to_compendium(actor=admin, chapter=design, story=draft)
    version_one = compendiums.publish_compendium_version(actor=admin, compendium=compendium)

    writing.update_draft(actor=member, story=draft, text=_text(network, title="Renamed", body="Changed."))
    version_two = compendiums.publish_compendium_version(actor=admin, compendium=compendium)

    version_one.refresh_from_db()
    assert (version_one.number, version_two.number) == (1, 2)
    chapters = version_one.contents["chapters"]
    assert [chapter["title"] for chapter in chapters] == ["Work setup", "Workplace design"]
    assert chapters[0]["entries"] == []
    assert chapters[1]["entries"][0]["title"] == "Hybrid work in Finnish Customs"
    assert "fewer sick days" in chapters[1]["entries"][0]["body_html"]
    assert version_two.contents["chapters"][1]["entries"][0]["title"] == "Renamed"


def test_only_published_stories_of_the_network_join_a_compendium(network, admin, draft, published_story):
    compendium = compendiums.create_compendium(actor=admin, network=network, title="C", chapters=["One"])
    chapter = compendium.chapters.get()

    with pytest.raises(ValidationError):
        compendiums.add_to_compendium(actor=admin, chapter=chapter, story=draft)
    with pytest.raises(ValidationError):
        compendiums.add_to_compendium(
            actor=admin, chapter=chapter, story=StoryFactory(networks=[NetworkFactory()], published=True)
        )
    entry = compendiums.add_to_compendium(actor=admin, chapter=chapter, story=published_story)
    assert entry.position == 1
    with pytest.raises(ValidationError, match="already"):
        compendiums.add_to_compendium(actor=admin, chapter=chapter, story=published_story)


def test_an_empty_compendium_has_no_version_and_only_admins_publish_one(network, admin, moderator):
    compendium = compendiums.create_compendium(actor=admin, network=network, title="C", chapters=["One"])

    with pytest.raises(PermissionDenied):
        compendiums.publish_compendium_version(actor=moderator, compendium=compendium)
    with pytest.raises(ValidationError):
        compendiums.publish_compendium_version(actor=admin, compendium=compendium)
    assert not compendium.versions.exists()


def test_a_network_admin_of_another_network_cannot_review(member, draft, call):
    submission = calls.submit_case_study(actor=member, call=call, story=draft)
    stranger = MembershipFactory(role=Membership.Role.ADMIN).user

    with pytest.raises(PermissionDenied):
        calls.review_submission(actor=stranger, submission=submission, decision="accept")
