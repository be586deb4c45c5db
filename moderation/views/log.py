"""A network's moderation log: the full log for its moderators (who did what to which target, why, and
what changed), and the public log for whoever may see the network (what kind of action, on what kind of
thing, and why; never who acted or whom it concerned).

Both are read newest first, a page at a time, and filtered by action with a plain GET form; a filter
that does not parse shows the form again with the reason (400).
"""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from moderation.forms.members import LogFilterForm
from moderation.permissions import can_read_public_log
from moderation.selectors import log as selectors
from moderation.views.members import moderated_network
from network.selectors import visible_network


@login_required
@require_GET
def full_log(request: HttpRequest, network_slug: str) -> HttpResponse:
    network = moderated_network(request, network_slug).network
    form = LogFilterForm(request.GET)
    if not form.is_valid():
        return render(
            request, "moderation/log.html", {"network": network, "form": form, "log": None}, status=400
        )
    log = selectors.full_log(
        network=network, action=form.cleaned_data["action"], before=form.cleaned_data["before"]
    )
    return render(request, "moderation/log.html", {"network": network, "form": form, "log": log})


@require_GET
def public_log(request: HttpRequest, network_slug: str) -> HttpResponse:
    visit = visible_network(request.user, network_slug)
    if visit is None or not can_read_public_log(request.user, visit.network):
        raise Http404(_("No network is found at this address."))
    network = visit.network
    form = LogFilterForm(request.GET)
    context = {"network": network, "form": form, "log": None}
    if not form.is_valid():
        return render(request, "moderation/log_public.html", context, status=400)
    context["log"] = selectors.public_log(
        network=network, action=form.cleaned_data["action"], before=form.cleaned_data["before"]
    )
    return render(request, "moderation/log_public.html", context)
