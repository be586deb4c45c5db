"""The forms of compendiums: creating one, adding chapters and case studies, moving them. They parse
what was typed; stories.services.compendiums decides, and its ValidationErrors come back beside these
fields (same names)."""

from collections.abc import Mapping, Sequence
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from stories.models import TITLE_MAX_LENGTH, CompendiumChapter, Story

# The chapters the Customs Work Organization Forum gathers its case studies into.
SUGGESTED_CHAPTERS = (_("Work setup"), _("Workplace design"), _("Workforce management"))


class CompendiumForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=TITLE_MAX_LENGTH, required=False)
    chapters = forms.CharField(
        label=_("Chapters"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("One chapter a line, in order. You can add more later."),
    )

    def clean_chapters(self) -> list[str]:
        lines = self.cleaned_data["chapters"].splitlines()
        chapters = [line.strip() for line in lines if line.strip()]
        for chapter in chapters:
            if len(chapter) > TITLE_MAX_LENGTH:
                raise ValidationError(
                    _("A chapter's title has at most %(max)d characters."),
                    code="too_long",
                    params={"max": TITLE_MAX_LENGTH},
                )
        return chapters


class ChapterForm(forms.Form):
    title = forms.CharField(label=_("Chapter title"), max_length=TITLE_MAX_LENGTH, required=False)


class EntryForm(forms.Form):
    """A case study to add to one of the compendium's chapters: `chapters` are the compendium's (already
    read for the page, so that offering them costs no query), `stories` those that may join it."""

    chapter = forms.TypedChoiceField(
        label=_("Chapter"), coerce=int, error_messages={"required": _("Choose a chapter.")}
    )
    story = forms.ModelChoiceField(
        label=_("Case study"),
        queryset=Story.objects.none(),
        empty_label=_("Choose a published case study"),
        error_messages={
            "required": _("Choose the case study to add."),
            "invalid_choice": _(
                "Choose one of the network's published case studies not yet in the compendium."
            ),
        },
    )

    def __init__(
        self,
        data: Mapping[str, Any] | None = None,
        *,
        chapters: Sequence[CompendiumChapter],
        stories: QuerySet[Story],
    ) -> None:
        super().__init__(data)
        self._chapters = {chapter.pk: chapter for chapter in chapters}
        chapter_field = self.fields["chapter"]
        assert isinstance(chapter_field, forms.TypedChoiceField)
        chapter_field.choices = [("", _("Choose a chapter"))] + [
            (chapter.pk, chapter.title) for chapter in chapters
        ]
        story_field = self.fields["story"]
        assert isinstance(story_field, forms.ModelChoiceField)
        story_field.queryset = stories

    def clean_chapter(self) -> CompendiumChapter:
        return self._chapters[self.cleaned_data["chapter"]]


class MoveForm(forms.Form):
    direction = forms.ChoiceField(choices=[("up", _("Up")), ("down", _("Down"))])
