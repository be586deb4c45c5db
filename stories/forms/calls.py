"""The forms of calls for case studies: opening a call, starting or sending a case study, reviewing one.
They parse what was typed; stories.services.calls decides, and its ValidationErrors come back beside
these fields (same names)."""

from collections.abc import Mapping
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from stories.models import TITLE_MAX_LENGTH, CaseStudyCall, Story, SubmissionReview

BRIEF_MAX_LENGTH = CaseStudyCall._meta.get_field("brief").max_length
COMMENTS_MAX_LENGTH = SubmissionReview._meta.get_field("comments").max_length
# What a browser's datetime-local field sends, with or without seconds; read in the active time zone.
DATETIME_LOCAL_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S"]


class CallForm(forms.Form):
    title = forms.CharField(
        label=_("Title"),
        max_length=TITLE_MAX_LENGTH,
        required=False,
        help_text=_("The theme of the call, e.g. “Workplace design in the new normal”."),
    )
    brief = forms.CharField(
        label=_("Brief"),
        max_length=BRIEF_MAX_LENGTH,
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_("What the call asks for, in Markdown: **bold**, _italic_, lists, links."),
    )
    deadline = forms.DateTimeField(
        label=_("Deadline"),
        input_formats=DATETIME_LOCAL_FORMATS,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_LOCAL_FORMATS[0]),
        error_messages={
            "required": _("Choose the deadline for case studies."),
            "invalid": _("Enter the deadline as a date and a time."),
        },
        help_text=_("In your time zone. Case studies are taken until then."),
    )


class StartCaseStudyForm(forms.Form):
    title = forms.CharField(
        label=_("Working title of your case study"),
        max_length=TITLE_MAX_LENGTH,
        required=False,
        help_text=_("You can change it while you write."),
    )


class SendStoryForm(forms.Form):
    """Which of the sender's stories goes to the call: `stories` are those they may send."""

    story = forms.ModelChoiceField(
        label=_("Your story"),
        queryset=Story.objects.none(),
        empty_label=_("Choose one of your stories"),
        error_messages={
            "required": _("Choose the story to send."),
            "invalid_choice": _("Choose one of your drafts, returned or unpublished stories."),
        },
    )

    def __init__(self, data: Mapping[str, Any] | None = None, *, stories: QuerySet[Story]) -> None:
        super().__init__(data)
        story_field = self.fields["story"]
        assert isinstance(story_field, forms.ModelChoiceField)
        story_field.queryset = stories


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=SubmissionReview.Decision.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose to accept or to return the case study.")},
    )
    comments = forms.CharField(
        label=_("Comments for the authors"),
        max_length=COMMENTS_MAX_LENGTH,
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Needed when you return the case study: say what to change. Markdown is welcome."),
    )
