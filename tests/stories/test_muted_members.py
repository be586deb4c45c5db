"""A member muted in a network may read its stories and calls but not post there, as in its forum and
chat: no new story shared with it, no edit of their stories shared with it, no sending one for review, no
case study for its calls, and (a muted champion) no publishing. Each page refuses saying why, with the
moderators' reason, and each service raises PermissionDenied; a muted champion may still take a story
down. The `mute` fixture mutes someone in `network`."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from stories import permissions
from stories.models import CaseStudySubmission, Story
from stories.services import calls, compendiums, publishing, writing
from tests.factories import NetworkFactory, StoryFactory
from tests.network.conftest import membership_in
from tests.stories.conftest import MUTE_REASON, allow_member_submissions, signed_in, text
from tests.stories.test_call_views import call_url
from tests.stories.test_story_views import action, form_data, in_review

pytestmark = pytest.mark.django_db


def story_text(*networks) -> writing.StoryText:
    return writing.StoryText(title="Night shifts, our way", networks=list(networks))


# --- Writing ----------------------------------------------------------------------------------------


def test_a_muted_member_may_not_write_a_story_for_the_network(client, network, member, mute):
    mute(member)

    response = signed_in(client, member).post(reverse("stories:new"), form_data(network, title="Mine"))

    assert response.status_code == 400
    assert MUTE_REASON in text(response)
    assert 'value="Mine"' in text(response)
    assert not Story.objects.exists()
    with pytest.raises(PermissionDenied, match=MUTE_REASON):
        writing.create_draft(author=member, text=story_text(network))


def test_muted_in_one_of_its_networks_a_member_may_not_share_a_story_with_them(network, member, mute):
    elsewhere = NetworkFactory()
    membership_in(elsewhere, member)
    mute(member)

    with pytest.raises(PermissionDenied, match=MUTE_REASON):
        writing.create_draft(author=member, text=story_text(elsewhere, network))
    assert writing.create_draft(author=member, text=story_text(elsewhere)).networks.get() == elsewhere


def test_a_muted_author_may_not_edit_their_story(client, network, member, draft, mute):
    mute(member)
    signed_in(client, member)

    form = client.get(action(draft, "edit"))
    sent = client.post(action(draft, "edit"), form_data(network, title="Changed while muted"))
    story_page = text(client.get(draft.get_absolute_url()))

    assert form.status_code == sent.status_code == 403
    assert MUTE_REASON in text(form)
    assert action(draft, "edit") not in story_page
    draft.refresh_from_db()
    assert draft.title != "Changed while muted"
    assert not permissions.can_edit_story(member, draft)
    with pytest.raises(PermissionDenied, match=MUTE_REASON):
        writing.update_draft(actor=member, story=draft, text=story_text(network))


# --- Sending out ------------------------------------------------------------------------------------


def test_a_muted_member_may_not_send_their_story_for_review(client, network, member, draft, mute):
    allow_member_submissions(network)
    mute(member)

    response = signed_in(client, member).post(action(draft, "submit"))

    assert response.status_code == 403
    assert MUTE_REASON in text(response)
    draft.refresh_from_db()
    assert draft.status == Story.Status.DRAFT
    assert not permissions.can_submit_story(member, draft)
    with pytest.raises(PermissionDenied, match=MUTE_REASON):
        publishing.submit_for_review(actor=member, story=draft)


def test_a_muted_champion_may_not_publish_their_own_story_or_one_sent_for_review(
    client, network, champion, member, mute
):
    own = StoryFactory(author=champion, networks=[network])
    sent_for_review = in_review(StoryFactory(author=member, networks=[network]))
    mute(champion)
    signed_in(client, champion)

    responses = [client.post(action(story, "publish")) for story in (own, sent_for_review)]

    assert [response.status_code for response in responses] == [403, 403]
    assert all(MUTE_REASON in text(response) for response in responses)
    assert client.get(sent_for_review.get_absolute_url()).status_code == 200  # still its reviewer
    assert [story.status for story in Story.objects.order_by("pk")] == [
        Story.Status.DRAFT,
        Story.Status.IN_REVIEW,
    ]
    with pytest.raises(PermissionDenied, match=MUTE_REASON):
        publishing.publish_story(actor=champion, story=own)


def test_a_muted_champion_may_still_take_a_story_down(client, network, champion, member, mute):
    story = StoryFactory(author=member, networks=[network], published=True)
    mute(champion)

    response = signed_in(client, champion).post(action(story, "unpublish"))

    assert response.status_code == 302
    story.refresh_from_db()
    assert story.status == Story.Status.UNPUBLISHED
    assert not permissions.can_publish_story(champion, story)


# --- Calls for case studies -------------------------------------------------------------------------


def test_a_muted_member_may_not_answer_a_call_for_case_studies(client, network, member, draft, call, mute):
    mute(member)
    signed_in(client, member)

    page = client.get(call_url(call))
    started = client.post(call_url(call), {"title": "Our case study"})
    sent = client.post(call_url(call, "call_submit"), {"story": draft.pk})

    assert page.status_code == 200
    assert "Start a case study" not in text(page)
    assert MUTE_REASON in text(page)
    assert started.status_code == sent.status_code == 403
    assert MUTE_REASON in text(started)
    assert MUTE_REASON in text(sent)
    assert list(Story.objects.all()) == [draft]
    assert not CaseStudySubmission.objects.exists()
    with pytest.raises(PermissionDenied, match=MUTE_REASON):
        calls.start_case_study_draft(author=member, call=call, title="Our case study")
    with pytest.raises(PermissionDenied, match=MUTE_REASON):
        calls.submit_case_study(actor=member, call=call, story=draft)


def test_a_muted_admin_may_not_open_a_call_nor_publish_a_compendium(network, admin, mute):
    compendium = compendiums.create_compendium(
        actor=admin, network=network, title="CWOF compendium", chapters=["Setup"]
    )
    compendiums.add_to_compendium(
        actor=admin, chapter=compendium.chapters.get(), story=StoryFactory(networks=[network], published=True)
    )
    mute(admin)

    with pytest.raises(PermissionDenied, match=MUTE_REASON):
        calls.open_call(
            actor=admin,
            network=network,
            title="Night shifts",
            brief="Tell us.",
            deadline=timezone.now() + timedelta(days=9),
        )
    with pytest.raises(PermissionDenied, match=MUTE_REASON):
        compendiums.publish_compendium_version(actor=admin, compendium=compendium)
    assert not permissions.can_run_network_stories(admin, network)
