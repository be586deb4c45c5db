"""Reporting something to a network's moderators: a page that shows what is reported and asks why.

A network one may not see, an unknown kind of target, or a target that is not in the network answers
404; someone who may not report there (not a member) 403 with the reason. Once reported, the reporter
goes back to what they reported (or to `next`, an address of this site).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from forums.permissions.roles import raise_if
from moderation import targets
from moderation.forms.reports import ReportForm
from moderation.models import TargetKind
from moderation.permissions import report_refusal
from moderation.services import reports as services
from network.selectors import visible_network
from profiles.models import User


@login_required
@require_http_methods(["GET", "POST"])
def report(request: HttpRequest, network_slug: str, target_kind: str, target_id: int) -> HttpResponse:
    return _report(request, network_slug, target_kind, target_id)


@login_required
@require_http_methods(["GET", "POST"])
def report_profile(request: HttpRequest, network_slug: str, username: str) -> HttpResponse:
    person = get_object_or_404(User, username=username)
    return _report(request, network_slug, TargetKind.PROFILE, person.pk)


def _report(request: HttpRequest, network_slug: str, target_kind: str, target_id: int) -> HttpResponse:
    assert isinstance(request.user, User)
    visit = visible_network(request.user, network_slug)
    if visit is None:
        raise Http404(_("No network is found at this address."))
    network = visit.network
    target = targets.load(network, target_kind, target_id)
    if target is None:
        raise Http404(_("There is nothing to report at this address."))
    raise_if(report_refusal(request.user, visit.viewer_membership))
    back = _next(request) or target.url or network.get_absolute_url()
    refusal = services.unreportable_reason(request.user, target)
    form = ReportForm(request.POST if request.method == "POST" else None)
    if refusal is None and form.is_valid():
        try:
            services.report(
                actor=request.user,
                network=network,
                target_kind=target.kind,
                target_id=target.id,
                reason=form.cleaned_data["reason"],
                text=form.cleaned_data["text"],
            )
        except ValidationError as error:
            # Keyed by field (reason, text) or not (the target, a second report): both fit the form.
            form.add_error(None, error)
        else:
            messages.success(request, _("Thank you: the moderators will look at it."))
            return redirect(back)
    context = {"network": network, "target": target, "form": form, "refusal": refusal, "back": back}
    status = 400 if request.method == "POST" and (form.errors or refusal) else 200
    return render(request, "moderation/report.html", context, status=status)


def _next(request: HttpRequest) -> str:
    """The address of this site the reporter came from and goes back to, if given."""
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    allowed = url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return candidate if allowed else ""
