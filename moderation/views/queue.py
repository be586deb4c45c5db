"""A network's review queue, for its moderators: the open items (reports and posts awaiting approval),
what was handled lately, one item in full, and the decisions taken from there.

Each page answers 404 for a network the viewer may not see and 403, with the reason, to anyone else
who is not one of its moderators. Decisions are plain forms that come back to the queue; an item
another moderator handled first is said so, nothing changes. static/js/queue.js keeps the page live
over the network's moderation stream, and fetches new items rendered by `items`.
"""

from collections.abc import Sequence

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import BadRequest, ValidationError
from django.core.paginator import InvalidPage
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from forums.permissions.roles import raise_if
from moderation.forms.reports import DismissForm, RejectForm
from moderation.models import QueueItem
from moderation.permissions import moderate_refusal
from moderation.selectors import queue as selectors
from moderation.selectors.queue import QueueEntry
from moderation.services import approval, reports
from network.models import Network
from network.selectors import visible_network
from profiles.models import User

# How many items `items` renders at most in one answer.
MAX_ITEMS_FETCHED = 50


def _moderated(request: HttpRequest, network_slug: str) -> tuple[Network, User]:
    """The network at this address and the viewer, one of its moderators."""
    assert isinstance(request.user, User)
    visit = visible_network(request.user, network_slug)
    if visit is None:
        raise Http404(_("No network is found at this address."))
    raise_if(moderate_refusal(request.user, visit.viewer_membership))
    return visit.network, request.user


def _item(network: Network, item_id: int) -> QueueItem:
    item = QueueItem.objects.select_related("network").filter(network=network, pk=item_id).first()
    if item is None:
        raise Http404(_("No such item is in this network's queue."))
    return item


def _rendered(request: HttpRequest, network: Network, entries: Sequence[QueueEntry]) -> list[str]:
    return [
        render_to_string("moderation/_queue_item.html", {"entry": entry, "network": network}, request=request)
        for entry in entries
    ]


def _queue_url(network: Network) -> str:
    return reverse("moderation:queue", args=[network.slug])


@login_required
@require_GET
def queue(request: HttpRequest, network_slug: str) -> HttpResponse:
    network, _moderator = _moderated(request, network_slug)
    try:
        page = selectors.queue_page(network=network, page_number=request.GET.get("page"))
    except InvalidPage as missing:
        raise Http404(_("The queue has no such page.")) from missing
    context = {
        "network": network,
        "queue": page,
        "items": _rendered(request, network, page.entries),
        "queue_config": {
            "stream": page.stream,
            "lastSeq": page.stream_seq,
            "itemsUrl": reverse("moderation:items", args=[network.slug]),
            "firstPage": page.page.number == 1,
            "strings": {
                "opened": _("New in the queue: %(title)s"),
                "handled": _("Handled by %(who)s: %(title)s"),
                "waitingOne": _("1 item waits for a moderator."),
                "waitingMany": _("%(count)s items wait for a moderator."),
                "lost": _("You may no longer follow this queue: reload the page."),
                "reports": _("%(count)s reports"),
                "oneReport": _("1 report"),
                "failed": _("The queue could not be brought up to date: reload the page."),
            },
        },
    }
    return render(request, "moderation/queue.html", context)


@login_required
@require_GET
def items(request: HttpRequest, network_slug: str) -> HttpResponse:
    """Open items rendered as the queue shows them: those named by `id` (repeated), or the first page."""
    network, _moderator = _moderated(request, network_slug)
    raw_ids = request.GET.getlist("id")
    if len(raw_ids) > MAX_ITEMS_FETCHED or not all(raw.isdigit() and len(raw) < 19 for raw in raw_ids):
        raise BadRequest(_("“id” must name up to %(count)s items by number.") % {"count": MAX_ITEMS_FETCHED})
    if raw_ids:
        entries = selectors.open_entries(network=network, ids=[int(raw) for raw in raw_ids])
    else:
        entries = selectors.queue_page(network=network).entries
    return HttpResponse("".join(_rendered(request, network, entries)))


@login_required
@require_GET
def item(request: HttpRequest, network_slug: str, item_id: int) -> HttpResponse:
    network, _moderator = _moderated(request, network_slug)
    return _item_page(request, network, item_id, reject_form=RejectForm(), dismiss_form=DismissForm())


def _item_page(
    request: HttpRequest,
    network: Network,
    item_id: int,
    *,
    reject_form: RejectForm,
    dismiss_form: DismissForm,
    status: int = 200,
) -> HttpResponse:
    entry = selectors.queue_entry(network=network, item_id=item_id)
    if entry is None:
        raise Http404(_("No such item is in this network's queue."))
    context = {
        "network": network,
        "entry": entry,
        "reject_form": reject_form,
        "dismiss_form": dismiss_form,
        "outcome": selectors.resolution_label(entry.item.resolution),
    }
    return render(request, "moderation/item.html", context, status=status)


@login_required
@require_POST
def dismiss(request: HttpRequest, network_slug: str, item_id: int) -> HttpResponse:
    network, moderator = _moderated(request, network_slug)
    queue_item = _item(network, item_id)
    form = DismissForm(request.POST)
    if form.is_valid():
        try:
            reports.dismiss_item(actor=moderator, item=queue_item, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            return _not_done(request, network, error)
        messages.success(request, _("Dismissed: “%(title)s” left the queue.") % {"title": queue_item.title})
        return redirect(_queue_url(network))
    return _item_page(request, network, item_id, reject_form=RejectForm(), dismiss_form=form, status=400)


@login_required
@require_POST
def approve(request: HttpRequest, network_slug: str, item_id: int) -> HttpResponse:
    network, moderator = _moderated(request, network_slug)
    queue_item = _item(network, item_id)
    try:
        post = approval.approve_post(actor=moderator, item=queue_item)
    except ValidationError as error:
        return _not_done(request, network, error)
    if post is None:
        messages.warning(request, _("This post was taken down meanwhile: its item is closed."))
    else:
        messages.success(
            request, _("Approved: the post is on show in “%(title)s”.") % {"title": queue_item.title}
        )
    return redirect(_queue_url(network))


@login_required
@require_POST
def reject(request: HttpRequest, network_slug: str, item_id: int) -> HttpResponse:
    network, moderator = _moderated(request, network_slug)
    queue_item = _item(network, item_id)
    form = RejectForm(request.POST)
    if form.is_valid():
        try:
            post = approval.reject_post(actor=moderator, item=queue_item, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            if not hasattr(error, "error_dict"):
                return _not_done(request, network, error)
            form.add_error(None, error)
        else:
            if post is None:
                messages.warning(request, _("This post was taken down meanwhile: its item is closed."))
            else:
                messages.success(request, _("Rejected: its author will read why on their post."))
            return redirect(_queue_url(network))
    return _item_page(request, network, item_id, reject_form=form, dismiss_form=DismissForm(), status=400)


def _not_done(request: HttpRequest, network: Network, error: ValidationError) -> HttpResponse:
    """Back to the queue, saying why nothing was done (another moderator was first, say)."""
    for message in error.messages:
        messages.error(request, message)
    return redirect(_queue_url(network))
