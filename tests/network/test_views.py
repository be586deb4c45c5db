import pytest
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from network.models import Membership, Network
from tests.factories import MembershipFactory, NetworkFactory, UserFactory
from tests.network.conftest import PERSONAS, add_members, membership_in

MEMBERS = {"member", "champion", "moderator", "admin"}


@pytest.fixture
def client_as(client, request):
    """A client signed in as the named persona (or not signed in, for "anonymous")."""

    def sign_in(persona: str) -> Client:
        user = request.getfixturevalue(persona)
        if user.is_authenticated:
            client.force_login(user)
        return client

    return sign_in


def _url(name: str, network: Network, *args) -> str:
    return reverse(f"network:{name}", args=[network.slug, *args])


def _row(network, user) -> Membership:
    return Membership.objects.get(network=network, user=user)


def _messages(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


# --- Status codes for everyone -----------------------------------------------------------------------


def _statuses(public: dict[str, int], members_only: dict[str, int]) -> list:
    return [
        pytest.param(visibility, persona, expected[persona], id=f"{visibility}-{persona}")
        for visibility, expected in [("public", public), ("members", members_only)]
        for persona in PERSONAS
    ]


def _by_persona(default: int, **overrides: int) -> dict[str, int]:
    return {persona: overrides.get(persona, default) for persona in PERSONAS}


LOGIN = 302


@pytest.mark.parametrize(("visibility", "persona", "status"), _statuses(_by_persona(200), _by_persona(200)))
@pytest.mark.parametrize("page", ["home", "network:list"])
def test_the_site_home_and_the_network_list_are_open_to_all(
    client_as, network, visibility, persona, status, page
):
    Network.objects.update(visibility=visibility)

    assert client_as(persona).get(reverse(page)).status_code == status


@pytest.mark.parametrize(
    ("visibility", "persona", "status"),
    _statuses(_by_persona(200), _by_persona(200, anonymous=404, outsider=404)),
)
def test_network_home_status(client_as, network, visibility, persona, status):
    Network.objects.update(visibility=visibility)

    assert client_as(persona).get(_url("home", network)).status_code == status


@pytest.mark.parametrize(
    ("visibility", "persona", "status"),
    _statuses(
        _by_persona(200, anonymous=LOGIN, outsider=403), _by_persona(200, anonymous=LOGIN, outsider=404)
    ),
)
def test_members_page_status(client_as, network, visibility, persona, status):
    Network.objects.update(visibility=visibility)

    response = client_as(persona).get(_url("members", network))

    assert response.status_code == status
    if status == LOGIN:
        assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.parametrize(
    ("visibility", "persona", "status"),
    _statuses(
        _by_persona(403, anonymous=LOGIN, admin=200, superuser=200),
        _by_persona(403, anonymous=LOGIN, outsider=404, admin=200, superuser=200),
    ),
)
def test_settings_page_status(client_as, network, visibility, persona, status):
    Network.objects.update(visibility=visibility)

    assert client_as(persona).get(_url("settings", network)).status_code == status


@pytest.mark.parametrize(
    ("visibility", "persona", "status"),
    _statuses(
        _by_persona(200, anonymous=LOGIN, outsider=403, superuser=403),
        _by_persona(200, anonymous=LOGIN, outsider=404, superuser=403),
    ),
)
def test_leave_confirmation_status(client_as, network, visibility, persona, status):
    Network.objects.update(visibility=visibility)

    assert client_as(persona).get(_url("leave", network)).status_code == status


@pytest.mark.parametrize("name", ["home", "members", "settings", "leave"])
def test_a_missing_network_is_404(client_as, name):
    client = client_as("superuser")

    assert client.get(reverse(f"network:{name}", args=["no-such-network"])).status_code == 404


@pytest.mark.parametrize(
    "name",
    [
        "join",
        "accept_invitation",
        "decline_invitation",
        "invite",
        "approve",
        "decline",
        "change_role",
        "withdraw_invitation",
    ],
)
def test_actions_refuse_get(client_as, network, member, name):
    with_membership = {"approve", "decline", "change_role", "withdraw_invitation"}
    args = [_row(network, member).pk] if name in with_membership else []

    assert client_as("admin").get(_url(name, network, *args)).status_code == 405


# --- Home page and list content ----------------------------------------------------------------------


def test_home_page_invites_visitors_to_sign_up_and_shows_networks_and_champions(client, network, champion):
    page = client.get(reverse("home")).content.decode()

    assert "Convene is the home of the customs world" in page
    assert reverse("account_signup") in page
    assert network.name in page
    assert str(champion) in page
    assert page.count("<h1") == 1


def test_home_page_hides_members_only_networks_from_visitors(client, members_only):
    assert members_only.name not in client.get(reverse("home")).content.decode()


def test_network_list_offers_to_join_or_ask(client_as, network, open_network, invitation_network):
    page = client_as("outsider").get(reverse("network:list")).content.decode()

    assert page.count(f'action="{_url("join", open_network)}"') == 1
    assert page.count(f'action="{_url("join", network)}"') == 1
    assert f'action="{_url("join", invitation_network)}"' not in page
    assert ">Join<" in page
    assert ">Ask to join<" in page


def test_network_list_shows_the_viewers_state_and_counts(client_as, network, member, champion):
    page = client_as("member").get(reverse("network:list")).content.decode()

    assert "You are a member" in page
    assert "2 members" in page
    assert "1 champion" in page
    assert f'action="{_url("join", network)}"' not in page


# --- Network home content ----------------------------------------------------------------------------


def test_network_home_shows_mission_counts_and_champions(client, network, champion, member):
    network.mission_html = "<p>Share <strong>what works</strong>.</p>"
    network.save()

    page = client.get(_url("home", network)).content.decode()

    assert "<strong>what works</strong>" in page
    assert "Members by region" in page
    assert "Members by sector" in page
    assert str(champion) in page
    assert "Log in to join this network" in page


def test_network_home_offers_a_message_with_a_request(client_as, network):
    page = client_as("outsider").get(_url("home", network)).content.decode()

    assert 'name="message"' in page
    assert "Ask to join" in page


def test_network_home_offers_invitees_to_answer(client_as, network, outsider, admin):
    membership_in(network, outsider, state=Membership.State.INVITED, invited_by=admin)

    page = client_as("outsider").get(_url("home", network)).content.decode()

    assert _url("accept_invitation", network) in page
    assert _url("decline_invitation", network) in page
    assert f"{admin} invites you" in page


def test_network_home_tells_the_last_admin_why_they_cannot_leave(client_as, network, admin):
    page = client_as("admin").get(_url("home", network)).content.decode()

    assert "last admin" in page
    assert _url("leave", network) not in page
    assert _url("members", network) in page
    assert _url("settings", network) in page


# --- Joining and leaving -----------------------------------------------------------------------------


def test_joining_an_open_network(client_as, open_network, outsider):
    response = client_as("outsider").post(_url("join", open_network), follow=True)

    assert response.redirect_chain == [(_url("home", open_network), 302)]
    assert _row(open_network, outsider).state == Membership.State.ACTIVE
    assert "you are now a member" in _messages(response)[0]


def test_asking_to_join_with_a_message(client_as, network, outsider):
    response = client_as("outsider").post(
        _url("join", network), {"message": "I run HR in Finland."}, follow=True
    )

    membership = _row(network, outsider)
    assert (membership.state, membership.message) == (Membership.State.PENDING, "I run HR in Finland.")
    assert "an admin will answer" in _messages(response)[0]


def test_a_too_long_message_is_shown_again_with_the_error(client_as, network, outsider):
    long_message = "x" * 501

    response = client_as("outsider").post(_url("join", network), {"message": long_message})

    assert response.status_code == 200
    assert "at most 500 characters" in response.content.decode()
    assert long_message in response.content.decode()
    assert not Membership.objects.filter(user=outsider).exists()


def test_asking_twice_says_an_admin_will_answer(client_as, network, outsider):
    membership_in(network, outsider, state=Membership.State.PENDING)

    response = client_as("outsider").post(_url("join", network), follow=True)

    assert _messages(response) == ["You already asked to join; an admin will answer."]


def test_joining_needs_an_account(client, open_network):
    response = client.post(_url("join", open_network))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_an_invitation_only_network_refuses_requests(client_as, invitation_network):
    assert client_as("outsider").post(_url("join", invitation_network)).status_code == 403


def test_a_members_only_network_does_not_exist_for_outsiders(client_as, members_only, outsider):
    assert client_as("outsider").post(_url("join", members_only)).status_code == 404
    assert not Membership.objects.filter(user=outsider).exists()


def test_post_needs_a_csrf_token(open_network, outsider):
    client = Client(enforce_csrf_checks=True)
    client.force_login(outsider)

    assert client.post(_url("join", open_network)).status_code == 403
    assert not Membership.objects.filter(user=outsider).exists()


def test_leaving(client_as, network, member):
    response = client_as("member").post(_url("leave", network), follow=True)

    assert response.redirect_chain == [(reverse("network:list"), 302)]
    assert _row(network, member).state == Membership.State.LEFT
    assert _messages(response) == [f"You left {network}."]


def test_the_last_admin_is_refused_leaving(client_as, network, admin):
    client = client_as("admin")

    assert "last admin" in client.get(_url("leave", network)).content.decode()
    assert client.post(_url("leave", network)).status_code == 403
    assert _row(network, admin).state == Membership.State.ACTIVE


def test_accepting_an_invitation(client_as, members_only, outsider):
    membership_in(members_only, outsider, state=Membership.State.INVITED)

    response = client_as("outsider").post(_url("accept_invitation", members_only), follow=True)

    assert response.redirect_chain == [(_url("home", members_only), 302)]
    assert _row(members_only, outsider).state == Membership.State.ACTIVE


def test_declining_an_invitation(client_as, members_only, outsider):
    membership_in(members_only, outsider, state=Membership.State.INVITED)

    response = client_as("outsider").post(_url("decline_invitation", members_only), follow=True)

    assert response.redirect_chain == [(reverse("network:list"), 302)]
    assert _row(members_only, outsider).state == Membership.State.DECLINED


def test_answering_a_missing_invitation_says_so(client_as, network):
    response = client_as("outsider").post(_url("accept_invitation", network), follow=True)

    assert "no invitation" in _messages(response)[0]


# --- Members page ------------------------------------------------------------------------------------


def test_members_page_lists_members_with_role_badges(client_as, network, member, champion, moderator, admin):
    page = client_as("member").get(_url("members", network)).content.decode()

    for person in (member, champion, moderator, admin):
        assert str(person) in page
    assert 'class="badge badge--champion">Champion<' in page
    assert 'class="badge badge--role">Moderator<' in page
    assert "Requests to join" not in page
    assert 'name="role"' not in page


def test_managers_see_requests_invitations_and_role_selects(client_as, network, admin, member):
    waiting = MembershipFactory(network=network, state=Membership.State.PENDING, message="Hello from Lagos")
    invited = MembershipFactory(network=network, state=Membership.State.INVITED, invited_by=admin)

    page = client_as("admin").get(_url("members", network)).content.decode()

    assert "Hello from Lagos" in page
    assert _url("approve", network, waiting.pk) in page
    assert _url("decline", network, waiting.pk) in page
    assert _url("withdraw_invitation", network, invited.pk) in page
    assert _url("change_role", network, _row(network, member).pk) in page
    assert _url("change_role", network, _row(network, admin).pk) not in page  # the last admin
    assert 'name="email"' in page


def test_members_page_paginates(client_as, network):
    add_members(network, 55)
    client = client_as("member")

    second = client.get(_url("members", network), {"page": 2})

    assert second.status_code == 200
    assert len(second.context["page"].rows) == 55 + 1 - 50
    assert '<span aria-current="page">2</span>' in second.content.decode()


@pytest.mark.parametrize(("page", "status"), [("abc", 400), ("0", 400), ("-1", 400), ("9", 404)])
def test_members_page_refuses_bad_page_numbers(client_as, network, page, status):
    assert client_as("member").get(_url("members", network), {"page": page}).status_code == status


@pytest.fixture
def waiting(network) -> Membership:
    return MembershipFactory(network=network, state=Membership.State.PENDING, joined_at=None)


@pytest.mark.parametrize(
    ("action", "state"), [("approve", Membership.State.ACTIVE), ("decline", Membership.State.DECLINED)]
)
def test_an_admin_answers_a_request(
    client_as, network, waiting, action, state, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_as("admin").post(_url(action, network, waiting.pk), follow=True)

    assert response.redirect_chain == [(_url("members", network), 302)]
    waiting.refresh_from_db()
    assert waiting.state == state
    assert [m.to for m in mail.outbox] == [[waiting.user.email]]


@pytest.mark.parametrize("persona", ["member", "champion", "moderator"])
@pytest.mark.parametrize("action", ["approve", "decline"])
def test_members_who_are_not_admins_cannot_answer_requests(client_as, network, waiting, persona, action):
    assert client_as(persona).post(_url(action, network, waiting.pk)).status_code == 403
    waiting.refresh_from_db()
    assert waiting.state == Membership.State.PENDING


def test_outsiders_of_a_members_only_network_get_404_for_its_actions(client_as, members_only, waiting):
    assert client_as("outsider").post(_url("approve", members_only, waiting.pk)).status_code == 404


def test_approving_an_answered_request_says_so(client_as, network, member):
    response = client_as("admin").post(_url("approve", network, _row(network, member).pk), follow=True)

    assert _messages(response) == ["This request has already been answered."]


def test_a_membership_of_another_network_is_404(client_as, network, open_network):
    elsewhere = MembershipFactory(network=open_network, state=Membership.State.PENDING)

    assert client_as("admin").post(_url("approve", network, elsewhere.pk)).status_code == 404


def test_an_admin_changes_a_role(client_as, network, member):
    response = client_as("admin").post(
        _url("change_role", network, _row(network, member).pk), {"role": "moderator"}, follow=True
    )

    assert _row(network, member).role == Membership.Role.MODERATOR
    assert _messages(response) == [f"{member}'s role is saved."]


@pytest.mark.parametrize("persona", ["member", "champion", "moderator"])
def test_a_role_change_by_a_non_admin_is_403(client_as, network, member, persona):
    response = client_as(persona).post(
        _url("change_role", network, _row(network, member).pk), {"role": "admin"}
    )

    assert response.status_code == 403
    assert _row(network, member).role == Membership.Role.MEMBER


def test_the_last_admin_cannot_demote_themselves(client_as, network, admin):
    response = client_as("admin").post(
        _url("change_role", network, _row(network, admin).pk), {"role": "member"}
    )

    assert response.status_code == 403
    assert _row(network, admin).role == Membership.Role.ADMIN


def test_an_unknown_role_is_refused_with_a_message(client_as, network, member):
    response = client_as("admin").post(
        _url("change_role", network, _row(network, member).pk), {"role": "overlord"}, follow=True
    )

    assert _messages(response) == ["Choose one of the roles offered."]
    assert _row(network, member).role == Membership.Role.MEMBER


def test_an_admin_invites_by_email(client_as, network, django_capture_on_commit_callbacks):
    invitee = UserFactory(email="kofi@example.org")

    with django_capture_on_commit_callbacks(execute=True):
        response = client_as("admin").post(
            _url("invite", network), {"email": "KOFI@example.org"}, follow=True
        )

    assert response.redirect_chain == [(_url("members", network), 302)]
    assert _row(network, invitee).state == Membership.State.INVITED
    assert [m.to for m in mail.outbox] == [["kofi@example.org"]]


def test_inviting_an_unknown_address_keeps_what_was_typed(client_as, network):
    response = client_as("admin").post(_url("invite", network), {"email": "nobody@example.org"})

    page = response.content.decode()
    assert response.status_code == 200
    assert "No member has that email address; ask them to sign up first." in page
    assert 'value="nobody@example.org"' in page


def test_inviting_needs_a_valid_address(client_as, network):
    response = client_as("admin").post(_url("invite", network), {"email": "not an address"})

    assert response.status_code == 200
    assert "Enter a valid email address." in response.content.decode()


@pytest.mark.parametrize("persona", ["member", "moderator"])
def test_only_admins_invite(client_as, network, persona):
    invitee = UserFactory()

    assert client_as(persona).post(_url("invite", network), {"email": invitee.email}).status_code == 403
    assert not Membership.objects.filter(user=invitee).exists()


def test_an_admin_withdraws_an_invitation(client_as, network, admin):
    invited = MembershipFactory(network=network, state=Membership.State.INVITED, invited_by=admin)

    client_as("admin").post(_url("withdraw_invitation", network, invited.pk))

    invited.refresh_from_db()
    assert invited.state == Membership.State.DECLINED


# --- Settings ----------------------------------------------------------------------------------------


def _settings(**overrides):
    return {
        "name": "Gender Equality and Diversity",
        "tagline": "Champions of inclusion",
        "mission": "Promote **champions**.",
        "visibility": "public",
        "join_policy": "open",
    } | overrides


def test_an_admin_saves_the_settings(client_as, network):
    response = client_as("admin").post(_url("settings", network), _settings(), follow=True)

    assert response.redirect_chain == [(_url("home", network), 302)]
    network.refresh_from_db()
    assert network.name == "Gender Equality and Diversity"
    assert network.join_policy == Network.JoinPolicy.OPEN
    assert "<strong>champions</strong>" in network.mission_html


def test_invalid_settings_are_shown_again(client_as, network):
    response = client_as("admin").post(_url("settings", network), _settings(name="", tagline="Kept"))

    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    assert 'value="Kept"' in response.content.decode()


@pytest.mark.parametrize("field", ["name", "tagline"])
@pytest.mark.parametrize("typed", ["Customs\nForum", "Customs\r\nForum", "Customs\tForum"])
def test_a_name_or_tagline_on_two_lines_is_a_form_error_and_kept(client_as, network, field, typed):
    before = network.name

    response = client_as("admin").post(_url("settings", network), _settings(**{field: typed}))

    assert response.status_code == 200
    assert "Write this on one line, without line breaks or tabs." in response.content.decode()
    assert response.context["form"][field].value() == typed
    network.refresh_from_db()
    assert network.name == before


def test_a_taken_name_is_a_form_error(client_as, network, open_network):
    response = client_as("admin").post(_url("settings", network), _settings(name=open_network.name))

    assert response.status_code == 200
    assert "Another network already has that name." in response.content.decode()


def test_a_moderator_cannot_save_settings(client_as, network):
    assert client_as("moderator").post(_url("settings", network), _settings()).status_code == 403
    network.refresh_from_db()
    assert network.name != "Gender Equality and Diversity"


# --- Whole pages keep a fixed number of queries ------------------------------------------------------


def _page_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def _grow(network, count: int) -> None:
    add_members(network, count, role=Membership.Role.CHAMPION)
    MembershipFactory(network=network, state=Membership.State.PENDING)
    MembershipFactory(network=network, state=Membership.State.INVITED, invited_by=UserFactory())
    MembershipFactory(network=NetworkFactory(), role=Membership.Role.CHAMPION)


PAGES_BY_PERSONA = [
    (persona, page)
    for persona in ["anonymous", "member", "admin"]
    for page in ["home", "list", "network home", "members"]
    if not (persona == "anonymous" and page == "members")
]


@pytest.mark.parametrize(("persona", "page"), PAGES_BY_PERSONA)
def test_pages_do_not_query_more_for_more_members(client_as, network, persona, page):
    client = client_as(persona)
    url = {
        "home": reverse("home"),
        "list": reverse("network:list"),
        "network home": _url("home", network),
        "members": _url("members", network),
    }[page]

    _grow(network, 4)
    few = _page_queries(client, url)
    _grow(network, 20)
    many = _page_queries(client, url)

    assert few == many


@pytest.mark.parametrize("page", ["home", "list", "network home", "members", "settings", "leave"])
def test_every_page_has_one_main_heading(client, network, admin, member, page):
    client.force_login(member if page == "leave" else admin)
    url = {
        "home": reverse("home"),
        "list": reverse("network:list"),
        "network home": _url("home", network),
        "members": _url("members", network),
        "settings": _url("settings", network),
        "leave": _url("leave", network),
    }[page]

    assert client.get(url).content.decode().count("<h1") == 1
