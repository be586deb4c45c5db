"""Calls for case studies: opening and closing them, starting and sending case studies, reviewing them
in rounds."""

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

import richtext
from network.models import Network
from profiles.models import User
from stories import permissions
from stories.models import CaseStudyCall, CaseStudySubmission, Story, SubmissionReview
from stories.services import writing
from stories.services.publishing import SUBMITTABLE_STATUSES, go_out


def is_call_open(call: CaseStudyCall, now: datetime) -> bool:
    """Whether `call` still takes case studies at `now`: open, and before its deadline."""
    return call.state == CaseStudyCall.State.OPEN and now < call.deadline


def case_study_template() -> str:
    """The Markdown a case study starts from: one heading per section of the calls' template, in the
    active language, each followed by room to write."""
    return "".join(f"## {heading}\n\n\n" for _key, heading in CaseStudyCall.TEMPLATE_SECTIONS)


@transaction.atomic
def open_call(*, actor: User, network: Network, title: str, brief: str, deadline: datetime) -> CaseStudyCall:
    permissions.check_run_network_stories(actor, network)
    errors: dict[str, list[str]] = {}
    if not title.strip():
        errors["title"] = [_("Give the call a title.")]
    if not brief.strip():
        errors["brief"] = [_("Say what the call asks for: members write their case studies from it.")]
    if deadline <= timezone.now():
        errors["deadline"] = [_("The deadline must be in the future.")]
    if errors:
        raise ValidationError(errors)
    return CaseStudyCall.objects.create(
        network=network,
        title=title.strip(),
        brief=brief,
        brief_html=richtext.render_markdown(brief),
        deadline=deadline,
        opened_by=actor,
    )


@transaction.atomic
def close_call(*, actor: User, call: CaseStudyCall) -> CaseStudyCall:
    permissions.check_review_submissions(actor, call)
    call.state = CaseStudyCall.State.CLOSED
    call.save(update_fields=["state"])
    return call


@transaction.atomic
def start_case_study_draft(*, author: User, call: CaseStudyCall, title: str) -> Story:
    """A draft case study for `call`, shared with its network, whose body holds the template's sections
    for the author to fill in. It is sent to the call later, with submit_case_study."""
    permissions.check_answer_call(author, call)
    _require_open(call)
    text = writing.StoryText(
        title=title, networks=[call.network], body=case_study_template(), kind=Story.Kind.CASE_STUDY
    )
    return writing.create_draft(author=author, text=text)


@transaction.atomic
def submit_case_study(*, actor: User, call: CaseStudyCall, story: Story) -> CaseStudySubmission:
    """Send `story` to `call`; a returned submission comes back as its next round."""
    permissions.check_submit_case_study(actor, call, story)
    _require_open(call)
    submission = CaseStudySubmission.objects.select_for_update().filter(call=call, story=story).first()
    if submission is not None and submission.state != CaseStudySubmission.State.RETURNED:
        raise ValidationError(_("This story was already sent to this call."), code="already_submitted")
    if story.status not in SUBMITTABLE_STATUSES:
        raise ValidationError(
            {"story": [_("Only a draft, a returned or an unpublished story can be sent to a call.")]}
        )
    now = timezone.now()
    if submission is None:
        submission = CaseStudySubmission(call=call, story=story)
    else:
        submission.round += 1
        submission.state = CaseStudySubmission.State.SUBMITTED
    submission.submitted_at = now
    submission.save()
    story.kind = Story.Kind.CASE_STUDY
    story.status = Story.Status.IN_REVIEW
    story.save(update_fields=["kind", "status", "updated_at"])
    story.networks.add(call.network)
    return submission


def _require_open(call: CaseStudyCall) -> None:
    if call.state != CaseStudyCall.State.OPEN:
        raise ValidationError(_("This call is closed: it no longer takes case studies."), code="call_closed")
    if not is_call_open(call, timezone.now()):
        raise ValidationError(
            _("This call is closed: its deadline has passed. Your story is kept as it is."),
            code="call_closed",
        )


@transaction.atomic
def review_submission(
    *, actor: User, submission: CaseStudySubmission, decision: str, comments: str = ""
) -> SubmissionReview:
    """Accept a case study, which publishes it, or return it with comments for another round."""
    permissions.check_review_submissions(actor, submission.call)
    # Read under a lock: of two reviewers deciding at once, the second is told it is already done.
    state = (
        CaseStudySubmission.objects.select_for_update().values_list("state", flat=True).get(pk=submission.pk)
    )
    if state != CaseStudySubmission.State.SUBMITTED:
        raise ValidationError(_("This submission has already been reviewed."), code="already_reviewed")
    if decision not in SubmissionReview.Decision.values:
        raise ValidationError({"decision": [_("Choose to accept or to return the case study.")]})
    if decision == SubmissionReview.Decision.RETURN and not comments.strip():
        raise ValidationError({"comments": [_("Tell the authors what to change before returning it.")]})
    review = SubmissionReview.objects.create(
        submission=submission,
        reviewer=actor,
        decision=decision,
        round=submission.round,
        comments=comments,
        comments_html=richtext.render_markdown(comments),
    )
    story = submission.story
    if decision == SubmissionReview.Decision.ACCEPT:
        submission.state = CaseStudySubmission.State.ACCEPTED
        go_out(story, timezone.now())
    else:
        submission.state = CaseStudySubmission.State.RETURNED
        story.status = Story.Status.RETURNED
        story.save(update_fields=["status", "updated_at"])
    submission.save(update_fields=["state"])
    return review
