import pytest
from allauth.account.models import EmailAddress
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage

from profiles import services
from profiles.models import Gender, Language, Profile, Region, Sector, Visibility
from profiles.services import LinkData, ProfileData
from tests.factories import UserFactory
from tests.profiles.images import image_bytes, upload


def _data(**overrides) -> ProfileData:
    fields = {"display_name": "Amina Diallo", **overrides}
    return ProfileData(**fields)


def _errors(member, **overrides) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as caught:
        services.update_profile(actor=member, profile=member.profile, data=_data(**overrides))
    return caught.value.message_dict


def test_update_profile_stores_every_field(member):
    english, french = Language.objects.filter(code__in=["en", "fr"]).order_by("code")

    services.update_profile(
        actor=member,
        profile=member.profile,
        data=_data(
            display_name="  Amina   Diallo ",
            headline=" HR director ",
            organization="Kenya Revenue Authority",
            sector=Sector.CUSTOMS,
            country="ke",
            languages=[english, french],
            expertise=["Hybrid work", " workforce   planning ", "hybrid WORK", ""],
            bio="I lead **people** work.<script>alert(1)</script>",
            gender=Gender.WOMAN,
            links=[LinkData("Agency", "https://kra.go.ke"), LinkData("Blog", "http://example.org/b")],
            visibility={"headline": Visibility.MEMBERS, "gender": Visibility.PUBLIC},
        ),
    )

    profile = Profile.objects.get(user=member)
    assert profile.user.display_name == "Amina Diallo"
    assert (profile.headline, profile.organization, profile.sector) == (
        "HR director",
        "Kenya Revenue Authority",
        Sector.CUSTOMS,
    )
    assert (profile.country.code, profile.region) == ("KE", Region.EAST_SOUTHERN_AFRICA)
    assert "<strong>people</strong>" in profile.bio_html
    assert "<script" not in profile.bio_html
    assert sorted(language.code for language in profile.languages.all()) == ["en", "fr"]
    assert sorted(tag.name for tag in profile.expertise.all()) == ["Hybrid work", "workforce planning"]
    assert [(link.label, link.url, link.position) for link in profile.links.all()] == [
        ("Agency", "https://kra.go.ke", 0),
        ("Blog", "http://example.org/b", 1),
    ]
    assert (profile.headline_visibility, profile.gender_visibility) == (Visibility.MEMBERS, Visibility.PUBLIC)
    assert profile.bio_visibility == Visibility.PUBLIC  # left out: unchanged


def test_update_profile_replaces_links_tags_and_languages(member):
    services.update_profile(
        actor=member,
        profile=member.profile,
        data=_data(
            links=[LinkData("Old", "https://old.example")],
            expertise=["old"],
            languages=list(Language.objects.filter(code="en")),
        ),
    )

    services.update_profile(
        actor=member, profile=member.profile, data=_data(links=[LinkData("New", "https://new.example")])
    )

    profile = Profile.objects.get(user=member)
    assert [link.label for link in profile.links.all()] == ["New"]
    assert not profile.expertise.exists()
    assert not profile.languages.exists()


def test_a_tag_typed_in_another_case_reuses_the_existing_tag(member, co_member):
    services.update_profile(actor=member, profile=member.profile, data=_data(expertise=["Hybrid work"]))
    services.update_profile(actor=co_member, profile=co_member.profile, data=_data(expertise=["hybrid work"]))

    assert co_member.profile.expertise.get().pk == member.profile.expertise.get().pk


def test_a_country_outside_the_six_regions_has_no_region(member):
    services.update_profile(actor=member, profile=member.profile, data=_data(country="AQ"))

    assert Profile.objects.get(user=member).region == ""


def test_the_gender_description_is_kept_only_for_a_self_described_gender(member):
    services.update_profile(
        actor=member,
        profile=member.profile,
        data=_data(gender=Gender.SELF_DESCRIBED, gender_self_description="Two-spirit"),
    )
    assert Profile.objects.get(user=member).gender_self_description == "Two-spirit"

    services.update_profile(
        actor=member,
        profile=member.profile,
        data=_data(gender=Gender.MAN, gender_self_description="Two-spirit"),
    )
    assert Profile.objects.get(user=member).gender_self_description == ""


def test_an_unknown_country_code_is_refused_and_nothing_is_saved(member):
    errors = _errors(member, country="ZZ", headline="Changed")

    assert errors == {"country": ["“ZZ” is not a country code we know."]}
    assert Profile.objects.get(user=member).headline == ""


def test_every_problem_is_reported_at_once(member):
    errors = _errors(
        member,
        display_name="   ",
        sector="pirates",
        gender="unknown",
        headline="x" * 141,
        visibility={"bio": "friends"},
        expertise=[f"tag {number}" for number in range(11)],
        links=[LinkData("Files", "ftp://example.org/files")],
    )

    assert set(errors) == {
        "display_name",
        "sector",
        "gender",
        "headline",
        "bio_visibility",
        "expertise",
        "links",
    }
    assert errors["expertise"] == ["List at most 10 areas of expertise (you gave 11)."]
    assert errors["links"] == ["Link 1: Enter a web address starting with http:// or https://."]


def test_an_area_of_expertise_has_at_most_40_characters(member):
    errors = _errors(member, expertise=["x" * 41])

    assert "at most 40 characters" in errors["expertise"][0]


def test_ten_areas_of_expertise_are_allowed_and_repeats_do_not_count(member):
    names = [f"area {number}" for number in range(10)]

    services.update_profile(actor=member, profile=member.profile, data=_data(expertise=[*names, "AREA 0"]))

    assert member.profile.expertise.count() == 10


@pytest.mark.parametrize(
    ("links", "message"),
    [
        ([LinkData(f"Link {n}", f"https://example.org/{n}") for n in range(6)], "Add at most 5 links."),
        (
            [LinkData("Script", "javascript:alert(1)")],
            "Link 1: Enter a web address starting with http:// or https://.",
        ),
        ([LinkData("", "https://example.org")], "Link 1: This field cannot be blank."),
        ([LinkData("Long", "https://example.org/" + "a" * 300)], "Link 1: Ensure this value has at most 300"),
    ],
)
def test_bad_links_are_refused(member, links, message):
    errors = _errors(member, links=links)

    assert errors["links"][0].startswith(message)
    assert not member.profile.links.exists()


def test_a_visibility_for_a_field_that_has_none_is_a_programming_error(member):
    with pytest.raises(ValueError, match="email"):
        services.update_profile(
            actor=member, profile=member.profile, data=_data(visibility={"email": "public"})
        )


def test_only_the_owner_or_a_superuser_may_update_a_profile(member, co_member, superuser):
    with pytest.raises(PermissionDenied):
        services.update_profile(actor=co_member, profile=member.profile, data=_data(headline="Hijacked"))

    services.update_profile(actor=superuser, profile=member.profile, data=_data(headline="Corrected"))

    assert Profile.objects.get(user=member).headline == "Corrected"


def test_set_display_name(member, co_member):
    services.set_display_name(actor=member, user=member, display_name=" Nomvula  Dlamini ")
    member.refresh_from_db()
    assert member.display_name == "Nomvula Dlamini"

    with pytest.raises(ValidationError):
        services.set_display_name(actor=member, user=member, display_name=" ")
    with pytest.raises(ValidationError, match="at most 80"):
        services.set_display_name(actor=member, user=member, display_name="x" * 81)
    with pytest.raises(PermissionDenied):
        services.set_display_name(actor=co_member, user=member, display_name="Someone else")


def test_derive_profile_fields(member):
    profile = member.profile
    profile.country = "FI"
    profile.bio = "# Title"
    profile.gender = Gender.WOMAN
    profile.gender_self_description = "stale"

    services.derive_profile_fields(profile)

    assert profile.region == Region.EUROPE
    assert profile.bio_html == "<h2>Title</h2>\n"
    assert profile.gender_self_description == ""


def test_create_profile_returns_the_existing_profile(member):
    assert services.create_profile(user=member).pk == member.profile.pk
    assert Profile.objects.filter(user=member).count() == 1


def test_every_new_user_has_a_profile(db):
    assert Profile.objects.filter(user=UserFactory()).exists()


# --- Avatars --------------------------------------------------------------------------------------


def test_set_avatar_stores_both_sizes_under_random_names(member, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.set_avatar(
            actor=member, profile=member.profile, upload=upload(image_bytes(), "my-passport.png")
        )

    profile = Profile.objects.get(user=member)
    assert profile.avatar.name.startswith("avatars/")
    assert profile.avatar_small.name.startswith("avatars/small/")
    assert profile.avatar.name.endswith(".webp")
    assert "passport" not in profile.avatar.name
    assert default_storage.exists(profile.avatar.name)
    assert default_storage.exists(profile.avatar_small.name)
    assert profile.avatar.width == 256
    assert profile.avatar_small.width == 64


def test_a_new_avatar_deletes_the_old_files_once_committed(member, django_capture_on_commit_callbacks):
    services.set_avatar(actor=member, profile=member.profile, upload=upload(image_bytes()))
    old = Profile.objects.get(user=member)

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.set_avatar(actor=member, profile=member.profile, upload=upload(image_bytes()))
    assert default_storage.exists(old.avatar.name)  # not before the commit
    for callback in callbacks:
        callback()

    new = Profile.objects.get(user=member)
    assert new.avatar.name != old.avatar.name
    assert not default_storage.exists(old.avatar.name)
    assert not default_storage.exists(old.avatar_small.name)
    assert default_storage.exists(new.avatar.name)


def test_a_bad_upload_leaves_the_avatar_as_it_was(member):
    with pytest.raises(ValidationError) as caught:
        services.set_avatar(actor=member, profile=member.profile, upload=upload(b"not an image", "a.png"))

    assert caught.value.message_dict == {"avatar": ["The avatar must be a JPEG, PNG, GIF or WebP image."]}
    assert not Profile.objects.get(user=member).avatar


def test_remove_avatar_clears_the_fields_and_deletes_the_files(member, django_capture_on_commit_callbacks):
    services.set_avatar(actor=member, profile=member.profile, upload=upload(image_bytes()))
    old = Profile.objects.get(user=member)
    old_names = [old.avatar.name, old.avatar_small.name]

    with django_capture_on_commit_callbacks(execute=True):
        services.remove_avatar(actor=member, profile=member.profile)

    profile = Profile.objects.get(user=member)
    assert not profile.avatar
    assert not profile.avatar_small
    assert not any(default_storage.exists(name) for name in old_names)


def test_only_the_owner_may_change_the_avatar(member, co_member):
    with pytest.raises(PermissionDenied):
        services.set_avatar(actor=co_member, profile=member.profile, upload=upload(image_bytes()))
    with pytest.raises(PermissionDenied):
        services.remove_avatar(actor=co_member, profile=member.profile)


# --- Accounts made by operators -------------------------------------------------------------------


def test_create_account_makes_a_verified_account_with_a_profile(db, client):
    user = services.create_account(
        email="Amina@Example.org",
        handle="amina",
        display_name=" Amina  Diallo ",
        password="correct horse battery staple",
        email_verified=True,
    )

    assert (user.email, user.display_name, user.is_superuser) == ("amina@example.org", "Amina Diallo", False)
    assert Profile.objects.filter(user=user).exists()
    assert EmailAddress.objects.filter(user=user, verified=True, primary=True).exists()
    response = client.post(
        "/accounts/login/", {"login": "amina@example.org", "password": "correct horse battery staple"}
    )
    assert "_auth_user_id" in client.session, response.content.decode()


def test_create_account_makes_superusers(db):
    user = services.create_account(
        email="ops@example.org", handle="ops", display_name="Ops", password=None, superuser=True
    )

    assert user.is_superuser
    assert user.is_staff
    assert not user.has_usable_password()
    assert not EmailAddress.objects.filter(user=user).exists()


@pytest.mark.parametrize(
    ("email", "handle", "field"),
    [
        ("MEMBER0@example.org", "fresh", "email"),
        ("fresh@example.org", "Member0", "__all__"),
        ("x@example.org", "me", "username"),
    ],
)
def test_create_account_refuses_taken_and_reserved_identities(db, email, handle, field):
    UserFactory(username="member0", email="member0@example.org")

    with pytest.raises(ValidationError) as caught:
        services.create_account(email=email, handle=handle, display_name="X", password=None)

    assert field in caught.value.message_dict
