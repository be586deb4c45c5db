"""What members do to their own account and profile: one function per intent."""

import secrets
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field

from allauth.account.models import EmailAddress
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import Storage
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from django_countries import countries

import richtext
from profiles import avatars
from profiles.changes import public_region_changed
from profiles.models import VISIBILITY_CONTROLLED_FIELDS, Gender, Language, Profile, ProfileLink, User
from profiles.permissions import AnyUser, check_edit_profile, public_region
from profiles.regions import region_for_country
from profiles.validators import LINKS_MAX, normalize_expertise, validate_web_url


@transaction.atomic
def create_profile(*, user: User) -> Profile:
    """Every user has a profile: this makes it, with the default visibility of each field."""
    profile, _created = Profile.objects.get_or_create(user=user)
    return profile


@transaction.atomic
def create_account(
    *,
    email: str,
    handle: str,
    display_name: str,
    password: str | None,
    email_verified: bool = False,
    superuser: bool = False,
) -> User:
    """An account made by the site's operators (demo data, commands) rather than by sign-up, which is
    allauth's flow. ValidationError, keyed by field, for a taken or reserved handle or address."""
    user = User(
        email=User.objects.normalize_email(email).lower(),
        username=handle,
        display_name=_clean_display_name(display_name),
        is_staff=superuser,
        is_superuser=superuser,
    )
    user.set_password(password)
    user.full_clean()
    user.save()
    if email_verified:
        # Log-in needs a verified address (ACCOUNT_EMAIL_VERIFICATION is mandatory).
        EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


@dataclass(frozen=True)
class LinkData:
    label: str
    url: str


@dataclass(frozen=True)
class ProfileData:
    """Everything a member states on their profile page, as typed (the service normalises it).

    `visibility` maps a field of VISIBILITY_CONTROLLED_FIELDS to its audience; a field left out keeps
    the audience it has.
    """

    display_name: str
    headline: str = ""
    organization: str = ""
    sector: str = ""
    country: str = ""
    languages: Sequence[Language] = ()
    expertise: Sequence[str] = ()
    bio: str = ""
    gender: str = ""
    gender_self_description: str = ""
    links: Sequence[LinkData] = ()
    visibility: Mapping[str, str] = field(default_factory=dict)


@transaction.atomic
def set_display_name(*, actor: AnyUser, user: User, display_name: str) -> None:
    """How a member is named across the product (sign-up asks for it; the profile page changes it)."""
    check_edit_profile(actor, user.profile)
    user.display_name = _clean_display_name(display_name)
    user.save(update_fields=["display_name"])


@transaction.atomic
def update_profile(*, actor: AnyUser, profile: Profile, data: ProfileData) -> Profile:
    """Replace what `profile` states with `data`; ValidationError, keyed by field, for bad input."""
    check_edit_profile(actor, profile)
    unknown = set(data.visibility) - set(VISIBILITY_CONTROLLED_FIELDS)
    if unknown:
        raise ValueError(f"No visibility for {sorted(unknown)}: fields are {VISIBILITY_CONTROLLED_FIELDS}")
    errors = _Errors()
    user = profile.user
    region_shown = public_region(profile)
    with errors.collect("display_name"):
        user.display_name = _clean_display_name(data.display_name)
    profile.headline = data.headline.strip()
    profile.organization = data.organization.strip()
    profile.sector = data.sector
    profile.country = data.country.strip().upper()
    profile.bio = data.bio
    profile.gender = data.gender
    profile.gender_self_description = data.gender_self_description.strip()
    for name, audience in data.visibility.items():
        setattr(profile, f"{name}_visibility", audience)
    derive_profile_fields(profile)
    not_checked_here = ["user", "avatar", "avatar_small"]
    if profile.country and profile.country not in countries:
        errors.add("country", _("“%(code)s” is not a country code we know.") % {"code": profile.country})
        not_checked_here.append("country")
    with errors.collect():
        profile.full_clean(exclude=not_checked_here, validate_unique=False)
    expertise: list[str] = []
    with errors.collect("expertise"):
        expertise = normalize_expertise(data.expertise)
    links = _links(profile, data.links, errors)
    errors.raise_any()
    profile.save()
    profile.languages.set(data.languages)
    profile.expertise.set(expertise, clear=True)
    profile.links.all().delete()
    ProfileLink.objects.bulk_create(links)
    user.save(update_fields=["display_name"])
    if public_region(profile) != region_shown:
        public_region_changed.send(sender=Profile, user=user)
    return profile


def derive_profile_fields(profile: Profile) -> None:
    """Set what follows from other fields: the region from the country, the sanitized HTML of the bio,
    and the gender self-description only when the member chose to describe it themselves."""
    region = region_for_country(str(profile.country or ""))
    profile.region = region.value if region else ""
    profile.bio_html = richtext.render_markdown(profile.bio)
    if profile.gender != Gender.SELF_DESCRIBED:
        profile.gender_self_description = ""


@transaction.atomic
def set_avatar(*, actor: AnyUser, profile: Profile, upload: UploadedFile) -> Profile:
    """Make `upload` the profile's picture, re-encoded in both sizes; the old files go once committed."""
    check_edit_profile(actor, profile)
    try:
        images = avatars.make_avatar_images(upload)
    except ValidationError as error:
        raise ValidationError({"avatar": error.error_list}) from error
    old_files = _avatar_files(profile)
    # Named from a random token: the uploaded name is the sender's text, and a new name per upload
    # lets browsers and proxies cache each picture for good.
    name = f"{secrets.token_urlsafe(16)}.{avatars.FILE_EXTENSION}"
    profile.avatar.save(name, ContentFile(images.large), save=False)
    profile.avatar_small.save(name, ContentFile(images.small), save=False)
    profile.save(update_fields=["avatar", "avatar_small", "updated_at"])
    _delete_on_commit(profile.avatar.storage, old_files)
    return profile


@transaction.atomic
def remove_avatar(*, actor: AnyUser, profile: Profile) -> Profile:
    check_edit_profile(actor, profile)
    old_files = _avatar_files(profile)
    profile.avatar = ""
    profile.avatar_small = ""
    profile.save(update_fields=["avatar", "avatar_small", "updated_at"])
    _delete_on_commit(profile.avatar.storage, old_files)
    return profile


class _Errors:
    """What is wrong with the input, gathered field by field so that the member sees every problem at once."""

    def __init__(self) -> None:
        self.by_field: dict[str, list[str]] = {}

    def add(self, field: str, message: str) -> None:
        self.by_field.setdefault(field, []).append(message)

    @contextmanager
    def collect(self, field: str = NON_FIELD_ERRORS) -> Iterator[None]:
        try:
            yield
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for name, messages in error.message_dict.items():
                    self.by_field.setdefault(name, []).extend(messages)
            else:
                self.by_field.setdefault(field, []).extend(error.messages)

    def raise_any(self) -> None:
        if self.by_field:
            raise ValidationError(self.by_field)


def _links(profile: Profile, links: Sequence[LinkData], errors: _Errors) -> list[ProfileLink]:
    if len(links) > LINKS_MAX:
        errors.add("links", _("Add at most %(max)d links.") % {"max": LINKS_MAX})
    rows = []
    for position, link in enumerate(links):
        row = ProfileLink(profile=profile, label=link.label.strip(), url=link.url.strip(), position=position)
        try:
            # The web-address rule first: it says more than the model field's generic "valid URL".
            validate_web_url(row.url)
            row.full_clean(exclude=["profile"])
        except ValidationError as error:
            for message in error.messages:
                details = {"number": position + 1, "message": message}
                errors.add("links", _("Link %(number)d: %(message)s") % details)
        rows.append(row)
    return rows


def _clean_display_name(display_name: str) -> str:
    cleaned = " ".join(display_name.split())
    if not cleaned:
        raise ValidationError({"display_name": _("Enter the name other members will know you by.")})
    max_length = User._meta.get_field("display_name").max_length or 0
    if len(cleaned) > max_length:
        raise ValidationError(
            {"display_name": _("A display name has at most %(max)d characters.") % {"max": max_length}}
        )
    return cleaned


def _avatar_files(profile: Profile) -> list[str]:
    return [file.name for file in (profile.avatar, profile.avatar_small) if file and file.name]


def _delete_on_commit(storage: Storage, names: list[str]) -> None:
    def delete() -> None:
        for name in names:
            storage.delete(name)

    transaction.on_commit(delete)
