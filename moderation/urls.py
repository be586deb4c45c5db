"""Moderation addresses, under each network: `/networks/<slug>/moderation/...` for its moderators (the
queue, members' standing, the full log), `/networks/<slug>/moderation-log/` for everyone who may see the
network, and `/networks/<slug>/report/...` for members reporting something."""

from django.urls import path

from moderation.views import log, members, queue, reports

app_name = "moderation"

_network = "networks/<slug:network_slug>/"
_moderation = f"{_network}moderation/"
_item = f"{_moderation}items/<int:item_id>/"
_member = f"{_moderation}members/<str:username>/"

urlpatterns = [
    # Reporting.
    path(f"{_network}report/profile/<str:username>/", reports.report_profile, name="report_profile"),
    path(f"{_network}report/<str:target_kind>/<int:target_id>/", reports.report, name="report"),
    # The review queue.
    path(_moderation, queue.queue, name="queue"),
    path(f"{_moderation}items/", queue.items, name="items"),
    path(_item, queue.item, name="item"),
    path(f"{_item}dismiss/", queue.dismiss, name="dismiss"),
    path(f"{_item}approve/", queue.approve, name="approve"),
    path(f"{_item}reject/", queue.reject, name="reject"),
    # Members' standing.
    path(f"{_moderation}members/", members.member_list, name="members"),
    path(_member, members.member, name="member"),
    path(f"{_member}warn/", members.warn, name="warn"),
    path(f"{_member}mute/", members.mute, name="mute"),
    path(f"{_member}suspend/", members.suspend, name="suspend"),
    path(f"{_member}lift/<int:sanction_id>/", members.lift, name="lift"),
    # The logs.
    path(f"{_moderation}log/", log.full_log, name="log"),
    path(f"{_network}moderation-log/", log.public_log, name="public_log"),
]
