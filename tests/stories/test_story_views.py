"""One story's pages over HTTP, without JavaScript: who reads what, writing and editing, the preview
link, sending out, reactions and comments, bad input (text kept), and a fixed number of queries.

In the fixtures, `draft` is `member`'s draft and `published_story` `champion`'s story, both in `network`."""

import re
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from forums.models.reactions import ReactionKind
from network.models import Network
from profiles.models import Language
from stories.models import CaseStudySubmission, Story, StoryComment, StoryReaction, SubmissionReview
from stories.services import calls, discussion, publishing
from tests.factories import MembershipFactory, NetworkFactory, StoryFactory, UserFactory
from tests.profiles.images import image_bytes, upload
from tests.stories.conftest import allow_member_submissions, signed_in, text

pytestmark = pytest.mark.django_db


def action(story: Story, name: str) -> str:
    return reverse(f"stories:{name}", args=[story.pk])


def form_data(network: Network, **fields) -> dict:
    return {
        "title": "Hybrid work in Finnish Customs",
        "summary": "Officers choose where they work.",
        "body": "We asked the **teams** first.",
        "kind": Story.Kind.CASE_STUDY,
        "networks": [network.pk],
        "tags": "",
        "language": "",
        "co_authors": "",
        **fields,
    }


def in_review(story: Story) -> Story:
    Story.objects.filter(pk=story.pk).update(status=Story.Status.IN_REVIEW)
    story.refresh_from_db()
    return story


# --- Reading ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["anonymous", "outsider", "member", "champion"])
def test_a_published_story_is_read_by_anyone_who_sees_its_network(request, client, name, published_story):
    viewer = request.getfixturevalue(name)
    if viewer.is_authenticated:
        client.force_login(viewer)
    published_story.tags.set(["hybrid work"])

    response = client.get(published_story.get_absolute_url())

    assert response.status_code == 200
    page = text(response)
    assert published_story.title in page
    assert "<strong>teams</strong>" in page
    assert str(published_story.author) in page
    assert f"{reverse('stories:feed')}?tag=hybrid-work" in page
    assert '<span class="badge">Story</span>' in page


def test_the_page_names_co_authors_language_and_networks(client, network, champion, member):
    story = StoryFactory(
        author=champion, networks=[network], published=True, language=Language.objects.get(code="fi")
    )
    story.co_authors.add(member)

    page = text(client.get(story.get_absolute_url()))

    assert reverse("profiles:detail", args=[member.username]) in page
    assert "co-author" in page
    assert 'lang="fi"' in page
    assert network.name in page


@pytest.mark.parametrize("name", ["anonymous", "outsider", "champion", "moderator", "admin"])
def test_a_draft_is_not_found_by_anyone_but_its_authors(request, client, name, draft):
    viewer = request.getfixturevalue(name)
    if viewer.is_authenticated:
        client.force_login(viewer)

    assert client.get(draft.get_absolute_url()).status_code == 404
    assert client.get(action(draft, "detail_short")).status_code == 404


def test_authors_read_their_draft_with_its_status_and_co_authors_too(client, network, member, draft):
    co_author = MembershipFactory(network=network).user
    draft.co_authors.add(co_author)

    for author in (member, co_author):
        response = signed_in(client, author).get(draft.get_absolute_url())
        assert response.status_code == 200
        assert "Draft" in text(response)
        assert '<meta name="robots" content="noindex">' in text(response)


@pytest.mark.parametrize(("name", "found"), [("member", False), ("moderator", False), ("champion", True)])
def test_a_story_in_review_is_read_by_those_who_may_publish_it(request, client, name, found, network):
    story = in_review(StoryFactory(author=UserFactory(), networks=[network]))

    response = signed_in(client, request.getfixturevalue(name)).get(story.get_absolute_url())

    assert response.status_code == (200 if found else 404)


@pytest.mark.usefixtures("members_only")
@pytest.mark.parametrize(("name", "found"), [("anonymous", False), ("outsider", False), ("member", True)])
def test_a_members_only_network_hides_its_stories(request, client, name, found, published_story):
    viewer = request.getfixturevalue(name)
    if viewer.is_authenticated:
        client.force_login(viewer)

    assert client.get(published_story.get_absolute_url()).status_code == (200 if found else 404)


def test_a_wrong_slug_or_no_slug_moves_permanently_to_the_story(client, published_story):
    wrong = reverse("stories:detail", args=[published_story.pk, "old-title"])

    moved = client.get(f"{wrong}?utm=mail")
    short = client.get(action(published_story, "detail_short"))

    assert moved.status_code == short.status_code == 301
    assert moved["Location"] == f"{published_story.get_absolute_url()}?utm=mail"
    assert short["Location"] == published_story.get_absolute_url()


def test_an_unknown_story_is_not_found(client):
    assert client.get(reverse("stories:detail", args=[999_999, "nothing"])).status_code == 404


# --- The actions panel ------------------------------------------------------------------------------


def test_a_member_sees_edit_and_the_preview_link_of_their_draft_but_not_publish(
    client, network, member, draft
):
    page = text(signed_in(client, member).get(draft.get_absolute_url()))

    assert action(draft, "edit") in page
    assert draft.get_preview_url() in page
    assert "Anyone with this link can read the story" in page
    assert action(draft, "publish") not in page
    assert action(draft, "submit") not in page  # the network takes no stories from members

    allow_member_submissions(network)
    assert action(draft, "submit") in text(client.get(draft.get_absolute_url()))


def test_a_champion_publishes_or_schedules_their_draft_rather_than_sending_it(client, network, champion):
    allow_member_submissions(network)
    story = StoryFactory(author=champion, networks=[network])

    page = text(signed_in(client, champion).get(story.get_absolute_url()))

    assert action(story, "publish") in page
    assert 'type="datetime-local"' in page
    assert action(story, "submit") not in page


def test_a_champion_is_not_offered_to_publish_a_case_study_its_call_reviews(
    client, member, champion, draft, call
):
    calls.submit_case_study(actor=member, call=call, story=draft)

    page = text(signed_in(client, champion).get(draft.get_absolute_url()))

    assert action(draft, "publish") not in page


@pytest.mark.parametrize(("name", "features"), [("member", False), ("champion", False), ("moderator", True)])
def test_only_moderators_and_admins_see_feature(request, client, name, features, published_story):
    page = text(signed_in(client, request.getfixturevalue(name)).get(published_story.get_absolute_url()))

    assert (action(published_story, "feature") in page) is features


def test_a_returned_case_study_links_to_the_reviewers_comments(client, network, member, admin, draft, call):
    submission = calls.submit_case_study(actor=member, call=call, story=draft)
    calls.review_submission(
        actor=admin, submission=submission, decision=SubmissionReview.Decision.RETURN, comments="More data."
    )

    page = text(signed_in(client, member).get(draft.get_absolute_url()))

    assert reverse("stories:submission", args=[network.slug, submission.pk]) in page
    assert "Read the reviewers" in page


# --- Writing ----------------------------------------------------------------------------------------


def test_the_new_story_form_offers_the_author_s_own_networks(client, network, member):
    elsewhere = NetworkFactory(name="Not mine")

    response = signed_in(client, member).get(reverse("stories:new"))

    assert response.status_code == 200
    assert network.name in text(response)
    assert elsewhere.name not in text(response)


def test_someone_in_no_network_is_told_to_join_one(client, outsider):
    page = text(signed_in(client, outsider).get(reverse("stories:new")))

    assert "join one to share stories with it" in page


def test_writing_a_story_saves_a_draft_and_shows_its_preview_link(client, network, member, champion):
    response = signed_in(client, member).post(
        reverse("stories:new"),
        form_data(
            network,
            tags="#Hybrid  work, hybrid work, well-being",
            co_authors=f"@{champion.username.upper()}",
            language=str(Language.objects.get(code="en").pk),
        ),
        follow=True,
    )

    story = Story.objects.get()
    assert response.redirect_chain[-1][0] == story.get_absolute_url()
    assert (story.author, story.status, story.kind) == (member, Story.Status.DRAFT, Story.Kind.CASE_STUDY)
    assert sorted(tag.name for tag in story.tags.all()) == ["Hybrid work", "well-being"]
    assert list(story.co_authors.all()) == [champion]
    assert story.language.code == "en"
    assert f"http://testserver{story.get_preview_url()}" in text(response)


def test_a_story_without_a_title_comes_back_with_everything_typed(client, network, member):
    response = signed_in(client, member).post(
        reverse("stories:new"), form_data(network, title="", body="My long **draft**", tags="hybrid")
    )

    assert response.status_code == 400
    page = text(response)
    assert "Give the story a title." in page
    assert "My long **draft**" in page
    assert 'value="hybrid"' in page
    assert not Story.objects.exists()


def test_a_cover_that_is_not_an_image_comes_back_with_the_text_and_a_reminder(client, network, member):
    data = form_data(network, body="Every word kept", cover=upload(b"not a picture", "cover.png"))

    response = signed_in(client, member).post(reverse("stories:new"), data)

    assert response.status_code == 400
    page = text(response)
    assert "The cover must be a JPEG, PNG, GIF or WebP image." in page
    assert "Every word kept" in page
    assert "choose the cover picture again" in page
    assert not Story.objects.exists()


def test_an_unknown_co_author_is_named_in_the_error(client, network, member):
    response = signed_in(client, member).post(
        reverse("stories:new"), form_data(network, co_authors="nobody-here, ")
    )

    assert response.status_code == 400
    assert "Nobody has the handle @nobody-here." in text(response)


def test_a_network_the_author_is_not_in_is_refused(client, member):
    response = signed_in(client, member).post(reverse("stories:new"), form_data(NetworkFactory()))

    assert response.status_code == 400
    assert not Story.objects.exists()


def test_too_many_or_blank_tags_are_refused(client, network, member):
    many = ", ".join(f"tag {n}" for n in range(11))

    assert (
        signed_in(client, member).post(reverse("stories:new"), form_data(network, tags=many)).status_code
        == 400
    )
    assert client.post(reverse("stories:new"), form_data(network, tags="!!!")).status_code == 400


def test_writing_needs_an_account(client):
    response = client.get(reverse("stories:new"))

    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_the_edit_form_starts_from_the_story(client, network, member, champion, draft):
    draft.tags.set(["hybrid work"])
    draft.co_authors.add(champion)

    page = text(signed_in(client, member).get(action(draft, "edit")))

    assert f'value="{draft.title}"' in page
    assert draft.body in page
    assert champion.username in page
    assert "hybrid work" in page


def test_editing_replaces_the_text_and_a_new_cover_shows_on_the_form(client, network, member, draft):
    data = form_data(network, title="New title", cover=upload(image_bytes((1600, 900))))

    response = signed_in(client, member).post(action(draft, "edit"), data)

    draft.refresh_from_db()
    assert response.status_code == 302
    assert response["Location"] == draft.get_absolute_url()
    assert (draft.title, draft.slug) == ("New title", "new-title")
    assert draft.cover
    assert draft.cover_small.url in text(client.get(action(draft, "edit")))


def test_a_refused_edit_keeps_the_story_as_it_was_and_the_form_as_typed(client, network, member, draft):
    response = signed_in(client, member).post(
        action(draft, "edit"), form_data(network, title="  ", body="Typed")
    )

    assert response.status_code == 400
    assert "Typed" in text(response)
    draft.refresh_from_db()
    assert draft.body == "We asked the **teams** first."


def test_only_authors_edit(client, champion, published_story, member):
    assert signed_in(client, member).get(action(published_story, "edit")).status_code == 403
    other = StoryFactory(author=member, networks=list(published_story.networks.all()))
    assert signed_in(client, champion).get(action(other, "edit")).status_code == 404  # a draft: unseen


def test_a_story_in_review_cannot_be_edited(client, member, draft):
    in_review(draft)

    response = signed_in(client, member).get(action(draft, "edit"))

    assert response.status_code == 403
    assert "being reviewed" in text(response)


# --- The preview link -------------------------------------------------------------------------------


def test_anyone_with_the_preview_link_reads_the_draft_not_indexed(client, draft):
    response = client.get(draft.get_preview_url())

    assert response.status_code == 200
    page = text(response)
    assert "Preview — not published" in page
    assert '<meta name="robots" content="noindex">' in page
    assert "<strong>teams</strong>" in page
    assert action(draft, "edit") not in page


def test_an_unknown_preview_token_is_not_found(client, draft):
    assert client.get(reverse("stories:preview", args=["guessed-token"])).status_code == 404


def test_the_preview_of_a_published_story_goes_to_the_story(client, published_story):
    response = client.get(published_story.get_preview_url())

    assert response.status_code == 302
    assert response["Location"] == published_story.get_absolute_url()


# --- Sending out ------------------------------------------------------------------------------------


def test_a_member_sends_for_review_where_the_network_allows_it(client, network, member, draft):
    refused = signed_in(client, member).post(action(draft, "submit"))
    assert refused.status_code == 403
    assert "do not take stories from members" in text(refused)

    allow_member_submissions(network)
    response = client.post(action(draft, "submit"))

    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == Story.Status.IN_REVIEW


def test_a_champion_publishes_a_story_sent_for_review(client, champion, member, draft):
    in_review(draft)

    response = signed_in(client, champion).post(action(draft, "publish"))

    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == Story.Status.PUBLISHED


@pytest.mark.parametrize("name", ["member", "moderator"])
def test_members_and_moderators_do_not_publish(request, client, name, network):
    author = request.getfixturevalue(name)
    story = StoryFactory(author=author, networks=[network])

    response = signed_in(client, author).post(action(story, "publish"))

    assert response.status_code == 403
    assert "Only champions and admins" in text(response)
    story.refresh_from_db()
    assert story.status == Story.Status.DRAFT


def test_a_naive_schedule_time_is_read_in_the_active_time_zone(client, settings, network, champion):
    settings.TIME_ZONE = "Asia/Tokyo"
    story = StoryFactory(author=champion, networks=[network])
    local = timezone.localtime(timezone.now() + timedelta(days=2), ZoneInfo("Asia/Tokyo")).replace(
        second=0, microsecond=0
    )

    response = signed_in(client, champion).post(
        action(story, "publish"), {"schedule": "True", "publish_at": local.strftime("%Y-%m-%dT%H:%M")}
    )

    assert response.status_code == 302
    story.refresh_from_db()
    assert story.status == Story.Status.SCHEDULED
    assert story.publish_at == local
    assert "scheduled for" in text(client.get(story.get_absolute_url(), follow=True))


def test_a_schedule_in_the_past_comes_back_with_the_time_typed(client, network, champion):
    story = StoryFactory(author=champion, networks=[network])

    response = signed_in(client, champion).post(
        action(story, "publish"), {"schedule": "True", "publish_at": "2001-02-03T04:05"}
    )

    assert response.status_code == 400
    page = text(response)
    assert "Choose a time in the future to schedule the story." in page
    assert 'value="2001-02-03T04:05"' in page
    story.refresh_from_db()
    assert story.status == Story.Status.DRAFT


@pytest.mark.parametrize(
    ("typed", "message"),
    [("", "Choose the date and time to publish the story on."), ("soon", "Enter a date and time")],
)
def test_a_missing_or_garbled_schedule_is_refused(client, network, champion, typed, message):
    story = StoryFactory(author=champion, networks=[network])

    response = signed_in(client, champion).post(
        action(story, "publish"), {"schedule": "True", "publish_at": typed}
    )

    assert response.status_code == 400
    assert message in text(response)


def test_publishing_a_published_story_is_a_bad_request_said_on_the_page(client, champion, published_story):
    response = signed_in(client, champion).post(action(published_story, "publish"))

    assert response.status_code == 400
    assert "This cannot be done to a story that is published." in text(response)


def test_authors_unpublish_their_story_and_others_may_not(client, member, champion, published_story):
    assert signed_in(client, member).post(action(published_story, "unpublish")).status_code == 403

    response = signed_in(client, champion).post(action(published_story, "unpublish"))

    assert response.status_code == 302
    published_story.refresh_from_db()
    assert published_story.status == Story.Status.UNPUBLISHED


@pytest.mark.parametrize(("name", "allowed"), [("champion", False), ("moderator", True), ("admin", True)])
def test_featuring_is_for_moderators_and_admins(request, client, name, allowed, published_story):
    response = signed_in(client, request.getfixturevalue(name)).post(
        action(published_story, "feature"), {"featured": "on"}
    )

    assert response.status_code == (302 if allowed else 403)
    published_story.refresh_from_db()
    assert published_story.featured is allowed


def test_a_featured_story_is_unfeatured_by_an_empty_box(client, moderator, published_story):
    publishing.feature_story(actor=moderator, story=published_story)

    signed_in(client, moderator).post(action(published_story, "feature"))

    published_story.refresh_from_db()
    assert not published_story.featured


@pytest.mark.parametrize("name", ["submit", "publish", "unpublish", "feature", "react", "comment"])
def test_actions_answer_only_posts_from_signed_in_readers(client, name, member, draft, published_story):
    assert client.post(action(published_story, name))["Location"].startswith(reverse("account_login"))
    signed_in(client, member)
    assert client.get(action(published_story, name)).status_code == 405
    other = StoryFactory(author=UserFactory(), networks=list(draft.networks.all()))
    assert client.post(action(other, name)).status_code == 404  # someone else's draft


# --- Reactions --------------------------------------------------------------------------------------


def test_a_reaction_toggles_and_shows_pressed(client, member, published_story):
    signed_in(client, member).post(action(published_story, "react"), {"kind": ReactionKind.HEART})
    page = text(client.get(published_story.get_absolute_url()))

    assert StoryReaction.objects.filter(user=member, kind=ReactionKind.HEART).exists()
    pressed = re.findall(r'value="([^"]+)"[^>]*aria-pressed="true"', page)
    assert pressed == [ReactionKind.HEART.value]
    assert len(re.findall(r'name="kind" value=', page)) == len(ReactionKind)

    client.post(action(published_story, "react"), {"kind": ReactionKind.HEART})
    assert not StoryReaction.objects.exists()


def test_an_unknown_reaction_is_a_bad_request(client, member, published_story):
    response = signed_in(client, member).post(action(published_story, "react"), {"kind": "🐍"})

    assert response.status_code == 400
    assert "Choose one of the reactions offered." in text(response)


def test_outsiders_may_not_react_and_see_counts_only(client, outsider, member, published_story):
    discussion.react_to_story(actor=member, story=published_story, kind=ReactionKind.IDEA)

    refused = signed_in(client, outsider).post(action(published_story, "react"), {"kind": ReactionKind.IDEA})
    page = text(client.get(published_story.get_absolute_url()))

    assert refused.status_code == 403
    assert "Only members of the story" in text(refused)
    assert action(published_story, "react") not in page
    assert "Only members of the story" in page


# --- Comments ---------------------------------------------------------------------------------------


def test_a_member_comments_and_replies_one_level_deep(client, member, champion, published_story):
    response = signed_in(client, member).post(
        action(published_story, "comment"), {"body": "Did **shifts** change?"}
    )
    top = StoryComment.objects.get()
    assert response["Location"] == f"{published_story.get_absolute_url()}#comment-{top.pk}"

    signed_in(client, champion).post(action(published_story, "comment"), {"body": "Yes.", "parent": top.pk})
    page = text(client.get(published_story.get_absolute_url()))

    reply = StoryComment.objects.exclude(pk=top.pk).get()
    assert reply.parent == top
    assert "<strong>shifts</strong>" in page
    assert page.index(f'id="comment-{top.pk}"') < page.index(f'id="comment-{reply.pk}"')
    assert "2 comments" in page


def test_an_empty_comment_comes_back_with_the_error(client, member, published_story):
    response = signed_in(client, member).post(action(published_story, "comment"), {"body": "  "})

    assert response.status_code == 400
    assert "Write something before sending." in text(response)
    assert not StoryComment.objects.exists()


def test_a_refused_reply_comes_back_open_under_its_comment(client, member, published_story):
    top = discussion.comment_on_story(actor=member, story=published_story, body="First")
    response = signed_in(client, member).post(
        action(published_story, "comment"), {"body": " ", "parent": top.pk}
    )

    assert response.status_code == 400
    page = text(response)
    reply_box = page[page.index(f'id="comment-{top.pk}"') :]
    assert '<details class="story-comment__reply" open>' in reply_box
    assert "Write something before sending." in reply_box


def test_a_reply_to_a_comment_gone_meanwhile_keeps_its_text(client, member, champion, published_story):
    top = discussion.comment_on_story(actor=champion, story=published_story, body="First")
    gone = top.pk
    discussion.delete_comment(actor=champion, comment=top)

    response = signed_in(client, member).post(
        action(published_story, "comment"), {"body": "My careful answer", "parent": gone}
    )

    assert response.status_code == 400
    page = text(response)
    assert "The comment you answer is no longer on this story." in page
    assert "My careful answer" in page


def test_outsiders_may_not_comment(client, outsider, published_story):
    response = signed_in(client, outsider).post(action(published_story, "comment"), {"body": "Hello"})

    assert response.status_code == 403
    assert not StoryComment.objects.exists()


def test_visitors_are_asked_to_log_in_to_comment(client, published_story):
    page = text(client.get(published_story.get_absolute_url()))

    assert f"{reverse('account_login')}?next=" in page
    assert action(published_story, "comment") not in page


def test_a_deleted_comment_with_replies_stays_as_a_placeholder(client, member, champion, published_story):
    top = discussion.comment_on_story(actor=member, story=published_story, body="Secret words")
    discussion.comment_on_story(actor=champion, story=published_story, body="An answer", parent=top)
    discussion.delete_comment(actor=member, comment=top)

    page = text(client.get(published_story.get_absolute_url()))

    assert "This comment was deleted." in page
    assert "Secret words" not in page
    assert "An answer" in page


def comment_by(author, story) -> StoryComment:
    return discussion.comment_on_story(actor=author, story=story, body="Words to delete")


@pytest.mark.parametrize(
    ("name", "allowed"),
    [("member", True), ("champion", False), ("moderator", True), ("admin", True), ("superuser", True)],
)
def test_deleting_a_comment_asks_first_and_is_for_its_author_and_moderators(
    request, client, name, allowed, member, published_story
):
    comment = comment_by(member, published_story)
    url = reverse("stories:comment_delete", args=[published_story.pk, comment.pk])
    signed_in(client, request.getfixturevalue(name))

    asked = client.get(url)
    response = client.post(url)

    assert asked.status_code == (200 if allowed else 403)
    assert response.status_code == (302 if allowed else 403)
    assert StoryComment.objects.filter(pk=comment.pk).exists() is not allowed
    if allowed:
        assert "Delete the comment" in text(asked)


def test_the_delete_link_shows_only_to_those_who_may(client, member, champion, moderator, published_story):
    comment = comment_by(member, published_story)
    url = reverse("stories:comment_delete", args=[published_story.pk, comment.pk])

    assert url in text(signed_in(client, member).get(published_story.get_absolute_url()))
    assert url in text(signed_in(client, moderator).get(published_story.get_absolute_url()))
    assert url not in text(signed_in(client, champion).get(published_story.get_absolute_url()))


def test_a_comment_of_another_story_is_not_found_through_this_one(client, network, member, published_story):
    other = StoryFactory(author=member, networks=[network], published=True)
    comment = comment_by(member, other)

    url = reverse("stories:comment_delete", args=[published_story.pk, comment.pk])
    assert signed_in(client, member).post(url).status_code == 404


# --- An author's own list ---------------------------------------------------------------------------


def test_my_stories_are_grouped_by_status(client, network, member, champion, admin, call):
    allow_member_submissions(network)
    draft = StoryFactory(author=member, networks=[network], title="My draft")
    co_written = StoryFactory(author=champion, networks=[network], published=True, title="Written together")
    co_written.co_authors.add(member)
    returned = StoryFactory(author=member, networks=[network], title="Returned one")
    submission = calls.submit_case_study(actor=member, call=call, story=returned)
    calls.review_submission(
        actor=admin, submission=submission, decision=SubmissionReview.Decision.RETURN, comments="More data."
    )
    scheduled = StoryFactory(author=member, networks=[network], title="Later one")
    when = timezone.now() + timedelta(days=3)
    Story.objects.filter(pk=scheduled.pk).update(status=Story.Status.SCHEDULED, publish_at=when)
    StoryFactory(author=champion, networks=[network], title="Not mine")

    page = text(signed_in(client, member).get(reverse("stories:mine")))

    for title in ("My draft", "Written together", "Returned one", "Later one"):
        assert title in page
    assert "Not mine" not in page
    assert (
        page.index("My draft")
        < page.index("Returned one")
        < page.index("Later one")
        < page.index("Written together")
    )
    assert reverse("stories:submission", args=[network.slug, submission.pk]) in page
    assert "Waiting for review" not in page
    assert draft.get_absolute_url() in page


def test_publishers_see_what_waits_for_their_review(client, network, member, champion, admin, call):
    allow_member_submissions(network)
    sent = StoryFactory(author=member, networks=[network], title="Please publish me")
    publishing.submit_for_review(actor=member, story=sent)
    to_call = StoryFactory(author=member, networks=[network], title="For the call")
    calls.submit_case_study(actor=member, call=call, story=to_call)
    StoryFactory(author=member, networks=[NetworkFactory()], title="Elsewhere", status=Story.Status.IN_REVIEW)

    page = text(signed_in(client, champion).get(reverse("stories:mine")))

    assert "Waiting for review" in page
    assert "Please publish me" in page
    assert "For the call" not in page  # reviewed on the call's page
    assert "Elsewhere" not in page
    assert CaseStudySubmission.objects.filter(story=to_call).exists()


def test_my_stories_needs_an_account(client):
    assert client.get(reverse("stories:mine")).status_code == 302


# --- Queries ----------------------------------------------------------------------------------------


def busy_story(network, champion, comments: int) -> Story:
    """A published story with `comments` top-level comments, a reply to each, and reactions."""
    story = StoryFactory(author=champion, networks=[network], published=True)
    story.tags.set(["hybrid work", "well-being"])
    story.co_authors.add(*(MembershipFactory(network=network).user for _ in range(2)))
    people = [MembershipFactory(network=network).user for _ in range(3)]
    for n in range(comments):
        author = people[n % len(people)]
        top = StoryComment.objects.create(story=story, author=author, body=f"c{n}", body_html=f"<p>c{n}</p>")
        StoryComment.objects.create(story=story, author=champion, parent=top, body="r", body_html="<p>r</p>")
    for person in people:
        StoryReaction.objects.create(story=story, user=person, kind=ReactionKind.HEART)
    return story


# Queries of the story page: the session, the user and the navigation's count of unread chat messages
# (for the signed-in), the story with its author's picture, its networks (with the viewer's rows in
# them), co-authors and tags, the reactions and the comments.
STORY_PAGE_QUERIES = {"anonymous": 6, "member": 9, "moderator": 9}


@pytest.mark.parametrize("name", ["anonymous", "member", "moderator"])
def test_the_story_page_costs_the_same_whatever_its_comments(
    request, client, name, network, champion, django_assert_num_queries
):
    viewer = request.getfixturevalue(name)
    if viewer.is_authenticated:
        client.force_login(viewer)

    for comments in (5, 50):
        story = busy_story(network, champion, comments)
        with django_assert_num_queries(STORY_PAGE_QUERIES[name]):
            response = client.get(story.get_absolute_url())
        assert response.status_code == 200
        assert text(response).count('class="story-comment"') == 2 * comments


# The session and the user, the stories with their counts, their networks, their returned submissions,
# the networks the viewer publishes for (and, if any, the stories waiting with their networks), and the
# navigation's count of unread chat messages.
MINE_QUERIES = {"member": 7, "champion": 9}


@pytest.mark.parametrize("name", ["member", "champion"])
def test_my_stories_cost_the_same_whatever_their_number(
    request, client, name, network, django_assert_num_queries
):
    viewer = request.getfixturevalue(name)
    signed_in(client, viewer)
    writer = MembershipFactory(network=network).user

    for count in (5, 50):
        for n in range(count - Story.objects.filter(author=viewer).count()):
            story = StoryFactory(author=viewer, networks=[network], published=n % 2 == 0)
            StoryComment.objects.create(story=story, author=writer, body="c", body_html="<p>c</p>")
            StoryFactory(author=writer, networks=[network], status=Story.Status.IN_REVIEW)
        with django_assert_num_queries(MINE_QUERIES[name]):
            response = client.get(reverse("stories:mine"))
        assert response.status_code == 200
        assert text(response).count('class="my-stories__row"') == (2 * count if name == "champion" else count)
