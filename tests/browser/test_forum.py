"""Two members on the same topic, each in their own browser: what one does reaches the other's page
live, without moving what they are reading."""

import pytest
from playwright.sync_api import Browser, Page, expect

from forums.models import Category, Post, Topic
from forums.services.topics import accept_answer, delete_post, edit_post, post_reply, start_topic
from profiles.models import User
from tests.factories import CategoryFactory, MembershipFactory, NetworkFactory, UserFactory
from tests.realtime.conftest import session_cookie_for

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


def open_page(browser: Browser, base_url: str, user: User, path: str, *, javascript: bool = True) -> Page:
    """`user`'s own browser (cookies of their own session) on `path`."""
    context = browser.new_context(viewport={"width": 1280, "height": 800}, java_script_enabled=javascript)
    context.add_cookies([{"name": "sessionid", "value": session_cookie_for(user), "url": base_url}])
    page = context.new_page()
    page.goto(f"{base_url}{path}")
    return page


def member_of(category: Category, name: str, **fields) -> User:
    return MembershipFactory(network=category.network, user=UserFactory(display_name=name), **fields).user


@pytest.fixture
def category(transactional_db) -> Category:
    return CategoryFactory(network=NetworkFactory(name="Customs Work Organization Forum"), name="Hybrid work")


@pytest.fixture
def topic(category: Category) -> Topic:
    author = member_of(category, "Amina Diallo")
    return start_topic(
        author=author,
        category=category,
        title="Hybrid rosters at land borders",
        body="How do your teams plan hybrid rosters at land borders?",
    )


def test_a_reply_posted_in_one_page_shows_as_a_new_replies_bar_in_the_other(asgi_server, browser, topic):
    carlos = member_of(topic.category, "Carlos Rojas")
    reading = open_page(browser, asgi_server, topic.author, f"{topic.get_absolute_url()}?page=1")
    writing = open_page(browser, asgi_server, carlos, f"{topic.get_absolute_url()}?page=1")
    expect(reading.get_by_role("heading", level=1)).to_have_text("Hybrid rosters at land borders")

    writing.get_by_label("Your reply").fill("In Lima we rotate **two** teams weekly.")
    writing.get_by_role("button", name="Post the reply").click()
    expect(writing.locator("#post-2")).to_contain_text("In Lima we rotate two teams weekly.")

    bar = reading.get_by_role("button", name="1 new reply — show")
    expect(bar).to_be_visible()
    expect(reading.locator("#post-2")).to_have_count(0)
    bar.click()
    reply = reading.locator("#post-2")
    expect(reply).to_contain_text("In Lima we rotate two teams weekly.")
    expect(reply.locator("strong")).to_have_text("two")
    expect(reply).to_contain_text("Carlos Rojas")
    expect(bar).to_be_hidden()
    assert Post.objects.get(topic=topic, number=2).author == carlos


def test_a_reaction_and_a_lock_apply_in_place_on_the_other_page(asgi_server, browser, topic):
    moderator = member_of(topic.category, "Mei Chen", role="moderator")
    reading = open_page(browser, asgi_server, topic.author, f"{topic.get_absolute_url()}?page=1")
    moderating = open_page(browser, asgi_server, moderator, f"{topic.get_absolute_url()}?page=1")
    expect(reading.get_by_label("Your reply")).to_be_visible()

    moderating.locator("#post-1").get_by_text("React").click()
    moderating.locator("#post-1").get_by_role("button", name="Idea").click()
    reaction = reading.locator("#post-1 .chat-reaction")
    expect(reaction).to_contain_text("1")
    expect(reaction).to_have_attribute("aria-pressed", "false")
    expect(moderating.locator("#post-1 .chat-reaction")).to_have_attribute("aria-pressed", "true")

    moderating.get_by_role("button", name="Lock").click()
    expect(reading.get_by_text("This topic is locked")).to_be_visible()
    expect(reading.get_by_label("Your reply")).to_be_hidden()
    expect(reading.locator("[data-forum-locked]")).to_be_visible()


def test_a_posts_buttons_work_without_the_script(asgi_server, browser, topic):
    carlos = member_of(topic.category, "Carlos Rojas")
    post_reply(author=carlos, topic=topic, body="We rotate two teams weekly.")
    page = open_page(
        browser, asgi_server, topic.author, f"{topic.get_absolute_url()}?page=1", javascript=False
    )

    page.locator("#post-2").get_by_text("React").click()
    page.locator("#post-2").get_by_role("button", name="Idea").click()
    expect(page.locator("#post-2 .chat-reaction")).to_have_attribute("aria-pressed", "true")
    page.locator("#post-2 .chat-reaction").click()
    expect(page.locator("#post-2 .chat-reaction")).to_have_count(0)

    page.locator("#post-2").get_by_role("button", name="Accept as the answer").click()
    expect(page.locator("#post-2").get_by_text("Accepted answer", exact=True)).to_be_visible()
    expect(page.get_by_role("complementary", name="Accepted answer")).to_contain_text("Carlos Rojas")


def test_a_new_topic_shows_as_a_bar_on_the_category_page(asgi_server, browser, category):
    member = member_of(category, "Amina Diallo")
    page = open_page(browser, asgi_server, member, category.get_absolute_url())
    expect(page.get_by_text("No topic here yet.")).to_be_visible()

    start_topic(
        author=member, category=category, title="Workplace design at the port", body="Open plan or not?"
    )

    bar = page.get_by_role("button", name="1 new topic — show")
    expect(bar).to_be_visible()
    bar.click()
    expect(page.get_by_role("link", name="Workplace design at the port")).to_be_visible()
    expect(bar).to_be_hidden()


def test_an_edit_an_accepted_answer_and_a_deletion_apply_in_place(asgi_server, browser, topic):
    carlos = member_of(topic.category, "Carlos Rojas")
    reply = post_reply(author=carlos, topic=topic, body="We rotate two teams weekly.")
    page = open_page(browser, asgi_server, topic.author, f"{topic.get_absolute_url()}?page=1")
    post = page.locator("#post-2")
    expect(post).to_contain_text("We rotate two teams weekly.")

    edit_post(actor=carlos, post=reply, body="We rotate **three** teams weekly.")
    expect(post.locator("strong")).to_have_text("three")
    expect(post.get_by_text("edited")).to_be_visible()

    accept_answer(actor=topic.author, topic=topic, post=reply)
    accepted = page.get_by_role("complementary", name="Accepted answer")
    expect(accepted).to_contain_text("We rotate three teams weekly.")
    expect(accepted).to_contain_text("Carlos Rojas")
    expect(post.get_by_text("Accepted answer", exact=True)).to_be_visible()
    expect(post.get_by_role("button", name="Take back the accepted answer")).to_be_visible()

    delete_post(actor=carlos, post=reply)
    expect(post).to_contain_text("Post deleted")
    expect(post).not_to_contain_text("three teams")
    expect(accepted).to_be_hidden()


def test_the_forum_pages_fit_a_375px_wide_screen(asgi_server, browser, topic):
    post_reply(
        author=member_of(topic.category, "Carlos Rojas"),
        topic=topic,
        body="A very long link: https://example.org/" + "segment/" * 30,
        reply_to_id=topic.posts.get(number=1).pk,
    )
    context = browser.new_context(viewport={"width": 375, "height": 812})
    context.add_cookies(
        [{"name": "sessionid", "value": session_cookie_for(topic.author), "url": asgi_server}]
    )
    page = context.new_page()
    network = topic.network.slug
    for path in [
        f"/networks/{network}/forum/",
        topic.category.get_absolute_url(),
        f"{topic.get_absolute_url()}?page=1",
    ]:
        page.goto(f"{asgi_server}{path}")
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow == 0, f"{path} scrolls sideways at 375px"
