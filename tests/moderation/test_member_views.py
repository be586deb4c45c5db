"""The members' standing pages: the list with its search and filters (and its query count), one member's
file, and the forms that warn, mute, suspend and lift, with every refusal and bad input said clearly."""

import re
from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from moderation.models import AuditEntry, Sanction
from moderation.services import members as services
from network.models import Membership, Network
from profiles.models import User
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def url(name: str, network: Network, *args) -> str:
    return reverse(f"moderation:{name}", args=[network.slug, *args])


def text(response) -> str:
    return response.content.decode()


def said(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def row(network: Network, user: User) -> Membership:
    return Membership.objects.select_related("user", "network").get(network=network, user=user)


@pytest.fixture
def carmen(network) -> User:
    return MembershipFactory(
        network=network, user=UserFactory(display_name="Carmen Ortiz", username="carmen")
    ).user


@pytest.fixture
def as_moderator(client, moderator):
    client.force_login(moderator)
    return client


def in_hours(hours: float):
    return timezone.now() + timedelta(hours=hours)


# --- The list ---------------------------------------------------------------------------------------


def test_the_list_shows_each_members_standing(as_moderator, network, moderator, carmen, member):
    services.mute(actor=moderator, membership=row(network, carmen), reason="Spam", until=in_hours(2))
    services.warn(actor=moderator, membership=row(network, carmen), reason="Careful")
    services.warn(actor=moderator, membership=row(network, carmen), reason="Careful again")
    services.suspend(actor=moderator, membership=row(network, member), reason="Abuse", until=in_hours(5))

    page = text(as_moderator.get(url("members", network)))

    carmen_row = re.search(
        r"<tr>\s*<th scope=\"row\"><a href=\"[^\"]*/carmen/\">Carmen Ortiz.*?</tr>", page, re.S
    )
    assert carmen_row is not None
    assert "until" in carmen_row.group(0)
    assert "<td>2</td>" in carmen_row.group(0)
    assert str(member) in page


@pytest.mark.parametrize(("query", "found"), [("carm", True), ("ORTIZ", True), ("zzz", False)])
def test_the_list_finds_members_by_name_or_handle(as_moderator, network, carmen, member, query, found):
    page = text(as_moderator.get(url("members", network), {"q": query}))

    assert ("Carmen Ortiz" in page) is found
    assert str(member) not in page


@pytest.mark.parametrize("standing", ["muted", "suspended", "warned"])
def test_the_list_filters_by_standing(as_moderator, network, moderator, carmen, member, standing):
    membership = row(network, carmen)
    if standing == "muted":
        services.mute(actor=moderator, membership=membership, reason="Spam", until=in_hours(1))
    elif standing == "suspended":
        services.suspend(actor=moderator, membership=membership, reason="Spam", until=in_hours(1))
    else:
        services.warn(actor=moderator, membership=membership, reason="Spam")

    page = text(as_moderator.get(url("members", network), {"standing": standing}))

    assert "Carmen Ortiz" in page
    assert str(member) not in page


def test_a_bad_filter_is_refused_with_the_reason_and_what_was_typed_kept(as_moderator, network, carmen):
    response = as_moderator.get(url("members", network), {"q": "carmen", "standing": "banished"})

    assert response.status_code == 400
    assert "Select a valid choice" in text(response)
    assert 'value="carmen"' in text(response)


def test_a_page_past_the_end_is_not_found(as_moderator, network):
    assert as_moderator.get(url("members", network), {"page": 9}).status_code == 404


def _grow(network: Network, moderator: User, count: int) -> None:
    for _ in range(count):
        membership = MembershipFactory(network=network)
        services.warn(actor=moderator, membership=membership, reason="Careful")
        services.mute(actor=moderator, membership=membership, reason="Spam", until=in_hours(1))


def test_the_list_asks_the_same_queries_for_more_members(as_moderator, network, moderator):
    counts = []
    for count in (5, 45):
        _grow(network, moderator, count)
        with CaptureQueriesContext(connection) as queries:
            assert as_moderator.get(url("members", network)).status_code == 200
        counts.append(len(queries.captured_queries))

    assert counts[0] == counts[1]


# --- One member -------------------------------------------------------------------------------------


def test_a_members_file_shows_their_sanctions_and_the_log_about_them(
    as_moderator, network, moderator, admin, carmen
):
    muting = services.mute(
        actor=moderator, membership=row(network, carmen), reason="Spam links", until=in_hours(1)
    )
    services.lift(actor=admin, sanction=muting, reason="Apologised")
    services.warn(actor=moderator, membership=row(network, carmen), reason="Mind the tone")

    page = text(as_moderator.get(url("member", network, "carmen")))

    assert "Spam links" in page
    assert "Mind the tone" in page
    assert f"Lifted by {admin}" in page
    assert "Reason: Apologised" in page
    assert "lifted a member&#x27;s sanction" in page or "lifted a member's sanction" in page
    for form in ("warn", "mute", "suspend"):
        assert f'action="{url(form, network, "carmen")}"' in page


def test_a_current_mute_has_its_lift_button_and_no_second_mute_form(as_moderator, network, moderator, carmen):
    muting = services.mute(actor=moderator, membership=row(network, carmen), reason="Spam", until=in_hours(1))

    page = text(as_moderator.get(url("member", network, "carmen")))

    assert f'action="{url("lift", network, "carmen", muting.pk)}"' in page
    assert f'action="{url("mute", network, "carmen")}"' not in page
    assert "Muted until" in page


@pytest.mark.parametrize(
    ("who", "reason"),
    [
        ("moderator", "You cannot sanction yourself."),
        ("admin", "Admins of a network can be sanctioned only by the site&#x27;s operators."),
    ],
)
def test_a_member_the_viewer_may_not_sanction_shows_why_and_no_form(
    request, as_moderator, network, who, reason
):
    person = request.getfixturevalue(who)

    page = text(as_moderator.get(url("member", network, person.username)))

    assert reason in page
    assert f'action="{url("warn", network, person.username)}"' not in page


def test_someone_who_never_was_in_the_network_is_not_found(as_moderator, network):
    stranger = UserFactory()

    assert as_moderator.get(url("member", network, stranger.username)).status_code == 404
    assert as_moderator.get(url("member", network, "nobody-at-all")).status_code == 404


# --- Sanctioning ------------------------------------------------------------------------------------


def test_warning_comes_back_to_the_members_file_saying_so(as_moderator, network, carmen):
    response = as_moderator.post(url("warn", network, "carmen"), {"warn-reason": "Mind the tone"})

    assert response.status_code == 302
    assert response["Location"] == url("member", network, "carmen")
    assert said(response) == ["Carmen Ortiz is warned."]
    assert Sanction.objects.get().reason == "Mind the tone"


@pytest.mark.parametrize(("duration", "hours"), [("1h", 1), ("1d", 24), ("1w", 168)])
def test_muting_for_a_usual_length(as_moderator, network, carmen, duration, hours):
    response = as_moderator.post(
        url("mute", network, "carmen"), {"mute-reason": "Spam", "mute-duration": duration}
    )

    muted_until = row(network, carmen).muted_until
    assert response.status_code == 302
    assert abs(muted_until - in_hours(hours)) < timedelta(minutes=1)
    assert said(response)[0].startswith("Carmen Ortiz is muted until")


def test_suspending_until_a_chosen_moment(as_moderator, network, carmen):
    until = timezone.localtime(in_hours(50)).replace(second=0, microsecond=0)

    response = as_moderator.post(
        url("suspend", network, "carmen"),
        {
            "suspend-reason": "Abuse",
            "suspend-duration": "custom",
            "suspend-until": until.strftime("%Y-%m-%dT%H:%M"),
        },
    )

    membership = row(network, carmen)
    assert response.status_code == 302
    assert (membership.state, membership.suspended_until) == (Membership.State.SUSPENDED, until)


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"mute-reason": "", "mute-duration": "1h"}, "reason", "Say why"),
        (
            {"mute-reason": "Spam", "mute-duration": "custom", "mute-until": ""},
            "until",
            "Choose when it ends.",
        ),
        (
            {"mute-reason": "Spam", "mute-duration": "custom", "mute-until": "2001-01-01T10:00"},
            "until",
            "in the future",
        ),
        (
            {"mute-reason": "Spam", "mute-duration": "custom", "mute-until": "someday"},
            "until",
            "Enter a valid date/time.",
        ),
        ({"mute-reason": "Spam", "mute-duration": "forever"}, "duration", "Select a valid choice"),
    ],
)
def test_a_mistyped_mute_shows_the_page_again_with_the_reason_and_the_text_kept(
    as_moderator, network, carmen, data, field, message
):
    response = as_moderator.post(url("mute", network, "carmen"), data)

    assert response.status_code == 400
    assert message in text(response)
    assert response.context["forms"]["mute"].errors[field]
    if data["mute-reason"]:
        assert data["mute-reason"] in text(response)
    assert not Sanction.objects.exists()


def test_a_usual_length_ignores_a_mistyped_moment(as_moderator, network, carmen):
    response = as_moderator.post(
        url("mute", network, "carmen"),
        {"mute-reason": "Spam", "mute-duration": "1h", "mute-until": "someday"},
    )

    assert response.status_code == 302


def test_muting_someone_muted_meanwhile_says_so_and_keeps_the_text(as_moderator, network, moderator, carmen):
    services.mute(actor=moderator, membership=row(network, carmen), reason="Spam", until=in_hours(1))

    response = as_moderator.post(
        url("mute", network, "carmen"), {"mute-reason": "Flooding", "mute-duration": "1d"}
    )

    assert response.status_code == 400
    assert "Carmen Ortiz is already muted until" in text(response)
    assert "Flooding" in text(response)


@pytest.mark.parametrize(
    ("target", "reason"),
    [
        ("admin", "can be sanctioned only by the site"),
        ("left", "This person is not a member of this network."),
    ],
)
def test_a_sanction_the_rules_refuse_answers_403_with_the_reason(
    as_moderator, network, admin, target, reason
):
    person = (
        admin if target == "admin" else MembershipFactory(network=network, state=Membership.State.LEFT).user
    )

    response = as_moderator.post(url("warn", network, person.username), {"warn-reason": "Careful"})

    assert response.status_code == 403
    assert reason in text(response).replace("&#x27;", "'")
    assert not Sanction.objects.exists()


# --- Lifting ----------------------------------------------------------------------------------------


def test_lifting_comes_back_saying_so(as_moderator, network, moderator, carmen):
    suspension = services.suspend(
        actor=moderator, membership=row(network, carmen), reason="Abuse", until=in_hours(1)
    )

    response = as_moderator.post(
        url("lift", network, "carmen", suspension.pk), {"lift-reason": "Misunderstanding"}
    )

    assert response["Location"] == url("member", network, "carmen")
    assert said(response) == ["The suspension of Carmen Ortiz is lifted."]
    assert row(network, carmen).state == Membership.State.ACTIVE
    assert AuditEntry.objects.get(action=AuditEntry.Action.MEMBER_LIFT).reason == "Misunderstanding"


def test_lifting_what_was_lifted_or_has_ended_says_so(as_moderator, network, moderator, admin, carmen):
    lifted = services.mute(actor=moderator, membership=row(network, carmen), reason="Spam", until=in_hours(1))
    services.lift(actor=admin, sanction=lifted)
    ended = services.mute(actor=moderator, membership=row(network, carmen), reason="Spam", until=in_hours(1))
    Sanction.objects.filter(pk=ended.pk).update(expires_at=timezone.now() - timedelta(minutes=1))

    twice = as_moderator.post(url("lift", network, "carmen", lifted.pk))
    late = as_moderator.post(url("lift", network, "carmen", ended.pk))

    assert said(twice) == [f"{admin} already lifted this mute."]
    assert said(late)[-1] == "This mute has already ended."
    assert twice.status_code == late.status_code == 302


def test_a_sanction_of_someone_else_is_not_found_at_this_members_address(
    as_moderator, network, moderator, carmen, member
):
    muting = services.mute(actor=moderator, membership=row(network, member), reason="Spam", until=in_hours(1))

    assert as_moderator.post(url("lift", network, "carmen", muting.pk)).status_code == 404
    assert row(network, member).muted_until is not None


def test_the_forms_are_posted_only(as_moderator, network, carmen):
    assert as_moderator.get(url("warn", network, "carmen")).status_code == 405


# --- From the network's members page ----------------------------------------------------------------


def test_moderators_reach_each_members_file_from_the_members_page(client, network, moderator, member, carmen):
    members_page = reverse("network:members", args=[network.slug])
    client.force_login(moderator)
    for_moderator = text(client.get(members_page))
    client.force_login(member)
    for_member = text(client.get(members_page))

    assert url("member", network, "carmen") in for_moderator
    assert url("member", network, "carmen") not in for_member
