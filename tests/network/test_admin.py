import pytest
from django.core import mail
from django.urls import reverse

from network.models import Membership, Network
from tests.factories import MembershipFactory


@pytest.fixture
def operator_client(client, superuser):
    client.force_login(superuser)
    return client


def _messages(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def _inline_management(prefix: str = "memberships") -> dict[str, str]:
    return {
        f"{prefix}-TOTAL_FORMS": "0",
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def test_adding_a_network_in_the_admin_founds_it_through_the_service(operator_client, superuser):
    response = operator_client.post(
        reverse("admin:network_network_add"),
        {
            "name": "Customs Work Organization Forum",
            "slug": "cwof",
            "tagline": "",
            "mission": "A **compendium** of best practices.",
            "visibility": "public",
            "join_policy": "approval",
            **_inline_management(),
        },
    )

    assert response.status_code == 302
    network = Network.objects.get(slug="cwof")
    assert network.mission_html == "<p>A <strong>compendium</strong> of best practices.</p>\n"
    founder = Membership.objects.get(network=network)
    assert (founder.user, founder.role, founder.state) == (superuser, "admin", "active")


def test_changing_a_network_in_the_admin_renders_its_mission_and_keeps_its_address(
    operator_client, network, member
):
    membership = Membership.objects.get(network=network, user=member)
    response = operator_client.post(
        reverse("admin:network_network_change", args=[network.pk]),
        {
            "name": "Renamed",
            "slug": "hijacked",
            "tagline": "",
            "mission": "_New_ mission",
            "visibility": "members",
            "join_policy": "open",
            **_inline_management() | {"memberships-TOTAL_FORMS": "1", "memberships-INITIAL_FORMS": "1"},
            "memberships-0-id": str(membership.pk),
            "memberships-0-network": str(network.pk),
            "memberships-0-user": str(member.pk),
            "memberships-0-role": "member",
            "memberships-0-state": "active",
        },
    )

    assert response.status_code == 302, response.context["adminform"].form.errors
    network.refresh_from_db()
    assert (network.name, network.slug, network.visibility) == ("Renamed", network.slug, "members")
    assert network.slug != "hijacked"
    assert network.mission_html == "<p><em>New</em> mission</p>\n"


@pytest.mark.parametrize("url", ["admin:network_network_changelist", "admin:network_membership_changelist"])
def test_admin_lists_open_and_search(operator_client, network, member, url):
    response = operator_client.get(
        reverse(url), {"q": member.username if "membership" in url else network.slug}
    )

    assert response.status_code == 200
    assert response.context["cl"].result_count == 1


@pytest.mark.parametrize(
    ("action", "state", "message"),
    [
        ("approve_selected", Membership.State.ACTIVE, "1 request approved."),
        ("decline_selected", Membership.State.DECLINED, "1 request declined."),
    ],
)
def test_admin_actions_answer_pending_requests_through_the_services(
    operator_client, superuser, network, member, action, state, message, django_capture_on_commit_callbacks
):
    waiting = MembershipFactory(network=network, state=Membership.State.PENDING)
    active = Membership.objects.get(network=network, user=member)

    with django_capture_on_commit_callbacks(execute=True):
        response = operator_client.post(
            reverse("admin:network_membership_changelist"),
            {"action": action, "_selected_action": [waiting.pk, active.pk]},
            follow=True,
        )

    waiting.refresh_from_db()
    active.refresh_from_db()
    assert (waiting.state, waiting.decided_by) == (state, superuser)
    assert active.state == Membership.State.ACTIVE
    assert message in _messages(response)
    assert any("already been answered" in text for text in _messages(response))
    assert [m.to for m in mail.outbox] == [[waiting.user.email]]
