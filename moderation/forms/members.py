"""What moderators type to warn, mute, suspend and lift, and the filters of the members list and the log.
The services check the same rules (a reason, an end in the future and within a year); a form says so
first, beside the field."""

from datetime import datetime, timedelta
from typing import Any

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from moderation.models import REASON_TEXT_MAX_LENGTH, AuditEntry
from moderation.selectors.members import STANDING_FILTERS
from moderation.services.members import LONGEST_SANCTION

DURATIONS = {"1h": timedelta(hours=1), "1d": timedelta(days=1), "1w": timedelta(weeks=1)}
CUSTOM = "custom"


def _reason_field(
    *, required: bool = True, label: StrOrPromise | None = None, help_text: StrOrPromise | None = None
) -> forms.CharField:
    return forms.CharField(
        label=label or _("Reason"),
        help_text=help_text or _("The member reads it, and so does the moderation log."),
        max_length=REASON_TEXT_MAX_LENGTH,
        required=required,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": str(REASON_TEXT_MAX_LENGTH)}),
        error_messages={"required": _("Say why: the member and the log will read it.")},
    )


class WarnForm(forms.Form):
    reason = _reason_field()


class TimedSanctionForm(forms.Form):
    """A mute or a suspension: its reason and how long it lasts, one of the usual lengths or until a
    moment the moderator chooses."""

    reason = _reason_field()
    duration = forms.ChoiceField(
        label=_("For"),
        choices=[
            ("1h", _("One hour")),
            ("1d", _("One day")),
            ("1w", _("One week")),
            (CUSTOM, _("Until a moment I choose")),
        ],
        initial="1d",
        widget=forms.RadioSelect,
    )
    until = forms.DateTimeField(
        label=_("Until"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["until"].help_text = gettext(
            "Only for “Until a moment I choose”: a date and time in the site's time zone (%(zone)s)."
        ) % {"zone": settings.TIME_ZONE}

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        duration = cleaned.get("duration")
        if duration in DURATIONS:
            # What was typed in `until` does not count for a usual length.
            self.errors.pop("until", None)
            cleaned["until"] = timezone.now() + DURATIONS[str(duration)]
        elif duration == CUSTOM and "until" not in self.errors:
            refusal = _until_refusal(cleaned.get("until"))
            if refusal is not None:
                self.add_error("until", refusal)
        return cleaned


def _until_refusal(until: datetime | None) -> str | None:
    now = timezone.now()
    if until is None:
        return gettext("Choose when it ends.")
    if until <= now:
        return gettext("Choose a moment in the future.")
    if until > now + LONGEST_SANCTION:
        return gettext("A sanction lasts at most %(days)s days.") % {"days": LONGEST_SANCTION.days}
    return None


class LiftForm(forms.Form):
    reason = _reason_field(
        required=False, label=_("Why lift it (optional)"), help_text=_("The moderation log keeps it.")
    )


class MemberSearchForm(forms.Form):
    q = forms.CharField(label=_("Name or handle"), required=False, max_length=100)
    standing = forms.ChoiceField(label=_("Standing"), choices=STANDING_FILTERS, required=False)
    page = forms.IntegerField(required=False, min_value=1, max_value=2**31 - 1, widget=forms.HiddenInput)


class LogFilterForm(forms.Form):
    action = forms.ChoiceField(
        label=_("Action"),
        choices=[
            ("", _("Every action")),
            *((value, capfirst(label)) for value, label in AuditEntry.Action.choices),
        ],
        required=False,
    )
    # The last entry of the page read before: the next page shows older ones.
    before = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)
