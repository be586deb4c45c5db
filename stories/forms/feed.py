"""The feed's filters and page cursor, read from the query string.

The choices come from stories.selectors.feed.feed_choices, read once for the page, so that checking a
network or a language costs no query of its own. A value that names nothing (a network the viewer cannot
see, an unknown tag, a cursor that was altered) is an error: the page answers 400 with its message.
"""

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _
from taggit.models import Tag

from profiles.models import User
from profiles.regions import Region
from stories.models import Story
from stories.selectors.feed import Cursor, FeedChoices, FeedFilters, InvalidCursor, decode_cursor


class FeedFilterForm(forms.Form):
    network = forms.ChoiceField(
        label=_("Network"),
        required=False,
        error_messages={"invalid_choice": _("There is no network “%(value)s” that you can see.")},
    )
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=[("", _("All kinds")), *Story.Kind.choices],
        required=False,
        error_messages={"invalid_choice": _("“%(value)s” is not a kind of story.")},
    )
    tag = forms.CharField(label=_("Tag"), max_length=100, required=False)
    region = forms.ChoiceField(
        label=_("Region of the author"),
        choices=[("", _("All regions")), *Region.choices],
        required=False,
        error_messages={"invalid_choice": _("“%(value)s” is not a region.")},
    )
    # A select of the languages stories are written in; any known language code is accepted, so that a
    # link keeps working when the last story in its language goes.
    language = forms.CharField(label=_("Language"), max_length=12, required=False, widget=forms.Select)
    author = forms.CharField(max_length=40, required=False, widget=forms.HiddenInput)
    after = forms.CharField(max_length=500, required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, choices: FeedChoices, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.choices = choices
        self._networks = {choice.network.slug: choice.network for choice in choices.networks}
        network = cast(forms.ChoiceField, self.fields["network"])
        network.choices = [("", _("All networks")), *((slug, n.name) for slug, n in self._networks.items())]
        # A language no story is written in any more still shows as chosen when a link names it.
        listed = list(choices.languages_in_use)
        chosen = choices.languages.get(str(self.data.get("language", "")))
        if chosen is not None and chosen not in listed:
            listed.append(chosen)
        cast(forms.Select, self.fields["language"].widget).choices = [
            ("", _("All languages")),
            *((language.code, language.name) for language in listed),
        ]

    def clean_language(self) -> str:
        code: str = self.cleaned_data["language"]
        if code and code not in self.choices.languages:
            raise forms.ValidationError(
                _("“%(value)s” is not a language code we know."), params={"value": code}
            )
        return code

    def clean_tag(self) -> Any:
        slug = self.cleaned_data["tag"].strip()
        if not slug:
            return None
        tag = Tag.objects.filter(slug=slug).first()
        if tag is None:
            raise forms.ValidationError(_("There is no tag “%(value)s”."), params={"value": slug})
        return tag

    def clean_author(self) -> User | None:
        handle = self.cleaned_data["author"].strip()
        if not handle:
            return None
        author = User.objects.filter(is_active=True, username__iexact=handle).first()
        if author is None:
            raise forms.ValidationError(_("No member has the handle “%(value)s”."), params={"value": handle})
        return author

    def clean_after(self) -> Cursor | None:
        token = self.cleaned_data["after"]
        if not token:
            return None
        try:
            return decode_cursor(token)
        except InvalidCursor as error:
            raise forms.ValidationError(
                _("This page link is broken or was altered: start again from the newest stories.")
            ) from error

    def first_error(self) -> str:
        """The message of the first problem, for a page that answers 400 with it."""
        return next(str(message) for messages in self.errors.values() for message in messages)

    def filters(self) -> FeedFilters:
        data = self.cleaned_data
        return FeedFilters(
            network=self._networks.get(data["network"]),
            kind=data["kind"],
            tag=data["tag"],
            region=data["region"],
            language=self.choices.languages.get(data["language"]),
            author=data["author"],
        )

    def cursor(self) -> Cursor | None:
        after: Cursor | None = self.cleaned_data["after"]
        return after
