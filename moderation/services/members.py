"""Sanctions on members: warnings, mutes and suspensions, each with its reason; mutes and suspensions end
at their expiry, or earlier when a moderator lifts them.

The member's current standing lives on their Membership row, which every permission rule reads: a mute
sets `muted_until` and `mute_reason` (forums.permissions.roles.muted_notice then refuses their posts), a
suspension the SUSPENDED state and `suspended_until` (every rule that asks for an active membership then
refuses them). moderation.models.Sanction keeps the history, and each action writes its audit entry.

Each change reaches the member's open pages at once, once committed: a "standing" frame makes every
composer of the network say why it is closed (or open again), and a suspension, or its end, makes their
sockets drop or regain the network's streams.

Expiry: a mute stops counting by itself once `muted_until` passes; `lift_expired` records that and
clears the row, and ends suspensions that are due. moderation.middleware runs it every few seconds in
each web process, and the `lift_expired_sanctions` command does it from cron.
"""

from datetime import datetime, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from forums.permissions.roles import muted_notice
from moderation.models import REASON_TEXT_MAX_LENGTH, AuditEntry, Sanction, TargetKind
from moderation.permissions import check_sanction
from moderation.services import audit
from network.models import Membership, Network
from network.permissions import suspended_notice
from profiles.models import User
from realtime.services import recheck_user_subscriptions, send_standing

# The longest mute or suspension a moderator may set: anything longer is a decision for the network's
# admins (removing the member), not a sanction with an end.
LONGEST_SANCTION = timedelta(days=365)


# --- Sanctions --------------------------------------------------------------------------------------


@transaction.atomic
def warn(*, actor: User, membership: Membership, reason: str) -> Sanction:
    """Warn the member of `membership`, who reads the warning on the network's home page. The entry stays
    out of the public log: a warning is a word to one member, and changes nothing others see."""
    membership = _locked(membership)
    check_sanction(actor, membership)
    reason = audit.clean_reason(reason, missing=_("Say why: the member and the log will read it."))
    sanction = _create(actor, membership, Sanction.Kind.WARNING, reason, expires_at=None)
    _record(actor, membership, AuditEntry.Action.MEMBER_WARN, reason, public=False)
    return sanction


@transaction.atomic
def mute(*, actor: User, membership: Membership, reason: str, until: datetime) -> Sanction:
    """Mute the member of `membership` until `until`: they may read, not post. Their open composers in
    the network close at once, saying why."""
    membership, reason, until = _ready(actor, membership, reason, until)
    if membership.state == Membership.State.SUSPENDED:
        raise ValidationError(
            _("%(person)s is suspended: a mute would change nothing until the suspension ends."),
            code="suspended",
            params={"person": membership.user},
        )
    if membership.muted_until is not None:
        raise ValidationError(
            _("%(person)s is already muted until %(until)s: lift that mute first to set another."),
            code="already_muted",
            params={"person": membership.user, "until": _when(membership.muted_until)},
        )
    membership.muted_until = until
    membership.mute_reason = reason
    membership.save(update_fields=["muted_until", "mute_reason", "updated_at"])
    sanction = _create(actor, membership, Sanction.Kind.MUTE, reason, expires_at=until)
    _record(
        actor,
        membership,
        AuditEntry.Action.MEMBER_MUTE,
        reason,
        before={"muted_until": None},
        after={"muted_until": until.isoformat()},
    )
    _tell_member_on_commit(membership)
    return sanction


@transaction.atomic
def suspend(*, actor: User, membership: Membership, reason: str, until: datetime) -> Sanction:
    """Suspend the member of `membership` until `until`: no access to what only members see, no part in
    anything. Their open pages lose the network's streams at once."""
    membership, reason, until = _ready(actor, membership, reason, until)
    if membership.state == Membership.State.SUSPENDED:
        raise ValidationError(
            _("%(person)s is already suspended until %(until)s: lift that suspension first to set another."),
            code="already_suspended",
            params={"person": membership.user, "until": _when(membership.suspended_until)},
        )
    membership.state = Membership.State.SUSPENDED
    membership.suspended_until = until
    membership.save(update_fields=["state", "suspended_until", "updated_at"])
    sanction = _create(actor, membership, Sanction.Kind.SUSPENSION, reason, expires_at=until)
    _record(
        actor,
        membership,
        AuditEntry.Action.MEMBER_SUSPEND,
        reason,
        before={"state": Membership.State.ACTIVE.value},
        after={"state": Membership.State.SUSPENDED.value, "suspended_until": until.isoformat()},
    )
    _tell_member_on_commit(membership, access_changed=True)
    return sanction


def _ready(
    actor: User, membership: Membership, reason: str, until: datetime
) -> tuple[Membership, str, datetime]:
    """For a mute or a suspension: the membership read afresh and locked, once `actor` may sanction it,
    with what of its standing expired meanwhile ended; the reason and the end, checked."""
    membership = _locked(membership)
    check_sanction(actor, membership)
    now = timezone.now()
    reason, until = (
        audit.clean_reason(reason, missing=_("Say why: the member and the log will read it.")),
        _clean_until(until, now),
    )
    _settle(membership, now)
    return membership, reason, until


@transaction.atomic
def lift(*, actor: User, sanction: Sanction, reason: str = "") -> Sanction:
    """End a mute or a suspension before its expiry. `reason`, optional, says why in the log."""
    membership = _locked_row(sanction.network_id, sanction.user_id)
    check_sanction(actor, membership)
    sanction = (
        Sanction.objects.select_for_update(of=("self",)).select_related("lifted_by").get(pk=sanction.pk)
    )
    now = timezone.now()
    _refuse_unliftable(sanction, now)
    reason = reason.strip()[:REASON_TEXT_MAX_LENGTH]
    sanction.lifted_at = now
    sanction.lifted_by = actor
    sanction.save(update_fields=["lifted_at", "lifted_by"])
    if sanction.kind == Sanction.Kind.MUTE:
        before, after = _end_mute(membership)
        membership.save(update_fields=["muted_until", "mute_reason", "updated_at"])
        _tell_member_on_commit(membership)
    else:
        before, after = _end_suspension(membership)
        membership.save(update_fields=["state", "suspended_until", "updated_at"])
        _tell_member_on_commit(membership, access_changed=True)
    _record(actor, membership, AuditEntry.Action.MEMBER_LIFT, reason, before=before, after=after)
    return sanction


def _refuse_unliftable(sanction: Sanction, now: datetime) -> None:
    if sanction.kind == Sanction.Kind.WARNING:
        raise ValidationError(_("A warning has nothing to lift."), code="warning")
    is_mute = sanction.kind == Sanction.Kind.MUTE
    if sanction.lifted_at is not None:
        who = str(sanction.lifted_by) if sanction.lifted_by is not None else _("Someone")
        message = (
            _("%(who)s already lifted this mute.")
            if is_mute
            else _("%(who)s already lifted this suspension.")
        )
        raise ValidationError(message, code="already_lifted", params={"who": who})
    assert sanction.expires_at is not None  # a mute or suspension always has one (a constraint says so)
    if sanction.expires_at <= now:
        message = _("This mute has already ended.") if is_mute else _("This suspension has already ended.")
        raise ValidationError(message, code="ended")


# --- Expiry -----------------------------------------------------------------------------------------


def lift_expired(*, now: datetime | None = None) -> int:
    """End every mute and suspension whose expiry has passed (as of `now`), each member in a transaction
    of their own, with an entry by nobody in the audit log; returns how many ended.

    Rows another process is ending at the same moment are skipped rather than waited for, so that the
    web processes and cron never hold each other up, nor end one sanction twice."""
    now = now or timezone.now()
    due = Q(muted_until__lte=now) | Q(state=Membership.State.SUSPENDED, suspended_until__lte=now)
    ended = 0
    for membership_id in Membership.objects.filter(due).values_list("pk", flat=True):
        with transaction.atomic():
            membership = (
                Membership.objects.select_for_update(skip_locked=True, of=("self",))
                .select_related("user", "network")
                .filter(due, pk=membership_id)
                .first()
            )
            if membership is not None:
                ended += _settle(membership, now)
    return ended


def _settle(membership: Membership, now: datetime) -> int:
    """End what of `membership`'s standing expired by `now` (its row locked by the caller), recording
    it; returns how many sanctions ended."""
    entries: list[tuple[dict[str, Any], dict[str, Any]]] = []
    fields = ["updated_at"]
    access_changed = False
    if membership.muted_until is not None and membership.muted_until <= now:
        entries.append(_end_mute(membership))
        fields += ["muted_until", "mute_reason"]
    if (
        membership.state == Membership.State.SUSPENDED
        and membership.suspended_until is not None
        and membership.suspended_until <= now
    ):
        entries.append(_end_suspension(membership))
        fields += ["state", "suspended_until"]
        access_changed = True
    if not entries:
        return 0
    membership.save(update_fields=fields)
    for before, after in entries:
        _record(None, membership, AuditEntry.Action.MEMBER_EXPIRE, "", before=before, after=after)
    _tell_member_on_commit(membership, access_changed=access_changed)
    return len(entries)


# --- Helpers ----------------------------------------------------------------------------------------


def _locked(membership: Membership) -> Membership:
    return _locked_row(membership.network_id, membership.user_id)


def _locked_row(network_id: int, user_id: int) -> Membership:
    """The membership row, read afresh and locked until the end of the transaction, after its network's
    row: as in network.services, changes to one network's memberships happen one after another (a
    member cannot leave while being suspended, say)."""
    network = Network.objects.select_for_update().get(pk=network_id)
    membership = (
        Membership.objects.select_for_update(of=("self",))
        .select_related("user")
        .get(network=network, user_id=user_id)
    )
    membership.network = network
    return membership


def _clean_until(until: datetime, now: datetime) -> datetime:
    if until <= now:
        raise ValidationError({"until": _("Choose a moment in the future.")}, code="past")
    if until > now + LONGEST_SANCTION:
        raise ValidationError(
            {"until": _("A sanction lasts at most %(days)s days.") % {"days": LONGEST_SANCTION.days}},
            code="too_long",
        )
    return until


def _when(moment: datetime | None) -> str:
    return formats.date_format(timezone.localtime(moment), "DATETIME_FORMAT") if moment is not None else ""


def _end_mute(membership: Membership) -> tuple[dict[str, Any], dict[str, Any]]:
    assert membership.muted_until is not None  # only called on a muted member
    before = {"muted_until": membership.muted_until.isoformat()}
    membership.muted_until = None
    membership.mute_reason = ""
    return before, {"muted_until": None}


def _end_suspension(membership: Membership) -> tuple[dict[str, Any], dict[str, Any]]:
    until = membership.suspended_until
    before = {"state": membership.state, "suspended_until": until.isoformat() if until is not None else None}
    membership.state = Membership.State.ACTIVE
    membership.suspended_until = None
    return before, {"state": Membership.State.ACTIVE.value, "suspended_until": None}


def _create(
    actor: User, membership: Membership, kind: str, reason: str, *, expires_at: datetime | None
) -> Sanction:
    return Sanction.objects.create(
        network_id=membership.network_id,
        user_id=membership.user_id,
        kind=kind,
        reason=reason,
        created_by=actor,
        expires_at=expires_at,
    )


def _record(
    actor: User | None,
    membership: Membership,
    action: str,
    reason: str,
    *,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    public: bool = True,
) -> AuditEntry:
    """The audit entry of an action on a member. The public log never shows whom it concerned (nor the
    before and after), so a public entry says that a member was muted and why, not who."""
    return audit.record(
        actor=actor,
        network=membership.network,
        action=action,
        target_kind=TargetKind.MEMBER,
        target_id=membership.user_id,
        target_label=str(membership.user),
        target_user=membership.user,
        reason=reason,
        before=before,
        after=after,
        public=public,
    )


def standing_notice(membership: Membership) -> str | None:
    """Why the owner of `membership` may not post in its network now, or None: what their composers say."""
    return suspended_notice(membership) or muted_notice(membership)


def _tell_member_on_commit(membership: Membership, *, access_changed: bool = False) -> None:
    """Once committed, the member's open pages hear their new standing in the network; when it changed
    what they may read (a suspension, or its end), their sockets also drop the streams they lost.

    Named functions rather than partials: Django names the function when it logs a failed one."""
    user_id, network_id, notice = membership.user_id, membership.network_id, standing_notice(membership)

    def tell_standing() -> None:
        send_standing(user_id=user_id, network_id=network_id, notice=notice)

    def recheck_streams() -> None:
        recheck_user_subscriptions(user_id=user_id)

    transaction.on_commit(tell_standing, robust=True)
    if access_changed:
        transaction.on_commit(recheck_streams, robust=True)
