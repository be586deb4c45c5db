"""What a chat message must be, said the same way by the composer form, the websocket and the services."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


def clean_message_body(body: str) -> str:
    """`body` without surrounding blank space; ValidationError if nothing is left or it is too long."""
    body = body.strip()
    if not body:
        raise ValidationError(_("Write something before sending."), code="empty")
    limit = settings.CHAT_MESSAGE_MAX_LENGTH
    if len(body) > limit:
        raise ValidationError(
            _("A message can be at most %(limit)s characters long; this one has %(length)s.")
            % {"limit": f"{limit:,}", "length": f"{len(body):,}"},
            code="too_long",
        )
    return body
