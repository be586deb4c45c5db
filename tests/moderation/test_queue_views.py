"""The report page and the review queue's pages over HTTP, without JavaScript: who sees what, the forms
and their bad input, a decision taken twice, and a fixed number of queries on the queue page."""

import re

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from forums.models import Post
from moderation.models import AuditEntry, QueueItem, Report
from moderation.services import reports as services
from network.models import Membership, Network
from tests.factories import MembershipFactory
from tests.moderation.test_queue_selectors import fill_queue, held_post
from tests.moderation.test_reports import (  # noqa: F401  (fixtures shared by the queue's tests)
    other_moderator_fixture,
    post_fixture,
    report,
    topic_fixture,
    writer_fixture,
)
from tests.network.conftest import anonymous, members_only, superuser  # noqa: F401  (fixtures used here too)

pytestmark = pytest.mark.django_db


@pytest.fixture
def client_as(client, request):
    """A client signed in as the named persona (or not signed in, for "anonymous")."""

    def sign_in(persona: str):
        user = request.getfixturevalue(persona)
        if user.is_authenticated:
            client.force_login(user)
        return client

    return sign_in


@pytest.fixture
def suspended(network: Network):
    return MembershipFactory(network=network, state=Membership.State.SUSPENDED).user


@pytest.fixture
def muted(network: Network):
    return MembershipFactory(network=network, muted_until=timezone.now() + timezone.timedelta(days=1)).user


def url(name: str, network: Network, *args) -> str:
    return reverse(f"moderation:{name}", args=[network.slug, *args])


def report_url(network: Network, kind: str, target_id: int) -> str:
    return url("report", network, kind, target_id)


def text(response) -> str:
    return response.content.decode()


def said(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


# --- Who sees the queue -----------------------------------------------------------------------------

QUEUE_PAGES = ["queue", "items", "item"]


def page_url(name: str, network: Network, item: QueueItem) -> str:
    return url(name, network, item.pk) if name == "item" else url(name, network)


@pytest.mark.parametrize("name", QUEUE_PAGES)
@pytest.mark.parametrize("persona", ["moderator", "admin", "superuser"])
def test_the_networks_moderators_see_the_queue(client_as, network, post, member, name, persona):
    item = report(member, post).item

    response = client_as(persona).get(page_url(name, network, item))

    assert response.status_code == 200
    assert "Buy cheap watches at my shop." in text(response)


@pytest.mark.parametrize("name", QUEUE_PAGES)
@pytest.mark.parametrize(
    "persona", ["outsider", "member", "champion", "other_moderator", "suspended", "muted"]
)
def test_everyone_else_is_refused_with_the_reason(client_as, network, post, champion, name, persona):
    item = report(champion, post).item

    response = client_as(persona).get(page_url(name, network, item))

    assert response.status_code == 403
    assert "Only this network&#x27;s moderators and admins can do this." in text(response)
    assert "cheap watches" not in text(response)


@pytest.mark.parametrize("name", QUEUE_PAGES)
def test_anonymous_visitors_are_asked_to_log_in(client, network, post, member, name):
    item = report(member, post).item

    response = client.get(page_url(name, network, item))

    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


@pytest.mark.parametrize("name", QUEUE_PAGES)
@pytest.mark.parametrize("persona", ["outsider", "other_moderator"])
def test_a_members_only_network_is_not_found_by_outsiders(request, client_as, post, member, name, persona):
    item = report(member, post).item
    hidden_network = request.getfixturevalue("members_only")

    assert client_as(persona).get(page_url(name, hidden_network, item)).status_code == 404


@pytest.mark.parametrize("name", ["dismiss", "approve", "reject"])
@pytest.mark.parametrize("persona", ["member", "champion", "other_moderator", "suspended"])
def test_only_moderators_decide(client_as, network, post, topic, champion, name, persona):
    item = report(champion, post).item if name == "dismiss" else approval_item(topic)

    response = client_as(persona).post(url(name, network, item.pk), {"reason": "No."})

    assert response.status_code == 403
    item.refresh_from_db()
    assert item.state == "open"


def approval_item(topic) -> QueueItem:
    author = MembershipFactory(network=topic.network).user
    held = held_post(topic, author)
    return QueueItem.objects.get(kind="approval", target_id=held.pk)


# --- The queue page ---------------------------------------------------------------------------------


def test_the_queue_lists_reports_and_posts_awaiting_approval_with_their_tools(
    client_as, network, post, topic, member, champion
):
    report(member, post, reason=Report.Reason.SPAM)
    report(champion, post, reason=Report.Reason.OTHER, text="Same text in chat.")
    held = approval_item(topic)

    page = text(client_as("moderator").get(url("queue", network)))

    assert "2 items wait for a moderator." in page
    assert "2 reports" in page
    assert "Spam \N{MULTIPLICATION SIGN} 1" in page
    assert "Something else \N{MULTIPLICATION SIGN} 1" in page
    assert "Same text in chat." in page
    assert post.topic.get_absolute_url() in page
    assert url("dismiss", network, QueueItem.objects.get(kind="report").pk) in page
    assert url("approve", network, held.pk) in page
    assert url("reject", network, held.pk) in page
    assert "<p>My <em>first</em> post</p>" in page
    assert "data-queue-items" in page
    assert 'aria-live="polite"' in page


def test_the_queue_page_gives_its_script_the_stream_and_where_it_stood(client_as, network, post, member):
    report(member, post)

    page = text(client_as("moderator").get(url("queue", network)))

    assert f'"stream": "moderation:{network.pk}"' in page
    assert '"lastSeq": 1' in page
    assert url("items", network) in page


def test_an_empty_queue_says_so(client_as, network):
    page = text(client_as("moderator").get(url("queue", network)))

    assert "Nothing waits for you: the queue is empty." in page
    assert "Nothing was handled yet." in page


def test_the_queue_lists_what_was_handled_lately_and_by_whom(client_as, network, post, member, moderator):
    item = report(member, post).item
    services.dismiss_item(actor=moderator, item=item)

    page = text(client_as("admin").get(url("queue", network)))

    assert "Recently handled" in page
    assert re.search(rf"{re.escape(str(moderator))}</td>\s*<td>dismissed</td>", page)


def test_a_queue_page_past_the_last_is_not_found(client_as, network):
    assert client_as("moderator").get(url("queue", network) + "?page=3").status_code == 404


@pytest.mark.parametrize("size", [3, 20])
def test_the_queue_page_keeps_a_fixed_number_of_queries(
    client_as, network, topic, size, django_assert_num_queries
):
    fill_queue(network, topic, size)
    client = client_as("moderator")
    client.get(url("queue", network))  # sessions and caches warm

    with django_assert_num_queries(10):
        assert client.get(url("queue", network)).status_code == 200


# --- Items fetched by the page's script, one item in full -------------------------------------------


def test_items_renders_the_named_open_items(client_as, network, post, topic, member):
    item = report(member, post).item
    other = approval_item(topic)

    response = client_as("moderator").get(url("items", network) + f"?id={item.pk}")

    assert response.status_code == 200
    assert f'id="item-{item.pk}"' in text(response)
    assert f'id="item-{other.pk}"' not in text(response)


def test_items_renders_nothing_for_a_handled_item(client_as, network, post, member, moderator):
    item = report(member, post).item
    services.dismiss_item(actor=moderator, item=item)

    response = client_as("moderator").get(url("items", network) + f"?id={item.pk}")

    assert (response.status_code, text(response)) == (200, "")


@pytest.mark.parametrize("query", ["?id=x", "?id=-1", "?id=" + "9" * 30, "?" + "&".join(["id=1"] * 51)])
def test_items_refuses_malformed_ids(client_as, network, query):
    response = client_as("moderator").get(url("items", network) + query)

    assert response.status_code == 400


def test_an_item_shows_every_report_in_full(client_as, network, post, member, champion):
    report(member, post, reason=Report.Reason.ABUSE, text="He insulted a colleague.")
    item = report(champion, post, reason=Report.Reason.SPAM).item

    page = text(client_as("moderator").get(url("item", network, item.pk)))

    assert "2 reports" in page
    assert "He insulted a colleague." in page
    assert str(member) in page
    assert str(champion) in page
    assert "Abusive or harassing" in page
    assert url("dismiss", network, item.pk) in page


def test_a_handled_item_says_by_whom_and_offers_no_decision(client_as, network, post, member, moderator):
    item = report(member, post).item
    services.dismiss_item(actor=moderator, item=item)

    page = text(client_as("admin").get(url("item", network, item.pk)))

    assert f"Handled by {moderator}" in page
    assert url("dismiss", network, item.pk) not in page


def test_an_item_of_another_network_is_not_found(client_as, network, post, member, other_moderator):
    item = report(member, post).item
    elsewhere = Membership.objects.get(user=other_moderator).network

    assert client_as("other_moderator").get(url("item", elsewhere, item.pk)).status_code == 404
    assert client_as("other_moderator").post(url("dismiss", elsewhere, item.pk)).status_code == 404


# --- Decisions --------------------------------------------------------------------------------------


def test_a_moderator_dismisses_from_the_queue(client_as, network, post, member, moderator):
    item = report(member, post).item

    response = client_as("moderator").post(url("dismiss", network, item.pk), {"reason": "Fair criticism."})

    assert response.status_code == 302
    assert response.url == url("queue", network)
    assert said(response) == ["Dismissed: “Cheap watches for every officer” left the queue."]
    item.refresh_from_db()
    assert (item.state, item.handled_by) == ("handled", moderator)
    assert AuditEntry.objects.get().reason == "Fair criticism."


def test_dismissing_what_another_moderator_handled_says_who_did(client_as, network, post, member, admin):
    item = report(member, post).item
    services.dismiss_item(actor=admin, item=item)

    response = client_as("moderator").post(url("dismiss", network, item.pk))

    assert response.status_code == 302
    assert said(response) == [f"{admin} already handled this item."]
    assert AuditEntry.objects.count() == 1


def test_too_long_a_dismissal_reason_is_shown_again(client_as, network, post, member):
    item = report(member, post).item

    response = client_as("moderator").post(url("dismiss", network, item.pk), {"reason": "Long. " * 200})

    assert response.status_code == 400
    assert "Long. Long." in text(response)
    item.refresh_from_db()
    assert item.state == "open"


def test_a_moderator_approves_from_the_queue(client_as, network, topic):
    item = approval_item(topic)

    response = client_as("moderator").post(url("approve", network, item.pk))

    assert response.status_code == 302
    assert said(response) == ["Approved: the post is on show in “Cheap watches for every officer”."]
    assert Post.objects.get(pk=item.target_id).is_visible


def test_approving_twice_says_who_was_first(client_as, network, topic, admin):
    item = approval_item(topic)
    client_as("admin").post(url("approve", network, item.pk))

    response = client_as("moderator").post(url("approve", network, item.pk))

    assert said(response)[-1] == f"{admin} already handled this item."


def test_a_moderator_rejects_with_a_reason(client_as, network, topic):
    item = approval_item(topic)

    response = client_as("moderator").post(url("reject", network, item.pk), {"reason": "Advertising."})

    assert response.status_code == 302
    assert said(response) == ["Rejected: its author will read why on their post."]
    rejected = Post.objects.get(pk=item.target_id)
    assert (rejected.is_hidden, rejected.hidden_reason, rejected.awaiting_approval) == (
        True,
        "Advertising.",
        False,
    )


def test_rejecting_without_a_reason_is_a_form_error(client_as, network, topic):
    item = approval_item(topic)

    response = client_as("moderator").post(url("reject", network, item.pk), {"reason": "  "})

    assert response.status_code == 400
    assert "This field is required." in text(response)
    item.refresh_from_db()
    assert item.state == "open"


def test_decisions_answer_post_only(client_as, network, topic):
    item = approval_item(topic)

    assert client_as("moderator").get(url("approve", network, item.pk)).status_code == 405


# --- Reporting ----------------------------------------------------------------------------------------


def test_the_report_page_shows_what_is_reported_and_the_reasons(client_as, network, post):
    response = client_as("member").get(report_url(network, "post", post.pk))

    page = text(response)
    assert response.status_code == 200
    assert "Buy cheap watches at my shop." in page
    assert "Post: Cheap watches for every officer" in page
    for label in ["Spam", "Abusive or harassing", "Off-topic", "Something else"]:
        assert label in page
    assert 'type="radio"' in page


def test_a_member_reports_and_goes_back_to_what_they_reported(client_as, network, post, member):
    response = client_as("member").post(
        report_url(network, "post", post.pk), {"reason": "abuse", "text": "Insults a colleague."}
    )

    assert response.status_code == 302
    assert response.url == f"{post.topic.get_absolute_url()}?page=1#post-2"
    assert said(response) == ["Thank you: the moderators will look at it."]
    created = Report.objects.get()
    assert (created.reporter, created.reason, created.text) == (member, "abuse", "Insults a colleague.")


def test_next_leads_back_where_the_member_was_on_this_site_only(client_as, network, post):
    client = client_as("member")

    inside = client.post(report_url(network, "post", post.pk) + "?next=/networks/", {"reason": "spam"})
    outside = client_as("champion").post(
        report_url(network, "post", post.pk), {"reason": "spam", "next": "https://elsewhere.example/"}
    )

    assert inside.url == "/networks/"
    assert outside.url == f"{post.topic.get_absolute_url()}?page=1#post-2"


def test_something_else_without_words_is_a_form_error_and_the_choice_is_kept(client_as, network, post):
    response = client_as("member").post(
        report_url(network, "post", post.pk), {"reason": "other", "text": " "}
    )

    assert response.status_code == 400
    assert "Say what is wrong: the moderators need to know." in text(response)
    assert re.search(r'value="other"[^>]*checked', text(response))
    assert not Report.objects.exists()


def test_too_long_an_explanation_is_shown_again(client_as, network, post):
    words = "Rude. " * 200
    response = client_as("member").post(
        report_url(network, "post", post.pk), {"reason": "abuse", "text": words}
    )

    assert response.status_code == 400
    assert words.strip() in text(response)


def test_a_missing_reason_is_a_form_error(client_as, network, post):
    response = client_as("member").post(report_url(network, "post", post.pk), {"text": "Kept words"})

    assert response.status_code == 400
    assert "Choose a reason." in text(response)
    assert "Kept words" in text(response)


def test_a_second_report_by_the_same_member_says_so(client_as, network, post, member):
    report(member, post)

    response = client_as("member").post(report_url(network, "post", post.pk), {"reason": "spam"})

    assert response.status_code == 400
    assert "You already reported this: the moderators will look at it." in text(response)
    assert Report.objects.count() == 1


def test_the_author_is_told_they_cannot_report_their_own_post(client_as, network, post):
    response = client_as("writer").get(report_url(network, "post", post.pk))

    assert "You cannot report what you wrote yourself." in text(response)
    assert 'type="radio"' not in text(response)


def test_a_hidden_post_is_not_shown_on_the_report_page(client_as, network, post):
    Post.objects.filter(pk=post.pk).update(is_hidden=True, hidden_reason="Spam")

    get = client_as("member").get(report_url(network, "post", post.pk))
    posted = client_as("member").post(report_url(network, "post", post.pk), {"reason": "spam"})

    assert "already been taken down" in text(get)
    assert "cheap watches" not in text(get)
    assert posted.status_code == 400
    assert not Report.objects.exists()


@pytest.mark.parametrize("persona", ["outsider", "other_moderator", "suspended"])
def test_only_members_report(client_as, network, post, persona):
    response = client_as(persona).post(report_url(network, "post", post.pk), {"reason": "spam"})

    assert response.status_code == 403
    assert "Only members of this network can report what is in it." in text(response)
    assert not Report.objects.exists()


def test_anonymous_visitors_log_in_to_report(client, network, post):
    response = client.get(report_url(network, "post", post.pk))

    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


@pytest.mark.parametrize(("kind", "target_id"), [("story", 1), ("member", 1), ("post", 10**9)])
def test_a_bad_kind_or_id_is_not_found(client_as, network, kind, target_id):
    assert client_as("member").get(report_url(network, kind, target_id)).status_code == 404


def test_a_post_of_another_network_is_not_found_here(client_as, network, post, other_moderator):
    elsewhere = Membership.objects.get(user=other_moderator).network

    assert client_as("other_moderator").get(report_url(elsewhere, "post", post.pk)).status_code == 404


def test_reporting_in_a_members_only_network_is_not_found_by_outsiders(request, client_as, post):
    hidden_network = request.getfixturevalue("members_only")

    assert client_as("outsider").get(report_url(hidden_network, "post", post.pk)).status_code == 404


def test_a_member_reports_a_profile_by_username(client_as, network, writer):
    page = client_as("member").get(url("report_profile", network, writer.username))
    response = client_as("member").post(url("report_profile", network, writer.username), {"reason": "spam"})

    assert "Profile: Wendy Writer" in text(page)
    assert response.url == writer.get_absolute_url()
    assert QueueItem.objects.get().target_kind == "profile"


@pytest.mark.parametrize("who", ["nobody", "outsider"])
def test_a_profile_outside_the_network_is_not_found(client_as, network, outsider, who):
    username = "nobody-at-all" if who == "nobody" else outsider.username

    assert client_as("member").get(url("report_profile", network, username)).status_code == 404


def test_a_reported_post_reaches_the_queue(client_as, network, post):
    client_as("member").post(report_url(network, "post", post.pk), {"reason": "spam"})

    assert "Buy cheap watches at my shop." in text(client_as("moderator").get(url("queue", network)))
