"""Members' standing, for a network's moderators: its members with their mutes, suspensions and
warnings, one member's file, and the sanctions taken from there.

Each page answers 404 for a network the viewer may not see or a person who never had a place in it,
and 403 with the reason to anyone who is not one of its moderators. Sanctions are plain forms that come
back to the member's page: a mistyped one shows the page again with the reasons beside the fields and
what was typed kept (400); one the rules refuse (yourself, an admin, someone who left) answers 403 with
the reason; a lift that came too late (the mute ended, another moderator lifted it) says so.
"""

from collections.abc import Callable
from datetime import datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import InvalidPage
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from forums.permissions.roles import raise_if
from moderation.forms.members import LiftForm, MemberSearchForm, TimedSanctionForm, WarnForm
from moderation.models import Sanction
from moderation.permissions import moderate_refusal
from moderation.selectors import members as selectors
from moderation.services import members as services
from network.models import Membership
from network.selectors import NetworkVisit, visible_network
from profiles.models import User

# The forms of a member's page, each under its own prefix so that their fields never share an id.
SANCTION_FORMS: dict[str, type[Form]] = {
    "warn": WarnForm,
    "mute": TimedSanctionForm,
    "suspend": TimedSanctionForm,
    "lift": LiftForm,
}


def moderated_network(request: HttpRequest, network_slug: str) -> NetworkVisit:
    """The network at this address, with the viewer's row in it, if the viewer moderates it."""
    visit = visible_network(request.user, network_slug)
    if visit is None:
        raise Http404(_("No network is found at this address."))
    raise_if(moderate_refusal(request.user, visit.viewer_membership))
    return visit


def _moderator(request: HttpRequest) -> User:
    assert isinstance(request.user, User)  # behind login_required
    return request.user


def _membership(visit: NetworkVisit, username: str) -> Membership:
    membership = (
        Membership.objects.select_related("user")
        .filter(network=visit.network, user__username=username)
        .first()
    )
    if membership is None:
        raise Http404(_("This person has no place in this network."))
    membership.network = visit.network
    return membership


def _when(moment: datetime | None) -> str:
    return formats.date_format(timezone.localtime(moment), "DATETIME_FORMAT") if moment is not None else ""


# --- The members list -------------------------------------------------------------------------------


@login_required
@require_GET
def member_list(request: HttpRequest, network_slug: str) -> HttpResponse:
    visit = moderated_network(request, network_slug)
    form = MemberSearchForm(request.GET)
    context: dict[str, Any] = {"network": visit.network, "form": form, "listing": None}
    if not form.is_valid():
        return render(request, "moderation/members.html", context, status=400)
    try:
        context["listing"] = selectors.member_list(
            network=visit.network,
            query=form.cleaned_data["q"],
            standing=form.cleaned_data["standing"],
            page_number=form.cleaned_data["page"] or 1,
        )
    except InvalidPage as missing:
        raise Http404(_("There is no such page of members.")) from missing
    return render(request, "moderation/members.html", context)


# --- One member -------------------------------------------------------------------------------------


@login_required
@require_GET
def member(request: HttpRequest, network_slug: str, username: str) -> HttpResponse:
    return _member_page(request, moderated_network(request, network_slug), username)


def _member_page(
    request: HttpRequest, visit: NetworkVisit, username: str, bound: Form | None = None, *, status: int = 200
) -> HttpResponse:
    """The member's page, with `bound` (a form sent with errors) in place of its blank form."""
    file = selectors.member_file(
        viewer=request.user,
        viewer_membership=visit.viewer_membership,
        network=visit.network,
        username=username,
    )
    if file is None:
        raise Http404(_("This person has no place in this network."))
    forms = {name: form_class(prefix=name) for name, form_class in SANCTION_FORMS.items()}
    if bound is not None and bound.prefix is not None:
        forms[bound.prefix] = bound
    context = {"network": visit.network, "file": file, "forms": forms}
    return render(request, "moderation/member.html", context, status=status)


SanctionService = Callable[..., Sanction]


def _sanction(
    request: HttpRequest, network_slug: str, username: str, name: str, service: SanctionService
) -> HttpResponse:
    """Run `service` (warn, mute or suspend) with the form `name` as sent, and come back to the member's
    page with what it did, or show the page again with the reasons."""
    visit = moderated_network(request, network_slug)
    membership = _membership(visit, username)
    form = SANCTION_FORMS[name](request.POST, prefix=name)
    if form.is_valid():
        arguments = {"reason": form.cleaned_data["reason"]}
        if isinstance(form, TimedSanctionForm):
            arguments["until"] = form.cleaned_data["until"]
        try:
            sanction = service(actor=_moderator(request), membership=membership, **arguments)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _done(sanction, membership))
            return redirect("moderation:member", visit.network.slug, username)
    return _member_page(request, visit, username, form, status=400)


def _done(sanction: Sanction, membership: Membership) -> str:
    person = str(membership.user)
    if sanction.kind == Sanction.Kind.WARNING:
        return _("%(person)s is warned.") % {"person": person}
    if sanction.kind == Sanction.Kind.MUTE:
        return _("%(person)s is muted until %(until)s.") % {
            "person": person,
            "until": _when(sanction.expires_at),
        }
    return _("%(person)s is suspended until %(until)s.") % {
        "person": person,
        "until": _when(sanction.expires_at),
    }


@login_required
@require_POST
def warn(request: HttpRequest, network_slug: str, username: str) -> HttpResponse:
    return _sanction(request, network_slug, username, "warn", services.warn)


@login_required
@require_POST
def mute(request: HttpRequest, network_slug: str, username: str) -> HttpResponse:
    return _sanction(request, network_slug, username, "mute", services.mute)


@login_required
@require_POST
def suspend(request: HttpRequest, network_slug: str, username: str) -> HttpResponse:
    return _sanction(request, network_slug, username, "suspend", services.suspend)


@login_required
@require_POST
def lift(request: HttpRequest, network_slug: str, username: str, sanction_id: int) -> HttpResponse:
    visit = moderated_network(request, network_slug)
    membership = _membership(visit, username)
    sanction = Sanction.objects.filter(
        pk=sanction_id, network=visit.network, user_id=membership.user_id
    ).first()
    if sanction is None:
        raise Http404(_("This member has no such sanction."))
    form = LiftForm(request.POST, prefix="lift")
    if not form.is_valid():
        return _member_page(request, visit, username, form, status=400)
    try:
        services.lift(actor=_moderator(request), sanction=sanction, reason=form.cleaned_data["reason"])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        done = (
            _("The mute of %(person)s is lifted.")
            if sanction.kind == Sanction.Kind.MUTE
            else _("The suspension of %(person)s is lifted.")
        )
        messages.success(request, done % {"person": membership.user})
    return redirect("moderation:member", visit.network.slug, username)
