"""Chat addresses: `/chat/` for all of a member's rooms, and each network's rooms under the network."""

from django.urls import path

from forums.views import chat as views

app_name = "chat"

_room = "networks/<slug:network_slug>/chat/<slug:room_slug>/"
_message = f"{_room}messages/<int:message_id>/"

urlpatterns = [
    path("chat/", views.chat_overview, name="overview"),
    path("networks/<slug:network_slug>/chat/", views.room_list, name="rooms"),
    path(_room, views.room, name="room"),
    path(f"{_room}post/", views.post_message, name="post"),
    path(f"{_room}state/", views.room_state, name="state"),
    path(f"{_room}moderation/", views.moderate_room, name="moderate_room"),
    path(f"{_message}edit/", views.edit_message, name="edit"),
    path(f"{_message}delete/", views.delete_message, name="delete"),
    path(f"{_message}hide/", views.hide_message, name="hide"),
    path(f"{_message}restore/", views.restore_message, name="restore"),
    path(f"{_message}react/", views.react, name="react"),
    path(f"{_message}history/", views.message_history, name="history"),
]
