"""The site operators' view of networks and memberships.

Creating or editing a network goes through network.services, so that its mission is rendered and its
founder becomes its first admin, exactly as anywhere else. Pending requests are answered with admin
actions that call the same services as the members page, with the operator as the actor.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.forms import ModelForm
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from network import services
from network.models import Membership, Network
from profiles.models import User


class MembershipInline(admin.TabularInline):
    model = Membership
    fk_name = "network"
    extra = 0
    fields = ("user", "role", "state", "joined_at", "invited_by", "decided_by")
    raw_id_fields = ("user", "invited_by", "decided_by")
    show_change_link = True


# What update_network changes; create_network takes these and the slug.
DESCRIPTION_FIELDS = ("name", "tagline", "mission", "visibility", "join_policy")


@admin.register(Network)
class NetworkAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "visibility", "join_policy", "created_at")
    list_filter = ("visibility", "join_policy")
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}
    fields = ("name", "slug", "tagline", "mission", "visibility", "join_policy")
    inlines = [MembershipInline]

    def get_readonly_fields(self, request: HttpRequest, obj: Network | None = None) -> tuple[str, ...]:
        # A network's address is in links and emails already sent: it stays once the network exists.
        return ("slug",) if obj is not None else ()

    def get_prepopulated_fields(
        self, request: HttpRequest, obj: Network | None = None
    ) -> dict[str, Sequence[str]]:
        return {} if obj is not None else {"slug": ("name",)}

    def save_model(self, request: HttpRequest, obj: Network, form: ModelForm[Network], change: bool) -> None:
        actor = request.user
        assert isinstance(actor, User)
        described = {field: getattr(obj, field) for field in DESCRIPTION_FIELDS}
        if change:
            services.update_network(actor=actor, network=obj, **described)
        else:
            created = services.create_network(actor=actor, slug=obj.slug, **described)
            # The admin goes on with the form's instance (inlines, log, redirect): make it the saved row.
            obj.pk = created.pk
            obj._state.adding = False
        obj.refresh_from_db()


MembershipService = Callable[..., Membership]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ("user", "network", "role", "state", "created_at")
    list_filter = ("network", "role", "state")
    list_select_related = ("user", "network")
    search_fields = ("user__email", "user__username", "user__display_name")
    raw_id_fields = ("user", "network", "invited_by", "decided_by")
    readonly_fields = ("created_at", "updated_at", "joined_at", "decided_at", "left_at")
    actions = ["approve_selected", "decline_selected"]

    @admin.action(description=_("Approve selected pending requests"))
    def approve_selected(self, request: HttpRequest, queryset: QuerySet[Membership]) -> None:
        done = self._answer(request, queryset, services.approve_membership)
        message = ngettext("%(count)d request approved.", "%(count)d requests approved.", done)
        self.message_user(request, message % {"count": done}, messages.SUCCESS if done else messages.INFO)

    @admin.action(description=_("Decline selected pending requests"))
    def decline_selected(self, request: HttpRequest, queryset: QuerySet[Membership]) -> None:
        done = self._answer(request, queryset, services.decline_membership)
        message = ngettext("%(count)d request declined.", "%(count)d requests declined.", done)
        self.message_user(request, message % {"count": done}, messages.SUCCESS if done else messages.INFO)

    def _answer(
        self, request: HttpRequest, queryset: QuerySet[Membership], service: MembershipService
    ) -> int:
        """Run `service` on each selected membership; say why for each it refuses. Returns how many it did."""
        actor = request.user
        assert isinstance(actor, User)
        done = 0
        for membership in queryset.select_related("user", "network"):
            try:
                service(actor=actor, membership=membership)
            except (services.NetworkError, PermissionDenied) as error:
                self.message_user(request, f"{membership}: {error}", messages.WARNING)
            else:
                done += 1
        return done
