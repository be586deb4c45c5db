"""The site operators' read-only view of chat rooms and messages.

Rooms are added and opened or closed on the network's chat page, and messages are edited and deleted in
the room, all through forums.services (which announce each change to the open pages); here operators
look things up.
"""

from django.contrib import admin
from django.db.models import Model
from django.http import HttpRequest

from forums.models import ChatMessage, ChatRoom


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


@admin.register(ChatRoom)
class ChatRoomAdmin(ReadOnlyAdmin):
    list_display = ("name", "network", "state", "is_general", "created_at")
    list_filter = ("state", "is_general")
    search_fields = ("name", "network__name")
    list_select_related = ("network",)


@admin.register(ChatMessage)
class ChatMessageAdmin(ReadOnlyAdmin):
    list_display = ("room", "seq", "author", "created_at", "edited_at", "deleted_at")
    list_filter = ("room__network",)
    search_fields = ("body", "author__username", "author__display_name")
    list_select_related = ("room", "author")
    fields = ("room", "seq", "author", "reply_to", "body", "created_at", "edited_at", "deleted_at")
