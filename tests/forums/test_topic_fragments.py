"""The topic page keeps each post's HTML in the `fragments` cache, under a digest of all it shows: one
fragment for every viewer shown a post alike, never a stale one when anything it shows changes, and no
CSRF token inside (the posts' buttons submit forms of the page itself, which work without a script).
The `topic` fixture was started by `member`."""

import datetime
import re

import pytest
from django.core.cache import caches
from django.test import Client
from django.utils import timezone

from forums.models import Post, PostReaction, Topic
from forums.services import topics as services
from tests.factories import MembershipFactory, PostFactory
from tests.forums.test_topic_views import action_url, post_action_url, signed_in, text, topic_url

pytestmark = pytest.mark.django_db

POST_PARTIAL = "forums/topics/_post.html"
CSRF_INPUT = re.compile(r'<input type="hidden" name="csrfmiddlewaretoken" value="([^"]+)"')


@pytest.fixture(autouse=True)
def _no_fragments_yet():
    """Each test starts with nothing rendered: the cache lives as long as the process."""
    caches["fragments"].clear()


def posts_html(response) -> str:
    """The page's list of posts, and nothing else of it."""
    found = re.search(r"<ol class=\"forum-posts\" data-forum-posts>(.*?)</ol>", text(response), re.S)
    assert found is not None
    return found.group(1)


def post_html(response, number: int) -> str:
    found = re.search(rf'<li class="forum-post[^"]*" id="post-{number}".*?</li>', posts_html(response), re.S)
    assert found is not None
    return found.group(0)


def renders(response) -> int:
    """How many posts the request rendered rather than took from the cache."""
    return sum(1 for template in response.templates if template.name == POST_PARTIAL)


def page_form(response, form_id: str) -> str:
    found = re.search(rf'<form id="{form_id}"[^>]*>.*?</form>', text(response), re.S)
    assert found is not None
    return found.group(0)


def csrf_token(form: str) -> str:
    found = CSRF_INPUT.search(form)
    assert found is not None
    return found.group(1)


def other_member(topic: Topic):
    return MembershipFactory(network=topic.network).user


# --- Shared by those shown a post alike -------------------------------------------------------------


def test_visitors_share_each_posts_fragment(topic, champion):
    PostFactory(topic=topic, author=champion, body="Flexible hours cut overtime.")
    PostFactory(topic=topic, author=champion, body="And sick leave.")

    first = Client().get(topic_url(topic, page=1))
    second = Client().get(topic_url(topic, page=1))

    assert renders(first) == 3
    assert renders(second) == 0
    assert posts_html(second) == posts_html(first)
    assert "Flexible hours cut overtime." in posts_html(second)


def test_members_shown_a_post_alike_share_its_fragment(client, topic, champion, moderator):
    PostFactory(topic=topic, author=moderator, body="Pilot it for a quarter first.")
    signed_in(client, champion).get(topic_url(topic, page=1))

    again = signed_in(Client(), other_member(topic)).get(topic_url(topic, page=1))

    assert renders(again) == 0
    assert "Pilot it for a quarter first." in posts_html(again)


def test_a_viewers_own_reaction_and_actions_are_never_shown_to_another(client, topic, champion):
    reply = PostFactory(topic=topic, author=champion)
    PostReaction.objects.create(post=reply, user=champion, kind="👍")

    as_author = post_html(signed_in(client, champion).get(topic_url(topic, page=1)), 2)
    as_reader = post_html(signed_in(Client(), other_member(topic)).get(topic_url(topic, page=1)), 2)

    assert 'aria-pressed="true"' in as_author
    assert post_action_url(reply, "edit") in as_author
    assert 'aria-pressed="false"' in as_reader
    assert 'aria-pressed="true"' not in as_reader
    assert post_action_url(reply, "edit") not in as_reader


# --- Never stale ------------------------------------------------------------------------------------


def _react(topic: Topic, reply: Post, moderator) -> None:
    services.react_to_post(user=moderator, post=reply, kind="💡")


def _edit(topic: Topic, reply: Post, moderator) -> None:
    services.edit_post(actor=reply.author, post=reply, body="Second thoughts: stagger them.")


def _hide(topic: Topic, reply: Post, moderator) -> None:
    Post.objects.filter(pk=reply.pk).update(is_hidden=True)


def _lock(topic: Topic, reply: Post, moderator) -> None:
    services.set_topic_locked(actor=moderator, topic=topic, locked=True)


def _rename(topic: Topic, reply: Post, moderator) -> None:
    services.rename_topic(actor=moderator, topic=topic, title="Flexible hours, one year on")


def _accept(topic: Topic, reply: Post, moderator) -> None:
    services.accept_answer(actor=moderator, topic=topic, post=reply)


@pytest.mark.parametrize(
    ("change", "gone", "new"),
    [
        (
            _react,
            'aria-label="Reactions to post 2"></div>',
            'class="chat-reaction" aria-pressed="false" title="Idea"',
        ),
        (_edit, "First thoughts.", "Second thoughts: stagger them."),
        (_hide, "data-forum-gone hidden>", "data-forum-gone>This post is hidden by the moderators."),
        (_lock, "reply_to=2#reply", None),
        (_rename, "/flexible-hours-at-the-border-post/?page=1", "/flexible-hours-one-year-on/?page=1"),
        (_accept, "data-forum-accepted-badge hidden>", "data-forum-accepted-badge>"),
    ],
    ids=["reaction", "edit", "hidden", "locked", "renamed", "accepted"],
)
def test_a_change_to_what_a_post_shows_shows_at_once(
    client, topic, member, champion, moderator, change, gone, new
):
    reply = PostFactory(topic=topic, author=champion, body="First thoughts.")
    before = post_html(signed_in(client, member).get(topic_url(topic, page=1)), 2)

    change(topic, reply, moderator)
    topic.refresh_from_db()
    after = post_html(client.get(topic_url(topic, page=1)), 2)

    assert gone in before
    assert gone not in after
    if new is not None:
        assert new not in before
        assert new in after


def test_a_reaction_of_the_viewer_shows_as_theirs_at_once(client, topic, member, champion):
    reply = PostFactory(topic=topic, author=champion)
    signed_in(client, member).get(topic_url(topic, page=1))

    services.react_to_post(user=member, post=reply, kind="👍")
    again = post_html(client.get(topic_url(topic, page=1)), 2)

    assert re.search(r'form="forum-unreact"[^>]*value="👍"[^>]*aria-pressed="true"', again)


def test_a_members_new_rights_show_at_once(client, topic, champion, outsider):
    PostFactory(topic=topic, author=champion)
    signed_in(client, outsider)
    assert "chat-react-menu" not in posts_html(client.get(topic_url(topic, page=1)))

    MembershipFactory(network=topic.network, user=outsider)

    assert "chat-react-menu" in posts_html(client.get(topic_url(topic, page=1)))


def test_a_posts_time_is_worded_for_the_day_it_is_shown(monkeypatch, topic):
    today = timezone.localdate()
    written = timezone.localtime(topic.posts.get(number=1).created_at)
    assert Client().get(topic_url(topic, page=1)).status_code == 200  # kept as of today: the hour alone

    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: today + datetime.timedelta(days=1))
    tomorrow = post_html(Client().get(topic_url(topic, page=1)), 1)

    assert f"{written:%Y}, {written:%H:%M}</time>" in tomorrow


def test_a_posts_time_is_worded_in_the_readers_time_zone(topic):
    noon = timezone.now().replace(hour=12, minute=0, second=0, microsecond=0) - datetime.timedelta(days=3)
    Post.objects.filter(topic=topic, number=1).update(created_at=noon)
    in_utc = post_html(Client().get(topic_url(topic, page=1)), 1)

    with timezone.override(datetime.timezone(datetime.timedelta(hours=2))):
        two_hours_east = post_html(Client().get(topic_url(topic, page=1)), 1)

    assert f"{noon:%Y}, 12:00</time>" in in_utc
    assert f"{noon:%Y}, 14:00</time>" in two_hours_east


# --- One CSRF token per form of the page, none in the posts -----------------------------------------


def test_a_members_page_has_one_token_per_form_and_none_in_its_posts(client, topic, member, champion):
    counts = []
    for _ in range(2):
        for _ in range(5):
            PostFactory(topic=topic, author=champion)
        page = signed_in(client, member).get(topic_url(topic, page=1))
        forms = re.findall(r"<form\b[^>]*\bmethod=\"post\"", text(page))
        tokens = CSRF_INPUT.findall(text(page))
        assert len(tokens) == len(forms)
        assert "csrfmiddlewaretoken" not in posts_html(page)
        counts.append(len(tokens))

    assert counts[0] == counts[1]


def press_reaction(browser: Client, page, number: int, form_id: str, kind: str):
    """Press post `number`'s `kind` button that submits the page's form `form_id`, as a browser without
    a script does: the form's fields and the button's own name and value, to the button's address."""
    button = re.search(
        rf'<button type="submit" form="{form_id}" formaction="([^"]+)" name="kind" value="{kind}"',
        post_html(page, number),
    )
    assert button is not None
    form = page_form(page, form_id)
    on = re.search(r'name="on" value="(true|false)"', form)
    assert on is not None
    fields = {"csrfmiddlewaretoken": csrf_token(form), "on": on.group(1), "kind": kind}
    return browser.post(button.group(1), fields)


def test_a_reaction_works_without_a_script_through_the_pages_forms(topic, member, champion):
    reply = PostFactory(topic=topic, author=champion)
    browser = signed_in(Client(enforce_csrf_checks=True), member)

    response = press_reaction(browser, browser.get(topic_url(topic, page=1)), 2, "forum-react", "🙏")

    assert response.status_code == 302
    assert PostReaction.objects.filter(post=reply, user=member, kind="🙏").exists()
    press_reaction(browser, browser.get(topic_url(topic, page=1)), 2, "forum-unreact", "🙏")
    assert not PostReaction.objects.filter(post=reply).exists()


def test_accepting_an_answer_works_without_a_script_through_the_pages_form(topic, member, champion):
    reply = PostFactory(topic=topic, author=champion)
    browser = signed_in(Client(enforce_csrf_checks=True), member)
    page = browser.get(topic_url(topic, page=1))
    accept = page_form(page, "forum-accept")
    assert f'action="{action_url(topic, "accept")}"' in accept
    assert re.search(r'form="forum-accept" name="number" value="2"', post_html(page, 2))

    browser.post(action_url(topic, "accept"), {"csrfmiddlewaretoken": csrf_token(accept), "number": "2"})

    topic.refresh_from_db()
    assert topic.accepted_post == reply


def test_visitors_get_no_forms_and_no_token(topic, champion):
    PostFactory(topic=topic, author=champion)

    page = text(Client().get(topic_url(topic, page=1)))

    assert "csrfmiddlewaretoken" not in page
    assert 'id="forum-react"' not in page
