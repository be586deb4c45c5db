from typing import Any

from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.core.validators import RegexValidator
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from taggit.managers import TaggableManager

from profiles.regions import Region
from profiles.validators import validate_handle_not_reserved, validate_web_url

handle_validator = RegexValidator(
    r"^[A-Za-z0-9_.-]+\Z",
    _("Use only letters, digits, dots, hyphens and underscores."),
)


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> "User":
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> "User":
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)


class User(AbstractUser):
    """A person with an account. Logs in with their email; `username` is their public @handle."""

    username = models.CharField(
        _("handle"),
        max_length=40,
        unique=True,
        validators=[handle_validator, validate_handle_not_reserved],
        help_text=_("Your @handle, used in mentions and in your profile's address."),
        error_messages={"unique": _("That handle is taken.")},
    )
    email = models.EmailField(_("email address"), unique=True)
    display_name = models.CharField(_("display name"), max_length=80)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = ["username", "display_name"]

    objects = UserManager()  # type: ignore[assignment,misc]

    class Meta:
        constraints = [
            models.UniqueConstraint(Lower("email"), name="user_email_ci_unique"),
            models.UniqueConstraint(Lower("username"), name="user_handle_ci_unique"),
        ]
        # The directories list people in this order.
        indexes = [models.Index(Lower("display_name"), "username", name="user_directory_order")]

    def __str__(self) -> str:
        return self.display_name or self.username

    def get_absolute_url(self) -> str:
        return reverse("profiles:detail", args=[self.username])


def user_display(user: User) -> str:
    """How allauth names a user in its pages and emails."""
    return str(user)


class Language(models.Model):
    """A language members may speak; a table so that the directory can filter with a join."""

    code = models.CharField(max_length=12, unique=True)
    name = models.CharField(max_length=60)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Sector(models.TextChoices):
    CUSTOMS = "customs", _("Customs administration")
    PRIVATE = "private", _("Private sector")
    INTERNATIONAL = "intl", _("International organization")
    ACADEMIA = "academia", _("Academia")
    CONSULTANT = "consultant", _("Consultant")
    CIVIL_SOCIETY = "civil", _("Civil society")
    OTHER = "other", _("Other")


class Visibility(models.TextChoices):
    PUBLIC = "public", _("Everyone")
    MEMBERS = "members", _("Members of my networks")
    ONLY_ME = "me", _("Only me")


class Gender(models.TextChoices):
    WOMAN = "woman", _("Woman")
    MAN = "man", _("Man")
    NON_BINARY = "non-binary", _("Non-binary")
    SELF_DESCRIBED = "self", _("I describe it myself")


def visibility_field(default: Visibility) -> "models.CharField[str, str]":
    return models.CharField(max_length=8, choices=Visibility.choices, default=default)


class Profile(models.Model):
    """What a member tells about themselves; each field carries who may see it.

    `region` is derived from `country` by the service that saves the profile, and `bio_html` is the
    sanitized rendering of `bio`, made once at write time.
    """

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="profile")
    headline = models.CharField(max_length=140, blank=True)
    organization = models.CharField(max_length=140, blank=True)
    sector = models.CharField(max_length=12, choices=Sector.choices, blank=True)
    country = CountryField(blank=True)
    region = models.CharField(max_length=4, choices=Region.choices, blank=True, editable=False)
    languages = models.ManyToManyField(Language, blank=True, related_name="speakers")
    expertise = TaggableManager(blank=True, verbose_name=_("expertise"))
    bio = models.TextField(max_length=8000, blank=True)
    bio_html = models.TextField(blank=True, editable=False)
    avatar = models.ImageField(upload_to="avatars/", blank=True)
    avatar_small = models.ImageField(upload_to="avatars/small/", blank=True, editable=False)
    gender = models.CharField(max_length=12, choices=Gender.choices, blank=True)
    gender_self_description = models.CharField(max_length=60, blank=True)

    headline_visibility = visibility_field(Visibility.PUBLIC)
    organization_visibility = visibility_field(Visibility.PUBLIC)
    sector_visibility = visibility_field(Visibility.PUBLIC)
    country_visibility = visibility_field(Visibility.PUBLIC)
    languages_visibility = visibility_field(Visibility.PUBLIC)
    expertise_visibility = visibility_field(Visibility.PUBLIC)
    bio_visibility = visibility_field(Visibility.PUBLIC)
    avatar_visibility = visibility_field(Visibility.PUBLIC)
    links_visibility = visibility_field(Visibility.MEMBERS)
    # Self-declared gender is sensitive personal data: nobody else sees it unless its owner says so.
    gender_visibility = visibility_field(Visibility.ONLY_ME)

    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [
            models.Index(fields=["region"]),
            models.Index(fields=["sector"]),
            models.Index(fields=["country"]),
        ]

    def __str__(self) -> str:
        return f"Profile of {self.user}"

    def get_absolute_url(self) -> str:
        return self.user.get_absolute_url()


# The fields whose visibility a member chooses, each with its `<field>_visibility` column.
VISIBILITY_CONTROLLED_FIELDS = (
    "headline",
    "organization",
    "sector",
    "country",
    "languages",
    "expertise",
    "bio",
    "avatar",
    "links",
    "gender",
)


class ProfileLink(models.Model):
    profile = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="links")
    label = models.CharField(max_length=60)
    url = models.URLField(max_length=300, validators=[validate_web_url])
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return f"{self.label} <{self.url}>"
