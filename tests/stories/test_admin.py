"""The operators' admin for stories, calls and compendiums: every page opens, edits and actions go
through the services, refusals are told per story, and published versions stay frozen."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone

from stories.models import (
    CaseStudySubmission,
    Compendium,
    CompendiumChapter,
    CompendiumEntry,
    CompendiumVersion,
    Story,
    StoryComment,
    SubmissionReview,
)
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def operator_client(client, superuser):
    client.force_login(superuser)
    return client


@pytest.fixture
def compendium(network, published_story) -> Compendium:
    compendium = Compendium.objects.create(network=network, title="Compendium of best practices")
    chapter = CompendiumChapter.objects.create(compendium=compendium, title="Workplace design", position=1)
    CompendiumEntry.objects.create(chapter=chapter, story=published_story, position=1)
    return compendium


@pytest.fixture
def everything(network, member, draft, published_story, call, compendium, admin):
    """One row of each model the admin shows."""
    comment = StoryComment.objects.create(
        story=published_story, author=member, body="Thank you", body_html="<p>Thank you</p>"
    )
    submission = CaseStudySubmission.objects.create(call=call, story=draft, submitted_at=timezone.now())
    SubmissionReview.objects.create(
        submission=submission, reviewer=admin, decision="return", round=1, comments="More on results."
    )
    version = CompendiumVersion.objects.create(
        compendium=compendium, number=1, published_at=timezone.now(), contents={"chapters": []}
    )
    return {
        "story": published_story,
        "storycomment": comment,
        "casestudycall": call,
        "casestudysubmission": submission,
        "compendium": compendium,
        "compendiumversion": version,
    }


def _messages(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def _act(client, action: str, *stories: Story, follow: bool = True):
    return client.post(
        reverse("admin:stories_story_changelist"),
        {"action": action, "_selected_action": [story.pk for story in stories]},
        follow=follow,
    )


# --- Pages ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "model",
    ["story", "storycomment", "casestudycall", "casestudysubmission", "compendium", "compendiumversion"],
)
def test_every_changelist_and_change_page_opens_for_an_operator(operator_client, everything, model):
    row = everything[model]

    listing = operator_client.get(reverse(f"admin:stories_{model}_changelist"))
    change = operator_client.get(reverse(f"admin:stories_{model}_change", args=[row.pk]))

    assert listing.status_code == 200
    assert listing.context["cl"].result_count >= 1
    assert change.status_code == 200


def test_the_story_list_searches_and_filters(operator_client, draft, published_story):
    # A title with no word in common with the other story's, nor a number its author's name may hold.
    Story.objects.filter(pk=draft.pk).update(title="Tea with the harbour masters")
    found = operator_client.get(reverse("admin:stories_story_changelist"), {"q": "harbour masters"})
    published = operator_client.get(reverse("admin:stories_story_changelist"), {"status__exact": "published"})

    assert [story.pk for story in found.context["cl"].result_list] == [draft.pk]
    assert [story.pk for story in published.context["cl"].result_list] == [published_story.pk]


def test_stories_are_written_by_their_authors_not_added_in_the_admin(operator_client):
    assert operator_client.get(reverse("admin:stories_story_add")).status_code == 403


def test_editing_a_story_in_the_admin_renders_it_through_the_writing_service(operator_client, network, draft):
    token, author = draft.preview_token, draft.author
    response = operator_client.post(
        reverse("admin:stories_story_change", args=[draft.pk]),
        {
            "title": "Flexible hours, revisited",
            "co_authors": "",
            "kind": "best_practice",
            "networks": [network.pk],
            "tags": "hybrid work, rosters",
            "language": "",
            "summary": "What we changed.",
            "body": "Rosters **four weeks** ahead.",
            # Derived fields are read-only: what a form sends for them is ignored.
            "body_html": "<script>alert(1)</script>",
            "status": "published",
            "featured": "on",
        },
    )

    assert response.status_code == 302, response.context["adminform"].form.errors
    draft.refresh_from_db()
    assert (draft.title, draft.slug, draft.kind) == (
        "Flexible hours, revisited",
        "flexible-hours-revisited",
        "best_practice",
    )
    assert draft.body_html == "<p>Rosters <strong>four weeks</strong> ahead.</p>\n"
    assert sorted(draft.tags.names()) == ["hybrid work", "rosters"]
    assert (draft.status, draft.featured, draft.preview_token, draft.author) == (
        "draft",
        False,
        token,
        author,
    )


def test_a_story_in_review_cannot_be_edited_in_the_admin(operator_client, draft):
    Story.objects.filter(pk=draft.pk).update(status=Story.Status.IN_REVIEW)

    response = operator_client.get(reverse("admin:stories_story_change", args=[draft.pk]))

    form_fields = response.context["adminform"].form.fields
    assert "title" not in form_fields
    assert "body" not in form_fields


# --- Actions ----------------------------------------------------------------------------------------


def test_publishing_from_the_admin_goes_through_the_service_and_tells_each_refusal(
    operator_client, draft, published_story
):
    response = _act(operator_client, "publish_selected", draft, published_story)

    draft.refresh_from_db()
    assert draft.status == Story.Status.PUBLISHED
    assert draft.published_at is not None
    assert "1 story published." in _messages(response)
    assert f"{published_story}: This cannot be done to a story that is published." in _messages(response)


def test_unpublishing_from_the_admin_takes_the_story_down_and_its_feature_off(
    operator_client, published_story
):
    Story.objects.filter(pk=published_story.pk).update(featured=True, featured_at=timezone.now())

    response = _act(operator_client, "unpublish_selected", published_story)

    published_story.refresh_from_db()
    assert (published_story.status, published_story.featured) == (Story.Status.UNPUBLISHED, False)
    assert "1 story unpublished." in _messages(response)


def test_featuring_from_the_admin_features_published_stories_and_refuses_drafts(
    operator_client, draft, published_story
):
    response = _act(operator_client, "feature_selected", draft, published_story)

    published_story.refresh_from_db()
    draft.refresh_from_db()
    assert published_story.featured
    assert published_story.featured_at is not None
    assert not draft.featured
    assert "1 story featured." in _messages(response)
    assert f"{draft}: This cannot be done to a story that is draft." in _messages(response)

    response = _act(operator_client, "unfeature_selected", published_story)

    published_story.refresh_from_db()
    assert not published_story.featured
    assert "1 story no longer featured." in _messages(response)


def test_a_staff_member_without_a_role_in_the_storys_networks_is_refused_by_the_service(client, draft):
    staff = UserFactory(is_staff=True)
    staff.user_permissions.set(Permission.objects.filter(codename__in=["view_story", "change_story"]))
    client.force_login(staff)

    response = _act(client, "publish_selected", draft)

    draft.refresh_from_db()
    assert draft.status == Story.Status.DRAFT
    assert f"{draft}: Only champions and admins of the story's networks may publish it." in _messages(
        response
    )
    assert "0 stories published." in _messages(response)


def test_closing_calls_from_the_admin_goes_through_the_service(operator_client, call):
    response = operator_client.post(
        reverse("admin:stories_casestudycall_changelist"),
        {"action": "close_selected", "_selected_action": [call.pk]},
        follow=True,
    )

    call.refresh_from_db()
    assert call.state == "closed"
    assert "1 call closed." in _messages(response)


# --- Compendiums ------------------------------------------------------------------------------------


def test_a_compendium_added_in_the_admin_is_founded_with_its_chapters_through_the_service(
    operator_client, network
):
    response = operator_client.post(
        reverse("admin:stories_compendium_add"),
        {
            "network": network.pk,
            "title": "CWOF compendium of case studies",
            "chapters": "Work setup\n\n Workplace design \n",
        },
    )

    assert response.status_code == 302, response.context["adminform"].form.errors
    compendium = Compendium.objects.get(network=network)
    assert compendium.title == "CWOF compendium of case studies"
    assert list(compendium.chapters.values_list("position", "title")) == [
        (1, "Work setup"),
        (2, "Workplace design"),
    ]


def test_a_compendium_with_two_chapters_of_one_title_is_not_added_and_the_form_keeps_the_text(
    operator_client, network
):
    response = operator_client.post(
        reverse("admin:stories_compendium_add"),
        {"network": network.pk, "title": "Compendium", "chapters": "Work setup\nWork setup"},
    )

    assert response.status_code == 200
    form = response.context["adminform"].form
    assert form.errors["chapters"] == ["Give each chapter its own title: two lines are the same."]
    assert form["chapters"].value() == "Work setup\nWork setup"
    assert not Compendium.objects.exists()


def test_a_compendiums_chapters_are_shown_not_edited_in_the_admin(operator_client, compendium):
    response = operator_client.get(reverse("admin:stories_compendium_change", args=[compendium.pk]))

    (chapters,) = response.context["inline_admin_formsets"]
    assert not chapters.has_add_permission
    assert not chapters.has_change_permission
    assert "Workplace design" in response.content.decode()


def test_publishing_a_compendium_version_from_the_admin_freezes_it_and_refuses_an_empty_one(
    operator_client, network, compendium
):
    empty = Compendium.objects.create(network=network, title="Empty")

    response = operator_client.post(
        reverse("admin:stories_compendium_changelist"),
        {"action": "publish_version_of_selected", "_selected_action": [compendium.pk, empty.pk]},
        follow=True,
    )

    assert list(compendium.versions.values_list("number", flat=True)) == [1]
    assert not empty.versions.exists()
    assert "1 version published." in _messages(response)
    assert "Empty: Add at least one case study before publishing a version." in _messages(response)


def test_published_versions_are_frozen_in_the_admin(operator_client, everything):
    version = everything["compendiumversion"]
    change_url = reverse("admin:stories_compendiumversion_change", args=[version.pk])

    added = operator_client.get(reverse("admin:stories_compendiumversion_add"))
    changed = operator_client.post(change_url, {"number": "7", "contents": "{}"})
    deleted = operator_client.post(
        reverse("admin:stories_compendiumversion_delete", args=[version.pk]), {"post": "yes"}
    )

    version.refresh_from_db()
    assert added.status_code == 403
    assert changed.status_code == 403
    assert deleted.status_code == 403
    assert (version.number, version.contents) == (1, {"chapters": []})
