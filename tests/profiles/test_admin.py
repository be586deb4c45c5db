import pytest
from django.urls import reverse

from profiles import services
from profiles.models import VISIBILITY_CONTROLLED_FIELDS, Profile, Region, User, Visibility
from tests.profiles.images import image_bytes, upload


@pytest.fixture
def admin_client_for(client, superuser):
    client.force_login(superuser)
    return client


def _profile_post(**overrides) -> dict[str, str]:
    data = {
        "headline": "",
        "organization": "",
        "sector": "",
        "country": "",
        "expertise": "",
        "bio": "",
        "gender": "",
        "gender_self_description": "",
        "links-TOTAL_FORMS": "0",
        "links-INITIAL_FORMS": "0",
        **{f"{name}_visibility": Visibility.PUBLIC for name in VISIBILITY_CONTROLLED_FIELDS},
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize(
    "url",
    [
        reverse("admin:profiles_user_changelist"),
        reverse("admin:profiles_user_add"),
        reverse("admin:profiles_profile_changelist"),
        reverse("admin:profiles_language_changelist"),
    ],
)
def test_admin_pages_load(admin_client_for, member, url):
    assert admin_client_for.get(url, {"q": member.username} if "changelist" in url else {}).status_code == 200


def test_users_are_searched_by_email_handle_and_name(admin_client_for, member, outsider):
    response = admin_client_for.get(reverse("admin:profiles_user_changelist"), {"q": member.display_name})

    assert list(response.context["cl"].result_list) == [member]


def test_the_admin_creates_a_user_with_a_profile(admin_client_for):
    response = admin_client_for.post(
        reverse("admin:profiles_user_add"),
        {
            "email": "New.Person@Example.org",
            "username": "new.person",
            "display_name": "New Person",
            "usable_password": "true",
            "password1": "correct horse battery staple",
            "password2": "correct horse battery staple",
        },
    )

    assert response.status_code == 302
    user = User.objects.get(username="new.person")
    assert user.email == "new.person@example.org"
    assert Profile.objects.filter(user=user).exists()


def test_the_admin_refuses_a_reserved_handle(admin_client_for):
    response = admin_client_for.post(
        reverse("admin:profiles_user_add"),
        {"email": "x@example.org", "username": "champions", "display_name": "X", "usable_password": "false"},
    )

    assert response.status_code == 200
    assert "is reserved" in response.content.decode()
    assert not User.objects.filter(email="x@example.org").exists()


def test_saving_a_profile_in_the_admin_keeps_region_and_bio_html_consistent(admin_client_for, member):
    response = admin_client_for.post(
        reverse("admin:profiles_profile_change", args=[member.profile.pk]),
        _profile_post(country="KE", bio="**Customs** officer"),
    )

    assert response.status_code == 302
    profile = Profile.objects.get(user=member)
    assert profile.region == Region.EAST_SOUTHERN_AFRICA
    assert profile.bio_html == "<p><strong>Customs</strong> officer</p>\n"


def test_profiles_are_neither_added_nor_deleted_in_the_admin(admin_client_for, member):
    assert admin_client_for.get(reverse("admin:profiles_profile_add")).status_code == 403
    assert (
        admin_client_for.get(reverse("admin:profiles_profile_delete", args=[member.profile.pk])).status_code
        == 403
    )


def test_the_admin_removes_pictures(admin_client_for, member, django_capture_on_commit_callbacks):
    services.set_avatar(actor=member, profile=member.profile, upload=upload(image_bytes()))

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client_for.post(
            reverse("admin:profiles_profile_changelist"),
            {"action": "remove_pictures", "_selected_action": [member.profile.pk]},
        )

    assert response.status_code == 302
    assert not Profile.objects.get(user=member).avatar


def test_the_profile_change_page_shows_derived_fields_read_only(admin_client_for, member):
    member.profile.links.create(label="Site", url="https://example.org")

    response = admin_client_for.get(reverse("admin:profiles_profile_change", args=[member.profile.pk]))

    form = response.context["adminform"].form
    assert response.status_code == 200
    assert "region" not in form.fields
    assert "bio_html" not in form.fields
    assert "avatar" not in form.fields
    assert 'value="https://example.org"' in response.content.decode()
