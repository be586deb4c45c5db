from datetime import datetime
from typing import Any

from django import template
from django.template.defaultfilters import date as format_date
from django.utils import timezone

from forums.permissions import chat as permissions
from forums.selectors import chat as selectors
from network.models import Membership, Network
from profiles.models import User

register = template.Library()


@register.inclusion_tag("forums/_network_rooms.html", takes_context=True)
def network_chat_rooms(
    context: dict[str, Any], network: Network, membership: Membership | None
) -> dict[str, Any]:
    """The network's rooms with the viewer's unread counts, for the network's home page; nothing for
    those who may not read them. `membership` is the viewer's own row in the network, already loaded."""
    viewer = context["request"].user
    if not isinstance(viewer, User) or permissions.read_room_refusal(viewer, membership) is not None:
        return {"rows": None}
    return {"network": network, "rows": selectors.room_list_for(viewer, network)}


@register.filter
def chat_time(value: str | datetime | None) -> str:
    """A message's time: the hour for today's, the day and hour for older ones (the page's script shows
    them again in the reader's own time zone)."""
    if not value:
        return ""
    moment = datetime.fromisoformat(value) if isinstance(value, str) else value
    moment = timezone.localtime(moment)
    if moment.date() == timezone.localdate():
        return format_date(moment, "H:i")
    return format_date(moment, "j M Y, H:i")
