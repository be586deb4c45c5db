"""The moderators' forum tools over HTTP, without JavaScript (who sees them, their confirmation forms,
what a POST does, bad input and targets gone meanwhile), how hidden and pending posts read to each
viewer, the "Report" links, and in headless Chromium, the live effect of the actions on open pages."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import Browser, Page, expect

from forums.models import Post, Topic
from forums.services import topics as forum
from moderation.models import AuditEntry
from moderation.services import forum as moderation
from network.models import Membership, Network
from profiles.models import User
from tests.browser.conftest import asgi_server, browser, policy_violations  # noqa: F401  (the browser tests' fixtures)
from tests.factories import (
    CategoryFactory,
    MembershipFactory,
    NetworkFactory,
    PostFactory,
    TopicFactory,
    UserFactory,
)
from tests.moderation.test_forum_actions import (  # noqa: F401  (fixtures shared by the forum actions' tests)
    _no_rate_limit,
    category_fixture,
    newcomer_fixture,
    other_category_fixture,
    topic_fixture,
)
from tests.realtime.conftest import session_cookie_for

pytestmark = pytest.mark.django_db

HIDDEN_WORDS = "Call me on my private number"


@pytest.fixture(name="reply")
def reply_fixture(topic: Topic, champion: User) -> Post:
    return PostFactory(topic=topic, author=champion, body=HIDDEN_WORDS)


def signed_in(client, user):
    client.force_login(user)
    return client


def page_of(client, topic: Topic) -> str:
    return client.get(f"{topic.get_absolute_url()}?page=1").content.decode()


def post_url(post: Post, name: str) -> str:
    return reverse(f"forum:{name}", args=[post.topic.network.slug, post.topic_id, post.number])


def topic_url(topic: Topic, name: str) -> str:
    return reverse(f"forum:{name}", args=[topic.network.slug, topic.pk])


def text(response) -> str:
    return response.content.decode()


def report_url(network: Network, kind: str, target_id: int) -> str:
    return reverse("moderation:report", args=[network.slug, kind, target_id])


# --- Who sees the tools -----------------------------------------------------------------------------


def test_moderators_see_the_tools_and_others_do_not(client, topic, reply, member, champion, moderator):
    tools = [
        post_url(reply, "hide_post"),
        topic_url(topic, "move"),
        topic_url(topic, "merge"),
        topic_url(topic, "split"),
        topic_url(topic, "hide_topic"),
    ]

    as_moderator = page_of(signed_in(client, moderator), topic)
    as_member = page_of(signed_in(client, member), topic)
    client.logout()
    as_visitor = page_of(client, topic)

    assert all(tool in as_moderator for tool in tools)
    assert as_moderator.count('<details class="forum-moderate"') == 3  # each post's, and the topic's
    for page in (as_member, as_visitor):
        assert not any(tool in page for tool in tools)
        assert "forum-moderate" not in page


def test_members_may_report_what_others_wrote(client, topic, reply, member, champion, moderator):
    network = topic.network
    report_reply = report_url(network, "post", reply.pk)
    report_opening = report_url(network, "post", topic.posts.get(number=1).pk)
    report_topic = report_url(network, "topic", topic.pk)

    as_author_of_topic = page_of(signed_in(client, member), topic)
    as_author_of_reply = page_of(signed_in(client, champion), topic)
    client.logout()
    as_visitor = page_of(client, topic)

    assert report_reply in as_author_of_topic
    assert report_opening not in as_author_of_topic
    assert report_topic not in as_author_of_topic
    assert report_opening in as_author_of_reply
    assert report_topic in as_author_of_reply
    assert report_reply not in as_author_of_reply
    assert "/report/" not in as_visitor


# --- Hidden and pending posts as each viewer reads them ---------------------------------------------


def test_a_hidden_post_reads_differently_to_each_viewer(client, topic, reply, member, champion, moderator):
    moderation.hide_post(actor=moderator, post=reply, reason="Personal details")

    as_member = page_of(signed_in(client, member), topic)
    as_author = page_of(signed_in(client, champion), topic)
    as_moderator = page_of(signed_in(client, moderator), topic)

    assert HIDDEN_WORDS not in as_member
    assert "This post is hidden by the moderators." in as_member
    assert "Personal details" not in as_member
    for page in (as_author, as_moderator):
        assert HIDDEN_WORDS in page
        assert "Hidden by the moderators: Personal details" in page
    assert post_url(reply, "restore_post") in as_moderator


def test_the_shared_fragments_never_show_a_post_as_it_was(client, topic, reply, member, moderator):
    assert HIDDEN_WORDS in page_of(signed_in(client, member), topic)

    moderation.hide_post(actor=moderator, post=reply, reason="Personal details")
    assert HIDDEN_WORDS not in page_of(client, topic)

    moderation.restore_post(actor=moderator, post=reply)
    assert HIDDEN_WORDS in page_of(client, topic)


def test_a_pending_post_is_for_its_author_and_the_moderators_only(client, topic, member, moderator, newcomer):
    held = forum.post_reply(author=newcomer, topic=topic, body="My very first words")

    as_author = page_of(signed_in(client, newcomer), topic)
    as_member = page_of(signed_in(client, member), topic)
    as_moderator = page_of(signed_in(client, moderator), topic)
    client.logout()
    as_visitor = page_of(client, topic)

    assert "My very first words" in as_author
    assert "Awaiting approval" in as_author
    assert "My very first words" in as_moderator
    assert "Awaiting approval" in as_moderator
    assert reverse("moderation:queue", args=[topic.network.slug]) in as_moderator
    for page in (as_member, as_visitor):
        assert 'id="post-2"' not in page
        assert "Awaiting approval" not in page
    topic.refresh_from_db()
    assert topic.reply_count == 0
    posts = client.get(reverse("forum:posts", args=[topic.network.slug, topic.pk]), {"after": 1})
    assert f'data-id="{held.pk}"' not in text(posts)
    search, found = reverse("search:results"), held.get_absolute_url()
    assert found not in text(client.get(search, {"q": "first words"}))
    forum.set_post_visibility(post=held, visible=True)
    assert found in text(client.get(search, {"q": "first words"}))


def test_a_pending_topic_is_marked_for_its_author(client, category, newcomer, member):
    held = forum.start_topic(author=newcomer, category=category, title="Hello from the coast", body="Hi all")

    as_author = page_of(signed_in(client, newcomer), held)
    listing = text(client.get(category.get_absolute_url()))
    refused = signed_in(client, member).get(f"{held.get_absolute_url()}?page=1")

    assert "Awaiting approval: only you and the moderators see this topic" in as_author
    assert "Hello from the coast" in listing
    assert "Awaiting approval" in listing
    assert refused.status_code == 403
    assert "Hello from the coast" not in text(client.get(category.get_absolute_url()))


# --- Confirmation forms and actions -----------------------------------------------------------------


def test_hiding_a_post_asks_for_a_reason_then_hides_it(client, topic, reply, moderator):
    signed_in(client, moderator)
    url = post_url(reply, "hide_post")

    asked = client.get(url)
    assert asked.status_code == 200
    assert "Hide this post?" in text(asked)
    assert 'name="reason"' in text(asked)
    assert HIDDEN_WORDS in text(asked)

    assert client.post(url).status_code == 400
    missing = client.post(url, {"reason": "  "})
    assert missing.status_code == 400
    assert "Give a reason." in text(missing)

    done = client.post(url, {"reason": "Personal details"}, follow=True)
    assert "The post is hidden." in text(done)
    assert done.redirect_chain[0][0].endswith("?page=1#post-2")
    reply.refresh_from_db()
    assert reply.is_hidden
    assert reply.hidden_reason == "Personal details"

    again = client.post(url, {"reason": "Once more"})
    assert again.status_code == 400
    assert "This post is already hidden." in text(again)
    assert "Once more" in text(again)  # what was typed is kept


def test_restoring_a_post(client, topic, reply, moderator):
    moderation.hide_post(actor=moderator, post=reply, reason="Checking")
    signed_in(client, moderator)

    assert "Restore this post?" in text(client.get(post_url(reply, "restore_post")))
    done = client.post(post_url(reply, "restore_post"), {"reason": ""}, follow=True)

    assert "The post is on show again." in text(done)
    reply.refresh_from_db()
    assert reply.is_visible
    refused = client.post(post_url(reply, "restore_post"), {"reason": ""})
    assert refused.status_code == 400
    assert "This post is not hidden." in text(refused)


def test_hiding_and_restoring_a_topic(client, topic, moderator):
    signed_in(client, moderator)

    assert "Hide this topic?" in text(client.get(topic_url(topic, "hide_topic")))
    done = client.post(topic_url(topic, "hide_topic"), {"reason": "Advertising"}, follow=True)
    assert "The topic is hidden." in text(done)
    assert "Hidden by the moderators: Advertising" in text(done)
    done = client.post(topic_url(topic, "restore_topic"), {"reason": ""}, follow=True)
    assert "The topic is on show again." in text(done)
    topic.refresh_from_db()
    assert not topic.is_hidden


def test_a_moderator_deleting_someones_post_says_why(client, topic, reply, moderator):
    signed_in(client, moderator)
    url = post_url(reply, "delete")

    assert 'name="reason"' in text(client.get(url))
    nothing = client.post(url)
    assert nothing.status_code == 400
    assert "Give a reason." in text(nothing)
    missing = client.post(url, {"reason": ""})
    assert missing.status_code == 400
    assert "Give a reason." in text(missing)
    reply.refresh_from_db()
    assert not reply.is_deleted

    client.post(url, {"reason": "Abuse"})

    reply.refresh_from_db()
    assert reply.is_deleted
    entry = AuditEntry.objects.get(action="post.delete")
    assert (entry.reason, entry.before) == ("Abuse", {"body": HIDDEN_WORDS})


def test_an_author_deletes_their_own_post_without_a_reason(client, topic, reply, champion):
    signed_in(client, champion)

    assert 'name="reason"' not in text(client.get(post_url(reply, "delete")))
    client.post(post_url(reply, "delete"))

    reply.refresh_from_db()
    assert reply.is_deleted
    assert not AuditEntry.objects.exists()


@pytest.mark.parametrize(
    ("name", "flag", "said_on", "said_off"),
    [
        ("pin", "is_pinned", "The topic is pinned.", "The topic is no longer pinned."),
        ("lock", "is_locked", "The topic is locked.", "The topic is open for replies again."),
    ],
)
def test_pinning_and_locking_take_an_optional_reason(client, topic, moderator, name, flag, said_on, said_off):
    signed_in(client, moderator)
    url = topic_url(topic, name)

    asked = client.get(url, {"on": "true"})
    assert 'type="hidden" name="on" value="True"' in text(asked)
    assert 'type="checkbox"' not in text(asked)
    assert asked.status_code == 200
    assert 'name="reason"' in text(asked)
    on = client.post(url, {"on": "true", "reason": "Important"}, follow=True)
    assert said_on in text(on)
    topic.refresh_from_db()
    assert getattr(topic, flag)
    assert AuditEntry.objects.get(action=f"topic.{name}").reason == "Important"
    twice = client.post(url, {"on": "true"})
    assert twice.status_code == 400
    assert "already" in text(twice)

    off = client.post(url, {"on": "false"}, follow=True)
    assert said_off in text(off)
    topic.refresh_from_db()
    assert not getattr(topic, flag)


def test_moving_a_topic_offers_the_networks_other_categories(
    client, topic, category, other_category, moderator
):
    elsewhere = CategoryFactory(name="Another network's category")
    signed_in(client, moderator)
    url = topic_url(topic, "move")

    asked = text(client.get(url))
    assert "Tools and methods" in asked
    assert f'value="{category.pk}"' not in asked
    assert "Another network" not in asked

    refused = client.post(url, {"category": elsewhere.pk, "reason": "Belongs there"})
    assert refused.status_code == 400
    assert "Choose one of the categories offered." in text(refused)
    assert "Belongs there" in text(refused)

    done = client.post(url, {"category": other_category.pk}, follow=True)
    assert "The topic is now in “Tools and methods”." in text(done)
    topic.refresh_from_db()
    assert topic.category == other_category


def test_merging_by_address_or_number(client, topic, champion, moderator, other_category):
    source = TopicFactory(category=other_category, author=champion, title="Asked again")
    signed_in(client, moderator)
    url = topic_url(source, "merge")

    assert 'name="target"' in text(client.get(url))
    done = client.post(url, {"target": f"https://example.org{topic.get_absolute_url()}?page=1"}, follow=True)

    assert "The topics are merged" in text(done)
    assert done.redirect_chain[-1][0] == topic.get_absolute_url()
    assert topic.posts.count() == 2
    # The merged topic's address, and its posts', lead to the topic it joined.
    assert client.get(f"{source.get_absolute_url()}?page=1")["Location"] == topic.get_absolute_url()
    short = reverse("forum:topic_short", args=[source.network.slug, source.pk])
    assert client.get(short)["Location"] == topic.get_absolute_url()
    signed_in(client, champion)
    assert client.get(f"{source.get_absolute_url()}?page=1")["Location"] == topic.get_absolute_url()


@pytest.mark.parametrize(
    ("given", "says"),
    [
        ("", "Say which topic to merge this one into."),
        ("the other one", "Give the address of a topic of this forum, or its number."),
        ("99999999", "No topic has this number or address."),
        ("self", "A topic cannot be merged into itself."),
        ("foreign", "Choose a topic of this network."),
    ],
)
def test_merging_bad_targets_is_refused_with_the_reason(client, topic, moderator, given, says):
    foreign = TopicFactory()
    target = {"self": str(topic.pk), "foreign": str(foreign.pk)}.get(given, given)

    refused = signed_in(client, moderator).post(topic_url(topic, "merge"), {"target": target})

    assert refused.status_code == 400
    assert says in text(refused)
    assert not AuditEntry.objects.exists()


def test_splitting_posts_of_a_page(client, topic, member, champion, moderator, other_category):
    for n in range(2, 5):
        PostFactory(topic=topic, author=champion, body=f"Reply number {n}")
    signed_in(client, moderator)
    url = topic_url(topic, "split") + "?page=1"

    asked = text(client.get(url))
    assert asked.count('type="checkbox"') == 3  # the replies, not the opening post
    assert "#2 by" in asked
    assert "Reply number 2" in asked

    nothing = client.post(url, {"title": "Rosters, on their own", "category": other_category.pk})
    assert nothing.status_code == 400
    assert "Choose the posts to move." in text(nothing)
    assert "Rosters, on their own" in text(nothing)
    untitled = client.post(url, {"numbers": ["3", "4"], "title": "", "category": other_category.pk})
    assert untitled.status_code == 400
    assert "Give the topic a title." in text(untitled)
    assert re.search(r'value="3"[^>]*checked', text(untitled))

    done = client.post(
        url,
        {"numbers": ["3", "4"], "title": "Rosters, on their own", "category": other_category.pk},
        follow=True,
    )

    assert "The posts now make a topic of their own." in text(done)
    new = Topic.objects.get(title="Rosters, on their own")
    assert list(new.posts.values_list("number", "body").order_by("number")) == [
        (1, "Reply number 3"),
        (2, "Reply number 4"),
    ]
    assert client.get(topic_url(topic, "split"), {"page": "9"}).status_code == 404


# --- Refusals ---------------------------------------------------------------------------------------


def moderation_urls(topic: Topic, reply: Post) -> list[str]:
    return [
        post_url(reply, "hide_post"),
        post_url(reply, "restore_post"),
        topic_url(topic, "hide_topic"),
        topic_url(topic, "restore_topic"),
        topic_url(topic, "move"),
        topic_url(topic, "merge"),
        topic_url(topic, "split"),
    ]


@pytest.mark.parametrize("role", ["member", "champion", "foreign_moderator"])
def test_others_are_refused_with_the_reason(client, topic, reply, role, request):
    if role == "foreign_moderator":
        user = MembershipFactory(network=NetworkFactory(), role=Membership.Role.MODERATOR).user
    else:
        user = request.getfixturevalue(role)
    signed_in(client, user)

    for url in moderation_urls(topic, reply):
        for response in (client.get(url), client.post(url, {"reason": "Because"})):
            assert response.status_code == 403, url
            assert "moderators" in text(response)
    reply.refresh_from_db()
    assert reply.is_visible
    assert not AuditEntry.objects.exists()


def test_visitors_are_asked_to_log_in(client, topic, reply):
    for url in moderation_urls(topic, reply):
        response = client.get(url)
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]


def test_acting_on_a_topic_deleted_meanwhile_says_so(client, topic, reply, member, moderator, other_category):
    page_before = signed_in(client, moderator)
    forum.delete_post(actor=member, post=topic.posts.get(number=1))

    for url, data in (
        (post_url(reply, "hide_post"), {"reason": "Spam"}),
        (topic_url(topic, "move"), {"category": other_category.pk}),
        (topic_url(topic, "lock"), {"on": "true"}),
    ):
        response = page_before.post(url, data)
        assert response.status_code == 400, url
        assert "deleted" in text(response)
    assert not AuditEntry.objects.exists()


def test_a_post_that_does_not_exist_is_not_found(client, topic, moderator):
    signed_in(client, moderator)

    url = reverse("forum:hide_post", args=[topic.network.slug, topic.pk, 99])
    assert client.get(url).status_code == 404


# --- Live, in headless Chromium ---------------------------------------------------------------------


def open_page(chromium: Browser, base_url: str, user: User, path: str) -> Page:
    context = chromium.new_context(viewport={"width": 1280, "height": 800})
    context.add_cookies([{"name": "sessionid", "value": session_cookie_for(user), "url": base_url}])
    page = context.new_page()
    page.goto(f"{base_url}{path}")
    return page


@pytest.fixture
def live_topic(transactional_db) -> tuple[Topic, User, User, User]:
    """A topic with one reply, its reader (who started it), the reply's author and a moderator."""
    network = NetworkFactory(name="Customs Work Organization Forum")
    category = CategoryFactory(network=network, name="Hybrid work")

    def person(name: str, role: str = Membership.Role.MEMBER) -> User:
        return MembershipFactory(network=network, role=role, user=UserFactory(display_name=name)).user

    reader, writer, moderator = (
        person("Amina Diallo"),
        person("Carlos Rojas"),
        person("Mei Chen", "moderator"),
    )
    topic = forum.start_topic(
        author=reader, category=category, title="Hybrid rosters", body="How do you plan?"
    )
    forum.post_reply(author=writer, topic=topic, body=HIDDEN_WORDS)
    return topic, reader, writer, moderator


@pytest.mark.browser
@pytest.mark.xdist_group("browser")
def test_hiding_and_restoring_reach_open_pages(asgi_server, browser, live_topic):  # noqa: F811
    topic, reader, writer, moderator = live_topic
    path = f"{topic.get_absolute_url()}?page=1"
    reading = open_page(browser, asgi_server, reader, path)
    writing = open_page(browser, asgi_server, writer, path)
    expect(reading.locator("#post-2")).to_contain_text(HIDDEN_WORDS)
    reply = Post.objects.get(topic=topic, number=2)

    moderation.hide_post(actor=moderator, post=reply, reason="Personal details")

    expect(reading.locator("#post-2")).to_contain_text("This post is hidden by the moderators.")
    expect(reading.locator("#post-2")).not_to_contain_text(HIDDEN_WORDS)
    expect(writing.locator("#post-2")).to_contain_text("Hidden by the moderators: Personal details")
    expect(writing.locator("#post-2")).to_contain_text(HIDDEN_WORDS)

    moderation.restore_post(actor=moderator, post=reply)

    expect(reading.locator("#post-2")).to_contain_text(HIDDEN_WORDS)
    expect(writing.locator("#post-2")).not_to_contain_text("Hidden by the moderators")


@pytest.mark.browser
@pytest.mark.xdist_group("browser")
def test_lock_move_split_and_merge_reach_open_pages(asgi_server, browser, live_topic):  # noqa: F811
    topic, _reader, writer, moderator = live_topic
    reading = open_page(browser, asgi_server, writer, f"{topic.get_absolute_url()}?page=1")
    expect(reading.get_by_label("Your reply")).to_be_visible()

    moderation.lock_topic(actor=moderator, topic=topic, reason="Cooling off")
    expect(reading.get_by_text("This topic is locked")).to_be_visible()
    expect(reading.get_by_label("Your reply")).to_be_hidden()
    moderation.unlock_topic(actor=moderator, topic=topic)
    expect(reading.get_by_label("Your reply")).to_be_visible()

    elsewhere = CategoryFactory(network=topic.network, name="Rosters and shifts")
    moderation.move_topic(actor=moderator, topic=topic, category=elsewhere)
    expect(reading.locator("[data-forum-breadcrumb]")).to_contain_text("Rosters and shifts")

    new = moderation.split_posts(
        actor=moderator, topic=topic, numbers=[2], title="Private numbers, a topic apart", category=elsewhere
    )
    expect(reading.locator("#post-2")).to_contain_text("This post was moved to a new topic.")
    expect(reading.locator("#post-2").get_by_role("link", name="Read it there")).to_have_attribute(
        "href", new.get_absolute_url()
    )

    moderation.merge_topics(actor=moderator, source=topic, target=new)
    expect(reading).to_have_url(re.compile(re.escape(new.get_absolute_url())))
    expect(reading.get_by_role("heading", level=1)).to_have_text("Private numbers, a topic apart")
