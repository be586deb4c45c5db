"""A call for case studies from its opening to a compendium's versions, through the pages as a browser
without JavaScript would go; and the call services the pages rest on.

Writing the case study happens on the story's edit page, which belongs to the story pages: here the
writing service stands in for it, as that page calls it.
"""

import re
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from stories.models import CaseStudyCall, CaseStudySubmission, Compendium, Story, SubmissionReview
from stories.services import calls, writing
from stories.services.writing import StoryText
from tests.factories import StoryFactory
from tests.stories.conftest import signed_in, text
from tests.stories.test_call_views import other_admin

pytestmark = pytest.mark.django_db


def _write(story: Story, author, title: str, body: str) -> None:
    text_ = StoryText(title=title, networks=list(story.networks.all()), body=body, kind=story.kind)
    writing.update_draft(actor=author, story=story, text=text_)


def test_a_call_from_its_opening_to_two_versions_of_a_compendium(client, network, member, admin):
    # The admin opens a call.
    signed_in(client, admin)
    deadline = (timezone.localtime() + timedelta(days=20)).strftime("%Y-%m-%dT%H:%M")
    opened = client.post(
        reverse("stories:call_create", args=[network.slug]),
        {
            "title": "Workplace design in the new normal",
            "brief": "How did your offices change?",
            "deadline": deadline,
        },
        follow=True,
    )
    call = CaseStudyCall.objects.get()
    assert opened.redirect_chain == [(call.get_absolute_url(), 302)]
    assert "How did your offices change?" in text(opened)

    # A member finds it among the network's calls and starts a case study from its template.
    signed_in(client, member)
    assert call.get_absolute_url() in text(client.get(reverse("stories:calls", args=[network.slug])))
    started = client.post(call.get_absolute_url(), {"title": "Workplace design strategy in Finland"})
    story = Story.objects.get()
    assert started["Location"] == reverse("stories:edit", args=[story.pk])
    assert "## Results" in story.body

    # They write it, then send it from the call's page.
    _write(story, member, story.title, story.body.replace("## Results\n", "## Results\n\nFewer desks.\n"))
    assert f'<option value="{story.pk}">' in text(client.get(call.get_absolute_url()))
    sent = client.post(reverse("stories:call_submit", args=[network.slug, call.pk]), {"story": story.pk})
    submission = CaseStudySubmission.objects.get()
    submission_url = reverse("stories:submission", args=[network.slug, submission.pk])
    assert sent["Location"] == submission_url

    # The admin sees it among what was sent, and returns it with comments.
    signed_in(client, admin)
    assert submission_url in text(client.get(call.get_absolute_url()))
    assert "Fewer desks." in text(client.get(submission_url))
    client.post(submission_url, {"decision": "return", "comments": "Say what **staff** thought."})

    # The member reads the comments, edits the case study and sends it again, for round 2.
    signed_in(client, member)
    returned = text(client.get(submission_url))
    assert "Say what <strong>staff</strong> thought." in returned
    assert reverse("stories:edit", args=[story.pk]) in returned
    story.refresh_from_db()
    _write(story, member, story.title, story.body + "\nStaff liked the quiet rooms.\n")
    client.post(reverse("stories:call_submit", args=[network.slug, call.pk]), {"story": story.pk})
    submission.refresh_from_db()
    assert (submission.round, submission.state) == (2, CaseStudySubmission.State.SUBMITTED)

    # The admin accepts it: it is published, as a case study.
    signed_in(client, admin)
    assert "Staff liked the quiet rooms." in text(client.get(submission_url))
    accepted = client.post(submission_url, {"decision": "accept"}, follow=True)
    assert "The case study is accepted and published." in text(accepted)
    story.refresh_from_db()
    assert (story.status, story.kind) == (Story.Status.PUBLISHED, Story.Kind.CASE_STUDY)
    assert list(SubmissionReview.objects.values_list("round", "decision")) == [(1, "return"), (2, "accept")]

    # The admin gathers it into a compendium and publishes version 1.
    client.post(
        reverse("stories:compendium_create", args=[network.slug]),
        {"title": "CWOF compendium", "chapters": "Work setup\nWorkplace design\nWorkforce management"},
    )
    compendium = Compendium.objects.get()
    design = compendium.chapters.get(title="Workplace design")
    compendium_url = compendium.get_absolute_url()
    args = [network.slug, compendium.pk]
    assert f'<option value="{story.pk}">' in text(client.get(compendium_url))
    client.post(reverse("stories:entry_add", args=args), {"chapter": design.pk, "story": story.pk})
    published = client.post(reverse("stories:compendium_publish", args=args), follow=True)
    version_one_url = reverse("stories:compendium_version", args=[*args, 1])
    assert published.redirect_chain == [(version_one_url, 302)]

    # Version 1 reads and downloads with the case study in its chapter.
    for page in (published, client.get(reverse("stories:compendium_download", args=[*args, 1]))):
        document = text(page)
        assert "Workplace design strategy in Finland" in document
        assert "Staff liked the quiet rooms." in document
        assert document.index("Chapter 2. Workplace design") < document.index("Fewer desks.")

    # The story is renamed: version 1 keeps the old title, version 2 has the new one.
    story.refresh_from_db()
    _write(story, member, "Designing the Finnish workplace", story.body)
    client.post(reverse("stories:compendium_publish", args=args))
    version_one = text(client.get(version_one_url))
    version_two = text(client.get(reverse("stories:compendium_version", args=[*args, 2])))
    assert "Workplace design strategy in Finland" in version_one
    assert "Designing the Finnish workplace" not in version_one
    assert "Designing the Finnish workplace" in version_two
    assert "Workplace design strategy in Finland" not in version_two
    listing = text(client.get(reverse("stories:compendiums", args=[network.slug])))
    assert reverse("stories:compendium_version", args=[*args, 2]) in listing


# --- The call services behind the pages -------------------------------------------------------------


def test_a_case_study_starts_with_one_heading_per_template_section(network, member, call):
    story = calls.start_case_study_draft(author=member, call=call, title="  Well-being at work ")

    assert story.title == "Well-being at work"
    assert (story.kind, story.status) == (Story.Kind.CASE_STUDY, Story.Status.DRAFT)
    assert re.findall(r"^## (.+)$", story.body, flags=re.MULTILINE) == [
        str(heading) for _key, heading in CaseStudyCall.TEMPLATE_SECTIONS
    ]
    assert list(story.networks.all()) == [network]
    assert not CaseStudySubmission.objects.exists()


def test_only_members_start_case_studies_and_only_for_open_calls(member, outsider, admin, call):
    for stranger in (outsider, other_admin()):
        with pytest.raises(PermissionDenied):
            calls.start_case_study_draft(author=stranger, call=call, title="Mine")
    with pytest.raises(ValidationError) as untitled:
        calls.start_case_study_draft(author=member, call=call, title=" ")
    assert "title" in untitled.value.message_dict

    calls.close_call(actor=admin, call=call)
    with pytest.raises(ValidationError, match="no longer takes case studies"):
        calls.start_case_study_draft(author=member, call=call, title="Late")
    assert not Story.objects.exists()


def test_a_call_needs_a_brief(network, admin):
    with pytest.raises(ValidationError) as caught:
        calls.open_call(
            actor=admin, network=network, title="T", brief="  ", deadline=timezone.now() + timedelta(days=1)
        )

    assert set(caught.value.message_dict) == {"brief"}
    assert not CaseStudyCall.objects.exists()


def test_a_story_already_out_or_in_review_is_not_sent_to_a_call(network, member, call):
    out = StoryFactory(author=member, networks=[network], published=True)
    in_review = StoryFactory(author=member, networks=[network], status=Story.Status.IN_REVIEW)

    for story in (out, in_review):
        with pytest.raises(ValidationError) as caught:
            calls.submit_case_study(actor=member, call=call, story=story)
        assert "story" in caught.value.message_dict
    out.refresh_from_db()
    assert out.status == Story.Status.PUBLISHED
    assert not CaseStudySubmission.objects.exists()


def test_a_call_is_open_until_its_deadline_unless_closed(call):
    assert calls.is_call_open(call, call.deadline - timedelta(seconds=1))
    assert not calls.is_call_open(call, call.deadline)
    call.state = CaseStudyCall.State.CLOSED
    assert not calls.is_call_open(call, call.deadline - timedelta(days=1))
