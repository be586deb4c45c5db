"""The forum's tables: chat rooms and their messages (`chat`), categories, topics and posts (`topics`)."""

from forums.models.chat import (
    ChatMention,
    ChatMessage,
    ChatMessageRevision,
    ChatReaction,
    ChatReadState,
    ChatRoom,
)
from forums.models.reactions import ReactionKind

__all__ = [
    "ChatMention",
    "ChatMessage",
    "ChatMessageRevision",
    "ChatReaction",
    "ChatReadState",
    "ChatRoom",
    "ReactionKind",
]
