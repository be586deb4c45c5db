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
from forums.models.topics import (
    Category,
    CategoryWatch,
    Post,
    PostMention,
    PostReaction,
    PostRevision,
    Topic,
    TopicReadState,
    TopicWatch,
    WatchLevel,
)

__all__ = [
    "Category",
    "CategoryWatch",
    "ChatMention",
    "ChatMessage",
    "ChatMessageRevision",
    "ChatReaction",
    "ChatReadState",
    "ChatRoom",
    "Post",
    "PostMention",
    "PostReaction",
    "PostRevision",
    "ReactionKind",
    "Topic",
    "TopicReadState",
    "TopicWatch",
    "WatchLevel",
]
