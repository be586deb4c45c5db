import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError

from profiles.forms import AvatarForm, DirectoryFilterForm, ProfileForm, ProfileLinkFormSet
from profiles.models import VISIBILITY_CONTROLLED_FIELDS, Language, User, Visibility
from tests.factories import MembershipFactory
from tests.profiles.images import image_bytes, upload


def _profile_form(**data) -> ProfileForm:
    audiences = {f"{name}_visibility": Visibility.PUBLIC for name in VISIBILITY_CONTROLLED_FIELDS}
    return ProfileForm({"display_name": "Amina", **audiences, **data})


def _links(*rows: tuple[str, str], total: int | None = None) -> ProfileLinkFormSet:
    data = {"links-TOTAL_FORMS": str(total or len(rows)), "links-INITIAL_FORMS": "0"}
    for number, (label, url) in enumerate(rows):
        data[f"links-{number}-label"] = label
        data[f"links-{number}-url"] = url
    return ProfileLinkFormSet(data, prefix="links")


@pytest.mark.parametrize("handle", ["champions", "Admin", "ME", "edit", "people"])
def test_reserved_handles_are_refused_by_the_model(db, handle):
    user = User(email="someone@example.org", username=handle, display_name="Someone")

    with pytest.raises(ValidationError) as caught:
        user.full_clean(exclude=["password"])

    assert caught.value.message_dict["username"] == [f"“{handle}” is reserved. Choose another handle."]


def test_profile_form_turns_comma_separated_expertise_into_areas(db):
    form = _profile_form(expertise="hybrid work, Well-being,, hybrid WORK ")

    assert form.is_valid(), form.errors
    assert form.cleaned_data["expertise"] == ["hybrid work", "Well-being"]


def test_profile_form_refuses_an_unknown_country_code(db):
    form = _profile_form(country="ZZ")

    assert not form.is_valid()
    assert form.errors["country"] == ["“ZZ” is not a country we know. Choose one from the list."]


def test_profile_form_reports_too_many_areas_of_expertise(db):
    form = _profile_form(expertise=", ".join(f"area {number}" for number in range(11)))

    assert not form.is_valid()
    assert form.errors["expertise"] == ["List at most 10 areas of expertise (you gave 11)."]


def test_profile_form_makes_profile_data(db):
    english = Language.objects.get(code="en")
    form = _profile_form(languages=[str(english.pk)], country="KE", bio_visibility=Visibility.ONLY_ME)

    assert form.is_valid(), form.errors
    data = form.profile_data(links=[])
    assert (data.country, list(data.languages)) == ("KE", [english])
    assert data.visibility["bio"] == Visibility.ONLY_ME


def test_link_rows_need_both_a_label_and_a_web_address():
    formset = _links(("", "https://example.org"), ("Blog", ""), ("Files", "ftp://example.org"), ("", ""))

    assert not formset.is_valid()
    assert "label" in formset.errors[0]
    assert formset.errors[1]["url"] == ["Enter the address of this link."]
    assert "url" in formset.errors[2]
    assert formset.errors[3] == {}


def test_blank_link_rows_are_free_slots():
    formset = _links(("Site", "example.org"), ("", ""), ("Blog", "http://blog.example.org"), total=5)

    assert formset.is_valid(), formset.errors
    assert [(link.label, link.url) for link in formset.links()] == [
        ("Site", "https://example.org"),
        ("Blog", "http://blog.example.org"),
    ]


def test_more_than_five_link_rows_are_refused():
    formset = _links(*[(f"Link {number}", f"https://example.org/{number}") for number in range(6)])

    assert not formset.is_valid()
    assert formset.non_form_errors()


def test_the_avatar_form_refuses_a_new_picture_and_removal_together():
    form = AvatarForm({"avatar-remove": "on"}, {"avatar-avatar": upload(image_bytes())}, prefix="avatar")

    assert not form.is_valid()
    assert form.non_field_errors() == ["Choose a new picture or remove the current one, not both."]


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ({"network": "nowhere"}, "network", "There is no network “nowhere” that you can see."),
        ({"country": "ZZ"}, "country", "“ZZ” is not a country we know. Choose one from the list."),
        ({"language": "xx"}, "language", "“xx” is not a language code we know."),
        ({"page": "abc"}, "page", "Bad page number."),
        ({"page": "0"}, "page", "Bad page number."),
    ],
)
def test_directory_filter_errors(db, query, field, message):
    form = DirectoryFilterForm(query, viewer=AnonymousUser())

    assert not form.is_valid()
    assert form.errors[field] == [message]


def test_a_members_only_network_is_unknown_to_outsiders(private_network, outsider):
    insider = MembershipFactory(network=private_network).user

    assert DirectoryFilterForm({"network": private_network.slug}, viewer=insider).is_valid()
    assert not DirectoryFilterForm({"network": private_network.slug}, viewer=outsider).is_valid()
    assert not DirectoryFilterForm({"network": private_network.slug}, viewer=AnonymousUser()).is_valid()


def test_directory_filters_from_a_valid_query(network):
    form = DirectoryFilterForm(
        {
            "network": network.slug,
            "language": "fr",
            "q": "  amina ",
            "expertise": " hybrid work ",
            "page": "2",
        },
        viewer=AnonymousUser(),
    )

    assert form.is_valid(), form.errors
    filters = form.filters()
    assert (filters.network, filters.language.code, filters.q, filters.expertise) == (
        network,
        "fr",
        "amina",
        "hybrid work",
    )
    assert form.page_number() == 2
