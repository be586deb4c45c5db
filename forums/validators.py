"""What a chat message, a forum post and a topic's title must be, said the same way by the forms, the
websocket and the services."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# Topic.title's column width.
TOPIC_TITLE_MAX_LENGTH = 200


def _clean_text(text: str, *, empty: str, limit: int, too_long: str) -> str:
    """`text` without surrounding blank space; ValidationError saying `empty` if nothing is left, or
    `too_long` (with %(limit)s and %(length)s) if it is longer than `limit`."""
    text = text.strip()
    if not text:
        raise ValidationError(empty, code="empty")
    if len(text) > limit:
        raise ValidationError(too_long % {"limit": f"{limit:,}", "length": f"{len(text):,}"}, code="too_long")
    return text


def clean_message_body(body: str) -> str:
    return _clean_text(
        body,
        empty=_("Write something before sending."),
        limit=settings.CHAT_MESSAGE_MAX_LENGTH,
        too_long=_("A message can be at most %(limit)s characters long; this one has %(length)s."),
    )


def clean_post_body(body: str) -> str:
    return _clean_text(
        body,
        empty=_("Write something before posting."),
        limit=settings.FORUM_POST_MAX_LENGTH,
        too_long=_("A post can be at most %(limit)s characters long; this one has %(length)s."),
    )


def clean_topic_title(title: str) -> str:
    """`title` without surrounding or repeated blank space; ValidationError if it is empty, too short to
    say what the topic is about, or too long."""
    title = " ".join(title.split())
    title = _clean_text(
        title,
        empty=_("Give the topic a title."),
        limit=TOPIC_TITLE_MAX_LENGTH,
        too_long=_("A title can be at most %(limit)s characters long; this one has %(length)s."),
    )
    shortest = settings.FORUM_TITLE_MIN_LENGTH
    if len(title) < shortest:
        raise ValidationError(
            _("Say in at least %(shortest)s characters what the topic is about.") % {"shortest": shortest},
            code="too_short",
        )
    return title
