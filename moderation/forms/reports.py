"""What a member writes when reporting something, and what a moderator writes when deciding an item of
the queue. The rules are the services' own: a form says what they would."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from moderation.models import REASON_TEXT_MAX_LENGTH, Report


def _reason_text(label: Any, *, required: bool, help_text: Any = "") -> forms.CharField:
    return forms.CharField(
        label=label,
        help_text=help_text,
        required=required,
        max_length=REASON_TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": str(REASON_TEXT_MAX_LENGTH)}),
    )


class ReportForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("What is wrong?"),
        choices=Report.Reason.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose a reason."),
            "invalid_choice": _("Choose one of the reasons offered."),
        },
    )
    text = _reason_text(
        _("Tell the moderators more"),
        required=False,
        help_text=_("Needed for “Something else”; only the moderators read it."),
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("reason") == Report.Reason.OTHER and not cleaned.get("text", "").strip():
            self.add_error("text", _("Say what is wrong: the moderators need to know."))
        return cleaned


class DismissForm(forms.Form):
    reason = _reason_text(
        _("Why nothing needs doing (optional)"),
        required=False,
        help_text=_("For the other moderators: it goes in the moderation log."),
    )


class RejectForm(forms.Form):
    reason = _reason_text(
        _("Why the post is rejected"),
        required=True,
        help_text=_("Its author reads this on their post."),
    )
