"""The forum's services: what each stores, counts, indexes and refuses. What they announce is in
test_topic_events.py."""

import pytest
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError

from forums.models import (
    Category,
    CategoryWatch,
    Post,
    PostMention,
    PostReaction,
    PostRevision,
    Topic,
    TopicReadState,
    TopicWatch,
    WatchLevel,
)
from forums.services import topics as services
from network.models import Membership
from search.models import SearchEntry
from search.selectors import scope_choices, search
from tests.factories import CategoryFactory, MembershipFactory, PostFactory, TopicFactory

pytestmark = pytest.mark.django_db


def reply(author, topic: Topic, body: str = "We tried the same in our port team.", **kwargs) -> Post:
    return services.post_reply(author=author, topic=topic, body=body, **kwargs)


def start(
    author, category: Category, title: str = "Hybrid rosters at land borders", body: str = "How?"
) -> Topic:
    return services.start_topic(author=author, category=category, title=title, body=body)


def fresh(row):
    row.refresh_from_db()
    return row


# --- Categories -------------------------------------------------------------------------------------


def test_an_admin_adds_categories_after_the_others_with_free_addresses(network, admin):
    first = services.create_category(
        actor=admin, network=network, name="Hybrid work", description=" Set-ups "
    )
    second = services.create_category(
        actor=admin,
        network=network,
        name="Hybrid work!",
        start_policy=Category.StartPolicy.MODERATORS,
    )

    assert (first.slug, first.description, first.position) == ("hybrid-work", "Set-ups", 0)
    assert (second.slug, second.position, second.start_policy) == ("hybrid-work-2", 1, "moderators")


@pytest.mark.parametrize(
    ("name", "policy", "code"),
    [
        ("   ", "members", "required"),
        ("WELL-BEING at work", "members", "taken"),
        ("Events", "all", "invalid_policy"),
    ],
)
def test_a_category_needs_a_name_of_its_own_and_a_known_policy(network, admin, category, name, policy, code):
    with pytest.raises(ValidationError) as refused:
        services.create_category(actor=admin, network=network, name=name, start_policy=policy)
    assert refused.value.code == code
    assert Category.objects.filter(network=network).count() == 1


@pytest.mark.parametrize("persona", ["member", "champion", "moderator", "outsider"])
def test_only_admins_add_or_change_categories(request, network, category, persona):
    user = request.getfixturevalue(persona)
    with pytest.raises(PermissionDenied, match="admins"):
        services.create_category(actor=user, network=network, name="Wellbeing")
    with pytest.raises(PermissionDenied, match="admins"):
        services.update_category(
            actor=user, category=category, name="X", description="", start_policy="members"
        )


def test_updating_a_category_keeps_its_address(network, admin, category):
    updated = services.update_category(
        actor=admin,
        category=category,
        name="Well-being and health",
        description="Stress, shifts, rest.",
        start_policy=Category.StartPolicy.MODERATORS,
    )

    assert (fresh(updated).name, updated.slug, updated.start_policy) == (
        "Well-being and health",
        "well-being",
        "moderators",
    )


def test_a_category_keeps_its_own_name_but_cannot_take_anothers(network, admin, category):
    other = CategoryFactory(network=network, name="Workplace design")
    services.update_category(
        actor=admin, category=category, name="well-being AT work", description="", start_policy="members"
    )
    with pytest.raises(ValidationError, match="already has a category"):
        services.update_category(
            actor=admin, category=other, name="Well-being at work", description="", start_policy="members"
        )


# --- Starting topics --------------------------------------------------------------------------------


def test_starting_a_topic_stores_its_opening_post_counts_it_and_watches_it(category, member):
    topic = start(member, category, title="  Hybrid   rosters at land borders ", body="What **works**?")

    opening = topic.posts.get()
    category.refresh_from_db()
    assert (topic.title, topic.slug, topic.network, topic.author) == (
        "Hybrid rosters at land borders",
        "hybrid-rosters-at-land-borders",
        category.network,
        member,
    )
    assert (opening.number, opening.author, opening.body_html) == (
        1,
        member,
        "<p>What <strong>works</strong>?</p>\n",
    )
    assert (topic.highest_post_number, topic.reply_count, topic.last_poster) == (1, 0, member)
    assert topic.last_activity_at == opening.created_at
    assert (category.topic_count, category.post_count, category.last_topic, category.last_activity_at) == (
        1,
        1,
        topic,
        opening.created_at,
    )
    assert TopicWatch.objects.get(user=member, topic=topic).level == WatchLevel.WATCHING


def test_a_title_that_gives_no_address_still_gets_one(category, member):
    assert start(member, category, title="¿¿¿¿ !!!!").slug == "topic"
    assert start(member, category, title="Égalité des genres").slug == "égalité-des-genres"


@pytest.mark.parametrize(
    ("title", "body", "code", "says"),
    [
        ("", "Body", "empty", "Give the topic a title."),
        ("Hey", "Body", "too_short", "at least 5 characters"),
        ("x" * 201, "Body", "too_long", "at most 200 characters"),
        ("A good title", "  \n ", "empty", "Write something before posting."),
        ("A good title", "x" * 100_000, "too_long", "at most 32,000 characters long; this one has 100,000"),
    ],
)
def test_bad_titles_and_bodies_are_refused_and_nothing_is_stored(category, member, title, body, code, says):
    with pytest.raises(ValidationError) as refused:
        start(member, category, title=title, body=body)

    assert refused.value.code == code
    assert says in refused.value.messages[0]
    assert not Topic.objects.exists()
    assert fresh(category).topic_count == 0


def test_a_post_of_exactly_the_limit_is_accepted(category, member, settings):
    assert start(member, category, body="x" * settings.FORUM_POST_MAX_LENGTH).posts.get().body == "x" * 32000


def test_only_moderators_start_topics_in_announcements(announcements, member, moderator):
    with pytest.raises(PermissionDenied, match="moderators"):
        start(member, announcements)
    assert start(moderator, announcements).category == announcements


def test_people_outside_a_network_start_no_topic(category, outsider):
    with pytest.raises(PermissionDenied, match="Only members"):
        start(outsider, category)


def test_a_site_operator_starts_topics_without_a_membership(category, superuser):
    assert start(superuser, category).author == superuser


# --- Rate limit -------------------------------------------------------------------------------------


def test_posting_past_the_allowance_is_refused_and_not_stored(category, topic, member, champion, settings):
    settings.FORUM_POST_RATE_LIMIT = (2, 60)
    start(champion, category)
    reply(champion, topic)

    with pytest.raises(services.ForumRateLimited, match="posting too fast"):
        reply(champion, topic)
    with pytest.raises(services.ForumRateLimited):
        start(champion, category)

    assert Post.objects.filter(author=champion).count() == 2
    assert reply(member, topic).number == 3  # each member has their own allowance


def test_the_allowance_is_counted_per_network(category, champion, settings):
    settings.FORUM_POST_RATE_LIMIT = (1, 60)
    elsewhere = CategoryFactory()
    MembershipFactory(network=elsewhere.network, user=champion)
    start(champion, category)

    assert start(champion, elsewhere).category == elsewhere


def test_refused_posts_do_not_count_against_the_allowance(topic, champion, settings):
    settings.FORUM_POST_RATE_LIMIT = (1, 60)
    with pytest.raises(ValidationError):
        reply(champion, topic, body="")
    assert reply(champion, topic).number == 2


def test_the_limit_can_be_turned_off(topic, champion, no_forum_rate_limit):
    assert [reply(champion, topic).number for _ in range(12)][-1] == 13


# --- Replies ----------------------------------------------------------------------------------------


def test_replies_take_the_next_numbers_and_are_counted(category, topic, champion, moderator):
    first = reply(champion, topic)
    second = reply(moderator, topic, reply_to_id=first.pk)

    topic.refresh_from_db()
    category.refresh_from_db()
    assert (first.number, second.number, second.reply_to) == (2, 3, first)
    assert (topic.highest_post_number, topic.reply_count, topic.last_poster) == (3, 2, moderator)
    assert topic.last_activity_at == second.created_at
    assert (category.post_count, category.topic_count, category.last_activity_at) == (3, 1, second.created_at)


def test_replying_watches_the_topic_unless_the_member_chose_a_level(topic, champion, moderator):
    services.watch_topic(user=moderator, topic=topic, level=WatchLevel.MUTED)
    reply(champion, topic)
    reply(moderator, topic)

    assert TopicWatch.objects.get(user=champion, topic=topic).level == WatchLevel.WATCHING
    assert TopicWatch.objects.get(user=moderator, topic=topic).level == WatchLevel.MUTED


def test_a_reply_must_answer_a_post_of_the_same_topic(category, topic, champion):
    elsewhere = TopicFactory(category=category).posts.get()
    with pytest.raises(ValidationError, match="a post of this topic") as refused:
        reply(champion, topic, reply_to_id=elsewhere.pk)
    assert refused.value.code == "reply_elsewhere"
    with pytest.raises(ValidationError):
        reply(champion, topic, reply_to_id=10**9)


def test_a_deleted_post_cannot_be_answered(topic, member, champion):
    answered = reply(member, topic)
    services.delete_post(actor=member, post=answered)

    with pytest.raises(ValidationError) as refused:
        reply(champion, topic, reply_to_id=answered.pk)
    assert refused.value.code == "reply_deleted"
    assert fresh(topic).highest_post_number == 2


def test_a_locked_topic_takes_no_member_reply_even_from_a_page_loaded_before(topic, champion, moderator):
    loaded_before = Topic.objects.get(pk=topic.pk)
    services.set_topic_locked(actor=moderator, topic=topic, locked=True)

    with pytest.raises(PermissionDenied, match="locked"):
        reply(champion, loaded_before)
    assert reply(moderator, loaded_before).number == 2


def test_nobody_replies_to_a_deleted_topic(topic, member, moderator):
    services.delete_post(actor=member, post=topic.posts.get())
    with pytest.raises(PermissionDenied, match="deleted"):
        reply(moderator, topic)


def test_mentions_link_to_profiles_and_are_recorded_for_members_only(topic, member, champion, outsider):
    post = reply(member, topic, body=f"Thanks @{champion.username} and @{outsider.username}!")

    assert f'href="/people/{champion.username}/"' in post.body_html
    assert list(PostMention.objects.filter(post=post).values_list("user", flat=True)) == [champion.pk]


# --- Editing and renaming ---------------------------------------------------------------------------


def test_editing_keeps_the_earlier_text(topic, member):
    post = reply(member, topic, body="First draft")
    services.edit_post(actor=member, post=post, body="Second *draft*")
    services.edit_post(actor=member, post=post, body="Third")

    post.refresh_from_db()
    revisions = list(PostRevision.objects.filter(post=post))
    assert (post.body, post.body_html) == ("Third", "<p>Third</p>\n")
    assert post.edited_at is not None
    assert [r.body for r in revisions] == ["First draft", "Second *draft*"]
    assert revisions[0].created_at == post.created_at


def test_an_edit_that_changes_nothing_keeps_no_revision(topic, member):
    post = reply(member, topic, body="Same")
    services.edit_post(actor=member, post=post, body="  Same  ")
    assert not PostRevision.objects.exists()
    assert fresh(post).edited_at is None


def test_only_the_author_edits_and_only_with_a_valid_text(topic, member, moderator):
    post = reply(member, topic)
    with pytest.raises(PermissionDenied, match="Only its author"):
        services.edit_post(actor=moderator, post=post, body="Moderated")
    with pytest.raises(ValidationError, match="Write something"):
        services.edit_post(actor=member, post=post, body="")


def test_authors_do_not_edit_in_a_topic_locked_since(topic, member, moderator):
    post = reply(member, topic)
    services.set_topic_locked(actor=moderator, topic=topic, locked=True)
    with pytest.raises(PermissionDenied, match="locked"):
        services.edit_post(actor=member, post=post, body="Too late")


def test_renaming_changes_title_and_address(topic, member):
    renamed = services.rename_topic(actor=member, topic=topic, title="Flexible hours: one year on")
    assert (fresh(renamed).title, renamed.slug) == (
        "Flexible hours: one year on",
        "flexible-hours-one-year-on",
    )


def test_a_topic_is_renamed_by_its_author_or_a_moderator_to_a_valid_title(topic, champion, moderator):
    with pytest.raises(PermissionDenied, match="Only its author"):
        services.rename_topic(actor=champion, topic=topic, title="Mine now")
    with pytest.raises(ValidationError):
        services.rename_topic(actor=moderator, topic=topic, title="Hi")
    assert (
        services.rename_topic(actor=moderator, topic=topic, title="Flexible hours").title == "Flexible hours"
    )


# --- Deleting ---------------------------------------------------------------------------------------


def test_deleting_a_reply_recounts_its_topic_and_category(category, topic, member, champion):
    kept = reply(member, topic)
    last = reply(champion, topic)

    services.delete_post(actor=champion, post=last)

    topic.refresh_from_db()
    category.refresh_from_db()
    assert fresh(last).deleted_at is not None
    assert (topic.reply_count, topic.highest_post_number, topic.last_poster) == (1, 3, member)
    assert topic.last_activity_at == kept.created_at
    assert (category.post_count, category.last_activity_at) == (2, kept.created_at)
    assert reply(member, topic).number == 4  # numbers are never given again


def test_deleting_the_opening_post_deletes_the_topic(category, topic, member, champion):
    reply(champion, topic)
    other = TopicFactory(category=category)
    services.delete_post(actor=member, post=topic.posts.get(number=1))

    topic.refresh_from_db()
    category.refresh_from_db()
    assert topic.deleted_at is not None
    assert (category.topic_count, category.post_count, category.last_topic) == (1, 1, other)
    assert category.last_activity_at == other.last_activity_at


def test_deleting_the_only_topic_empties_its_category(category, topic, member):
    services.delete_post(actor=member, post=topic.posts.get())
    category.refresh_from_db()
    assert (category.topic_count, category.post_count, category.last_topic, category.last_activity_at) == (
        0,
        0,
        None,
        None,
    )


def test_deleting_the_accepted_answer_clears_it(topic, member, champion):
    answer = reply(champion, topic)
    services.accept_answer(actor=member, topic=topic, post=answer)
    services.delete_post(actor=champion, post=answer)
    assert fresh(topic).accepted_post is None


def test_moderators_delete_anyones_posts_members_only_their_own(topic, member, champion, moderator):
    post = reply(member, topic)
    with pytest.raises(PermissionDenied, match="Only its author or the network's moderators"):
        services.delete_post(actor=champion, post=post)
    services.delete_post(actor=moderator, post=post)
    with pytest.raises(PermissionDenied, match="already deleted"):
        services.delete_post(actor=member, post=post)


# --- Reactions --------------------------------------------------------------------------------------


def test_reactions_are_one_of_each_kind_per_member_and_counted(topic, member, champion):
    post = topic.posts.get()
    services.react_to_post(user=member, post=post, kind="🎉")
    services.react_to_post(user=member, post=post, kind="🎉")
    services.react_to_post(user=champion, post=post, kind="🎉")
    services.react_to_post(user=champion, post=post, kind="👍")
    counts = services.react_to_post(user=member, post=post, kind="🎉", on=False)

    assert counts == [{"kind": "👍", "count": 1}, {"kind": "🎉", "count": 1}]
    assert PostReaction.objects.filter(post=post).count() == 2
    assert services.react_to_post(user=member, post=post, kind="💡", on=False) == counts


def test_only_the_offered_reactions_on_posts_still_there(topic, member, champion):
    post = reply(member, topic)
    with pytest.raises(ValidationError, match=r"Choose one of the reactions offered\."):
        services.react_to_post(user=champion, post=post, kind="🦆")
    services.delete_post(actor=member, post=post)
    with pytest.raises(PermissionDenied, match="deleted"):
        services.react_to_post(user=champion, post=post, kind="👍")


def test_no_reactions_from_outside_the_network_or_in_a_locked_topic(topic, outsider, champion, moderator):
    post = topic.posts.get()
    with pytest.raises(PermissionDenied):
        services.react_to_post(user=outsider, post=post, kind="👍")
    services.set_topic_locked(actor=moderator, topic=topic, locked=True)
    with pytest.raises(PermissionDenied, match="locked"):
        services.react_to_post(user=champion, post=post, kind="👍")


# --- Answers, pins, locks ---------------------------------------------------------------------------


def test_the_topics_author_chooses_and_clears_its_answer(topic, member, champion):
    answer = reply(champion, topic)

    assert services.accept_answer(actor=member, topic=topic, post=answer).accepted_post == answer
    assert services.accept_answer(actor=member, topic=topic, post=None).accepted_post is None
    assert fresh(topic).accepted_post is None


@pytest.mark.parametrize("which", ["opening", "elsewhere"])
def test_only_a_reply_of_the_topic_is_its_answer(category, topic, member, which):
    post = topic.posts.get() if which == "opening" else PostFactory(topic=TopicFactory(category=category))
    with pytest.raises(ValidationError) as refused:
        services.accept_answer(actor=member, topic=topic, post=post)
    assert refused.value.code == "accept_elsewhere"


def test_a_deleted_reply_is_not_the_answer(topic, member, champion):
    answer = reply(champion, topic)
    services.delete_post(actor=champion, post=answer)
    with pytest.raises(ValidationError) as refused:
        services.accept_answer(actor=member, topic=topic, post=answer)
    assert refused.value.code == "accept_deleted"


def test_other_members_do_not_choose_the_answer_moderators_do(topic, champion, moderator):
    answer = reply(champion, topic)
    with pytest.raises(PermissionDenied, match="Only the topic's author"):
        services.accept_answer(actor=champion, topic=topic, post=answer)
    assert services.accept_answer(actor=moderator, topic=topic, post=answer).accepted_post == answer


def test_moderators_pin_and_lock_members_do_not(topic, member, moderator):
    services.set_topic_pinned(actor=moderator, topic=topic, pinned=True)
    services.set_topic_locked(actor=moderator, topic=topic, locked=True)
    assert (fresh(topic).is_pinned, topic.is_locked) == (True, True)

    for change in (services.set_topic_pinned, services.set_topic_locked):
        with pytest.raises(PermissionDenied, match="moderators"):
            change(
                actor=member,
                topic=topic,
                **{"pinned" if change is services.set_topic_pinned else "locked": False},
            )
    services.set_topic_locked(actor=moderator, topic=topic, locked=False)
    assert not fresh(topic).is_locked


# --- Watching, reading, views -----------------------------------------------------------------------


def test_watch_levels_are_set_and_changed(topic, category, champion):
    services.watch_topic(user=champion, topic=topic, level=WatchLevel.WATCHING)
    services.watch_topic(user=champion, topic=topic, level=WatchLevel.MUTED)
    services.watch_category(user=champion, category=category, level=WatchLevel.WATCHING)

    assert TopicWatch.objects.get(user=champion).level == WatchLevel.MUTED
    assert CategoryWatch.objects.get(user=champion).level == WatchLevel.WATCHING


def test_watching_is_for_those_who_read_with_a_known_level(members_only, topic, category, outsider, champion):
    with pytest.raises(ValidationError, match="levels offered"):
        services.watch_topic(user=champion, topic=topic, level="loud")
    with pytest.raises(PermissionDenied):
        services.watch_topic(user=outsider, topic=topic, level=WatchLevel.WATCHING)
    with pytest.raises(PermissionDenied):
        services.watch_category(user=outsider, category=category, level=WatchLevel.WATCHING)
    assert not TopicWatch.objects.filter(user__in=[outsider, champion]).exists()


def test_a_visitor_of_a_public_forum_may_watch_it(topic, outsider):
    assert services.watch_topic(user=outsider, topic=topic, level=WatchLevel.WATCHING).level == "watching"


def test_read_position_only_moves_forward_and_never_past_the_last_post(
    topic, member, champion, no_forum_rate_limit
):
    for _ in range(4):
        reply(member, topic)
    topic.refresh_from_db()

    assert services.mark_topic_read(user=champion, topic=topic, number=3) == 3
    assert services.mark_topic_read(user=champion, topic=topic, number=2) == 3
    assert services.mark_topic_read(user=champion, topic=topic, number=99) == 5
    assert TopicReadState.objects.get(user=champion, topic=topic).last_read_number == 5


def test_only_readers_mark_a_topic_read(members_only, topic, outsider):
    with pytest.raises(PermissionDenied):
        services.mark_topic_read(user=outsider, topic=topic, number=1)


def test_a_view_counts_once_per_viewer_within_the_window(topic):
    counted = [
        services.record_topic_view(topic=topic, viewer_key="user:1"),
        services.record_topic_view(topic=topic, viewer_key="user:1"),
        services.record_topic_view(topic=topic, viewer_key="ip:203.0.113.9"),
    ]

    assert counted == [True, False, True]
    assert fresh(topic).view_count == 2


def test_a_view_counts_again_once_the_window_is_over(topic):
    services.record_topic_view(topic=topic, viewer_key="user:1")
    cache.clear()
    assert services.record_topic_view(topic=topic, viewer_key="user:1")
    assert fresh(topic).view_count == 2


# --- Search index -----------------------------------------------------------------------------------


def entries() -> dict[tuple[str, int], SearchEntry]:
    return {(entry.kind, entry.object_id): entry for entry in SearchEntry.objects.all()}


def test_a_topic_and_its_replies_are_indexed_as_they_are_written(category, member, champion):
    topic = start(member, category, title="Hybrid rosters", body="Rotating **weekly** shifts")
    post = reply(champion, topic, body="Fortnightly works *better* for us")

    found = entries()
    topic_entry, post_entry = found[("topic", topic.pk)], found[("post", post.pk)]
    assert (topic_entry.title, topic_entry.text, topic_entry.title_searchable) == (
        "Hybrid rosters",
        "Rotating weekly shifts",
        True,
    )
    assert (topic_entry.network_id, topic_entry.scope, topic_entry.url) == (
        category.network_id,
        f"category:{category.pk}",
        topic.get_absolute_url(),
    )
    assert (post_entry.title, post_entry.text, post_entry.title_searchable, post_entry.author) == (
        "Hybrid rosters",
        "Fortnightly works better for us",
        False,
        champion,
    )
    assert post_entry.url == post.get_absolute_url()


def test_edits_and_renames_reach_the_index(topic, member, champion):
    post = reply(champion, topic)
    services.edit_post(actor=member, post=topic.posts.get(number=1), body="Flexible hours, revisited")
    services.edit_post(actor=champion, post=post, body="Staggered starts")
    services.rename_topic(actor=member, topic=topic, title="Flexible hours after a year")

    found = entries()
    assert (found[("topic", topic.pk)].title, found[("topic", topic.pk)].text) == (
        "Flexible hours after a year",
        "Flexible hours, revisited",
    )
    assert (found[("post", post.pk)].title, found[("post", post.pk)].text) == (
        "Flexible hours after a year",
        "Staggered starts",
    )
    assert "flexible-hours-after-a-year" in found[("topic", topic.pk)].url


def test_deleted_posts_and_topics_leave_the_index(topic, member, champion):
    kept, deleted = reply(champion, topic), reply(champion, topic)
    services.delete_post(actor=champion, post=deleted)
    assert set(entries()) == {("topic", topic.pk), ("post", kept.pk)}

    services.delete_post(actor=member, post=topic.posts.get(number=1))
    assert entries() == {}


def test_search_shows_forum_entries_only_to_those_who_read_the_forum(members_only, topic, member, outsider):
    reply(member, topic, body="Staggered starts reduce queues")

    assert len(search(member, query="staggered").results) == 1
    assert search(outsider, query="staggered").results == []
    assert [r.kind.name for r in search(member, query="flexible hours").results] == ["topic"]


def test_search_scopes_are_the_networks_categories(network, category, announcements):
    assert scope_choices(network) == [
        (f"category:{category.pk}", category.name),
        (f"category:{announcements.pk}", announcements.name),
    ]


def test_a_member_who_left_a_members_only_network_no_longer_finds_its_topics(members_only, topic, champion):
    assert len(search(champion, query="flexible").results) == 1
    Membership.objects.filter(user=champion).update(state=Membership.State.LEFT)
    assert search(champion, query="flexible").results == []
