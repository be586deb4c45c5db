"""The site operators' view of accounts, profiles and languages.

A profile's derived fields (the region, the rendered bio) are computed here by the same function the
profile service uses, and a picture can only be removed, not uploaded: uploads go through the
service that checks and re-encodes them.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UsernameField
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from profiles import services
from profiles.models import VISIBILITY_CONTROLLED_FIELDS, Language, Profile, ProfileLink, User
from profiles.validators import LINKS_MAX


class UserCreationForm(AdminUserCreationForm):
    class Meta:
        model = User
        fields = ("email", "username", "display_name")
        field_classes = {"username": UsernameField}

    def clean_email(self) -> str:
        email = User.objects.normalize_email(self.cleaned_data["email"]).lower()
        if User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(_("An account with this email address exists already."))
        return email


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Public identity"), {"fields": ("username", "display_name")}),
        (
            _("Permissions"),
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("email", "username", "display_name", "usable_password", "password1", "password2"),
            },
        ),
    )
    add_form = UserCreationForm
    list_display = ("email", "username", "display_name", "is_staff", "is_active", "date_joined")
    list_filter = ("is_staff", "is_active")
    search_fields = ("email", "username", "display_name")
    ordering = ("username",)


class ProfileLinkInline(admin.TabularInline):
    model = ProfileLink
    extra = 0
    max_num = LINKS_MAX
    fields = ("label", "url", "position")
    formfield_overrides = {models.URLField: {"assume_scheme": "https", "label": _("Address")}}


_VISIBILITY_COLUMNS = tuple(f"{name}_visibility" for name in VISIBILITY_CONTROLLED_FIELDS)


@admin.register(Profile)
class ProfileAdmin(admin.ModelAdmin):
    list_display = ("user", "sector", "country", "region", "updated_at")
    list_filter = ("sector", "region")
    list_select_related = ("user",)
    search_fields = ("user__display_name", "user__username", "user__email", "organization", "headline")
    filter_horizontal = ("languages",)
    readonly_fields = ("user", "region", "bio_html", "avatar", "avatar_small", "updated_at")
    fieldsets = (
        (
            None,
            {
                "fields": (
                    "user", "headline", "organization", "sector", "country", "region", "languages",
                    "expertise", "bio", "bio_html", "gender", "gender_self_description",
                )
            },
        ),
        (_("Picture"), {"fields": ("avatar", "avatar_small")}),
        (_("Who can see each field"), {"fields": _VISIBILITY_COLUMNS}),
        (_("History"), {"fields": ("updated_at",)}),
    )  # fmt: skip
    inlines = [ProfileLinkInline]
    actions = ["remove_pictures"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        # Every account gets its profile when it is made; a second one cannot exist.
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Profile | None = None) -> bool:
        # A profile lives and dies with its account: delete the user instead.
        return False

    def save_model(
        self, request: HttpRequest, obj: Profile, form: forms.ModelForm[Profile], change: bool
    ) -> None:
        services.derive_profile_fields(obj)
        super().save_model(request, obj, form, change)

    @admin.action(description=_("Remove the picture of the selected profiles"))
    def remove_pictures(self, request: HttpRequest, queryset: QuerySet[Profile]) -> None:
        removed = 0
        for profile in queryset.select_related("user").exclude(avatar=""):
            try:
                services.remove_avatar(actor=request.user, profile=profile)
            except PermissionDenied as error:
                self.message_user(request, str(error), messages.ERROR)
                return
            removed += 1
        done = ngettext("Removed %(count)d picture.", "Removed %(count)d pictures.", removed)
        self.message_user(request, done % {"count": removed}, messages.SUCCESS)


@admin.register(Language)
class LanguageAdmin(admin.ModelAdmin):
    list_display = ("name", "code")
    search_fields = ("name", "code")
    ordering = ("name",)
