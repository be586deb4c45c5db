"""The moderation log: the full log for moderators (who, what, which target, why, before and after), its
filter and pages, the public log that shows nothing private, their query counts, and the log being
append-only down to the database."""

from datetime import timedelta

import pytest
from django.db import DatabaseError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import formats, timezone

from moderation.models import AuditEntry, TargetKind
from moderation.services import audit
from moderation.services import members as services
from network.models import Membership, Network
from profiles.models import User
from tests.factories import CategoryFactory, MembershipFactory, PostFactory, TopicFactory, UserFactory
from tests.moderation.test_member_views import row, text
from tests.network.conftest import members_only  # noqa: F401  (fixture used here too)

pytestmark = pytest.mark.django_db


def url(name: str, network: Network) -> str:
    return reverse(f"moderation:{name}", args=[network.slug])


@pytest.fixture
def carmen(network) -> User:
    return MembershipFactory(
        network=network, user=UserFactory(display_name="Carmen Ortiz", username="carmen")
    ).user


@pytest.fixture
def as_moderator(client, moderator):
    client.force_login(moderator)
    return client


def hide_post(network: Network, moderator: User, *, post_id: int, label: str = "Cheap watches") -> AuditEntry:
    """An entry as the forum's moderation services write one."""
    return audit.record(
        actor=moderator,
        network=network,
        action=AuditEntry.Action.POST_HIDE,
        target_kind=TargetKind.POST,
        target_id=post_id,
        target_label=label,
        reason="Advertising",
        before={"body": "Buy cheap watches at my shop."},
        after={"hidden_reason": "Advertising"},
    )


# --- The full log -----------------------------------------------------------------------------------


def test_the_full_log_says_who_did_what_to_which_target_why_and_what_changed(
    as_moderator, network, moderator, carmen
):
    post = PostFactory(topic=TopicFactory(category=CategoryFactory(network=network)))
    hide_post(network, moderator, post_id=post.pk)
    until = timezone.now() + timedelta(hours=1)
    services.mute(actor=moderator, membership=row(network, carmen), reason="Spam links", until=until)

    page = text(as_moderator.get(url("log", network)))

    assert f"<strong>{moderator}</strong> hid a post" in page
    assert (
        f'href="{reverse("forum:post", args=[network.slug, post.topic_id, post.number])}">Cheap watches</a>'
        in page
    )
    assert "Reason: Advertising" in page
    assert '<td class="audit-entry__before">Buy cheap watches at my shop.</td>' in page
    assert f'href="{reverse("moderation:member", args=[network.slug, "carmen"])}">Carmen Ortiz</a>' in page
    assert f"<strong>{moderator}</strong> muted a member" in page
    shown = formats.date_format(timezone.localtime(until), "DATETIME_FORMAT")
    assert f'<td class="audit-entry__after">{shown}</td>' in page


def test_a_target_that_is_gone_is_named_without_a_link(as_moderator, network, moderator):
    hide_post(network, moderator, post_id=987654, label="A post long gone")

    page = text(as_moderator.get(url("log", network)))

    assert "A post long gone" in page
    assert "no longer there" in page


def test_text_shaped_like_a_moment_that_is_none_stays_as_written(as_moderator, network, moderator):
    audit.record(
        actor=moderator,
        network=network,
        action=AuditEntry.Action.POST_DELETE,
        target_kind=TargetKind.POST,
        target_id=1,
        reason="Nonsense",
        before={"body": "2024-99-99T10:00"},
    )

    response = as_moderator.get(url("log", network))

    assert '<td class="audit-entry__before">2024-99-99T10:00</td>' in text(response)


def test_an_expiry_is_done_by_nobody(as_moderator, network, moderator, carmen):
    services.mute(
        actor=moderator,
        membership=row(network, carmen),
        reason="Spam",
        until=timezone.now() + timedelta(hours=1),
    )
    services.lift_expired(now=timezone.now() + timedelta(hours=2))

    page = text(as_moderator.get(url("log", network), {"action": AuditEntry.Action.MEMBER_EXPIRE}))

    assert "A member&#x27;s sanction expired" in page
    assert f"<strong>{moderator}</strong>" not in page


def test_the_log_of_another_network_is_not_shown(as_moderator, network, moderator):
    elsewhere = MembershipFactory(role=Membership.Role.MODERATOR)
    hide_post(elsewhere.network, elsewhere.user, post_id=1, label="Somewhere else entirely")

    assert "Somewhere else entirely" not in text(as_moderator.get(url("log", network)))


def test_the_log_reads_back_page_by_page_without_gaps_or_repeats(as_moderator, network, moderator):
    for number in range(61):
        hide_post(network, moderator, post_id=100000 + number, label=f"Post number {number:03d}")

    first = text(as_moderator.get(url("log", network)))
    older = as_moderator.get(url("log", network), {"before": first.split("before=")[1].split('"')[0]})

    labels = [f"Post number {number:03d}" for number in range(61)]
    on_first = [label for label in labels if label in first]
    on_second = [label for label in labels if label in text(older)]
    assert (len(on_first), len(on_second)) == (50, 11)
    assert set(on_first) | set(on_second) == set(labels)
    assert "Post number 060" in on_first
    assert 'rel="next"' not in text(older)


@pytest.mark.parametrize("query", [{"action": "post.explode"}, {"before": "-3"}, {"before": "soon"}])
def test_a_bad_filter_is_refused_with_the_reason(as_moderator, network, query):
    response = as_moderator.get(url("log", network), query)

    assert response.status_code == 400
    assert "This filter cannot be used" in text(response)


def _grow(network: Network, moderator: User, count: int) -> None:
    topic = TopicFactory(category=CategoryFactory(network=network))
    for _ in range(count):
        member = MembershipFactory(network=network)
        services.warn(actor=moderator, membership=member, reason="Careful")
        post = PostFactory(topic=topic)
        hide_post(network, moderator, post_id=post.pk)
        audit.record(
            actor=moderator,
            network=network,
            action=AuditEntry.Action.TOPIC_LOCK,
            target_kind=TargetKind.TOPIC,
            target_id=topic.pk,
            reason="Heated",
        )


@pytest.mark.parametrize("name", ["log", "public_log"])
def test_the_logs_ask_the_same_queries_for_more_entries(as_moderator, network, moderator, name):
    counts = []
    for count in (3, 30):
        _grow(network, moderator, count)
        with CaptureQueriesContext(connection) as queries:
            assert as_moderator.get(url(name, network)).status_code == 200
        counts.append(len(queries.captured_queries))

    assert counts[0] == counts[1]


# --- The public log ---------------------------------------------------------------------------------


def test_the_public_log_shows_actions_and_reasons_and_nothing_private(client, network, moderator, carmen):
    hide_post(network, moderator, post_id=1, label="Cheap watches for sale")
    services.suspend(
        actor=moderator,
        membership=row(network, carmen),
        reason="Harassment",
        until=timezone.now() + timedelta(days=1),
    )
    services.warn(actor=moderator, membership=row(network, carmen), reason="A private word about tone")

    page = text(client.get(url("public_log", network)))
    table = page.split("<tbody>")[1]

    assert "Hid a post" in table
    assert "Advertising" in table
    assert "Suspended a member" in table
    assert "Harassment" in table
    assert "Warned a member" not in table
    for private in (
        str(moderator),
        moderator.username,
        "Carmen Ortiz",
        "carmen",
        "Cheap watches for sale",
        "Buy cheap watches at my shop.",
        "suspended_until",
        "A private word about tone",
    ):
        assert private not in page, private


def test_the_public_log_filters_by_action(client, network, moderator, carmen):
    hide_post(network, moderator, post_id=1)
    services.mute(
        actor=moderator,
        membership=row(network, carmen),
        reason="Spam",
        until=timezone.now() + timedelta(hours=1),
    )

    page = text(client.get(url("public_log", network), {"action": AuditEntry.Action.MEMBER_MUTE})).split(
        "<tbody>"
    )[1]

    assert "Muted a member" in page
    assert "Hid a post" not in page


def test_the_public_log_of_a_members_only_network_is_for_those_who_see_it(
    client,
    members_only,  # noqa: F811  (the imported fixture)
    member,
    outsider,
):
    client.force_login(outsider)
    refused = client.get(url("public_log", members_only))
    client.force_login(member)
    allowed = client.get(url("public_log", members_only))

    assert (refused.status_code, allowed.status_code) == (404, 200)


def test_the_log_pages_link_to_each_other(as_moderator, network):
    page = text(as_moderator.get(url("log", network)))

    assert url("public_log", network) in page
    assert url("members", network) in page


# --- Append-only ------------------------------------------------------------------------------------


@pytest.fixture
def entry(network, moderator) -> AuditEntry:
    return hide_post(network, moderator, post_id=1)


def test_an_entry_is_never_saved_again_nor_deleted(entry):
    entry.reason = "Rewritten history"

    with pytest.raises(TypeError, match="append-only"):
        entry.save()
    with pytest.raises(TypeError, match="append-only"):
        entry.delete()
    with pytest.raises(TypeError, match="append-only"):
        AuditEntry.objects.filter(pk=entry.pk).update(reason="Rewritten history")
    with pytest.raises(TypeError, match="append-only"):
        AuditEntry.objects.filter(pk=entry.pk).delete()

    assert AuditEntry.objects.get(pk=entry.pk).reason == "Advertising"


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE moderation_auditentry SET reason = 'Rewritten history' WHERE id = %s",
        "DELETE FROM moderation_auditentry WHERE id = %s",
    ],
)
def test_the_database_refuses_to_change_or_delete_an_entry_whatever_the_client(entry, statement):
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(statement, [entry.pk])

    assert AuditEntry.objects.get(pk=entry.pk).reason == "Advertising"
