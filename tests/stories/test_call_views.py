"""The pages of calls for case studies over HTTP, without JavaScript: who sees what, opening and closing a
call, starting and sending case studies, reviewing them, bad input, and a fixed number of queries per
page. The `call` fixture is open in `network`, opened by `admin`; `draft` is `member`'s."""

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from network.models import Membership, Network
from stories.models import CaseStudyCall, CaseStudySubmission, Story, SubmissionReview
from stories.services import calls as services
from tests.factories import MembershipFactory, StoryFactory, UserFactory
from tests.stories.conftest import signed_in, text

pytestmark = pytest.mark.django_db


def queries(client, url: str) -> list[str]:
    """The SQL a page ran, less the session and user lookups every signed-in page starts with."""
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return [
        query["sql"]
        for query in captured.captured_queries
        if not re.match(
            r'(RELEASE )?SAVEPOINT|SELECT .* FROM "(django_session|profiles_user)" WHERE', query["sql"]
        )
    ]


def calls_url(network: Network) -> str:
    return reverse("stories:calls", args=[network.slug])


def call_url(call: CaseStudyCall, name: str = "call") -> str:
    return reverse(f"stories:{name}", args=[call.network.slug, call.pk])


def submission_url(submission: CaseStudySubmission) -> str:
    return reverse("stories:submission", args=[submission.call.network.slug, submission.pk])


def open_call(network: Network, admin, title: str, days: float = 30, **fields) -> CaseStudyCall:
    return CaseStudyCall.objects.create(
        network=network,
        title=title,
        brief="Tell us.",
        brief_html="<p>Tell us.</p>",
        deadline=timezone.now() + timedelta(days=days),
        opened_by=admin,
        **fields,
    )


def other_admin():
    """An admin of another network."""
    return MembershipFactory(role=Membership.Role.ADMIN).user


def members_only(network: Network) -> Network:
    network.visibility = Network.Visibility.MEMBERS_ONLY
    network.save()
    return network


@pytest.fixture
def sent(member, draft, call) -> CaseStudySubmission:
    return services.submit_case_study(actor=member, call=call, story=draft)


# --- Who sees what ----------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["anonymous", "outsider", "member", "admin"])
def test_a_public_network_s_calls_are_read_by_everyone(request, client, call, persona):
    if persona != "anonymous":
        signed_in(client, request.getfixturevalue(persona))

    listing = client.get(calls_url(call.network))
    page = client.get(call_url(call))

    assert listing.status_code == page.status_code == 200
    assert "Workplace design" in text(listing)
    assert "Tell us how your offices changed." in text(page)
    assert "Lessons learned" in text(page)


@pytest.mark.parametrize("persona", ["anonymous", "outsider"])
def test_a_members_only_network_s_calls_do_not_exist_for_those_who_cannot_see_it(
    request, client, call, persona
):
    members_only(call.network)
    if persona != "anonymous":
        signed_in(client, request.getfixturevalue(persona))

    assert client.get(calls_url(call.network)).status_code == 404
    assert client.get(call_url(call)).status_code == 404


def test_a_member_reads_a_members_only_network_s_calls(client, call, member):
    members_only(call.network)

    assert signed_in(client, member).get(call_url(call)).status_code == 200


def test_unknown_calls_and_a_call_under_another_network_are_not_found(client, call, member):
    elsewhere = MembershipFactory(user=member).network
    signed_in(client, member)

    assert client.get(reverse("stories:call", args=[call.network.slug, call.pk + 100])).status_code == 404
    assert client.get(reverse("stories:call", args=[elsewhere.slug, call.pk])).status_code == 404
    assert client.get(reverse("stories:calls", args=["no-such-network"])).status_code == 404


def test_open_calls_come_first_by_deadline_then_closed_ones(client, network, admin):
    later = open_call(network, admin, "Later call", days=60)
    sooner = open_call(network, admin, "Sooner call", days=5)
    closed = open_call(network, admin, "Closed call", days=90, state=CaseStudyCall.State.CLOSED)
    past = open_call(network, admin, "Past call", days=-3)

    page = text(client.get(calls_url(network)))

    titles = re.findall(r'<h3 class="call-row__title"><a href="[^"]+">([^<]+)</a>', page)
    assert titles == [sooner.title, later.title, closed.title, past.title]
    assert page.index("Open calls") < page.index("Sooner call") < page.index("Closed calls")


def test_only_admins_are_offered_to_open_a_call_and_see_what_was_sent(client, call, member, admin, sent):
    as_member = text(signed_in(client, member).get(calls_url(call.network)))
    assert "Open a call" not in as_member
    member_call_page = text(client.get(call_url(call)))
    assert "Case studies received" not in member_call_page
    assert "Close the call" not in member_call_page

    assert "Open a call" in text(signed_in(client, admin).get(calls_url(call.network)))
    admin_call_page = text(client.get(call_url(call)))
    assert "Case studies received" in admin_call_page
    assert sent.story.title in admin_call_page
    assert "Close the call" in admin_call_page


def test_members_are_offered_to_start_or_send_a_case_study_and_others_are_told_why_not(
    client, call, member, outsider, draft, published_story
):
    page = text(signed_in(client, member).get(call_url(call)))
    assert "Start a case study for this call" in page
    assert f'<option value="{draft.pk}">{draft.title}</option>' in page
    assert published_story.title not in page

    outsider_page = text(signed_in(client, outsider).get(call_url(call)))
    assert "Start a case study" not in outsider_page
    assert "Only members of the network may answer its call for case studies." in outsider_page

    client.logout()
    assert "Log in to answer this call." in text(client.get(call_url(call)))


# --- Opening and closing a call ---------------------------------------------------------------------


def test_an_admin_opens_a_call_with_a_deadline_in_their_time_zone(client, network, admin, settings):
    settings.TIME_ZONE = "Pacific/Auckland"
    form = signed_in(client, admin).get(reverse("stories:call_create", args=[network.slug]))
    assert 'type="datetime-local"' in text(form)
    assert "Lessons learned" in text(form)

    response = client.post(
        reverse("stories:call_create", args=[network.slug]),
        {"title": "Workforce management", "brief": "Share **how** you hire.", "deadline": "2031-03-08T09:30"},
    )

    opened = CaseStudyCall.objects.get()
    assert response.status_code == 302
    assert response["Location"] == opened.get_absolute_url()
    assert opened.deadline == datetime(2031, 3, 8, 9, 30, tzinfo=ZoneInfo("Pacific/Auckland"))
    assert "<strong>how</strong>" in opened.brief_html
    assert opened.opened_by == admin


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"title": "  ", "deadline": "2031-01-01T10:00"}, "Give the call a title."),
        ({"title": "Late", "deadline": "2001-01-01T10:00"}, "The deadline must be in the future."),
        ({"title": "Odd", "deadline": "next tuesday"}, "Enter the deadline as a date and a time."),
        ({"title": "Endless", "deadline": ""}, "Choose the deadline for case studies."),
    ],
)
def test_a_call_without_a_title_or_a_good_deadline_is_refused_with_the_text_kept(
    client, network, admin, fields, message
):
    response = signed_in(client, admin).post(
        reverse("stories:call_create", args=[network.slug]), {"brief": "Our *long* brief.", **fields}
    )

    assert response.status_code == 400
    assert message in text(response)
    assert "Our *long* brief." in text(response)
    assert not CaseStudyCall.objects.exists()


@pytest.mark.parametrize("persona", ["member", "champion", "moderator"])
def test_only_the_network_s_admins_open_calls(request, client, network, persona):
    response = signed_in(client, request.getfixturevalue(persona)).post(
        reverse("stories:call_create", args=[network.slug]),
        {"title": "T", "brief": "B", "deadline": "2031-01-01T10:00"},
    )

    assert response.status_code == 403
    assert "Only the network&#x27;s admins may do this." in text(response)
    assert not CaseStudyCall.objects.exists()


def test_an_admin_of_another_network_cannot_open_or_close_its_calls(client, network, call):
    signed_in(client, other_admin())

    opened = client.get(reverse("stories:call_create", args=[network.slug]))
    closed = client.post(call_url(call, "call_close"))

    assert opened.status_code == closed.status_code == 403
    assert "Only the network&#x27;s admins may do this." in text(closed)
    call.refresh_from_db()
    assert call.state == CaseStudyCall.State.OPEN


def test_a_visitor_is_sent_to_log_in_to_open_a_call(client, network):
    response = client.get(reverse("stories:call_create", args=[network.slug]))

    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_an_admin_closes_a_call_and_it_takes_no_more_case_studies(client, call, admin, member, draft):
    assert signed_in(client, admin).get(call_url(call, "call_close")).status_code == 405
    response = client.post(call_url(call, "call_close"), follow=True)

    call.refresh_from_db()
    assert call.state == CaseStudyCall.State.CLOSED
    assert "The call is closed: it takes no more case studies." in text(response)
    assert "Close the call" not in text(response)

    sent = signed_in(client, member).post(call_url(call, "call_submit"), {"story": draft.pk})
    assert sent.status_code == 400
    assert "This call is closed: it no longer takes case studies." in text(sent)
    assert not CaseStudySubmission.objects.exists()


def test_a_member_cannot_close_a_call(client, call, member):
    response = signed_in(client, member).post(call_url(call, "call_close"))

    assert response.status_code == 403
    call.refresh_from_db()
    assert call.state == CaseStudyCall.State.OPEN


# --- Starting and sending a case study --------------------------------------------------------------


def test_a_member_starts_a_case_study_from_the_call_s_template(client, call, member, network):
    response = signed_in(client, member).post(call_url(call), {"title": "Hybrid work in Finnish Customs"})

    story = Story.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("stories:edit", args=[story.pk])
    assert (story.author, story.kind, story.status) == (member, Story.Kind.CASE_STUDY, Story.Status.DRAFT)
    assert story.title == "Hybrid work in Finnish Customs"
    assert list(story.networks.all()) == [network]
    headings = re.findall(r"^## (.+)$", story.body, flags=re.MULTILINE)
    assert headings == ["Context", "Challenge", "Approach", "Results", "Lessons learned"]
    assert re.search(r"<h\d>Context</h\d>", story.body_html)


def test_starting_a_case_study_without_a_title_is_refused(client, call, member):
    response = signed_in(client, member).post(call_url(call), {"title": " "})

    assert response.status_code == 400
    assert "Give the story a title." in text(response)
    assert not Story.objects.exists()


def test_a_case_study_cannot_be_started_for_a_call_past_its_deadline(client, call, member):
    call.deadline = timezone.now() - timedelta(minutes=1)
    call.save()

    response = signed_in(client, member).post(call_url(call), {"title": "Too late"})

    assert response.status_code == 400
    assert "its deadline has passed" in text(response)
    assert not Story.objects.exists()


def test_outsiders_cannot_start_a_case_study_and_visitors_are_sent_to_log_in(client, call, outsider):
    visitor = client.post(call_url(call), {"title": "Mine"})
    assert visitor.status_code == 302
    assert reverse("account_login") in visitor["Location"]

    response = signed_in(client, outsider).post(call_url(call), {"title": "Mine"})
    assert response.status_code == 403
    assert "Only members of the network may answer its call for case studies." in text(response)
    assert not Story.objects.exists()


def test_a_member_sends_a_draft_to_the_call(client, call, member, draft):
    response = signed_in(client, member).post(call_url(call, "call_submit"), {"story": draft.pk}, follow=True)

    sent = CaseStudySubmission.objects.get()
    assert response.redirect_chain == [(submission_url(sent), 302)]
    assert "is sent to the call" in text(response)
    draft.refresh_from_db()
    assert (draft.status, draft.kind) == (Story.Status.IN_REVIEW, Story.Kind.CASE_STUDY)


def test_a_submission_after_the_deadline_is_refused_and_the_story_is_kept(client, call, member, draft):
    call.deadline = timezone.now() - timedelta(minutes=1)
    call.save()
    before = (draft.title, draft.body, draft.status)

    response = signed_in(client, member).post(call_url(call, "call_submit"), {"story": draft.pk})

    assert response.status_code == 400
    assert "This call is closed: its deadline has passed. Your story is kept as it is." in text(response)
    draft.refresh_from_db()
    assert (draft.title, draft.body, draft.status) == before
    assert not CaseStudySubmission.objects.exists()


def test_one_cannot_send_someone_else_s_story_or_none(client, call, champion, draft):
    signed_in(client, champion)

    someone_elses = client.post(call_url(call, "call_submit"), {"story": draft.pk})
    nothing = client.post(call_url(call, "call_submit"), {})

    assert someone_elses.status_code == nothing.status_code == 400
    assert "Choose one of your drafts, returned or unpublished stories." in text(someone_elses)
    assert "Choose the story to send." in text(nothing)
    assert not CaseStudySubmission.objects.exists()


def test_a_story_already_sent_is_not_offered_nor_taken_again(client, call, member, sent):
    signed_in(client, member)

    assert f'<option value="{sent.story.pk}"' not in text(client.get(call_url(call)))
    again = client.post(call_url(call, "call_submit"), {"story": sent.story.pk})
    assert again.status_code == 400
    assert CaseStudySubmission.objects.get().round == 1


def test_outsiders_and_other_networks_admins_cannot_send_to_the_call(client, call, outsider):
    own = StoryFactory(author=outsider)

    for person in (outsider, other_admin()):
        response = signed_in(client, person).post(call_url(call, "call_submit"), {"story": own.pk})
        assert response.status_code == 403
        assert "Only members of the network may answer its call for case studies." in text(response)
    assert not CaseStudySubmission.objects.exists()


# --- One submission and its review ------------------------------------------------------------------


def test_a_submission_is_read_by_its_authors_and_the_network_s_admins_only(
    client, sent, member, admin, champion, outsider
):
    co_author = UserFactory()
    sent.story.co_authors.add(co_author)
    for reader in (member, co_author, admin):
        page = signed_in(client, reader).get(submission_url(sent))
        assert page.status_code == 200, reader
        assert "We asked the <strong>teams</strong> first." in text(page)

    for stranger in (champion, outsider, other_admin()):
        refused = signed_in(client, stranger).get(submission_url(sent))
        assert refused.status_code == 403
        assert (
            "Only the case study&#x27;s authors and the network&#x27;s admins may read this submission."
            in text(refused)
        )
    client.logout()
    assert client.get(submission_url(sent)).status_code == 403


def test_a_submission_is_found_only_under_its_own_network(client, sent, admin):
    elsewhere = MembershipFactory(user=admin, role=Membership.Role.ADMIN).network
    signed_in(client, admin)

    assert client.get(reverse("stories:submission", args=[elsewhere.slug, sent.pk])).status_code == 404
    assert (
        client.get(reverse("stories:submission", args=[sent.call.network.slug, sent.pk + 9])).status_code
        == 404
    )


def test_only_admins_get_the_review_form(client, sent, member, admin):
    assert 'name="decision"' not in text(signed_in(client, member).get(submission_url(sent)))
    assert 'name="decision"' in text(signed_in(client, admin).get(submission_url(sent)))


def test_returning_without_comments_is_refused_and_nothing_is_recorded(client, sent, admin):
    response = signed_in(client, admin).post(submission_url(sent), {"decision": "return", "comments": "  "})

    assert response.status_code == 400
    assert "Tell the authors what to change before returning it." in text(response)
    assert not SubmissionReview.objects.exists()
    sent.refresh_from_db()
    assert sent.state == CaseStudySubmission.State.SUBMITTED


def test_a_review_without_a_decision_keeps_the_comments(client, sent, admin):
    response = signed_in(client, admin).post(submission_url(sent), {"comments": "Lovely *results*."})

    assert response.status_code == 400
    assert "Choose to accept or to return the case study." in text(response)
    assert "Lovely *results*." in text(response)


def test_an_admin_returns_a_case_study_and_its_author_sees_the_comments_and_can_send_it_again(
    client, sent, admin, member
):
    response = signed_in(client, admin).post(
        submission_url(sent), {"decision": "return", "comments": "Add your **results**."}, follow=True
    )
    assert "The case study is returned to its authors with your comments." in text(response)
    assert 'name="decision"' not in text(response)

    page = text(signed_in(client, member).get(submission_url(sent)))
    assert "Add your <strong>results</strong>." in page
    assert reverse("stories:edit", args=[sent.story.pk]) in page
    assert "Send it again" in page

    again = client.post(call_url(sent.call, "call_submit"), {"story": sent.story.pk}, follow=True)
    assert "sent again, for review round 2" in text(again)
    sent.refresh_from_db()
    assert (sent.round, sent.state) == (2, CaseStudySubmission.State.SUBMITTED)


def test_a_returned_case_study_cannot_be_sent_again_once_the_call_is_closed(client, sent, admin, member):
    services.review_submission(actor=admin, submission=sent, decision="return", comments="More.")
    services.close_call(actor=admin, call=sent.call)

    page = text(signed_in(client, member).get(submission_url(sent)))

    assert "Send it again" not in page
    assert "The call is closed, so the case study cannot be sent to it again." in page


def test_a_review_posted_again_is_refused_with_a_clear_message(client, sent, admin):
    signed_in(client, admin)
    client.post(submission_url(sent), {"decision": "accept"})

    again = client.post(submission_url(sent), {"decision": "return", "comments": "Wait"})

    assert again.status_code == 400
    assert "This submission has already been reviewed." in text(again)
    assert list(SubmissionReview.objects.values_list("decision", flat=True)) == ["accept"]


@pytest.mark.parametrize("reviewer", ["member", "champion", "moderator"])
def test_only_the_network_s_admins_review(request, client, sent, reviewer):
    response = signed_in(client, request.getfixturevalue(reviewer)).post(
        submission_url(sent), {"decision": "accept"}
    )

    assert response.status_code == 403
    assert not SubmissionReview.objects.exists()


def test_an_admin_of_another_network_cannot_review(client, sent):
    response = signed_in(client, other_admin()).post(submission_url(sent), {"decision": "accept"})

    assert response.status_code == 403
    sent.refresh_from_db()
    assert sent.state == CaseStudySubmission.State.SUBMITTED


# --- A fixed number of queries per page -------------------------------------------------------------


def _calls_with_submissions(network: Network, admin, count: int, authors: list) -> list[CaseStudyCall]:
    made = []
    for n in range(count):
        call = open_call(network, admin, f"Call {n}", days=n - count / 2)
        story = StoryFactory(author=authors[n % len(authors)], networks=[network])
        story.co_authors.add(authors[(n + 1) % len(authors)])
        CaseStudySubmission.objects.create(call=call, story=story, submitted_at=timezone.now())
        made.append(call)
    return made


@pytest.mark.parametrize("persona", ["anonymous", "member", "admin"])
def test_the_call_list_runs_the_same_few_queries_for_10_and_100_calls(
    request, client, network, admin, member, champion, persona
):
    if persona != "anonymous":
        signed_in(client, request.getfixturevalue(persona))
    counts = []
    for size in (10, 100):
        _calls_with_submissions(network, admin, size - CaseStudyCall.objects.count(), [member, champion])
        counts.append(len(queries(client, calls_url(network))))

    assert counts[0] == counts[1]
    assert counts[0] <= 8


@pytest.mark.parametrize("persona", ["anonymous", "member", "admin"])
def test_the_call_page_runs_the_same_few_queries_for_5_and_50_submissions(
    request, client, network, admin, member, champion, persona
):
    if persona != "anonymous":
        signed_in(client, request.getfixturevalue(persona))
    counts = []
    for size in (5, 50):
        call = open_call(network, admin, f"Call of {size}")
        for n in range(size):
            story = StoryFactory(author=(member, champion)[n % 2], networks=[network])
            story.co_authors.add(UserFactory())
            CaseStudySubmission.objects.create(call=call, story=story, submitted_at=timezone.now())
            StoryFactory(author=member, networks=[network])
        counts.append(len(queries(client, call_url(call))))

    assert counts[0] == counts[1]
    assert counts[0] <= 8


def test_the_submission_page_runs_the_same_few_queries_for_1_and_8_reviews(client, network, admin, member):
    signed_in(client, admin)
    counts = []
    for rounds in (1, 8):
        call = open_call(network, admin, f"Call of {rounds}")
        story = StoryFactory(author=member, networks=[network])
        story.co_authors.add(UserFactory(), UserFactory())
        sent = services.submit_case_study(actor=member, call=call, story=story)
        for _ in range(rounds):
            services.review_submission(actor=admin, submission=sent, decision="return", comments="Again.")
            sent = services.submit_case_study(actor=member, call=call, story=sent.story)
        counts.append(len(queries(client, submission_url(sent))))

    assert counts[0] == counts[1]
    assert counts[0] <= 8
