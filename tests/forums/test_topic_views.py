"""The forum pages over HTTP, without JavaScript: who sees what, reading and paging, replying and the
other forms, bad input, and a fixed number of queries per page. The `topic` fixture was started by
`member`; `champion` is another member."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from forums.models import (
    Category,
    CategoryWatch,
    Post,
    PostReaction,
    Topic,
    TopicReadState,
    TopicWatch,
    WatchLevel,
)
from forums.services import topics as services
from network.models import Membership
from tests.factories import (
    CategoryFactory,
    MembershipFactory,
    NetworkFactory,
    PostFactory,
    TopicFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def signed_in(client, user):
    client.force_login(user)
    return client


def topic_url(topic: Topic, **query) -> str:
    url = reverse("forum:topic", args=[topic.network.slug, topic.pk, topic.slug])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def action_url(topic: Topic, name: str) -> str:
    return reverse(f"forum:{name}", args=[topic.network.slug, topic.pk])


def post_action_url(post: Post, name: str) -> str:
    return reverse(f"forum:{name}", args=[post.topic.network.slug, post.topic_id, post.number])


def category_url(category: Category, **query) -> str:
    url = reverse("forum:category", args=[category.network.slug, category.slug])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def text(response) -> str:
    return response.content.decode()


def post_numbers(response) -> list[int]:
    return [int(n) for n in re.findall(r'<li class="forum-post[^"]*" id="post-(\d+)"', text(response))]


def replies(topic: Topic, count: int, author, **fields) -> list[Post]:
    return [PostFactory(topic=topic, author=author, body=f"Reply {n}", **fields) for n in range(count)]


@pytest.fixture
def invitee(network):
    """Invited to the network: may see it (to decide), not yet read its forum when it is members-only."""
    return MembershipFactory(network=network, state=Membership.State.INVITED).user


# --- Who sees what ----------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["anonymous", "outsider", "member", "moderator"])
def test_a_public_forum_is_read_by_everyone(request, client, topic, category, name):
    if name != "anonymous":
        signed_in(client, request.getfixturevalue(name))

    assert client.get(reverse("forum:index", args=[topic.network.slug])).status_code == 200
    assert client.get(category_url(category)).status_code == 200
    assert client.get(topic_url(topic, page=1)).status_code == 200


@pytest.mark.parametrize("name", ["anonymous", "outsider"])
def test_a_members_only_forum_does_not_exist_for_those_who_cannot_see_the_network(
    request, client, members_only, topic, category, name
):
    if name != "anonymous":
        signed_in(client, request.getfixturevalue(name))

    assert client.get(reverse("forum:index", args=[members_only.slug])).status_code == 404
    assert client.get(category_url(category)).status_code == 404
    assert client.get(topic_url(topic)).status_code == 404
    assert client.get(post_action_url(topic.posts.get(number=1), "post")).status_code == 404


def test_an_invitee_sees_why_a_members_only_forum_is_closed_to_them(client, members_only, topic, invitee):
    response = signed_in(client, invitee).get(topic_url(topic))

    assert response.status_code == 403
    assert "This network&#x27;s forum is for its members only." in text(response)


def test_unknown_addresses_are_not_found(client, topic, category, member):
    signed_in(client, member)
    network = topic.network.slug

    assert client.get(reverse("forum:topic", args=[network, topic.pk + 1000, "nothing"])).status_code == 404
    assert client.get(reverse("forum:category", args=[network, "nowhere"])).status_code == 404
    assert client.get(reverse("forum:index", args=["no-such-network"])).status_code == 404
    assert client.get(reverse("forum:post", args=[network, topic.pk, 2])).status_code == 404
    assert (
        client.get(reverse("forum:topic", args=["no-such-network", topic.pk, topic.slug])).status_code == 404
    )


def test_a_topic_is_not_found_under_another_network(client, topic, member):
    other = NetworkFactory()

    response = signed_in(client, member).get(reverse("forum:topic", args=[other.slug, topic.pk, topic.slug]))

    assert response.status_code == 404


def test_a_deleted_topic_is_refused_with_the_reason_to_members_and_shown_to_moderators(
    client, topic, member, champion, moderator
):
    services.delete_post(actor=member, post=topic.posts.get(number=1))

    refused = signed_in(client, champion).get(topic_url(topic, page=1))
    assert refused.status_code == 403
    assert "This topic was deleted." in text(refused)
    shown = signed_in(client, moderator).get(topic_url(topic, page=1))
    assert shown.status_code == 200
    assert "Deleted" in text(shown)


def test_a_topic_address_with_an_old_or_no_slug_leads_to_the_current_one(client, topic, member):
    signed_in(client, member)

    stale = client.get(reverse("forum:topic", args=[topic.network.slug, topic.pk, "old-title"]) + "?page=1")
    short = client.get(reverse("forum:topic_short", args=[topic.network.slug, topic.pk]))

    assert stale.status_code == short.status_code == 301
    assert stale["Location"] == topic_url(topic, page=1)
    assert short["Location"] == topic_url(topic)


def test_a_post_address_leads_to_its_page_and_anchor(client, topic, member, champion, settings):
    settings.FORUM_POSTS_PER_PAGE = 3
    replies(topic, 5, champion)

    response = signed_in(client, member).get(reverse("forum:post", args=[topic.network.slug, topic.pk, 5]))

    assert response.status_code == 302
    assert response["Location"] == topic_url(topic, page=2) + "#post-5"


# --- Reading a topic --------------------------------------------------------------------------------


def test_posts_are_paged_by_number_and_a_page_out_of_range_is_not_found(
    client, topic, member, champion, settings
):
    settings.FORUM_POSTS_PER_PAGE = 3
    replies(topic, 4, champion)
    signed_in(client, member)

    assert post_numbers(client.get(topic_url(topic, page=1))) == [1, 2, 3]
    second = client.get(topic_url(topic, page=2))
    assert post_numbers(second) == [4, 5]
    assert 'aria-current="page">2<' in text(second)
    for page in ["3", "0", "abc", "-1"]:
        assert client.get(topic_url(topic, page=page)).status_code == 404


def test_a_first_visit_opens_at_the_start_and_marks_the_page_read(client, topic, member, champion, settings):
    settings.FORUM_POSTS_PER_PAGE = 3
    replies(topic, 4, champion)

    response = signed_in(client, champion).get(topic_url(topic))

    assert response.status_code == 200
    assert post_numbers(response) == [1, 2, 3]
    assert TopicReadState.objects.get(user=champion, topic=topic).last_read_number == 3


def test_a_returning_reader_opens_at_their_first_unread_post(client, topic, member, champion, settings):
    settings.FORUM_POSTS_PER_PAGE = 3
    replies(topic, 4, champion)
    signed_in(client, member)
    client.get(topic_url(topic, page=1))  # read up to #3

    response = client.get(topic_url(topic))

    assert response.status_code == 302
    assert response["Location"] == topic_url(topic, page=2) + "#post-4"
    page = client.get(response["Location"])
    assert "New since your last visit" in text(page)
    assert 'id="post-4" data-number="4"' in text(page)
    assert TopicReadState.objects.get(user=member, topic=topic).last_read_number == 5


def test_a_reader_who_read_everything_opens_at_the_last_post(client, topic, member, champion):
    replies(topic, 2, champion)
    signed_in(client, member)
    client.get(topic_url(topic, page=1))

    response = client.get(topic_url(topic))

    assert response["Location"] == topic_url(topic, page=1) + "#post-3"
    assert "New since your last visit" not in text(client.get(response["Location"]))


def test_reading_an_earlier_page_never_moves_the_read_position_back(
    client, topic, member, champion, settings
):
    settings.FORUM_POSTS_PER_PAGE = 2
    replies(topic, 3, champion)
    signed_in(client, member)
    client.get(topic_url(topic, page=2))

    client.get(topic_url(topic, page=1))

    assert TopicReadState.objects.get(user=member, topic=topic).last_read_number == 4


def test_views_are_counted_once_per_reader(client, topic, member, champion):
    signed_in(client, member)
    client.get(topic_url(topic, page=1))
    client.get(topic_url(topic, page=1))
    client.logout()
    client.get(topic_url(topic, page=1))

    topic.refresh_from_db()
    assert topic.view_count == 2


def test_a_post_shows_its_author_card_and_its_words(client, topic, member):
    author = UserFactory(display_name="Amina Diallo", username="amina")
    MembershipFactory(network=topic.network, user=author)
    PostFactory(topic=topic, author=author, body="Our **hybrid** roster starts in May.")

    page = text(signed_in(client, member).get(topic_url(topic, page=1)))

    assert '<a href="/people/amina/">Amina Diallo</a>' in page
    assert "@amina" in page
    assert "<strong>hybrid</strong>" in page
    assert '<span class="avatar avatar--initials" aria-hidden="true">AD</span>' in page


def test_a_reply_quotes_one_level_of_the_post_it_answers(client, topic, member, champion):
    quoting = PostFactory(topic=topic, author=champion, body="> Words quoted from elsewhere\n\nMy own point.")
    PostFactory(topic=topic, author=member, body="I agree.", reply_to=quoting)

    page = text(signed_in(client, member).get(topic_url(topic, page=1)))

    quote = page[page.index('<blockquote class="forum-quote">') :]
    quote = quote[: quote.index("</blockquote>")]
    assert f"In reply to {champion} (#2)" in quote
    assert "My own point." in quote
    assert "Words quoted from elsewhere" not in quote


def test_a_deleted_post_is_a_placeholder_and_so_are_quotes_of_it(client, topic, member, champion):
    gone = PostFactory(topic=topic, author=champion, body="A secret I regret.")
    PostFactory(topic=topic, author=member, body="Answering that.", reply_to=gone)
    services.delete_post(actor=champion, post=gone)

    page = text(signed_in(client, member).get(topic_url(topic, page=1)))

    assert "A secret I regret." not in page
    assert "Post deleted" in page
    assert "<em>post deleted</em>" in page


def test_reactions_show_their_counts_and_the_viewers_own(client, topic, member, champion, moderator):
    post = PostFactory(topic=topic, author=champion)
    PostReaction.objects.create(post=post, user=member, kind="👍")
    PostReaction.objects.create(post=post, user=moderator, kind="👍")
    PostReaction.objects.create(post=post, user=moderator, kind="💡")

    page = text(signed_in(client, member).get(topic_url(topic, page=1)))
    reactions = page[page.index('aria-label="Reactions to post 2"') :].split("</footer>")[0]

    assert re.search(r'aria-pressed="true" title="Thumbs up".*?count">2<', reactions, re.S)
    assert re.search(r'aria-pressed="false" title="Idea".*?count">1<', reactions, re.S)


def test_the_accepted_answer_shows_under_the_opening_post(client, topic, member, champion):
    answer = PostFactory(topic=topic, author=champion, body="Stagger the shifts by an hour.")
    services.accept_answer(actor=member, topic=topic, post=answer)

    page = text(signed_in(client, member).get(topic_url(topic, page=1)))

    accepted = page[page.index("data-forum-accepted ") :].split("</aside>")[0]
    assert "hidden" not in accepted.split(">")[0]
    assert str(champion) in accepted
    assert "Stagger the shifts by an hour." in accepted
    assert f'href="{post_action_url(answer, "post")}"' in accepted


def test_an_edited_post_links_to_its_history_for_its_author_only(client, topic, member, champion):
    post = PostFactory(topic=topic, author=champion, body="First words.")
    services.edit_post(actor=champion, post=post, body="Better words.")
    history = post_action_url(post, "history")

    assert history in text(signed_in(client, champion).get(topic_url(topic, page=1)))
    page = text(signed_in(client, member).get(topic_url(topic, page=1)))
    assert history not in page
    assert "edited" in page


def test_each_viewer_gets_the_actions_they_may_take(client, topic, member, champion, moderator):
    PostFactory(topic=topic, author=champion)
    edit_reply, delete_reply = post_action_url(topic.posts.get(number=2), "edit"), "/p/2/delete/"

    as_author = text(signed_in(client, champion).get(topic_url(topic, page=1)))
    assert edit_reply in as_author
    assert delete_reply in as_author
    assert "?page=1&amp;reply_to=1#reply" in as_author
    assert action_url(topic, "pin") not in as_author

    as_topic_author = text(signed_in(client, member).get(topic_url(topic, page=1)))
    assert edit_reply not in as_topic_author
    assert "Accept as the answer" in as_topic_author

    as_moderator = text(signed_in(client, moderator).get(topic_url(topic, page=1)))
    assert delete_reply in as_moderator
    assert action_url(topic, "pin") in as_moderator
    assert action_url(topic, "lock") in as_moderator


def test_visitors_are_asked_to_log_in_and_outsiders_to_join(client, topic, outsider):
    as_visitor = text(client.get(topic_url(topic, page=1)))
    assert "Log in to reply" in as_visitor
    assert "chat-react-menu" not in as_visitor

    as_outsider = text(signed_in(client, outsider).get(topic_url(topic, page=1)))
    assert "Only members of this network can take part in its forum." in as_outsider
    assert "See how to join this network" in as_outsider
    assert topic_url(topic) not in as_outsider


def test_a_locked_topic_shows_its_notice_instead_of_the_reply_box(client, topic, member, moderator):
    services.set_topic_locked(actor=moderator, topic=topic, locked=True)

    as_member = text(signed_in(client, member).get(topic_url(topic, page=1)))
    assert "This topic is locked" in as_member
    assert re.search(r"<form[^>]*data-forum-reply-form[^>]*hidden", as_member)

    as_moderator = text(signed_in(client, moderator).get(topic_url(topic, page=1)))
    assert "This topic is locked" in as_moderator
    assert not re.search(r"<form[^>]*data-forum-reply-form[^>]*hidden", as_moderator)


def test_reply_and_quote_links_prepare_the_reply_box(client, topic, member, champion):
    post = PostFactory(topic=topic, author=champion, body="> an older quote\n\nFlexible hours work.")
    signed_in(client, member)

    replying = text(client.get(topic_url(topic, page=1, reply_to=2)))
    assert f'name="reply_to" value="{post.pk}"' in replying
    assert "Replying to <strong data-forum-replying-name>" in replying

    quoting = text(client.get(topic_url(topic, page=1, quote=2)))
    box = quoting[quoting.index("<textarea") : quoting.index("</textarea>")]
    assert "&gt; Flexible hours work." in box
    assert "an older quote" not in box


def test_the_page_tells_its_script_where_the_stream_stands(client, topic, member, champion):
    PostFactory(topic=topic, author=champion)
    services.post_reply(author=champion, topic=topic, body="Announced on the stream.")

    page = text(signed_in(client, member).get(topic_url(topic, page=1)))
    config = re.search(r'<script id="forum-config" type="application/json">(.*?)</script>', page).group(1)

    assert f'"stream": "topic:{topic.pk}"' in config
    assert '"lastSeq": 1' in config
    assert '"lastNumber": 3' in config
    assert '"isLastPage": true' in config


# --- New posts fetched by the page's script ---------------------------------------------------------


def test_posts_after_a_number_come_rendered_with_the_page_partial(client, topic, member, champion):
    replies(topic, 3, champion)

    response = signed_in(client, member).get(action_url(topic, "posts") + "?after=2")

    assert response.status_code == 200
    assert post_numbers(response) == [3, 4]
    assert "<html" not in text(response)
    assert post_numbers(client.get(action_url(topic, "posts") + "?after=2&limit=1")) == [3]


@pytest.mark.parametrize("query", ["after=abc", "after=-1", "limit=x"])
def test_a_malformed_fetch_of_new_posts_is_a_bad_request(client, topic, member, query):
    response = signed_in(client, member).get(action_url(topic, "posts") + "?" + query)

    assert response.status_code == 400
    assert "must be a whole number" in text(response)


# --- Replying ---------------------------------------------------------------------------------------


def test_a_reply_is_posted_and_the_reader_taken_to_it(client, topic, member, champion):
    response = signed_in(client, champion).post(topic_url(topic), {"body": "We tried it **too**."})

    reply = Post.objects.get(topic=topic, number=2)
    assert reply.author == champion
    assert response.status_code == 302
    assert response["Location"] == topic_url(topic, page=1) + "#post-2"


def test_a_reply_to_another_post_is_kept_as_such(client, topic, member, champion):
    opening = topic.posts.get(number=1)

    signed_in(client, champion).post(topic_url(topic), {"body": "Answering you.", "reply_to": opening.pk})

    assert Post.objects.get(topic=topic, number=2).reply_to == opening


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("", "Write something before posting."),
        ("   ", "Write something before posting."),
        ("x" * 100_000, "A post can be at most 32,000 characters long; this one has 100,000."),
    ],
)
def test_a_rejected_reply_says_why_and_keeps_the_text(client, topic, champion, body, message):
    response = signed_in(client, champion).post(topic_url(topic), {"body": body})

    assert response.status_code == 200
    assert message in text(response)
    assert f">\n{body}</textarea>" in text(response)
    assert not Post.objects.filter(topic=topic, number=2).exists()


def test_a_reply_to_a_post_of_another_topic_is_refused_with_the_text_kept(client, topic, champion, category):
    elsewhere = TopicFactory(category=category).posts.get(number=1)

    response = signed_in(client, champion).post(
        topic_url(topic), {"body": "Meant for the other one.", "reply_to": elsewhere.pk}
    )

    assert response.status_code == 200
    assert "You can only reply to a post of this topic." in text(response)
    assert "Meant for the other one.</textarea>" in text(response)
    assert topic.posts.count() == 1


def test_a_reply_to_a_locked_topic_is_refused_with_the_reason_and_the_text_kept(
    client, topic, champion, moderator
):
    services.set_topic_locked(actor=moderator, topic=topic, locked=True)

    response = signed_in(client, champion).post(topic_url(topic), {"body": "One more thing."})

    assert response.status_code == 200
    assert "This topic is locked: its posts can be read, but it takes no new replies." in text(response)
    assert "One more thing.</textarea>" in text(response)
    assert topic.posts.count() == 1


def test_replying_too_fast_is_refused_with_the_text_kept(client, topic, champion, settings):
    settings.FORUM_POST_RATE_LIMIT = (1, 60)
    signed_in(client, champion)
    client.post(topic_url(topic), {"body": "First."})

    response = client.post(topic_url(topic), {"body": "Second."})

    assert "too fast" in text(response)
    assert "Second.</textarea>" in text(response)
    assert topic.posts.count() == 2


def test_visitors_who_post_a_reply_are_asked_to_log_in(client, topic):
    response = client.post(topic_url(topic), {"body": "Hello"})

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_outsiders_cannot_reply(client, topic, outsider):
    response = signed_in(client, outsider).post(topic_url(topic), {"body": "Let me in."})

    assert "Only members of this network can take part in its forum." in text(response)
    assert topic.posts.count() == 1


# --- Starting topics --------------------------------------------------------------------------------


def test_a_member_starts_a_topic(client, category, champion):
    new_topic = reverse("forum:new_topic", args=[category.network.slug, category.slug])
    signed_in(client, champion)
    assert client.get(new_topic).status_code == 200

    response = client.post(
        new_topic, {"title": "Hybrid rosters at airports", "body": "How do you plan them?"}
    )

    topic = Topic.objects.get(title="Hybrid rosters at airports")
    assert response["Location"] == topic.get_absolute_url()
    assert topic.posts.get(number=1).body == "How do you plan them?"


def test_a_rejected_topic_says_why_and_keeps_what_was_typed(client, category, champion):
    new_topic = reverse("forum:new_topic", args=[category.network.slug, category.slug])

    response = signed_in(client, champion).post(new_topic, {"title": "Hi", "body": "A long enough body."})

    assert response.status_code == 200
    assert "Say in at least 5 characters what the topic is about." in text(response)
    assert 'value="Hi"' in text(response)
    assert "A long enough body.</textarea>" in text(response)
    assert not Topic.objects.exists()


def test_only_moderators_start_topics_in_an_announcements_category(
    client, announcements, champion, moderator
):
    new_topic = reverse("forum:new_topic", args=[announcements.network.slug, announcements.slug])

    refused = signed_in(client, champion).get(new_topic)
    assert refused.status_code == 403
    assert "Only the network&#x27;s moderators start topics in this category" in text(refused)
    assert signed_in(client, moderator).get(new_topic).status_code == 200


# --- One post ---------------------------------------------------------------------------------------


def test_the_author_edits_a_post_and_others_may_not(client, topic, member, champion):
    post = PostFactory(topic=topic, author=champion, body="First words.")

    refused = signed_in(client, member).post(post_action_url(post, "edit"), {"body": "Not mine."})
    assert refused.status_code == 403
    assert "Only its author can edit a post." in text(refused)

    signed_in(client, champion)
    assert "First words.</textarea>" in text(client.get(post_action_url(post, "edit")))
    response = client.post(post_action_url(post, "edit"), {"body": "Better words."})
    post.refresh_from_db()
    assert post.body == "Better words."
    assert response["Location"] == topic_url(topic, page=1) + "#post-2"


def test_an_emptied_edit_says_why(client, topic, champion):
    post = PostFactory(topic=topic, author=champion, body="First words.")

    response = signed_in(client, champion).post(post_action_url(post, "edit"), {"body": " "})

    assert "Write something before posting." in text(response)
    post.refresh_from_db()
    assert post.body == "First words."


def test_deleting_a_reply_asks_first_then_leaves_a_placeholder(client, topic, member, champion):
    post = PostFactory(topic=topic, author=champion, body="Oops.")
    signed_in(client, champion)

    assert "Delete this post?" in text(client.get(post_action_url(post, "delete")))
    response = client.post(post_action_url(post, "delete"))

    post.refresh_from_db()
    assert post.is_deleted
    assert response["Location"] == topic_url(topic, page=1) + "#post-2"


def test_deleting_the_opening_post_deletes_the_topic(client, topic, member, category):
    response = signed_in(client, member).post(post_action_url(topic.posts.get(number=1), "delete"))

    topic.refresh_from_db()
    assert topic.is_deleted
    assert response["Location"] == category_url(category)


def test_a_post_history_is_for_its_author_and_moderators(client, topic, member, champion, moderator):
    post = PostFactory(topic=topic, author=champion, body="First words.")
    services.edit_post(actor=champion, post=post, body="Better words.")

    assert "First words." in text(signed_in(client, moderator).get(post_action_url(post, "history")))
    assert "First words." in text(signed_in(client, champion).get(post_action_url(post, "history")))
    refused = signed_in(client, member).get(post_action_url(post, "history"))
    assert refused.status_code == 403
    assert "First words." not in text(refused)


def test_a_reaction_is_a_plain_form(client, topic, member, champion):
    post = PostFactory(topic=topic, author=champion)
    signed_in(client, member)

    response = client.post(post_action_url(post, "react"), {"kind": "🙏", "on": "true"})
    assert response["Location"] == topic_url(topic, page=1) + "#post-2"
    assert PostReaction.objects.filter(post=post, user=member, kind="🙏").exists()

    client.post(post_action_url(post, "react"), {"kind": "🙏", "on": "false"})
    assert not PostReaction.objects.filter(post=post).exists()


def test_an_unknown_reaction_is_a_bad_request_that_says_why(client, topic, member, champion):
    post = PostFactory(topic=topic, author=champion)

    response = signed_in(client, member).post(post_action_url(post, "react"), {"kind": "🦄", "on": "true"})

    assert response.status_code == 400
    assert "Choose one of the reactions offered." in text(response)
    assert not PostReaction.objects.exists()


def test_outsiders_cannot_react(client, topic, outsider):
    response = signed_in(client, outsider).post(
        post_action_url(topic.posts.get(number=1), "react"), {"kind": "👍", "on": "true"}
    )

    assert response.status_code == 403
    assert not PostReaction.objects.exists()


# --- The topic's own forms --------------------------------------------------------------------------


def test_the_topic_author_accepts_an_answer_and_takes_it_back(client, topic, member, champion):
    answer = PostFactory(topic=topic, author=champion)
    signed_in(client, member)

    response = client.post(action_url(topic, "accept"), {"number": 2})
    topic.refresh_from_db()
    assert topic.accepted_post == answer
    assert response["Location"] == topic_url(topic, page=1) + "#post-2"

    client.post(action_url(topic, "accept"), {"number": ""})
    topic.refresh_from_db()
    assert topic.accepted_post is None


def test_others_cannot_accept_an_answer(client, topic, champion):
    PostFactory(topic=topic, author=champion)

    response = signed_in(client, champion).post(action_url(topic, "accept"), {"number": 2})

    assert response.status_code == 403
    topic.refresh_from_db()
    assert topic.accepted_post is None


def test_the_opening_post_cannot_be_the_answer(client, topic, member):
    assert signed_in(client, member).post(action_url(topic, "accept"), {"number": 1}).status_code == 400


def test_a_reader_sets_how_closely_they_watch_a_topic_and_a_category(client, topic, category, champion):
    signed_in(client, champion)

    client.post(action_url(topic, "watch"), {"level": "muted"})
    client.post(
        reverse("forum:category_watch", args=[category.network.slug, category.slug]), {"level": "watching"}
    )

    assert TopicWatch.objects.get(user=champion, topic=topic).level == WatchLevel.MUTED
    assert CategoryWatch.objects.get(user=champion, category=category).level == WatchLevel.WATCHING
    assert re.search(r'value="muted"[^>]* checked', text(client.get(topic_url(topic, page=1))))
    assert client.post(action_url(topic, "watch"), {"level": "loud"}).status_code == 400


def test_moderators_pin_and_lock_and_members_may_not(client, topic, member, moderator):
    refused = signed_in(client, member).post(action_url(topic, "pin"), {"on": "true"})
    assert refused.status_code == 403
    assert "Only the network&#x27;s moderators can pin or lock topics." in text(refused)

    signed_in(client, moderator)
    client.post(action_url(topic, "pin"), {"on": "true"})
    client.post(action_url(topic, "lock"), {"on": "true"})
    topic.refresh_from_db()
    assert topic.is_pinned
    assert topic.is_locked

    client.post(action_url(topic, "lock"), {"on": "false"})
    topic.refresh_from_db()
    assert not topic.is_locked


def test_the_author_renames_a_topic(client, topic, member, champion):
    assert signed_in(client, champion).get(action_url(topic, "rename")).status_code == 403

    signed_in(client, member)
    response = client.post(action_url(topic, "rename"), {"title": "Flexible hours, one year on"})

    topic.refresh_from_db()
    assert topic.title == "Flexible hours, one year on"
    assert response["Location"] == topic.get_absolute_url()
    short = client.post(action_url(topic, "rename"), {"title": "Hm"})
    assert "Say in at least 5 characters" in text(short)


# --- The index and categories -----------------------------------------------------------------------


def test_the_index_lists_categories_with_their_latest_activity(client, network, category, member, champion):
    TopicFactory(category=category, author=champion, title="Stress at the border")
    empty = CategoryFactory(network=network, name="Case studies")

    page = text(signed_in(client, member).get(reverse("forum:index", args=[network.slug])))

    assert "Well-being at work" in page
    assert "Stress at the border" in page
    assert f"by {champion}" in page
    assert empty.name in page
    assert "No topic yet" in page
    assert reverse("forum:new_topic", args=[network.slug, category.slug]) in page
    assert reverse("forum:category_create", args=[network.slug]) not in page


def test_admins_create_and_edit_categories(client, network, admin, member):
    create = reverse("forum:category_create", args=[network.slug])
    assert signed_in(client, member).get(create).status_code == 403

    signed_in(client, admin)
    assert create in text(client.get(reverse("forum:index", args=[network.slug])))
    response = client.post(
        create, {"name": "Hybrid work", "description": "Rosters.", "start_policy": "members"}
    )
    category = Category.objects.get(network=network, name="Hybrid work")
    assert response["Location"] == category_url(category)

    edit = reverse("forum:category_edit", args=[network.slug, category.slug])
    client.post(edit, {"name": "Hybrid working", "description": "", "start_policy": "moderators"})
    category.refresh_from_db()
    assert category.name == "Hybrid working"
    assert category.start_policy == Category.StartPolicy.MODERATORS


def test_a_taken_category_name_is_a_form_error(client, network, category, admin):
    create = reverse("forum:category_create", args=[network.slug])

    response = signed_in(client, admin).post(
        create, {"name": category.name, "description": "", "start_policy": "members"}
    )

    assert response.status_code == 200
    assert "This network already has a category with that name." in text(response)


def test_a_category_lists_pinned_topics_first_then_by_latest_activity(
    client, category, member, champion, moderator
):
    older = TopicFactory(category=category, author=champion, title="Older topic here")
    newer = TopicFactory(category=category, author=champion, title="Newer topic here")
    pinned = TopicFactory(category=category, author=champion, title="Pinned topic here")
    services.set_topic_pinned(actor=moderator, topic=pinned, pinned=True)
    PostFactory(topic=older, author=champion)  # the older topic is now the most recently active

    page = text(signed_in(client, member).get(category_url(category)))

    titles = re.findall(r'class="forum-table__title" href="[^"]+">([^<]+)<', page)
    assert titles == ["Pinned topic here", "Older topic here", "Newer topic here"]
    assert "Pinned</span>" in page
    assert newer.title in page


def test_a_category_marks_new_and_unread_topics(client, category, member, champion):
    never_opened = TopicFactory(category=category, author=champion, title="Never opened")
    partly_read = TopicFactory(category=category, author=champion, title="Partly read")
    replies(partly_read, 3, champion)
    TopicReadState.objects.create(user=member, topic=partly_read, last_read_number=2)
    PostFactory(topic=partly_read, author=member)  # their own post is not unread to them

    page = text(signed_in(client, member).get(category_url(category)))

    rows = {
        title: row
        for row in page.split("<tr")
        for title in [never_opened.title, partly_read.title]
        if title in row
    }
    assert "forum-badge--new" in rows["Never opened"]
    assert ">new<" in rows["Never opened"]
    assert "2 new" in rows["Partly read"]
    assert f'href="{topic_url(partly_read, page=1)}#post-3"' in rows["Partly read"]


def test_topics_started_before_a_member_joined_are_not_new_to_them(client, category, champion):
    TopicFactory(category=category, author=champion, title="From the old days")
    newcomer = MembershipFactory(network=category.network).user

    page = text(signed_in(client, newcomer).get(category_url(category)))

    assert "From the old days" in page
    assert "forum-badge--new" not in page


def test_a_category_is_paged_and_a_page_out_of_range_is_not_found(
    client, category, member, champion, settings
):
    settings.FORUM_TOPICS_PER_PAGE = 2
    for n in range(3):
        TopicFactory(category=category, author=champion, title=f"Topic number {n}")
    signed_in(client, member)

    assert client.get(category_url(category, page=2)).status_code == 200
    assert "Topic number 0" in text(client.get(category_url(category, page=2)))
    assert client.get(category_url(category, page=3)).status_code == 404
    assert client.get(category_url(category, page="x")).status_code == 404


def test_hidden_topics_are_listed_for_moderators_and_their_authors_only(
    client, category, member, champion, moderator
):
    TopicFactory(category=category, author=champion, title="Taken aside", is_hidden=True)

    assert "Taken aside" in text(signed_in(client, moderator).get(category_url(category)))
    assert "Taken aside" in text(signed_in(client, champion).get(category_url(category)))
    assert "Taken aside" not in text(signed_in(client, member).get(category_url(category)))


# --- Every page has one main heading and labelled landmarks -----------------------------------------


def test_every_forum_page_has_one_main_heading(client, topic, category, member, admin):
    PostFactory(topic=topic, author=member)
    signed_in(client, admin)
    network = topic.network.slug
    urls = [
        reverse("forum:index", args=[network]),
        reverse("forum:category_create", args=[network]),
        reverse("forum:category_edit", args=[network, category.slug]),
        category_url(category),
        reverse("forum:new_topic", args=[network, category.slug]),
        topic_url(topic, page=1),
        action_url(topic, "rename"),
        post_action_url(topic.posts.get(number=2), "delete"),
    ]
    for url in urls:
        page = text(client.get(url))
        assert page.count("<h1") == 1, url


# --- A fixed number of queries per page -------------------------------------------------------------


def _queries(client, url: str) -> list[str]:
    """The SQL a page ran, less the session and user lookups every signed-in page starts with, and less
    the savepoints that the test's own transaction turns each service's transaction into."""
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return [
        query["sql"]
        for query in captured.captured_queries
        if not re.match(
            r'(RELEASE )?SAVEPOINT|SELECT .* FROM "(django_session|profiles_user)" WHERE', query["sql"]
        )
    ]


def _busy_topic(category: Category, posts: int, author, others: list) -> Topic:
    """A topic of `posts` posts with replies to earlier posts, reactions, an edit and a deletion."""
    topic = TopicFactory(category=category, author=author)
    for n in range(2, posts + 1):
        post = PostFactory(
            topic=topic,
            author=others[n % len(others)],
            reply_to=topic.posts.get(number=n - 1) if n % 3 else None,
        )
        if n % 2:
            PostReaction.objects.create(post=post, user=others[0], kind="👍")
    services.edit_post(actor=topic.author, post=topic.posts.get(number=1), body="Edited opening post.")
    services.accept_answer(actor=topic.author, topic=topic, post=topic.posts.get(number=2))
    return topic


@pytest.mark.parametrize("persona", ["anonymous", "member", "moderator"])
def test_the_topic_page_runs_the_same_few_queries_for_10_and_100_posts(
    request, client, category, member, champion, moderator, persona, settings
):
    settings.FORUM_POSTS_PER_PAGE = 20
    if persona != "anonymous":
        signed_in(client, request.getfixturevalue(persona))
    counts = []
    for size in (10, 100):
        topic = _busy_topic(category, size, member, [champion, moderator])
        last_page = topic_url(topic, page=(size - 1) // 20 + 1)
        first_visit = _queries(client, last_page)  # marks the topic read and counts the view
        again = _queries(client, topic_url(topic, page=1))
        counts.append((len(first_visit), len(again)))

    assert counts[0] == counts[1]
    assert max(counts[0]) <= 8


def test_a_first_visit_stores_the_read_position_in_one_statement(client, topic, member, champion):
    replies(topic, 3, champion)

    queries = _queries(signed_in(client, member), topic_url(topic, page=1))

    assert len([sql for sql in queries if "forums_topicreadstate" in sql and "INSERT" in sql]) == 1
    assert not [sql for sql in queries if "forums_topicreadstate" in sql and sql.startswith("UPDATE")]
    assert TopicReadState.objects.get(user=member, topic=topic).last_read_number == 4


@pytest.mark.parametrize("persona", ["anonymous", "member"])
def test_the_category_page_runs_the_same_few_queries_for_10_and_100_topics(
    request, client, network, member, champion, persona
):
    if persona != "anonymous":
        signed_in(client, request.getfixturevalue(persona))
    counts = []
    for size in (10, 100):
        category = CategoryFactory(network=network)
        for n in range(size):
            topic = TopicFactory(category=category, author=champion, is_pinned=n == 0)
            PostFactory(topic=topic, author=champion)
            if n % 2:
                TopicReadState.objects.create(user=member, topic=topic, last_read_number=1)
        counts.append(len(_queries(client, category_url(category))))

    assert counts[0] == counts[1]
    assert counts[0] <= 8


def test_the_index_runs_the_same_queries_for_more_categories(client, network, member, champion):
    signed_in(client, member)
    counts = []
    for size in (2, 12):
        for _ in range(size):
            TopicFactory(category=CategoryFactory(network=network), author=champion)
        counts.append(len(_queries(client, reverse("forum:index", args=[network.slug]))))

    assert counts[0] == counts[1]
