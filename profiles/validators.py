"""Rules on what members type into their account and profile, shared by the model fields, the forms and
the services so that each rule is written once."""

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext_lazy as _

# Handles that would collide with the product's own addresses under /people/ (or read as if they spoke
# for it): refused at sign-up, in the admin and anywhere else the user model is validated.
RESERVED_HANDLES = frozenset(
    {
        "about", "account", "accounts", "admin", "administrator", "api", "champion", "champions",
        "convene", "directory", "edit", "help", "login", "logout", "me", "media", "moderator",
        "moderators", "network", "networks", "new", "people", "root", "search", "settings", "signup",
        "static", "staff", "support", "system",
    }
)  # fmt: skip

EXPERTISE_MAX_TAGS = 10
EXPERTISE_MAX_LENGTH = 40
LINKS_MAX = 5


def validate_handle_not_reserved(value: str) -> None:
    if value.lower() in RESERVED_HANDLES:
        raise ValidationError(
            _("“%(handle)s” is reserved. Choose another handle."), code="reserved", params={"handle": value}
        )


validate_web_url = URLValidator(
    schemes=["http", "https"], message=_("Enter a web address starting with http:// or https://.")
)


def normalize_expertise(names: Iterable[str]) -> list[str]:
    """The tags to store for what a member typed: blanks dropped, inner spaces collapsed, repeats
    (whatever their case) kept once, in the order typed."""
    tags: list[str] = []
    seen: set[str] = set()
    for name in names:
        tag = " ".join(name.split())
        if not tag or tag.lower() in seen:
            continue
        if len(tag) > EXPERTISE_MAX_LENGTH:
            raise ValidationError(
                _("“%(tag)s” is too long: an area of expertise has at most %(max)d characters."),
                code="tag_too_long",
                params={"tag": tag, "max": EXPERTISE_MAX_LENGTH},
            )
        seen.add(tag.lower())
        tags.append(tag)
    if len(tags) > EXPERTISE_MAX_TAGS:
        raise ValidationError(
            _("List at most %(max)d areas of expertise (you gave %(count)d)."),
            code="too_many_tags",
            params={"max": EXPERTISE_MAX_TAGS, "count": len(tags)},
        )
    return tags
