"""Forms for members' accounts and profiles: they parse what was typed; the services decide and write.

This module is loaded by allauth (ACCOUNT_SIGNUP_FORM_CLASS) while allauth builds its own forms, so it
must never import allauth's forms.
"""

from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import CharField, Model
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from network.models import Network
from network.permissions import visible_networks
from profiles.models import (
    VISIBILITY_CONTROLLED_FIELDS,
    Gender,
    Language,
    Profile,
    ProfileLink,
    Sector,
    User,
    Visibility,
)
from profiles.permissions import AnyUser
from profiles.regions import Region
from profiles.selectors import DirectoryFilters
from profiles.services import LinkData, ProfileData, set_display_name
from profiles.validators import LINKS_MAX, normalize_expertise, validate_web_url

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

_UNKNOWN_COUNTRY = _("“%(value)s” is not a country we know. Choose one from the list.")


def _max_length(model: type[Model], field: str) -> int | None:
    return cast(CharField[str, str], model._meta.get_field(field)).max_length


def _display_name_field() -> forms.CharField:
    return forms.CharField(
        label=_("Display name"),
        max_length=_max_length(User, "display_name"),
        help_text=_("Your name as other members see it."),
    )


def _country_field(empty_label: "StrOrPromise") -> forms.Field:
    model_field = Profile._meta.get_field("country")
    country = cast(forms.Field, model_field.formfield(required=False, empty_label=empty_label))
    country.label = _("Country")
    country.error_messages["invalid_choice"] = _UNKNOWN_COUNTRY
    return country


class SignupForm(forms.Form):
    """What allauth's sign-up form asks on top of email, handle and password."""

    display_name = _display_name_field()

    def signup(self, request: HttpRequest, user: User) -> None:
        set_display_name(actor=user, user=user, display_name=self.cleaned_data["display_name"])


_VISIBILITY_LABELS = {
    "headline": _("Who can see your headline"),
    "organization": _("Who can see your organization"),
    "sector": _("Who can see your sector"),
    "country": _("Who can see your country and region"),
    "languages": _("Who can see your languages"),
    "expertise": _("Who can see your expertise"),
    "bio": _("Who can see your introduction"),
    "avatar": _("Who can see your picture"),
    "links": _("Who can see your links"),
    "gender": _("Who can see your gender"),
}


class ProfileForm(forms.Form):
    """Everything on the profile edit page except the picture and the links, each field with its audience."""

    display_name = _display_name_field()
    headline = forms.CharField(
        label=_("Headline"),
        max_length=_max_length(Profile, "headline"),
        required=False,
        help_text=_("One line on what you do, such as “HR director, national customs administration”."),
    )
    organization = forms.CharField(
        label=_("Organization"), max_length=_max_length(Profile, "organization"), required=False
    )
    sector = forms.ChoiceField(label=_("Sector"), choices=[("", "—"), *Sector.choices], required=False)
    country = _country_field("—")
    languages = forms.ModelMultipleChoiceField(
        label=_("Languages you speak"),
        queryset=Language.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    expertise = forms.CharField(
        label=_("Areas of expertise"),
        required=False,
        help_text=_("Separate them with commas, such as “workforce planning, hybrid work”; at most 10."),
    )
    bio = forms.CharField(
        label=_("Introduction"),
        max_length=_max_length(Profile, "bio"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Markdown works here: *emphasis*, lists, [links](https://example.org)."),
    )
    gender = forms.ChoiceField(
        label=_("Gender"), choices=[("", _("I prefer not to say")), *Gender.choices], required=False
    )
    gender_self_description = forms.CharField(
        label=_("Gender, in your words"),
        max_length=_max_length(Profile, "gender_self_description"),
        required=False,
        help_text=_("Kept only when you choose “I describe it myself”."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in VISIBILITY_CONTROLLED_FIELDS:
            self.fields[f"{name}_visibility"] = forms.ChoiceField(
                label=_VISIBILITY_LABELS[name], choices=Visibility.choices
            )

    @classmethod
    def initial_for(cls, profile: Profile) -> dict[str, Any]:
        initial: dict[str, Any] = {
            "display_name": profile.user.display_name,
            "headline": profile.headline,
            "organization": profile.organization,
            "sector": profile.sector,
            "country": profile.country.code if profile.country else "",
            "languages": list(profile.languages.all()),
            "expertise": ", ".join(sorted((tag.name for tag in profile.expertise.all()), key=str.lower)),
            "bio": profile.bio,
            "gender": profile.gender,
            "gender_self_description": profile.gender_self_description,
        }
        for name in VISIBILITY_CONTROLLED_FIELDS:
            initial[f"{name}_visibility"] = getattr(profile, f"{name}_visibility")
        return initial

    def rows(self) -> list[tuple[forms.BoundField, forms.BoundField | None]]:
        """The fields of the "About you" section in page order, each with its audience field if it has one."""
        names = [
            "display_name", "headline", "organization", "sector", "country", "languages", "expertise",
            "bio", "gender", "gender_self_description",
        ]  # fmt: skip
        return [
            (self[name], self[f"{name}_visibility"] if name in VISIBILITY_CONTROLLED_FIELDS else None)
            for name in names
        ]

    def clean_expertise(self) -> list[str]:
        # Commas alone separate areas: "hybrid work" is one area, not two.
        return normalize_expertise(self.cleaned_data["expertise"].split(","))

    def profile_data(self, links: list[LinkData]) -> ProfileData:
        data = self.cleaned_data
        return ProfileData(
            display_name=data["display_name"],
            headline=data["headline"],
            organization=data["organization"],
            sector=data["sector"],
            country=data["country"],
            languages=list(data["languages"]),
            expertise=data["expertise"],
            bio=data["bio"],
            gender=data["gender"],
            gender_self_description=data["gender_self_description"],
            links=links,
            visibility={name: data[f"{name}_visibility"] for name in VISIBILITY_CONTROLLED_FIELDS},
        )


class AvatarForm(forms.Form):
    avatar = forms.FileField(
        label=_("New picture"),
        required=False,
        help_text=_("A JPEG, PNG, GIF or WebP image; it is cropped to a square."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/gif,image/webp"}),
    )
    remove = forms.BooleanField(label=_("Remove my picture"), required=False)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("avatar") and cleaned.get("remove"):
            raise ValidationError(_("Choose a new picture or remove the current one, not both."))
        return cleaned


class ProfileLinkForm(forms.Form):
    label = forms.CharField(label=_("Label"), max_length=_max_length(ProfileLink, "label"), required=False)
    url = forms.URLField(
        label=_("Address"),
        max_length=_max_length(ProfileLink, "url"),
        required=False,
        assume_scheme="https",
        validators=[validate_web_url],
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        label, url = cleaned.get("label"), cleaned.get("url")
        if url and not label:
            self.add_error("label", _("Give this link a label, such as “LinkedIn” or “My organization”."))
        if label and not url and "url" not in self.errors:
            self.add_error("url", _("Enter the address of this link."))
        return cleaned


class BaseProfileLinkFormSet(forms.BaseFormSet):
    def links(self) -> list[LinkData]:
        """The filled-in rows, in page order; blank rows are slots left free."""
        return [
            LinkData(label=form.cleaned_data["label"], url=form.cleaned_data["url"])
            for form in self.forms
            if form.cleaned_data.get("url")
        ]

    @staticmethod
    def initial_for(profile: Profile) -> list[dict[str, str]]:
        return [{"label": link.label, "url": link.url} for link in profile.links.all()]


ProfileLinkFormSet = cast(
    type[BaseProfileLinkFormSet],
    forms.formset_factory(
        ProfileLinkForm,
        formset=BaseProfileLinkFormSet,
        extra=LINKS_MAX,
        max_num=LINKS_MAX,
        absolute_max=LINKS_MAX,
        validate_max=True,
    ),
)


class DirectoryFilterForm(forms.Form):
    """The filters of the people and champions directories, read from the query string."""

    q = forms.CharField(label=_("Name or handle"), max_length=100, required=False)
    network = forms.ModelChoiceField(
        label=_("Network"),
        queryset=Network.objects.none(),
        to_field_name="slug",
        required=False,
        empty_label=_("All networks"),
        error_messages={"invalid_choice": _("There is no network “%(value)s” that you can see.")},
    )
    region = forms.ChoiceField(
        label=_("Region"), choices=[("", _("All regions")), *Region.choices], required=False
    )
    sector = forms.ChoiceField(
        label=_("Sector"), choices=[("", _("All sectors")), *Sector.choices], required=False
    )
    country = _country_field(_("All countries"))
    language = forms.ModelChoiceField(
        label=_("Language"),
        queryset=Language.objects.all(),
        to_field_name="code",
        required=False,
        empty_label=_("All languages"),
        error_messages={"invalid_choice": _("“%(value)s” is not a language code we know.")},
    )
    expertise = forms.CharField(label=_("Expertise"), max_length=100, required=False)
    page = forms.IntegerField(
        min_value=1,
        required=False,
        widget=forms.HiddenInput,
        error_messages={"invalid": _("Bad page number."), "min_value": _("Bad page number.")},
    )

    def __init__(self, *args: Any, viewer: AnyUser, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        network = cast(forms.ModelChoiceField, self.fields["network"])
        network.queryset = visible_networks(viewer).order_by("name")

    def filters(self) -> DirectoryFilters:
        data = self.cleaned_data
        return DirectoryFilters(
            network=data["network"],
            region=data["region"],
            sector=data["sector"],
            country=data["country"],
            language=data["language"],
            expertise=data["expertise"].strip(),
            q=data["q"].strip(),
        )

    def page_number(self) -> int:
        return self.cleaned_data["page"] or 1
