import unicodedata

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from network.models import Membership, Network


class JoinRequestForm(forms.Form):
    message = forms.CharField(
        label=_("A word to the admins (optional)"),
        help_text=_("Who you are and why you would like to join."),
        max_length=Membership._meta.get_field("message").max_length,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class InviteForm(forms.Form):
    email = forms.EmailField(
        label=_("Email address"),
        help_text=_("The address they signed up with."),
    )


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Membership.Role.choices)


# Past a few posts, approval stops telling moderators anything new about a member.
MAX_POSTS_AWAITING_APPROVAL = 50


def refuse_line_breaks(value: str) -> None:
    """A name or tagline is one line: no line break, tab or other control character."""
    if any(unicodedata.category(character) in ("Cc", "Zl", "Zp") for character in value):
        raise ValidationError(_("Write this on one line, without line breaks or tabs."), code="one_line")


class NetworkSettingsForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=Network._meta.get_field("name").max_length,
        validators=[refuse_line_breaks],
    )
    tagline = forms.CharField(
        label=_("Tagline"),
        help_text=_("One line under the name, on cards and at the top of the network's page."),
        max_length=Network._meta.get_field("tagline").max_length,
        required=False,
        validators=[refuse_line_breaks],
    )
    mission = forms.CharField(
        label=_("Mission"),
        help_text=_("What the network is for. Markdown: **bold**, _italic_, lists and links."),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    visibility = forms.ChoiceField(
        label=_("Who can see the network"), choices=Network.Visibility.choices, widget=forms.RadioSelect
    )
    join_policy = forms.ChoiceField(
        label=_("How people join"), choices=Network.JoinPolicy.choices, widget=forms.RadioSelect
    )
    posts_awaiting_approval = forms.IntegerField(
        label=_("New members' posts awaiting approval"),
        help_text=Network._meta.get_field("posts_awaiting_approval").help_text,
        min_value=0,
        max_value=MAX_POSTS_AWAITING_APPROVAL,
        # Left empty, the network keeps its number.
        required=False,
    )

    @classmethod
    def for_network(cls, network: Network) -> "NetworkSettingsForm":
        return cls(
            initial={
                "name": network.name,
                "tagline": network.tagline,
                "mission": network.mission,
                "visibility": network.visibility,
                "join_policy": network.join_policy,
                "posts_awaiting_approval": network.posts_awaiting_approval,
            }
        )
