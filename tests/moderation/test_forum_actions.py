"""The moderators' actions on a network's threaded forum (moderation.services.forum) and the forum's
building blocks under them: who may act, what each changes, the audit entry it leaves, the queue items it
closes, merge and split numbering and counters, refusals on targets gone or already in that state, and
first-post approval as the forum shows it."""

from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from forums.models import Category, Post, Topic, TopicWatch, WatchLevel
from forums.selectors import topics as selectors
from forums.services import topics as forum
from moderation.models import AuditEntry, QueueItem, TargetKind
from moderation.services import forum as moderation
from moderation.services import queue
from network.models import Membership, Network
from profiles.models import User
from search.models import SearchEntry
from tests.factories import CategoryFactory, MembershipFactory, PostFactory, TopicFactory, UserFactory

pytestmark = pytest.mark.django_db

# The fixtures here serve the other tests of the moderators' forum actions too (events, views).


@pytest.fixture(autouse=True)
def _no_rate_limit(settings) -> None:
    settings.FORUM_POST_RATE_LIMIT = None


@pytest.fixture(name="category")
def category_fixture(network: Network) -> Category:
    return CategoryFactory(network=network, name="Well-being at work", slug="well-being")


@pytest.fixture(name="topic")
def topic_fixture(category: Category, member: User) -> Topic:
    """A topic of `category` started by the `member` fixture, with its opening post."""
    return TopicFactory(
        category=category,
        author=member,
        title="Flexible hours at the border post",
        body="Our team tried flexible hours for a year; here is what we learned.",
    )


@pytest.fixture(name="reply")
def reply_fixture(topic: Topic, champion: User) -> Post:
    return PostFactory(topic=topic, author=champion, body="A reply with *words* of its own.")


@pytest.fixture(name="other_category")
def other_category_fixture(network: Network) -> Category:
    return CategoryFactory(network=network, name="Tools and methods", slug="tools")


@pytest.fixture(name="foreign_moderator")
def foreign_moderator_fixture(db) -> User:
    """A moderator of another network."""
    return MembershipFactory(role=Membership.Role.MODERATOR).user


@pytest.fixture(name="newcomer")
def newcomer_fixture(network: Network) -> User:
    """A new member of `network`, whose first post waits for approval."""
    network.posts_awaiting_approval = 1
    network.save(update_fields=["posts_awaiting_approval"])
    return MembershipFactory(network=network, user=UserFactory(display_name="Nina Newcomer")).user


def last_entry() -> AuditEntry:
    return AuditEntry.objects.order_by("-id").first()


def counters(topic: Topic) -> dict[str, Any]:
    topic.refresh_from_db()
    category = Category.objects.get(pk=topic.category_id)
    return {
        "topic": (topic.highest_post_number, topic.reply_count),
        "category": (category.topic_count, category.post_count),
    }


def recount_fixes(*topics: Topic) -> list[dict]:
    """What a full recount would still change: empty when the services kept every counter right."""
    fixes = [forum.recount_topic(topic=topic) for topic in topics]
    categories = {topic.category_id for topic in Topic.objects.filter(pk__in=[t.pk for t in topics])}
    fixes += [forum.recount_category(category=Category.objects.get(pk=pk)) for pk in categories]
    return [fix for fix in fixes if fix]


def open_report(post: Post) -> QueueItem:
    item, _created = queue.open_item(
        network=post.topic.network,
        kind=QueueItem.Kind.REPORT,
        target_kind=TargetKind.POST,
        target_id=post.pk,
        target_author=post.author,
        title=post.topic.title,
        excerpt="",
        url="",
    )
    return item


def indexed(kind: str, object_id: int) -> bool:
    return SearchEntry.objects.filter(kind=kind, object_id=object_id).exists()


# --- Who may act ------------------------------------------------------------------------------------


ACTIONS: dict[str, Callable[[User, Topic, Post, Category], object]] = {
    "hide_post": lambda actor, topic, post, other: moderation.hide_post(
        actor=actor, post=post, reason="Spam"
    ),
    "delete_post": lambda actor, topic, post, other: moderation.delete_post(
        actor=actor, post=post, reason="Spam"
    ),
    "hide_topic": lambda actor, topic, post, other: moderation.hide_topic(
        actor=actor, topic=topic, reason="Off"
    ),
    "delete_topic": lambda actor, topic, post, other: moderation.delete_topic(
        actor=actor, topic=topic, reason="Off"
    ),
    "lock_topic": lambda actor, topic, post, other: moderation.lock_topic(actor=actor, topic=topic),
    "pin_topic": lambda actor, topic, post, other: moderation.pin_topic(actor=actor, topic=topic),
    "move_topic": lambda actor, topic, post, other: moderation.move_topic(
        actor=actor, topic=topic, category=other
    ),
    "merge_topics": lambda actor, topic, post, other: moderation.merge_topics(
        actor=actor, source=TopicFactory(category=other, author=post.author), target=topic
    ),
    "split_posts": lambda actor, topic, post, other: moderation.split_posts(
        actor=actor, topic=topic, numbers=[post.number], title="A new thread of its own", category=other
    ),
}


@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize("role", ["moderator", "admin"])
def test_moderators_and_admins_of_the_network_act(request, action, role, topic, reply, other_category):
    actor = request.getfixturevalue(role)

    ACTIONS[action](actor, topic, reply, other_category)

    entry = last_entry()
    assert entry.actor == actor
    assert entry.network == topic.network


@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize("role", ["member", "champion", "foreign_moderator", "outsider"])
def test_others_are_refused_and_nothing_changes(request, action, role, topic, reply, other_category):
    actor = request.getfixturevalue(role)
    before = counters(topic)

    with pytest.raises(PermissionDenied):
        ACTIONS[action](actor, topic, reply, other_category)

    assert not AuditEntry.objects.exists()
    assert counters(topic) == before
    reply.refresh_from_db()
    assert reply.is_visible
    assert reply.topic_id == topic.pk


# --- Hiding and restoring posts ---------------------------------------------------------------------


def test_hiding_a_post_keeps_its_reason_recounts_and_leaves_search(topic, reply, moderator):
    assert indexed("post", reply.pk)

    moderation.hide_post(actor=moderator, post=reply, reason="  Personal   details ")

    reply.refresh_from_db()
    assert reply.is_hidden
    assert reply.hidden_reason == "Personal details"
    assert counters(topic) == {"topic": (2, 0), "category": (1, 1)}
    assert not indexed("post", reply.pk)
    entry = last_entry()
    assert (entry.action, entry.target_kind, entry.target_id) == ("post.hide", "post", reply.pk)
    assert entry.reason == "Personal details"
    assert entry.target_user == reply.author
    assert entry.before == {"is_hidden": False, "hidden_reason": ""}
    assert entry.after == {"is_hidden": True, "hidden_reason": "Personal details"}


def test_hiding_needs_a_reason(reply, moderator):
    with pytest.raises(ValidationError) as refused:
        moderation.hide_post(actor=moderator, post=reply, reason="   ")

    assert refused.value.message_dict == {"reason": ["Say why the post is hidden: its author will read it."]}
    reply.refresh_from_db()
    assert reply.is_visible


def test_a_too_long_reason_is_refused(reply, moderator):
    with pytest.raises(ValidationError) as refused:
        moderation.hide_post(actor=moderator, post=reply, reason="x" * 1001)

    assert "reason" in refused.value.message_dict


def test_restoring_a_post_shows_it_again_everywhere(topic, reply, moderator, admin):
    moderation.hide_post(actor=moderator, post=reply, reason="Checking a claim")

    moderation.restore_post(actor=admin, post=reply, reason="Claim checked")

    reply.refresh_from_db()
    assert reply.is_visible
    assert reply.hidden_reason == ""
    assert counters(topic) == {"topic": (2, 1), "category": (1, 2)}
    assert indexed("post", reply.pk)
    entry = last_entry()
    assert (entry.action, entry.reason) == ("post.restore", "Claim checked")
    assert entry.before == {"is_hidden": True, "hidden_reason": "Checking a claim"}
    assert entry.after == {"is_hidden": False, "hidden_reason": ""}


def test_hiding_twice_or_restoring_what_is_on_show_is_refused(reply, moderator):
    with pytest.raises(ValidationError, match=r"This post is not hidden\."):
        moderation.restore_post(actor=moderator, post=reply)
    moderation.hide_post(actor=moderator, post=reply, reason="Spam")

    with pytest.raises(ValidationError, match=r"This post is already hidden\."):
        moderation.hide_post(actor=moderator, post=reply, reason="Spam again")

    reply.refresh_from_db()
    assert reply.hidden_reason == "Spam"
    assert AuditEntry.objects.count() == 1


def test_a_post_deleted_meanwhile_is_refused_clearly(reply, moderator, champion):
    forum.delete_post(actor=champion, post=reply)

    for act in (
        lambda: moderation.hide_post(actor=moderator, post=reply, reason="Spam"),
        lambda: moderation.restore_post(actor=moderator, post=reply),
        lambda: moderation.delete_post(actor=moderator, post=reply, reason="Spam"),
    ):
        with pytest.raises(ValidationError, match=r"This post was deleted\."):
            act()
    assert not AuditEntry.objects.exists()


def test_hiding_closes_the_posts_queue_items(reply, moderator):
    item = open_report(reply)

    moderation.hide_post(actor=moderator, post=reply, reason="Spam")

    item.refresh_from_db()
    assert item.state == QueueItem.State.HANDLED
    assert (item.handled_by, item.resolution) == (moderator, "hidden")


def test_hiding_the_opening_post_hides_the_topic(topic, reply, moderator):
    moderation.hide_post(actor=moderator, post=topic.posts.get(number=1), reason="Advertising")

    topic.refresh_from_db()
    assert topic.is_hidden
    assert topic.hidden_reason == "Advertising"
    assert counters(topic)["category"] == (0, 0)
    assert not indexed("topic", topic.pk)
    assert not indexed("post", reply.pk)


# --- Hiding, restoring and deleting topics ----------------------------------------------------------


def test_hiding_and_restoring_a_topic(topic, reply, moderator):
    item = open_report(reply)

    moderation.hide_topic(actor=moderator, topic=topic, reason="Off-topic for this network")

    topic.refresh_from_db()
    assert topic.is_hidden
    assert topic.hidden_reason == "Off-topic for this network"
    assert counters(topic)["category"] == (0, 0)
    item.refresh_from_db()
    assert item.state == QueueItem.State.HANDLED
    entry = last_entry()
    assert (entry.action, entry.target_kind, entry.target_id) == ("topic.hide", "topic", topic.pk)
    assert (entry.before, entry.after) == ({"is_hidden": False, "hidden_reason": ""}, {"is_hidden": True})
    with pytest.raises(ValidationError, match=r"This topic is already hidden\."):
        moderation.hide_topic(actor=moderator, topic=topic, reason="Again")

    moderation.restore_topic(actor=moderator, topic=topic)

    topic.refresh_from_db()
    assert not topic.is_hidden
    assert topic.hidden_reason == ""
    assert counters(topic)["category"] == (1, 2)
    assert indexed("topic", topic.pk)
    assert indexed("post", reply.pk)
    assert last_entry().action == "topic.restore"
    with pytest.raises(ValidationError, match=r"This topic is not hidden\."):
        moderation.restore_topic(actor=moderator, topic=topic)


def test_deleting_a_post_keeps_its_words_in_the_audit_log(topic, reply, moderator):
    item = open_report(reply)

    moderation.delete_post(actor=moderator, post=reply, reason="Abuse")

    reply.refresh_from_db()
    assert reply.is_deleted
    entry = last_entry()
    assert (entry.action, entry.reason) == ("post.delete", "Abuse")
    assert entry.before == {"body": "A reply with *words* of its own."}
    item.refresh_from_db()
    assert item.resolution == "deleted"
    assert counters(topic) == {"topic": (2, 0), "category": (1, 1)}


def test_deleting_needs_a_reason(reply, moderator):
    with pytest.raises(ValidationError) as refused:
        moderation.delete_post(actor=moderator, post=reply, reason="")

    assert "reason" in refused.value.message_dict


def test_deleting_a_topic_keeps_its_title_and_opening_post(topic, reply, moderator):
    item = open_report(reply)

    moderation.delete_topic(actor=moderator, topic=topic, reason="Duplicate")

    topic.refresh_from_db()
    assert topic.is_deleted
    entry = last_entry()
    assert (entry.action, entry.target_id, entry.reason) == ("topic.delete", topic.pk, "Duplicate")
    assert entry.before == {
        "title": "Flexible hours at the border post",
        "body": "Our team tried flexible hours for a year; here is what we learned.",
    }
    item.refresh_from_db()
    assert item.state == QueueItem.State.HANDLED
    with pytest.raises(ValidationError, match=r"This topic was deleted\."):
        moderation.delete_topic(actor=moderator, topic=topic, reason="Again")
    with pytest.raises(ValidationError, match=r"This topic was deleted\."):
        moderation.lock_topic(actor=moderator, topic=topic)


# --- Locking and pinning ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("on", "off", "flag", "actions", "already"),
    [
        (
            moderation.lock_topic,
            moderation.unlock_topic,
            "is_locked",
            ("topic.lock", "topic.unlock"),
            "locked",
        ),
        (moderation.pin_topic, moderation.unpin_topic, "is_pinned", ("topic.pin", "topic.unpin"), "pinned"),
    ],
)
def test_locking_and_pinning_with_a_reason(topic, moderator, on, off, flag, actions, already):
    on(actor=moderator, topic=topic, reason="Heated")

    topic.refresh_from_db()
    assert getattr(topic, flag)
    entry = last_entry()
    assert (entry.action, entry.reason, entry.before, entry.after) == (
        actions[0],
        "Heated",
        {flag: False},
        {flag: True},
    )
    with pytest.raises(ValidationError, match=f"already {already}"):
        on(actor=moderator, topic=topic)

    off(actor=moderator, topic=topic)

    topic.refresh_from_db()
    assert not getattr(topic, flag)
    assert (last_entry().action, last_entry().reason) == (actions[1], "")
    with pytest.raises(ValidationError, match=f"not {already}"):
        off(actor=moderator, topic=topic)


# --- Moving -----------------------------------------------------------------------------------------


def test_moving_a_topic_recounts_both_categories(topic, reply, category, other_category, moderator):
    moderation.move_topic(actor=moderator, topic=topic, category=other_category, reason="Belongs there")

    topic.refresh_from_db()
    assert topic.category == other_category
    category.refresh_from_db()
    other_category.refresh_from_db()
    assert (category.topic_count, category.post_count, category.last_topic) == (0, 0, None)
    assert (other_category.topic_count, other_category.post_count, other_category.last_topic) == (1, 2, topic)
    assert SearchEntry.objects.get(kind="post", object_id=reply.pk).scope == f"category:{other_category.pk}"
    entry = last_entry()
    assert entry.action == "topic.move"
    assert entry.before == {"category": category.pk, "category_name": "Well-being at work"}
    assert entry.after == {"category": other_category.pk, "category_name": "Tools and methods"}
    assert recount_fixes(topic) == []


def test_a_topic_moves_only_to_another_category_of_its_network(topic, category, moderator):
    elsewhere = CategoryFactory()

    with pytest.raises(ValidationError) as refused:
        moderation.move_topic(actor=moderator, topic=topic, category=elsewhere)
    assert refused.value.message_dict == {"category": ["Choose a category of this network."]}
    with pytest.raises(ValidationError) as refused:
        moderation.move_topic(actor=moderator, topic=topic, category=category)
    assert refused.value.message_dict == {"category": ["The topic is already in this category."]}

    topic.refresh_from_db()
    assert topic.category == category
    assert not AuditEntry.objects.exists()


# --- Merging ----------------------------------------------------------------------------------------


def test_merging_appends_the_posts_in_order_and_keeps_replies_linked(
    topic, reply, member, champion, moderator, other_category
):
    source = TopicFactory(category=other_category, author=champion, title="Same question, asked again")
    first = PostFactory(topic=source, author=member, body="First answer")
    answer = forum.post_reply(author=champion, topic=source, body="Answer to the first", reply_to_id=first.pk)
    TopicWatch.objects.create(user=moderator, topic=source, level=WatchLevel.WATCHING)

    merged = moderation.merge_topics(actor=moderator, source=source, target=topic, reason="Duplicate")

    assert merged == topic
    numbers = list(Post.objects.filter(topic=topic).order_by("number").values_list("number", "body"))
    assert numbers == [
        (1, "Our team tried flexible hours for a year; here is what we learned."),
        (2, "A reply with *words* of its own."),
        (3, "Here is what worked for us."),
        (4, "First answer"),
        (5, "Answer to the first"),
    ]
    answer.refresh_from_db()
    assert answer.reply_to.number == 4
    assert answer.reply_to.topic_id == topic.pk
    source.refresh_from_db()
    assert source.is_deleted
    assert not Post.objects.filter(topic=source).exists()
    assert TopicWatch.objects.filter(topic=topic, user=moderator).exists()
    assert counters(topic) == {"topic": (5, 4), "category": (1, 5)}
    other_category.refresh_from_db()
    assert (other_category.topic_count, other_category.post_count) == (0, 0)
    assert recount_fixes(topic) == []
    assert not indexed("topic", source.pk)
    assert SearchEntry.objects.get(kind="post", object_id=first.pk).scope == f"category:{topic.category_id}"
    entry = last_entry()
    assert (entry.action, entry.target_id, entry.reason) == ("topic.merge", source.pk, "Duplicate")
    assert entry.before == {"topic": source.pk, "title": "Same question, asked again", "posts": 3}
    assert entry.after == {"into": topic.pk, "into_title": topic.title, "numbers": [3, 5]}
    assert selectors.merged_into(source) == topic


def test_merging_is_refused_into_itself_another_network_or_a_deleted_topic(topic, moderator, member):
    foreign = TopicFactory()
    gone = TopicFactory(category=topic.category, author=member)
    forum.delete_post(actor=member, post=gone.posts.get(number=1))

    for target, message in (
        (topic, "A topic cannot be merged into itself."),
        (foreign, "Choose a topic of this network."),
        (gone, "That topic was deleted."),
    ):
        with pytest.raises(ValidationError) as refused:
            moderation.merge_topics(actor=moderator, source=topic, target=target)
        assert refused.value.message_dict == {"target": [message]}
    with pytest.raises(ValidationError, match=r"This topic was deleted\."):
        moderation.merge_topics(actor=moderator, source=gone, target=topic)

    assert topic.posts.count() == 1
    assert not AuditEntry.objects.exists()


def test_a_topic_never_merged_leads_nowhere(topic, member):
    assert selectors.merged_into(topic) is None
    forum.delete_post(actor=member, post=topic.posts.get(number=1))
    topic.refresh_from_db()

    assert selectors.merged_into(topic) is None


# --- Splitting --------------------------------------------------------------------------------------


def test_splitting_numbers_the_new_topic_from_one(topic, member, champion, moderator, other_category):
    posts = [
        PostFactory(topic=topic, author=champion if n % 2 else member, body=f"Reply {n}") for n in range(2, 7)
    ]
    # Post 6 answers post 4 (both move), post 5 answers post 2 (which stays).
    late = forum.post_reply(author=member, topic=topic, body="Reply 7", reply_to_id=posts[2].pk)
    stays_linked = posts[3]
    Post.objects.filter(pk=stays_linked.pk).update(reply_to=posts[0])
    forum.accept_answer(actor=member, topic=topic, post=posts[2])

    new = moderation.split_posts(
        actor=moderator,
        topic=topic,
        numbers=[7, 4, 5],
        title="Rosters, a topic of its own",
        category=other_category,
    )

    assert new.category == other_category
    assert new.author == posts[2].author
    assert list(new.posts.order_by("number").values_list("number", "body")) == [
        (1, "Reply 4"),
        (2, "Reply 5"),
        (3, "Reply 7"),
    ]
    late.refresh_from_db()
    stays_linked.refresh_from_db()
    assert late.reply_to_id == posts[2].pk  # both moved: the link holds
    assert stays_linked.reply_to is None  # its post stayed behind
    topic.refresh_from_db()
    assert topic.accepted_post is None
    assert list(topic.posts.order_by("number").values_list("number", flat=True)) == [1, 2, 3, 6]
    assert counters(topic) == {"topic": (6, 3), "category": (1, 4)}
    assert counters(new) == {"topic": (3, 2), "category": (1, 3)}
    assert recount_fixes(topic, new) == []
    assert indexed("topic", new.pk)
    assert not indexed("post", posts[2].pk)
    assert TopicWatch.objects.filter(topic=new, user=member, level=WatchLevel.WATCHING).exists()
    entry = last_entry()
    assert (entry.action, entry.target_id) == ("topic.split", topic.pk)
    assert entry.before == {"topic": topic.pk, "numbers": [4, 5, 7]}
    assert entry.after == {
        "into": new.pk,
        "into_title": "Rosters, a topic of its own",
        "category": other_category.pk,
    }


@pytest.mark.parametrize(
    ("numbers", "title", "field", "message"),
    [
        ([], "A fine title", "numbers", "Choose the posts to move."),
        ([1, 2], "A fine title", "numbers", "The opening post stays with its topic."),
        ([2, 99], "A fine title", "numbers", "Choose posts of this topic."),
        ([2], "", "title", "Give the topic a title."),
    ],
)
def test_splitting_bad_input_is_refused_by_field(
    topic, reply, moderator, category, numbers, title, field, message
):
    with pytest.raises(ValidationError) as refused:
        moderation.split_posts(actor=moderator, topic=topic, numbers=numbers, title=title, category=category)

    assert field in refused.value.message_dict
    assert message in " ".join(refused.value.message_dict[field])
    assert Topic.objects.count() == 1
    assert not AuditEntry.objects.exists()


def test_splitting_refuses_deleted_posts_a_hidden_opening_and_other_networks(
    topic, reply, champion, moderator, category
):
    second = PostFactory(topic=topic, author=champion)
    forum.delete_post(actor=champion, post=second)
    moderation.hide_post(actor=moderator, post=reply, reason="Spam")

    with pytest.raises(ValidationError, match="Post #3 was deleted"):
        moderation.split_posts(
            actor=moderator, topic=topic, numbers=[3], title="A fine title", category=category
        )
    with pytest.raises(ValidationError, match="Post #2 would open the new topic"):
        moderation.split_posts(
            actor=moderator, topic=topic, numbers=[2], title="A fine title", category=category
        )
    with pytest.raises(ValidationError, match=r"Choose a category of this network\."):
        moderation.split_posts(
            actor=moderator, topic=topic, numbers=[2], title="A fine title", category=CategoryFactory()
        )


# --- First-post approval as the forum shows it ------------------------------------------------------


def test_a_newcomers_reply_is_held_hidden_uncounted_and_unindexed(topic, newcomer):
    before = counters(topic)

    held = forum.post_reply(author=newcomer, topic=topic, body="My first words here")

    assert held.is_hidden
    assert held.awaiting_approval
    assert held.number == 2
    assert counters(topic) == {**before, "topic": (2, 0)}
    assert not indexed("post", held.pk)
    assert QueueItem.objects.filter(kind=QueueItem.Kind.APPROVAL, target_id=held.pk).exists()
    assert recount_fixes(topic) == []


def test_a_newcomers_topic_is_held_with_its_opening_post(category, newcomer):
    held = forum.start_topic(author=newcomer, category=category, title="Hello from the coast", body="Hi all")

    assert held.is_hidden
    assert held.awaiting_approval
    opening = held.posts.get()
    assert opening.is_hidden
    assert opening.awaiting_approval
    category.refresh_from_db()
    assert (category.topic_count, category.post_count) == (0, 0)
    assert not indexed("topic", held.pk)
    assert TopicWatch.objects.filter(topic=held, user=newcomer).exists()


def test_approving_a_held_topic_lists_it(category, newcomer):
    held = forum.start_topic(author=newcomer, category=category, title="Hello from the coast", body="Hi all")

    forum.set_post_visibility(post=held.posts.get(), visible=True)

    held.refresh_from_db()
    assert not held.is_hidden
    assert not held.awaiting_approval
    category.refresh_from_db()
    assert (category.topic_count, category.post_count, category.last_topic) == (1, 1, held)
    assert indexed("topic", held.pk)


def test_hiding_a_held_post_turns_it_down_and_restoring_it_is_for_the_queue(topic, newcomer, moderator):
    held = forum.post_reply(author=newcomer, topic=topic, body="Buy cheap watches")

    with pytest.raises(ValidationError, match="approve it from the review queue"):
        moderation.restore_post(actor=moderator, post=held)
    moderation.hide_post(actor=moderator, post=held, reason="Advertising")

    held.refresh_from_db()
    assert held.is_hidden
    assert not held.awaiting_approval
    assert held.hidden_reason == "Advertising"
    assert not QueueItem.objects.filter(target_id=held.pk, state=QueueItem.State.OPEN).exists()
