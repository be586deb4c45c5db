"""Members telling the moderators about something, and moderators deciding there is nothing to do.

Reports of one target gather on its one open queue item: the item counts them, each reporter at most
once while it is open, and every open queue page hears of each new one.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from moderation import events
from moderation.models import REASON_TEXT_MAX_LENGTH, AuditEntry, QueueItem, Report, TargetKind
from moderation.permissions import check_moderate, check_report
from moderation.services import audit, queue
from moderation.targets import Target, load
from network.models import Network
from profiles.models import User

RESOLUTION_DISMISSED = "dismissed"


@transaction.atomic
def report(
    *, actor: User, network: Network, target_kind: str, target_id: int, reason: str, text: str = ""
) -> Report:
    """`actor`'s report of one target in `network`. PermissionDenied for someone who may not report
    there; ValidationError for a target not in `network`, the reporter's own content or what is already
    gone (see `unreportable_reason`), a bad reason or a missing explanation (keyed by field), or a second
    report by the same person on the open item (code "already_reported")."""
    check_report(actor, network)
    target = load(network, target_kind, target_id)
    if target is None:
        raise ValidationError(_("There is nothing to report at this address."), code="no_target")
    reason, text = _clean_reason(reason, text)
    refusal = unreportable_reason(actor, target)
    if refusal is not None:
        raise ValidationError(refusal, code="unreportable")
    item, opened = queue.open_item(
        network=network,
        kind=QueueItem.Kind.REPORT,
        target_kind=target.kind,
        target_id=target.id,
        target_author=target.author,
        title=target.title,
        excerpt=target.excerpt,
        url=target.url,
    )
    if Report.objects.filter(item=item, reporter=actor).exists():
        raise ValidationError(
            _("You already reported this: the moderators will look at it."), code="already_reported"
        )
    created = Report.objects.create(item=item, reporter=actor, reason=reason, text=text)
    # The item's row is locked by open_item: counting here cannot lose a concurrent report.
    item.report_count += 1
    item.save(update_fields=["report_count", "updated_at"])
    events.announce_item(item, opened=opened)
    return created


def _clean_reason(reason: str, text: str) -> tuple[str, str]:
    text = text.strip()
    if reason not in Report.Reason.values:
        raise ValidationError({"reason": _("Choose one of the reasons offered.")}, code="bad_reason")
    if reason == Report.Reason.OTHER and not text:
        raise ValidationError({"text": _("Say what is wrong: the moderators need to know.")}, code="no_text")
    _refuse_too_long("text", text)
    return reason, text


def _refuse_too_long(field: str, text: str) -> None:
    if len(text) > REASON_TEXT_MAX_LENGTH:
        raise ValidationError(
            {field: _("Keep it under %(limit)s characters.") % {"limit": REASON_TEXT_MAX_LENGTH}},
            code="too_long",
        )


def unreportable_reason(actor: User, target: Target) -> str | None:
    """Why `actor` cannot report `target`, found in a network where they may report, or None: nobody
    reports themselves, nor what is already gone (the report page says so before anyone writes)."""
    if target.author is not None and target.author.pk == actor.pk:
        if target.kind == TargetKind.PROFILE:
            return _("You cannot report your own profile.")
        return _("You cannot report what you wrote yourself.")
    if not target.present:
        return _("This has already been taken down: there is nothing left to report.")
    return None


@transaction.atomic
def dismiss_item(*, actor: User, item: QueueItem, reason: str = "") -> QueueItem:
    """Close report `item` with nothing done to its target: the reports did not call for it.
    ValidationError when another moderator handled it first, or for an item awaiting approval (which
    is approved or rejected instead). The entry stays out of the public log: it would tell that
    someone reported the target."""
    check_moderate(actor, item.network)
    if item.kind != QueueItem.Kind.REPORT:
        raise ValidationError(_("A post awaiting approval is approved or rejected, not dismissed."))
    reason = audit.clean_reason(reason)
    item = queue.handle_item(item=item, actor=actor, resolution=RESOLUTION_DISMISSED)
    audit.record(
        actor=actor,
        network=item.network,
        action=AuditEntry.Action.REPORT_DISMISS,
        target_kind=item.target_kind,
        target_id=item.target_id,
        target_label=item.title,
        target_user=item.target_author,
        reason=reason,
        public=False,
    )
    return item
