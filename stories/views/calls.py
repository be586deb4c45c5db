"""The pages of a network's calls for case studies: thin translations of HTTP into selector reads and
service calls, every one working without JavaScript.

A POST to a call's own page starts a case study for it (a draft holding the template's sections), so
that a refused start comes back at the same address with what was typed; a POST to a submission's page
is its review. A network one may not see answers 404, like a call that does not exist; an action one may
not take answers 403 with the reason on the page. A form refused comes back with what was typed and
the reasons beside the fields, with status 400.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from config.pages import form_status, refusals_shown, signed_in
from forums.permissions.roles import raise_if
from profiles.models import User
from stories.forms.calls import CallForm, ReviewForm, SendStoryForm, StartCaseStudyForm
from stories.models import CaseStudyCall, CaseStudySubmission, SubmissionReview
from stories.selectors import calls as selectors
from stories.services import calls as services


def network_for_reader(request: HttpRequest, network_slug: str) -> selectors.NetworkVisit:
    visit = selectors.network_visit(request.user, network_slug)
    if visit is None:
        raise Http404(_("No network is found at this address."))
    return visit


def _call_for_reader(
    request: HttpRequest, network_slug: str, call_id: int
) -> tuple[selectors.NetworkVisit, CaseStudyCall]:
    found = selectors.call_for_reader(request.user, network_slug, call_id)
    if found is None:
        raise Http404(_("No call for case studies is found at this address."))
    return found


# --- The calls --------------------------------------------------------------------------------------


@refusals_shown
@require_GET
def call_list(request: HttpRequest, network_slug: str) -> HttpResponse:
    visit = network_for_reader(request, network_slug)
    context = {"network": visit.network, "visit": visit, "calls": selectors.call_list(visit, timezone.now())}
    return render(request, "stories/call_list.html", context)


@refusals_shown
@login_required
@require_http_methods(["GET", "POST"])
def call_create(request: HttpRequest, network_slug: str) -> HttpResponse:
    visit = network_for_reader(request, network_slug)
    raise_if(visit.run_refusal)
    form = CallForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        try:
            opened = services.open_call(actor=signed_in(request), network=visit.network, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The call “%(title)s” is open.") % {"title": opened.title})
            return redirect(opened)
    context = {
        "network": visit.network,
        "form": form,
        "forms": [form],
        "sections": selectors.template_sections(),
    }
    return render(request, "stories/call_form.html", context, status=form_status(form))


@refusals_shown
@require_http_methods(["GET", "POST"])
def call(request: HttpRequest, network_slug: str, pk: int) -> HttpResponse:
    """A call's page; a POST to it starts a case study for the call."""
    visit, found = _call_for_reader(request, network_slug, pk)
    start_form = StartCaseStudyForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if not isinstance(request.user, User):
            return redirect_to_login(found.get_absolute_url())
        raise_if(visit.answer_refusal)
        if start_form.is_valid():
            try:
                draft = services.start_case_study_draft(
                    author=request.user, call=found, title=start_form.cleaned_data["title"]
                )
            except ValidationError as error:
                start_form.add_error(None, error)
            else:
                messages.success(
                    request,
                    _("Your case study is started: write each section, then send it from the call's page."),
                )
                return redirect("stories:edit", draft.pk)
    return _render_call(request, visit, found, start_form=start_form)


def _render_call(
    request: HttpRequest,
    visit: selectors.NetworkVisit,
    found: CaseStudyCall,
    *,
    start_form: StartCaseStudyForm | None = None,
    send_form: SendStoryForm | None = None,
) -> HttpResponse:
    page = selectors.call_page(request.user, visit, found, timezone.now())
    start_form = start_form if start_form is not None else StartCaseStudyForm()
    if send_form is None and visit.can_answer and isinstance(request.user, User):
        send_form = SendStoryForm(stories=selectors.sendable_stories(request.user))
    forms: list[Form] = [start_form] if send_form is None else [start_form, send_form]
    context = {
        "network": visit.network,
        "visit": visit,
        "call": found,
        "page": page,
        "start_form": start_form,
        "send_form": send_form,
        "forms": forms,
    }
    return render(request, "stories/call_detail.html", context, status=form_status(*forms))


@refusals_shown
@login_required
@require_POST
def call_submit(request: HttpRequest, network_slug: str, pk: int) -> HttpResponse:
    """Send one of the sender's stories to the call, or send a returned one again for its next round."""
    visit, found = _call_for_reader(request, network_slug, pk)
    raise_if(visit.answer_refusal)
    sender = signed_in(request)
    form = SendStoryForm(request.POST, stories=selectors.sendable_stories(sender))
    if form.is_valid():
        try:
            sent = services.submit_case_study(actor=sender, call=found, story=form.cleaned_data["story"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _send_message(sent))
            return redirect(_submission_url(sent))
    return _render_call(request, visit, found, send_form=form)


def _send_message(sent: CaseStudySubmission) -> str:
    if sent.round == 1:
        return _("“%(title)s” is sent to the call. The network's admins will review it.") % {
            "title": sent.story.title
        }
    return _("“%(title)s” is sent again, for review round %(round)d.") % {
        "title": sent.story.title,
        "round": sent.round,
    }


def _submission_url(submission: CaseStudySubmission) -> str:
    return reverse("stories:submission", args=[submission.call.network.slug, submission.pk])


@refusals_shown
@login_required
@require_POST
def call_close(request: HttpRequest, network_slug: str, pk: int) -> HttpResponse:
    visit, found = _call_for_reader(request, network_slug, pk)
    raise_if(visit.run_refusal)
    services.close_call(actor=signed_in(request), call=found)
    messages.success(request, _("The call is closed: it takes no more case studies."))
    return redirect(found)


# --- One submission ---------------------------------------------------------------------------------


@refusals_shown
@require_http_methods(["GET", "POST"])
def submission(request: HttpRequest, network_slug: str, pk: int) -> HttpResponse:
    """A case study sent to a call, with its reviews; a POST to it is a review."""
    read = selectors.submission_for_reader(request.user, network_slug, pk)
    if read is None:
        raise Http404(_("No submission is found at this address."))
    visit, found = read
    if request.method == "POST" and not isinstance(request.user, User):
        return redirect_to_login(_submission_url(found))
    page = selectors.submission_page(request.user, visit, found, timezone.now())
    raise_if(page.view_refusal)
    review_form = None
    if request.method == "POST":
        raise_if(visit.run_refusal)
        review_form = ReviewForm(request.POST)
        if _review(request, found, review_form):
            return redirect(_submission_url(found))
    elif page.can_review:
        review_form = ReviewForm()
    context = {
        "network": visit.network,
        "call": found.call,
        "story": found.story,
        "page": page,
        "review_form": review_form,
        "forms": [review_form] if review_form is not None else [],
    }
    status = form_status(review_form) if review_form is not None else 200
    return render(request, "stories/submission_detail.html", context, status=status)


def _review(request: HttpRequest, found: CaseStudySubmission, form: ReviewForm) -> bool:
    """Record the review in `form` if it holds one; say whether it did."""
    if not form.is_valid():
        return False
    try:
        review = services.review_submission(actor=signed_in(request), submission=found, **form.cleaned_data)
    except ValidationError as error:
        form.add_error(None, error)
        return False
    if review.decision == SubmissionReview.Decision.ACCEPT:
        messages.success(request, _("The case study is accepted and published."))
    else:
        messages.success(request, _("The case study is returned to its authors with your comments."))
    return True
