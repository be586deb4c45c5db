"""Reads for the pages of a network's calls for case studies and of the case studies sent to them, each
with a fixed number of queries whatever the number of calls, submissions and reviews.

Permissions are asked through the `*_refusal` rules of stories.permissions, fed with facts fetched here
once per page (the network and the viewer's active rows in it).
"""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet

from network.models import Membership, Network
from network.permissions import AnyUser
from profiles.models import User
from stories import permissions
from stories.models import CaseStudyCall, CaseStudySubmission, Story, SubmissionReview
from stories.services.calls import is_call_open
from stories.services.publishing import SUBMITTABLE_STATUSES

# --- The network ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class NetworkVisit:
    """A network whose calls and compendiums the viewer may read, with the viewer's active rows in it."""

    network: Network
    memberships: list[Membership]
    # Why the viewer may not run the network's calls and compendiums (only its admins do), or None.
    run_refusal: str | None
    # Why the viewer may not write case studies for the network's calls, or None.
    answer_refusal: str | None

    @property
    def can_run(self) -> bool:
        return self.run_refusal is None

    @property
    def can_answer(self) -> bool:
        return self.answer_refusal is None


def network_visit(viewer: AnyUser, network_slug: str) -> NetworkVisit | None:
    """The network at `network_slug` if `viewer` may read its calls and compendiums, else None: a
    missing network and one kept from the viewer look the same."""
    network = Network.objects.filter(slug=network_slug).first()
    return visit_network(viewer, network) if network is not None else None


def visit_network(viewer: AnyUser, network: Network) -> NetworkVisit | None:
    """`network`, read with what is shown in it, if `viewer` may read its calls and compendiums."""
    if permissions.view_network_stories_refusal(viewer, network) is not None:
        return None
    memberships = permissions.active_memberships(viewer, [network])
    return NetworkVisit(
        network=network,
        memberships=memberships,
        run_refusal=permissions.run_network_stories_refusal(viewer, memberships),
        answer_refusal=permissions.answer_call_refusal(viewer, memberships),
    )


# --- The calls --------------------------------------------------------------------------------------


def template_sections() -> list[str]:
    """The headings of the sections every case study of a call follows, in order."""
    return [str(heading) for _key, heading in CaseStudyCall.TEMPLATE_SECTIONS]


@dataclass(frozen=True)
class CallRow:
    call: CaseStudyCall
    is_open: bool
    submission_count: int


@dataclass(frozen=True)
class CallList:
    open_calls: list[CallRow]
    closed_calls: list[CallRow]


def call_list(visit: NetworkVisit, now: datetime) -> CallList:
    """The network's calls: those still taking case studies first, the nearest deadline first; then the
    closed ones and those past their deadline, the latest first."""
    calls = CaseStudyCall.objects.filter(network=visit.network).annotate(
        submission_count=Count("submissions")
    )
    rows = [CallRow(call, is_call_open(call, now), call.submission_count) for call in calls]
    for row in rows:
        row.call.network = visit.network
    return CallList(
        open_calls=sorted(
            (row for row in rows if row.is_open), key=lambda row: (row.call.deadline, row.call.pk)
        ),
        closed_calls=[row for row in rows if not row.is_open],
    )


def call_for_reader(
    viewer: AnyUser, network_slug: str, call_id: int
) -> tuple[NetworkVisit, CaseStudyCall] | None:
    """The call at this address, with its network, if `viewer` may read it; read with its network in one
    query."""
    call = (
        CaseStudyCall.objects.select_related("network").filter(network__slug=network_slug, pk=call_id).first()
    )
    visit = visit_network(viewer, call.network) if call is not None else None
    return (visit, call) if visit is not None and call is not None else None


def sendable_stories(viewer: User) -> QuerySet[Story]:
    """The stories `viewer` may send to a call: their own (as author or co-author) drafts, returned and
    unpublished stories, the latest worked on first."""
    co_authored = Story.co_authors.through.objects.filter(story=OuterRef("pk"), user=viewer)
    return Story.objects.filter(
        Q(author=viewer) | Q(Exists(co_authored)), status__in=SUBMITTABLE_STATUSES
    ).order_by("-updated_at", "-pk")


@dataclass(frozen=True)
class SubmissionRow:
    submission: CaseStudySubmission
    authors: list[User]


@dataclass(frozen=True)
class CallPage:
    call: CaseStudyCall
    is_open: bool
    # Every case study sent to the call, for the network's admins; empty for anyone else.
    submissions: list[SubmissionRow]
    # The viewer's own stories sent to the call.
    own_submissions: list[CaseStudySubmission]

    @property
    def sections(self) -> list[str]:
        return template_sections()


def call_page(viewer: AnyUser, visit: NetworkVisit, call: CaseStudyCall, now: datetime) -> CallPage:
    submissions: list[SubmissionRow] = []
    if visit.can_run:
        rows = (
            call.submissions.select_related("story__author")
            .prefetch_related("story__co_authors")
            .order_by("-submitted_at", "-pk")
        )
        submissions = [SubmissionRow(row, _authors(row.story)) for row in rows]
    own: list[CaseStudySubmission] = []
    if isinstance(viewer, User):
        co_authored = Story.co_authors.through.objects.filter(story=OuterRef("story"), user=viewer)
        own = list(
            call.submissions.filter(Q(story__author=viewer) | Q(Exists(co_authored)))
            .select_related("story")
            .order_by("-submitted_at", "-pk")
        )
    return CallPage(call=call, is_open=is_call_open(call, now), submissions=submissions, own_submissions=own)


def _authors(story: Story) -> list[User]:
    """The story's author then its co-authors, from what was read with it."""
    return [story.author, *story.co_authors.all()]


# --- One submission ---------------------------------------------------------------------------------


def submission_for_reader(
    viewer: AnyUser, network_slug: str, submission_id: int
) -> tuple[NetworkVisit, CaseStudySubmission] | None:
    """The submission at this address with its call, story, authors and reviews (with their reviewers),
    if it answers a call of a network `viewer` may see; whether they may read it is theirs to ask
    (SubmissionPage.view_refusal)."""
    submission = (
        CaseStudySubmission.objects.filter(call__network__slug=network_slug, pk=submission_id)
        .select_related("call__network", "story__author")
        .prefetch_related(
            "story__co_authors",
            Prefetch("reviews", queryset=SubmissionReview.objects.select_related("reviewer")),
        )
        .first()
    )
    visit = visit_network(viewer, submission.call.network) if submission is not None else None
    return (visit, submission) if visit is not None and submission is not None else None


@dataclass(frozen=True)
class SubmissionPage:
    submission: CaseStudySubmission
    authors: list[User]
    reviews: list[SubmissionReview]
    call_is_open: bool
    is_author: bool
    # Why the viewer may not read the submission, or None.
    view_refusal: str | None
    # Whether the viewer reviews it now: an admin, and the submission waits for a decision.
    can_review: bool

    @property
    def can_send_again(self) -> bool:
        returned = self.submission.state == CaseStudySubmission.State.RETURNED
        return self.is_author and returned and self.call_is_open


def submission_page(
    viewer: AnyUser, visit: NetworkVisit, submission: CaseStudySubmission, now: datetime
) -> SubmissionPage:
    authors = _authors(submission.story)
    is_author = viewer.is_authenticated and any(author.pk == viewer.pk for author in authors)
    waiting = submission.state == CaseStudySubmission.State.SUBMITTED
    return SubmissionPage(
        submission=submission,
        authors=authors,
        reviews=list(submission.reviews.all()),
        call_is_open=is_call_open(submission.call, now),
        is_author=is_author,
        view_refusal=permissions.view_submission_refusal(viewer, is_author, visit.memberships),
        can_review=visit.can_run and waiting,
    )
