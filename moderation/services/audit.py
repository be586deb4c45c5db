"""Writing the audit log: every moderation service calls `record` in its own transaction, so that an
action and its entry stand or fall together."""

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from moderation.models import REASON_TEXT_MAX_LENGTH, AuditEntry
from network.models import Network
from profiles.models import User


def record(
    *,
    actor: User | None,
    network: Network | None,
    action: str,
    target_kind: str,
    target_id: int,
    target_label: str = "",
    target_user: User | None = None,
    reason: str = "",
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    public: bool = True,
) -> AuditEntry:
    """Append one entry. `actor` None means the system did it (a sanction that expired). `before` and
    `after` hold what the action changed of the target's content or state; `public` False keeps the
    entry out of the network's public log (warnings, say, concern one member only)."""
    return AuditEntry.objects.create(
        actor=actor,
        network=network,
        action=action,
        target_kind=target_kind,
        target_id=target_id,
        target_label=target_label[:200],
        target_user=target_user,
        reason=reason,
        before=before,
        after=after,
        public=public,
    )


def clean_reason(reason: str, *, missing: str | None = None) -> str:
    """A moderator's `reason` for an action, on one line, as the log and the member read it; `missing`
    says why it is required, when it is. ValidationError keyed "reason"."""
    reason = " ".join(reason.split())
    if missing is not None and not reason:
        raise ValidationError({"reason": missing}, code="reason_required")
    if len(reason) > REASON_TEXT_MAX_LENGTH:
        raise ValidationError(
            {"reason": _("Keep it under %(limit)s characters.") % {"limit": REASON_TEXT_MAX_LENGTH}},
            code="too_long",
        )
    return reason
