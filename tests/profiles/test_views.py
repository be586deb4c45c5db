import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse

from network.models import Membership
from profiles.models import Language, Profile, Region, User, Visibility
from tests.factories import MembershipFactory, UserFactory
from tests.profiles.conftest import update_profile_row
from tests.profiles.html import assert_accessible
from tests.profiles.images import image_bytes, upload

DIRECTORY = reverse("profiles:directory")
CHAMPIONS = reverse("profiles:champions")
EDIT = reverse("profiles:edit")

VIEWERS = ["anonymous", "outsider", "member", "champion", "moderator", "admin", "superuser"]


@pytest.fixture
def viewer(request, outsider, member, champion, moderator, admin, superuser):
    return {
        "anonymous": None,
        "outsider": outsider,
        "member": member,
        "champion": champion,
        "moderator": moderator,
        "admin": admin,
        "superuser": superuser,
    }[request.param]


def _client_for(viewer) -> Client:
    client = Client()
    if viewer is not None:
        client.force_login(viewer)
    return client


def _edit_data(user: User, **overrides) -> dict[str, str]:
    data = {
        "display_name": user.display_name,
        "links-TOTAL_FORMS": "5",
        "links-INITIAL_FORMS": "0",
        **{
            f"{name}_visibility": Visibility.PUBLIC
            for name in ("headline", "organization", "sector", "country")
        },
        **{f"{name}_visibility": Visibility.PUBLIC for name in ("languages", "expertise", "bio", "avatar")},
        "links_visibility": Visibility.MEMBERS,
        "gender_visibility": Visibility.ONLY_ME,
    }
    data.update(overrides)
    return data


# --- Who reaches which page -----------------------------------------------------------------------


@pytest.mark.parametrize("viewer", VIEWERS, indirect=True)
def test_page_status_for_each_kind_of_viewer(viewer, champion):
    client = _client_for(viewer)
    signed_in = viewer is not None

    directory = client.get(DIRECTORY)
    champions = client.get(CHAMPIONS)
    edit = client.get(EDIT)
    profile = client.get(champion.get_absolute_url())

    assert directory.status_code == (200 if signed_in else 302)
    assert edit.status_code == (200 if signed_in else 302)
    if not signed_in:
        assert directory["Location"] == f"{reverse('account_login')}?next={DIRECTORY}"
        assert edit["Location"] == f"{reverse('account_login')}?next={EDIT}"
    assert champions.status_code == 200
    assert profile.status_code == 200
    assert champion.display_name in champions.content.decode()


@pytest.mark.parametrize("url", [DIRECTORY, CHAMPIONS, EDIT])
def test_pages_are_accessible(client, member, champion, url):
    client.force_login(member)

    assert_accessible(client.get(url).content.decode())


def test_the_profile_page_is_accessible(client, champion):
    update_profile_row(champion, bio="About me", bio_html="<h2>Career</h2><p>Long.</p>", headline="Lead")
    champion.profile.links.create(label="Site", url="https://example.org")
    champion.profile.expertise.add("Hybrid work")
    champion.profile.languages.add(Language.objects.get(code="fr"))
    client.force_login(champion)

    html = client.get(champion.get_absolute_url()).content.decode()

    assert_accessible(html)
    for shown in (
        "<h2>Career</h2>",
        "Hybrid work",
        "French",
        'href="https://example.org"',
        "Edit your profile",
    ):
        assert shown in html


# --- Directories ----------------------------------------------------------------------------------


def test_the_directory_filters_and_shows_cards(client, member, co_member):
    update_profile_row(member, country="FI", region=Region.EUROPE, headline="Workforce planner")
    client.force_login(co_member)

    html = client.get(DIRECTORY, {"region": Region.EUROPE}).content.decode()

    assert "Workforce planner" in html
    assert co_member.display_name not in html.split("<h2")[-1]
    assert "1 person" in html


def test_bad_filter_input_is_a_400_with_the_error_shown(client, member):
    client.force_login(member)

    response = client.get(DIRECTORY, {"country": "ZZ", "network": "nowhere", "q": "amina"})

    html = response.content.decode()
    assert response.status_code == 400
    assert "“ZZ” is not a country we know." in html
    assert "There is no network “nowhere” that you can see." in html
    assert 'value="amina"' in html  # what was typed is kept


@pytest.mark.parametrize("url", [DIRECTORY, CHAMPIONS])
def test_a_page_that_is_not_a_number_is_a_400(client, member, url):
    client.force_login(member)

    response = client.get(url, {"page": "abc"})

    assert response.status_code == 400
    assert "Bad page number." in response.content.decode()


@pytest.mark.parametrize("url", [DIRECTORY, CHAMPIONS])
def test_a_page_past_the_last_is_a_404(client, member, url):
    client.force_login(member)

    assert client.get(url, {"page": "99"}).status_code == 404


def test_pagination_keeps_the_filters(client, member):
    for number in range(30):
        update_profile_row(
            UserFactory(display_name=f"Person {number:02}"), country="FI", region=Region.EUROPE
        )
    client.force_login(member)

    response = client.get(DIRECTORY, {"region": Region.EUROPE, "page": "2"})

    html = response.content.decode()
    page = assert_accessible(html)
    assert page.current_page == ["2"]
    assert "?region=eur&amp;page=1" in html
    assert "Person 29" in html


def test_the_champions_directory_hides_champions_of_members_only_networks(client, private_network, champion):
    hidden = MembershipFactory(network=private_network, role=Membership.Role.CHAMPION).user

    public_html = client.get(CHAMPIONS).content.decode()
    client.force_login(MembershipFactory(network=private_network).user)
    insider_html = client.get(CHAMPIONS).content.decode()

    assert champion.display_name in public_html
    assert hidden.display_name not in public_html
    assert hidden.display_name in insider_html


# --- Profile page ---------------------------------------------------------------------------------


def test_the_profile_page_shows_only_visible_fields(client, member, co_member, outsider):
    update_profile_row(
        member,
        headline="Public headline",
        organization="Members-only organization",
        organization_visibility=Visibility.MEMBERS,
        bio="Private bio",
        bio_html="<p>Private bio</p>",
        bio_visibility=Visibility.ONLY_ME,
    )

    def page_for(viewer) -> str:
        _client = _client_for(viewer)
        return _client.get(member.get_absolute_url()).content.decode()

    for viewer, shown, hidden in [
        (None, ["Public headline"], ["Members-only organization", "Private bio"]),
        (outsider, ["Public headline"], ["Members-only organization", "Private bio"]),
        (co_member, ["Public headline", "Members-only organization"], ["Private bio"]),
        (member, ["Public headline", "Members-only organization", "Private bio", "Only me"], []),
    ]:
        html = page_for(viewer)
        assert all(text in html for text in shown), (viewer, shown)
        assert not any(text in html for text in hidden), (viewer, hidden)


def test_the_profile_page_shows_the_champion_badge_and_roles(client, champion, network):
    html = client.get(champion.get_absolute_url()).content.decode()

    assert "badge--champion" in html
    assert network.name in html


def test_an_unknown_handle_is_a_404(client, db):
    assert client.get(reverse("profiles:detail", args=["nobody-here"])).status_code == 404


def test_an_inactive_account_has_no_profile_page(client, db):
    gone = UserFactory(is_active=False)

    assert client.get(gone.get_absolute_url()).status_code == 404


def test_a_handle_in_another_case_redirects_to_the_profile(client, db):
    UserFactory(username="Amina.D")

    response = client.get("/people/amina.d/")

    assert response.status_code == 301
    assert response["Location"] == "/people/Amina.D/"


def test_fixed_addresses_are_not_read_as_handles(db):
    assert reverse("profiles:champions") == "/people/champions/"
    assert reverse("profiles:edit") == "/people/me/edit/"
    assert Client().get("/people/champions/").resolver_match.url_name == "champions"


# --- Editing --------------------------------------------------------------------------------------


def test_the_edit_page_shows_the_current_profile(client, member):
    update_profile_row(member, headline="Customs officer", country="KE")
    member.profile.expertise.add("Hybrid work", "Well-being")
    member.profile.links.create(label="Agency", url="https://kra.go.ke")
    client.force_login(member)

    html = client.get(EDIT).content.decode()

    assert 'value="Customs officer"' in html
    assert '<option value="KE" selected>' in html
    assert 'value="Hybrid work, Well-being"' in html
    assert 'value="https://kra.go.ke"' in html


def test_saving_the_profile(client, member):
    client.force_login(member)

    response = client.post(
        EDIT,
        _edit_data(
            member,
            display_name="Amina Diallo",
            headline="Head of HR",
            country="SN",
            expertise="Recruitment, Training",
            **{"links-0-label": "Agency", "links-0-url": "douane.gouv.sn"},
            **{"avatar-avatar": upload(image_bytes())},
        ),
    )

    assert response.status_code == 302
    assert response["Location"] == member.get_absolute_url()
    assert [str(message) for message in get_messages(response.wsgi_request)] == ["Your profile is saved."]
    profile = Profile.objects.get(user=member)
    assert (profile.user.display_name, profile.headline, profile.region) == (
        "Amina Diallo",
        "Head of HR",
        "wca",
    )
    assert sorted(tag.name for tag in profile.expertise.all()) == ["Recruitment", "Training"]
    assert [link.url for link in profile.links.all()] == ["https://douane.gouv.sn"]
    assert profile.avatar.width == 256


def test_an_invalid_edit_keeps_what_was_typed(client, member):
    client.force_login(member)

    response = client.post(
        EDIT,
        _edit_data(
            member,
            headline="My new headline",
            country="ZZ",
            bio="A long introduction I do not want to type again",
            **{"links-0-label": "", "links-0-url": "https://example.org/mine"},
        ),
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "“ZZ” is not a country we know." in html
    assert "Give this link a label" in html
    assert 'value="My new headline"' in html
    assert "A long introduction I do not want to type again" in html
    assert 'value="https://example.org/mine"' in html
    assert Profile.objects.get(user=member).headline == ""
    assert_accessible(html)


def test_a_refused_picture_saves_nothing_and_says_why(client, member):
    client.force_login(member)

    response = client.post(
        EDIT, _edit_data(member, headline="Changed", **{"avatar-avatar": upload(b"not an image", "a.png")})
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "The avatar must be a JPEG, PNG, GIF or WebP image." in html
    assert "choose your picture again" in html
    assert 'value="Changed"' in html
    assert Profile.objects.get(user=member).headline == ""


def test_removing_the_picture(client, member):
    client.force_login(member)
    client.post(EDIT, _edit_data(member, **{"avatar-avatar": upload(image_bytes())}))
    assert Profile.objects.get(user=member).avatar

    client.post(EDIT, _edit_data(member, **{"avatar-remove": "on"}))

    assert not Profile.objects.get(user=member).avatar


def test_the_edit_form_needs_its_csrf_token(member):
    client = Client(enforce_csrf_checks=True)
    client.force_login(member)

    assert client.post(EDIT, _edit_data(member, headline="Forged")).status_code == 403
    assert Profile.objects.get(user=member).headline == ""


# --- Sign-up --------------------------------------------------------------------------------------


def _sign_up(client, **fields):
    password = "correct horse battery staple"
    data = {"email": "new@example.org", "password1": password, "password2": password, **fields}
    return client.post(reverse("account_signup"), data)


@pytest.mark.parametrize("handle", ["champions", "Admin", "edit"])
def test_sign_up_refuses_reserved_handles(client, db, handle):
    response = _sign_up(client, username=handle, display_name="New Member")

    assert response.status_code == 200
    assert f"“{handle}” is reserved. Choose another handle." in response.content.decode()
    assert not User.objects.filter(email="new@example.org").exists()


def test_sign_up_stores_the_display_name(client, db):
    response = _sign_up(client, username="new.member", display_name="  New   Member ")

    assert response.status_code == 302
    user = User.objects.get(email="new@example.org")
    assert user.display_name == "New Member"
    assert Profile.objects.filter(user=user).exists()
