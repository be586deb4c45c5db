from typing import Any, TypedDict, cast

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from network.models import Network
from network.permissions import visible_networks
from search import registry, selectors
from search.registry import AnyUser

QUERY_MAX_LENGTH = 200
# Deeper than anyone reads; it keeps the offset a search computes small.
PAGE_MAX = 500


class SearchArguments(TypedDict):
    query: str
    network: Network | None
    scope: str
    kind: str
    page: int


class SearchForm(forms.Form):
    """The search page's query and filters, read from the query string."""

    q = forms.CharField(
        label=_("Search for"),
        max_length=QUERY_MAX_LENGTH,
        required=False,
        widget=forms.TextInput(attrs={"type": "search"}),
        help_text=_("Every word must match. Put a phrase in quotes; -word leaves out what mentions it."),
        error_messages={
            "max_length": _("Search for at most %(limit_value)d characters (this is %(show_value)d).")
        },
    )
    network = forms.ModelChoiceField(
        label=_("Network"),
        queryset=Network.objects.none(),
        to_field_name="slug",
        required=False,
        empty_label=_("All networks"),
        # The same words whether the network does not exist or is hidden from this viewer.
        error_messages={"invalid_choice": _("There is no network “%(value)s”.")},
    )
    scope = forms.CharField(label=_("Category"), required=False, widget=forms.Select)
    kind = forms.ChoiceField(label=_("Type"), required=False)
    page = forms.IntegerField(
        min_value=1,
        max_value=PAGE_MAX,
        required=False,
        widget=forms.HiddenInput,
        error_messages={
            "invalid": _("Bad page number."),
            "min_value": _("Bad page number."),
            "max_value": _("Results stop at page %(limit_value)s: narrow the search instead."),
        },
    )

    def __init__(self, *args: Any, viewer: AnyUser, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        network = cast(forms.ModelChoiceField, self.fields["network"])
        network.queryset = visible_networks(viewer).order_by("name")
        kind = cast(forms.ChoiceField, self.fields["kind"])
        kind.choices = [("", _("Everything")), *((k.name, k.label) for k in registry.kinds())]
        self._set_scopes([])

    def _set_scopes(self, choices: list[tuple[str, str]]) -> None:
        self.scopes = dict(choices)
        self.fields["scope"].widget.choices = [("", _("All categories")), *choices]

    def clean_network(self) -> Network | None:
        # Fields are cleaned in their order: the category, cleaned next, is checked against these.
        network: Network | None = self.cleaned_data["network"]
        if network is not None:
            self._set_scopes(selectors.scope_choices(network))
        return network

    def clean_scope(self) -> str:
        scope: str = self.cleaned_data["scope"]
        if not scope or scope in self.scopes:
            return scope
        if "network" in self.errors:
            # The network's own error says what is wrong; the categories of no network can be checked.
            return ""
        if self.cleaned_data.get("network") is None:
            raise ValidationError(_("Choose a network to narrow the search to one of its categories."))
        raise ValidationError(_("This network has no such category."))

    def search_arguments(self) -> SearchArguments:
        data = self.cleaned_data
        return SearchArguments(
            query=data["q"].strip(),
            network=data["network"],
            scope=data["scope"],
            kind=data["kind"],
            page=data["page"] or 1,
        )
