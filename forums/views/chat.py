"""The chat pages: thin translations of HTTP into selector reads and service calls.

Every page works without JavaScript: a room renders its latest messages, older ones are a link away,
and posting, editing, deleting, reacting and moderating are plain forms. static/js/chat.js makes the
same page live over the websocket. Chat belongs to a network's members: a network one may not see
answers 404, a room one may see but not read answers 403 with the reason, as does a moderator's page for
someone who does not moderate the network.
"""

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import BadRequest, PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from config.pages import signed_in
from forums.forms.chat import (
    EditMessageForm,
    HideMessageForm,
    MessageForm,
    ModeratorDeleteForm,
    ReactionForm,
    RestoreMessageForm,
    RoomForm,
    RoomModerationForm,
    RoomStateForm,
)
from forums.models import ChatMessage, ChatRoom, ReactionKind
from forums.permissions import chat as permissions
from forums.selectors import chat as selectors
from forums.services import chat as services
from moderation.permissions import can_moderate, check_moderate
from moderation.services import chat as moderation
from network.models import Membership, Network
from network.permissions import active_membership, can_view_network

# Errors of a message's reply, or of its timing, rather than of its text.
COMPOSER_ERRORS = ("reply_elsewhere", "reply_deleted", "reply_hidden", "slow_mode")


def _visible_network(request: HttpRequest, network_slug: str) -> Network:
    network = get_object_or_404(Network, slug=network_slug)
    if not can_view_network(request.user, network):
        raise Http404(_("No network is found at this address."))
    return network


def _room_for_reader(
    request: HttpRequest, network_slug: str, room_slug: str
) -> tuple[ChatRoom, Membership | None]:
    """The room at this address and the viewer's own row in its network, if the viewer may read it."""
    room = (
        ChatRoom.objects.select_related("network").filter(network__slug=network_slug, slug=room_slug).first()
    )
    if room is None or not can_view_network(request.user, room.network):
        raise Http404(_("No chat room is found at this address."))
    membership = active_membership(request.user, room.network)
    refusal = permissions.read_room_refusal(request.user, membership)
    if refusal is not None:
        raise PermissionDenied(refusal)
    return room, membership


def _readable_room(request: HttpRequest, network_slug: str, room_slug: str) -> ChatRoom:
    return _room_for_reader(request, network_slug, room_slug)[0]


def _room_message(room: ChatRoom, message_id: int) -> ChatMessage:
    message = get_object_or_404(ChatMessage.objects.select_related("author"), room=room, pk=message_id)
    message.room = room
    return message


def _positive_int(request: HttpRequest, name: str) -> int | None:
    raw = request.GET.get(name)
    if raw is None or raw == "":
        return None
    if not raw.isdigit() or not 0 < int(raw) < 2**63:
        raise BadRequest(_("“%(name)s” must be a positive whole number.") % {"name": name})
    return int(raw)


def _message_anchor(message: ChatMessage) -> str:
    return f"{message.room.get_absolute_url()}#message-{message.pk}"


# --- All rooms and one network's rooms --------------------------------------------------------------


@login_required
@require_GET
def chat_overview(request: HttpRequest) -> HttpResponse:
    return render(
        request, "forums/chat_overview.html", {"networks": selectors.chat_overview(signed_in(request))}
    )


@login_required
@require_http_methods(["GET", "POST"])
def room_list(request: HttpRequest, network_slug: str) -> HttpResponse:
    """A network's rooms; its admins add rooms here (POST), and its moderators change their states."""
    network = _visible_network(request, network_slug)
    permissions.check_read_rooms(request.user, network)
    can_manage = permissions.can_manage_rooms(request.user, network)
    form = RoomForm()
    if request.method == "POST":
        permissions.check_manage_rooms(request.user, network)
        form = RoomForm(request.POST)
        if form.is_valid():
            try:
                room = services.create_room(actor=signed_in(request), network=network, **form.cleaned_data)
            except ValidationError as error:
                form.add_error("name", error)
            else:
                messages.success(request, _("The room “%(room)s” is open.") % {"room": room.name})
                return redirect("chat:rooms", network.slug)
    context = {
        "network": network,
        "rooms": selectors.room_list_for(signed_in(request), network),
        "can_manage_rooms": can_manage,
        "can_moderate": can_moderate(request.user, network),
        "room_form": form,
        "state_choices": ChatRoom.State.choices,
    }
    return render(request, "forums/room_list.html", context)


@login_required
@require_POST
def room_state(request: HttpRequest, network_slug: str, room_slug: str) -> HttpResponse:
    """A room's state, from the list of rooms."""
    room = _readable_room(request, network_slug, room_slug)
    check_moderate(request.user, room.network)
    form = RoomStateForm(request.POST)
    if not form.is_valid():
        raise BadRequest(_("Choose one of the states offered."))
    try:
        room = moderation.set_room_state(
            actor=signed_in(request), room=room, state=form.cleaned_data["state"]
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("“%(room)s” is now %(state)s.")
            % {"room": room.name, "state": room.get_state_display().lower()},
        )
    return redirect("chat:rooms", room.network.slug)


@login_required
@require_http_methods(["GET", "POST"])
def moderate_room(request: HttpRequest, network_slug: str, room_slug: str) -> HttpResponse:
    """A room's state and slow mode, for its network's moderators. Both change together or not at all."""
    room = _readable_room(request, network_slug, room_slug)
    check_moderate(request.user, room.network)
    if request.method == "GET":
        form = RoomModerationForm(initial={"state": room.state, "slow_mode_seconds": room.slow_mode_seconds})
        context = {"room": room, "form": form, "error_forms": []}
        return render(request, "forums/room_moderation.html", context)
    form = RoomModerationForm(request.POST)
    if form.is_valid():
        actor, chosen = signed_in(request), form.cleaned_data
        try:
            with transaction.atomic():
                moderation.set_room_state(
                    actor=actor, room=room, state=chosen["state"], reason=chosen["reason"]
                )
                moderation.set_slow_mode(
                    actor=actor, room=room, seconds=chosen["slow_mode_seconds"], reason=chosen["reason"]
                )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The room's settings are saved."))
            return redirect(room)
    context = {"room": room, "form": form, "error_forms": [form]}
    return render(request, "forums/room_moderation.html", context, status=400)


# --- A room -----------------------------------------------------------------------------------------


@login_required
@require_GET
def room(request: HttpRequest, network_slug: str, room_slug: str) -> HttpResponse:
    chat_room, membership = _room_for_reader(request, network_slug, room_slug)
    reply_to = _reply_target(chat_room, _positive_int(request, "reply_to"))
    form = MessageForm(initial={"reply_to": reply_to.pk if reply_to else None})
    before = _positive_int(request, "before")
    return _render_room(request, chat_room, membership, form, before=before, reply_to=reply_to)


@login_required
@require_POST
def post_message(request: HttpRequest, network_slug: str, room_slug: str) -> HttpResponse:
    """The composer without JavaScript. On any refusal the page comes back with the text kept."""
    chat_room, membership = _room_for_reader(request, network_slug, room_slug)
    form = MessageForm(request.POST)
    if form.is_valid():
        try:
            message = services.post_message(
                author=signed_in(request),
                room=chat_room,
                body=form.cleaned_data["body"],
                reply_to_id=form.cleaned_data["reply_to"],
            )
        except ValidationError as error:
            form.add_error(None if error.code in COMPOSER_ERRORS else "body", error)
        except (services.ChatRateLimited, PermissionDenied) as refused:
            form.add_error(None, str(refused))
        else:
            return redirect(_message_anchor(message))
    reply_id = form.cleaned_data.get("reply_to")
    reply_to = (
        ChatMessage.objects.select_related("author")
        .filter(room=chat_room, pk=reply_id, deleted_at__isnull=True)
        .first()
        if reply_id
        else None
    )
    return _render_room(request, chat_room, membership, form, reply_to=reply_to)


def _reply_target(room: ChatRoom, message_id: int | None) -> ChatMessage | None:
    if message_id is None:
        return None
    return get_object_or_404(
        ChatMessage.objects.select_related("author"), room=room, pk=message_id, deleted_at__isnull=True
    )


def _render_room(
    request: HttpRequest,
    room: ChatRoom,
    membership: Membership | None,
    form: MessageForm,
    *,
    before: int | None = None,
    reply_to: ChatMessage | None = None,
) -> HttpResponse:
    viewer = signed_in(request)
    page = selectors.room_page(viewer=viewer, room=room, membership=membership, before_seq=before)
    if page.is_latest and page.newest_seq > page.last_read_seq:
        services.mark_room_read(user=viewer, room=room, seq=page.newest_seq)
    context = {
        "page": page,
        "room": room,
        "network": room.network,
        "form": form,
        "reply_to": reply_to,
        "reaction_choices": ReactionKind.choices,
        "chat_config": _client_config(request, page),
        "moderation_form": (
            RoomModerationForm(initial={"state": room.state, "slow_mode_seconds": room.slow_mode_seconds})
            if page.can_moderate
            else None
        ),
    }
    return render(request, "forums/room.html", context)


def _client_config(request: HttpRequest, page: selectors.RoomPage) -> dict[str, Any]:
    """What static/js/chat.js needs to follow the room and to decide which controls a message gets."""
    viewer = signed_in(request)
    room_url = reverse("chat:room", args=[page.room.network.slug, page.room.slug])
    return {
        "room": page.room.pk,
        "network": page.room.network_id,
        "stream": page.stream,
        "lastSeq": page.stream_seq,
        "live": page.is_latest,
        "state": page.room.state,
        "viewer": {"id": viewer.pk, "name": str(viewer)},
        "canModerate": page.can_moderate,
        "canReport": page.can_report,
        "canPost": page.can_post,
        "slowModeSeconds": page.room.slow_mode_seconds,
        # Every message's report address, the message's id standing in for the 0.
        "reportUrl": reverse("moderation:report", args=[page.room.network.slug, "message", 0]),
        "roomUrl": room_url,
        "messagesUrl": f"{room_url}messages/",
        "readSeq": max(page.last_read_seq, page.newest_seq if page.is_latest else 0),
        "maxLength": settings.CHAT_MESSAGE_MAX_LENGTH,
        "strings": {
            "newOne": _("1 new message"),
            "newMany": _("%(count)s new messages"),
            "typingOne": _("%(name)s is typing…"),
            "typingTwo": _("%(first)s and %(second)s are typing…"),
            "typingMany": _("Several people are typing…"),
            "notSent": _("Not sent: the connection is lost. Your text is kept; try again in a moment."),
            "olderFailed": _("The older messages could not be loaded; try again in a moment."),
            "lost": _("You can no longer read this room."),
            "confirmDelete": _("Delete this message? Members will see “Message deleted” in its place."),
            "deletedExcerpt": _("message deleted"),
            "editLabel": _("Edit your message"),
            "save": _("Save"),
            "cancel": _("Cancel"),
            "hiddenExcerpt": _("message hidden"),
            "hiddenOwn": _("The moderators hid this message: only you and they can read it."),
            "hiddenShown": _("The moderators hid this message: only its author and they can read it."),
            "slowModeOne": _("Slow mode: one message every second."),
            "slowModeMany": _("Slow mode: one message every %(seconds)s seconds."),
            "reasonLabel": _("Reason"),
            "hideReasonHelp": _("Its author reads this reason; the moderation log keeps it."),
            "deleteReasonHelp": _("The moderation log keeps this reason, with the message's text."),
            "hide": _("Hide the message"),
            "delete": _("Delete the message"),
        },
    }


# --- One message ------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def edit_message(request: HttpRequest, network_slug: str, room_slug: str, message_id: int) -> HttpResponse:
    message = _room_message(_readable_room(request, network_slug, room_slug), message_id)
    permissions.check_edit_message(request.user, message)
    if request.method == "GET":
        form = EditMessageForm(initial={"body": message.body})
    else:
        form = EditMessageForm(request.POST)
        if form.is_valid():
            try:
                services.edit_message(
                    actor=signed_in(request), message=message, body=form.cleaned_data["body"]
                )
            except ValidationError as error:
                form.add_error("body", error)
            else:
                return redirect(_message_anchor(message))
    return render(
        request, "forums/message_edit.html", {"message": message, "room": message.room, "form": form}
    )


@login_required
@require_http_methods(["GET", "POST"])
def delete_message(request: HttpRequest, network_slug: str, room_slug: str, message_id: int) -> HttpResponse:
    """GET asks for confirmation; POST deletes. A moderator deleting someone else's message says why,
    for the moderation log."""
    message = _room_message(_readable_room(request, network_slug, room_slug), message_id)
    permissions.check_delete_message(request.user, message)
    if message.author_id == request.user.pk:
        if request.method == "POST":
            services.delete_message(actor=signed_in(request), message=message)
            messages.success(request, _("The message is deleted."))
            return redirect(_message_anchor(message))
        return render(request, "forums/message_delete.html", {"message": message, "room": message.room})
    return _moderate_message(
        request,
        message,
        ModeratorDeleteForm,
        moderation.delete_message,
        template="forums/message_delete.html",
        done=_("The message is deleted."),
    )


@login_required
@require_http_methods(["GET", "POST"])
def hide_message(request: HttpRequest, network_slug: str, room_slug: str, message_id: int) -> HttpResponse:
    """GET asks why; POST hides the message from everyone but its author and the moderators."""
    message = _room_message(_readable_room(request, network_slug, room_slug), message_id)
    check_moderate(request.user, message.room.network)
    return _moderate_message(
        request,
        message,
        HideMessageForm,
        moderation.hide_message,
        template="forums/message_hide.html",
        done=_("The message is hidden. Its author sees your reason."),
    )


@login_required
@require_http_methods(["GET", "POST"])
def restore_message(request: HttpRequest, network_slug: str, room_slug: str, message_id: int) -> HttpResponse:
    """GET asks for confirmation; POST shows a hidden message to everyone again."""
    message = _room_message(_readable_room(request, network_slug, room_slug), message_id)
    check_moderate(request.user, message.room.network)
    return _moderate_message(
        request,
        message,
        RestoreMessageForm,
        moderation.restore_message,
        template="forums/message_restore.html",
        done=_("The message is restored: everyone sees it again."),
    )


def _moderate_message(
    request: HttpRequest,
    message: ChatMessage,
    form_class: type[HideMessageForm | RestoreMessageForm | ModeratorDeleteForm],
    act: Callable[..., ChatMessage],
    *,
    template: str,
    done: str,
) -> HttpResponse:
    """A moderator's action on one message: its form (a reason) on GET, the action on POST. A missing
    or too long reason comes back on the form with what was typed; a message that another moderator (or
    its author) changed meanwhile sends the moderator back to it, saying so."""
    context: dict[str, Any] = {"message": message, "room": message.room}
    if request.method == "GET":
        return render(request, template, {**context, "form": form_class(), "error_forms": []})
    form = form_class(request.POST)
    if form.is_valid():
        try:
            act(actor=signed_in(request), message=message, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            if not hasattr(error, "error_dict"):
                messages.error(request, " ".join(error.messages))
                return redirect(_message_anchor(message))
            form.add_error(None, error)
        else:
            messages.success(request, done)
            return redirect(_message_anchor(message))
    return render(request, template, {**context, "form": form, "error_forms": [form]}, status=400)


@login_required
@require_POST
def react(request: HttpRequest, network_slug: str, room_slug: str, message_id: int) -> HttpResponse:
    message = _room_message(_readable_room(request, network_slug, room_slug), message_id)
    form = ReactionForm(request.POST)
    if not form.is_valid():
        raise BadRequest(_("Choose one of the reactions offered."))
    services.react_to_message(
        user=signed_in(request), message=message, kind=form.cleaned_data["kind"], on=form.cleaned_data["on"]
    )
    return redirect(_message_anchor(message))


@login_required
@require_GET
def message_history(request: HttpRequest, network_slug: str, room_slug: str, message_id: int) -> HttpResponse:
    message = _room_message(_readable_room(request, network_slug, room_slug), message_id)
    permissions.check_view_message_history(request.user, message)
    context = {"message": message, "room": message.room, "versions": selectors.message_versions(message)}
    return render(request, "forums/message_history.html", context)
