"""The network pages: thin translations of HTTP into selector reads and service calls.

A members-only network is answered with 404 to whoever may not see it, so that its existence is not
revealed; forbidden actions on a network one may see are answered with 403.
"""

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import BadRequest, PermissionDenied
from django.core.paginator import EmptyPage
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from config.pages import signed_in
from network import permissions, selectors, services
from network.forms import InviteForm, JoinRequestForm, NetworkSettingsForm, RoleForm
from network.models import Membership, Network


def _visit(request: HttpRequest, slug: str) -> selectors.NetworkVisit:
    visit = selectors.visible_network(request.user, slug)
    if visit is None:
        raise Http404(_("No network is found at this address."))
    return visit


def _visible_network(request: HttpRequest, slug: str) -> Network:
    return _visit(request, slug).network


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "home.html", {"home": selectors.home_page(request.user)})


@require_GET
def network_list(request: HttpRequest) -> HttpResponse:
    return render(request, "network/network_list.html", {"cards": selectors.network_list_for(request.user)})


@require_GET
def network_home(request: HttpRequest, slug: str) -> HttpResponse:
    return _render_network_home(request, _visit(request, slug), JoinRequestForm())


def _render_network_home(
    request: HttpRequest, visit: selectors.NetworkVisit, join_form: JoinRequestForm
) -> HttpResponse:
    context = {"page": selectors.network_home(request.user, visit), "join_form": join_form}
    return render(request, "network/network_home.html", context)


# --- Joining and leaving ----------------------------------------------------------------------------


@login_required
@require_POST
def join(request: HttpRequest, slug: str) -> HttpResponse:
    visit = _visit(request, slug)
    network = visit.network
    form = JoinRequestForm(request.POST)
    if not form.is_valid():
        return _render_network_home(request, visit, form)
    try:
        membership = services.request_to_join(
            user=signed_in(request), network=network, message=form.cleaned_data["message"]
        )
    except services.NetworkError as error:
        messages.error(request, str(error))
        return redirect(network)
    if membership.state == Membership.State.ACTIVE:
        messages.success(request, _("Welcome to %(network)s: you are now a member.") % {"network": network})
    else:
        messages.success(
            request,
            _("Your request to join %(network)s is sent; an admin will answer.") % {"network": network},
        )
    return redirect(network)


@login_required
@require_http_methods(["GET", "POST"])
def leave(request: HttpRequest, slug: str) -> HttpResponse:
    """GET asks for confirmation; POST leaves."""
    visit = _visit(request, slug)
    network, user = visit.network, signed_in(request)
    if request.method == "GET":
        membership = visit.viewer_membership
        refusal = permissions.leave_network_refusal(membership, permissions.active_admin_count(network))
        if membership is None or not membership.is_active:
            raise PermissionDenied(refusal)
        # The last admin is shown why they cannot leave yet, rather than a bare refusal.
        return render(request, "network/leave_confirm.html", {"network": network, "refusal": refusal})
    services.leave_network(user=user, network=network)
    messages.success(request, _("You left %(network)s.") % {"network": network})
    return redirect("network:list")


@login_required
@require_POST
def accept_invitation(request: HttpRequest, slug: str) -> HttpResponse:
    network = _visible_network(request, slug)
    try:
        services.accept_invitation(user=signed_in(request), network=network)
    except services.NetworkError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Welcome to %(network)s: you are now a member.") % {"network": network})
    return redirect(network)


@login_required
@require_POST
def decline_invitation(request: HttpRequest, slug: str) -> HttpResponse:
    network = _visible_network(request, slug)
    try:
        services.decline_invitation(user=signed_in(request), network=network)
    except services.NetworkError as error:
        messages.error(request, str(error))
        return redirect(network)
    messages.success(request, _("You declined the invitation to %(network)s.") % {"network": network})
    return redirect("network:list")


# --- Settings ---------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def network_settings(request: HttpRequest, slug: str) -> HttpResponse:
    network = _visible_network(request, slug)
    permissions.check_update_network(request.user, network)
    if request.method == "GET":
        form = NetworkSettingsForm.for_network(network)
    else:
        form = NetworkSettingsForm(request.POST)
        if form.is_valid():
            try:
                network = services.update_network(
                    actor=signed_in(request), network=network, **form.cleaned_data
                )
            except services.NetworkError as error:
                form.add_error("name", str(error))
            else:
                messages.success(request, _("The network's settings are saved."))
                return redirect(network)
    return render(request, "network/network_settings.html", {"network": network, "form": form})


# --- Members ----------------------------------------------------------------------------------------


@login_required
@require_GET
def members(request: HttpRequest, slug: str) -> HttpResponse:
    return _render_members(request, _visit(request, slug), InviteForm())


def _render_members(
    request: HttpRequest, visit: selectors.NetworkVisit, invite_form: InviteForm
) -> HttpResponse:
    page_number = _page_number(request)
    try:
        page = selectors.members_page(request.user, visit, page_number)
    except EmptyPage as error:
        raise Http404(_("There is no such page of members.")) from error
    context = {"page": page, "invite_form": invite_form, "roles": Membership.Role.choices}
    return render(request, "network/members.html", context)


def _page_number(request: HttpRequest) -> int:
    raw = request.GET.get("page", "1")
    if not raw.isdigit() or int(raw) < 1:
        raise BadRequest(_("The page number must be a whole number from 1."))
    return int(raw)


@login_required
@require_POST
def invite(request: HttpRequest, slug: str) -> HttpResponse:
    visit = _visit(request, slug)
    network = visit.network
    permissions.check_manage_members(request.user, network)
    form = InviteForm(request.POST)
    if form.is_valid():
        try:
            membership = services.invite_member(
                actor=signed_in(request), network=network, email=form.cleaned_data["email"]
            )
        except services.NetworkError as error:
            form.add_error("email", str(error))
        else:
            messages.success(request, _("%(person)s is invited.") % {"person": membership.user})
            return redirect("network:members", network.slug)
    return _render_members(request, visit, form)


MembershipAction = Callable[..., Membership]


def _membership_action(
    request: HttpRequest, slug: str, membership_id: int, action: MembershipAction, done: str, **extra: str
) -> HttpResponse:
    """Run a manager's `action` on one membership of the network, and come back to the members page
    with `done` (formatted with the person's name) or the reason it could not be done."""
    network = _visible_network(request, slug)
    permissions.check_manage_members(request.user, network)
    membership = get_object_or_404(
        Membership.objects.select_related("user"), pk=membership_id, network=network
    )
    try:
        action(actor=signed_in(request), membership=membership, **extra)
    except services.NetworkError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, done % {"person": membership.user})
    return redirect("network:members", network.slug)


@login_required
@require_POST
def approve(request: HttpRequest, slug: str, membership_id: int) -> HttpResponse:
    return _membership_action(
        request, slug, membership_id, services.approve_membership, _("%(person)s is now a member.")
    )


@login_required
@require_POST
def decline(request: HttpRequest, slug: str, membership_id: int) -> HttpResponse:
    return _membership_action(
        request, slug, membership_id, services.decline_membership, _("You declined %(person)s's request.")
    )


@login_required
@require_POST
def withdraw_invitation(request: HttpRequest, slug: str, membership_id: int) -> HttpResponse:
    return _membership_action(
        request,
        slug,
        membership_id,
        services.withdraw_invitation,
        _("The invitation to %(person)s is withdrawn."),
    )


@login_required
@require_POST
def change_role(request: HttpRequest, slug: str, membership_id: int) -> HttpResponse:
    form = RoleForm(request.POST)
    # An unknown role goes on to the service, which refuses it with its reason once the actor is known
    # to be allowed to change roles at all.
    role = form.cleaned_data["role"] if form.is_valid() else ""
    return _membership_action(
        request,
        slug,
        membership_id,
        services.change_role,
        _("%(person)s's role is saved."),
        role=role,
    )
