"""The reads behind the forum pages: what each viewer is shown, unread counts, quotes, and a fixed
number of queries whatever the number of topics or posts. The `topic` fixture was started by `member`."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.paginator import EmptyPage
from django.utils import timezone

from forums.models import PostReaction, Topic, TopicReadState, TopicWatch, WatchLevel
from forums.selectors import topics as selectors
from forums.services import topics as services
from network.models import Membership
from network.permissions import active_membership
from profiles.models import Profile, Visibility
from realtime.services import append_event
from tests.factories import CategoryFactory, MembershipFactory, PostFactory, TopicFactory, UserFactory

pytestmark = pytest.mark.django_db


def read_topic(viewer, topic: Topic) -> Topic:
    found = selectors.topic_for_reading(viewer=viewer, network_slug=topic.network.slug, topic_id=topic.pk)
    assert found is not None
    return found


def topic_page(viewer, topic: Topic, page: int = 1) -> selectors.TopicPage:
    loaded = read_topic(viewer, topic)
    membership = active_membership(viewer, topic.network)
    return selectors.topic_page(viewer=viewer, topic=loaded, membership=membership, page_number=page)


def category_page(viewer, category, page: int = 1) -> selectors.CategoryPage:
    membership = active_membership(viewer, category.network)
    return selectors.category_page(viewer=viewer, category=category, membership=membership, page_number=page)


def row_of(page: selectors.CategoryPage, topic: Topic) -> selectors.TopicRow:
    return next(row for row in page.rows if row.id == topic.pk)


# --- Quotes -----------------------------------------------------------------------------------------


def test_an_excerpt_leaves_out_what_the_post_quoted_itself():
    html = "<blockquote><p>Theirs <blockquote><p>deeper</p></blockquote> still theirs</p></blockquote><p>Mine, &amp; only mine.</p>"

    assert selectors.quote_excerpt(html) == "Mine, & only mine."


def test_an_excerpt_is_cut_at_a_word_boundary_of_its_length():
    excerpt = selectors.quote_excerpt("<p>" + "word " * 100 + "</p>")

    assert len(excerpt) <= selectors.QUOTE_EXCERPT_CHARACTERS
    assert excerpt.endswith("…")


def test_a_quote_reply_starts_with_the_post_without_what_it_quoted(topic, champion):
    post = PostFactory(
        topic=topic, author=champion, body="> their words\n> more of theirs\n\nMy answer.\nSecond line."
    )

    source = selectors.quote_source(post)

    assert source.startswith(f"> **{champion}** wrote in [#2]({post.get_absolute_url()}):\n>\n")
    assert "> My answer.\n> Second line.\n\n" in source
    assert "their words" not in source


@pytest.mark.parametrize(("number", "page"), [(1, 1), (20, 1), (21, 2), (100, 5)])
def test_the_page_of_a_post_follows_from_its_number(settings, number, page):
    settings.FORUM_POSTS_PER_PAGE = 20

    assert selectors.page_of_number(number) == page


# --- A topic ----------------------------------------------------------------------------------------


def test_a_topic_is_read_with_the_viewers_state_in_one_query(django_assert_num_queries, topic, member):
    TopicReadState.objects.create(user=member, topic=topic, last_read_number=1)
    TopicWatch.objects.create(user=member, topic=topic, level=WatchLevel.MUTED)
    append_event(stream=f"topic:{topic.pk}", kind="post.created", data={})
    slug = topic.network.slug

    with django_assert_num_queries(1):
        found = selectors.topic_for_reading(viewer=member, network_slug=slug, topic_id=topic.pk)
        assert found is not None
        membership = selectors.viewer_membership(found)
        assert found.category.network.slug == topic.network.slug

    assert found.last_read_number == 1
    assert found.watch_level == WatchLevel.MUTED
    assert found.stream_seq == 1
    assert membership is not None
    assert membership.role == Membership.Role.MEMBER


def test_a_topic_read_by_someone_without_state_or_membership(topic, outsider):
    found = read_topic(outsider, topic)

    assert found.last_read_number is None
    assert found.watch_level is None
    assert found.stream_seq == 0
    assert selectors.viewer_membership(found) is None
    assert selectors.viewer_membership(read_topic(AnonymousUser(), topic)) is None


def test_a_topic_is_only_found_under_its_own_network(topic, member):
    assert selectors.topic_for_reading(viewer=member, network_slug="elsewhere", topic_id=topic.pk) is None


def test_a_topic_page_holds_its_numbers_and_raises_past_the_last(topic, champion, settings):
    settings.FORUM_POSTS_PER_PAGE = 3
    for _ in range(4):
        PostFactory(topic=topic, author=champion)

    page = topic_page(champion, topic, page=2)

    assert [view.number for view in page.posts] == [4, 5]
    assert page.is_last_page
    assert page.last_number == 5
    with pytest.raises(EmptyPage):
        topic_page(champion, topic, page=3)


def test_posts_after_the_last_read_one_are_new_unless_the_viewer_wrote_them(topic, member, champion):
    PostFactory(topic=topic, author=champion)
    PostFactory(topic=topic, author=member)
    PostFactory(topic=topic, author=champion)
    TopicReadState.objects.create(user=member, topic=topic, last_read_number=1)

    page = topic_page(member, topic)

    assert [view.is_new for view in page.posts] == [False, True, False, True]
    assert page.first_new_number == 2
    assert not any(view.is_new for view in topic_page(AnonymousUser(), topic).posts)


def test_deleted_posts_are_placeholders_and_hidden_ones_too_except_for_moderators_and_authors(
    topic, member, champion, moderator
):
    deleted = PostFactory(topic=topic, author=champion, deleted_at=timezone.now())
    hidden = PostFactory(topic=topic, author=champion, is_hidden=True)
    PostReaction.objects.create(post=hidden, user=member, kind="👍")

    def placeholders(viewer) -> dict[int, bool]:
        return {view.number: view.is_placeholder for view in topic_page(viewer, topic).posts}

    assert placeholders(member) == {1: False, deleted.number: True, hidden.number: True}
    assert placeholders(champion) == {1: False, deleted.number: True, hidden.number: False}
    assert placeholders(moderator) == {1: False, deleted.number: True, hidden.number: False}
    hidden_view = topic_page(member, topic).posts[2]
    assert hidden_view.reactions == ()
    assert not hidden_view.can_react
    assert not hidden_view.can_reply


def test_a_reply_quotes_the_post_it_answers_or_says_it_is_gone(topic, member, champion):
    answered = PostFactory(topic=topic, author=champion, body="Flexible hours work.")
    gone = PostFactory(topic=topic, author=champion, body="Regretted.", deleted_at=timezone.now())
    PostFactory(topic=topic, author=member, reply_to=answered)
    PostFactory(topic=topic, author=member, reply_to=gone)

    quotes = [view.quote for view in topic_page(member, topic).posts[3:]]

    assert quotes[0] == selectors.Quote(
        number=2, author_name=str(champion), excerpt="Flexible hours work.", is_gone=False, gone_label=""
    )
    assert quotes[1] is not None
    assert quotes[1].is_gone
    assert quotes[1].excerpt == ""
    assert quotes[1].gone_label == "post deleted"


def test_reactions_are_counted_in_order_with_the_viewers_own_marked(topic, member, champion, moderator):
    post = PostFactory(topic=topic, author=champion)
    for user, kind in [(moderator, "💡"), (member, "👍"), (moderator, "👍")]:
        PostReaction.objects.create(post=post, user=user, kind=kind)

    reactions = topic_page(member, topic).posts[1].reactions

    assert [(r.kind, r.count, r.mine) for r in reactions] == [("👍", 2, True), ("💡", 1, False)]
    assert reactions[0].label == "Thumbs up"
    assert [r.mine for r in topic_page(AnonymousUser(), topic).posts[1].reactions] == [False, False]


def test_each_viewer_is_told_what_they_may_do_with_each_post(topic, member, champion, moderator):
    PostFactory(topic=topic, author=champion)

    as_author = topic_page(champion, topic).posts[1]
    assert (as_author.can_edit, as_author.can_delete, as_author.can_accept) == (True, True, False)
    as_topic_author = topic_page(member, topic)
    assert as_topic_author.can_accept
    assert as_topic_author.posts[1].can_accept
    assert not as_topic_author.posts[0].can_accept  # the opening post is never the answer
    assert not as_topic_author.posts[1].can_edit
    as_moderator = topic_page(moderator, topic)
    assert as_moderator.can_moderate
    assert as_moderator.posts[1].can_delete
    as_visitor = topic_page(AnonymousUser(), topic)
    assert as_visitor.reply_refusal == "Log in to take part in the forum."
    assert not as_visitor.posts[1].can_react


def test_a_locked_topic_gives_its_notice_and_refuses_members_only(topic, member, moderator):
    services.set_topic_locked(actor=moderator, topic=topic, locked=True)

    as_member = topic_page(member, topic)
    as_moderator = topic_page(moderator, topic)

    assert as_member.locked_notice == as_member.reply_refusal
    assert as_member.locked_notice is not None
    assert as_moderator.can_reply
    assert as_moderator.locked_notice == as_member.locked_notice


def test_the_accepted_answer_is_quoted_under_the_opening_post(topic, member, champion):
    answer = PostFactory(topic=topic, author=champion, body="Stagger the shifts.")
    services.accept_answer(actor=member, topic=topic, post=answer)

    page = topic_page(member, topic)

    accepted = page.posts[0].accepted
    assert accepted is not None
    assert (accepted.number, accepted.author_name, accepted.excerpt) == (
        2,
        str(champion),
        "Stagger the shifts.",
    )
    assert page.posts[1].accepted is None
    assert [view.is_accepted for view in page.posts] == [False, True]


def test_an_accepted_answer_on_a_later_page_comes_with_the_first_page_in_the_same_queries(
    django_assert_num_queries, topic, member, champion, settings
):
    settings.FORUM_POSTS_PER_PAGE = 2
    for n in range(3):
        PostFactory(topic=topic, author=champion, body=f"Answer {n}.")
    services.accept_answer(actor=member, topic=topic, post=topic.posts.get(number=4))
    loaded = read_topic(member, topic)
    membership = active_membership(member, topic.network)

    with django_assert_num_queries(2):
        page = selectors.topic_page(viewer=member, topic=loaded, membership=membership, page_number=1)

    assert [view.number for view in page.posts] == [1, 2]
    assert page.posts[0].accepted is not None
    assert (page.posts[0].accepted.number, page.posts[0].accepted.excerpt) == (4, "Answer 2.")
    later = selectors.topic_page(viewer=member, topic=loaded, membership=membership, page_number=2)
    assert [(view.number, view.is_accepted) for view in later.posts] == [(3, False), (4, True)]


def test_an_avatar_is_shown_as_far_as_its_owner_allows(topic, member, champion, outsider):
    PostFactory(topic=topic, author=champion)
    Profile.objects.filter(user=champion).update(
        avatar_small="avatars/small/champion.png", avatar_visibility=Visibility.MEMBERS
    )

    assert topic_page(member, topic).posts[1].avatar_url.endswith("avatars/small/champion.png")
    assert topic_page(outsider, topic).posts[1].avatar_url == ""
    assert topic_page(AnonymousUser(), topic).posts[1].avatar_url == ""


def test_posts_after_a_number_are_the_later_ones_up_to_a_limit(topic, member, champion):
    for _ in range(4):
        PostFactory(topic=topic, author=champion)
    membership = active_membership(member, topic.network)

    views = selectors.posts_after(viewer=member, topic=topic, membership=membership, after=2, limit=2)

    assert [view.number for view in views] == [3, 4]


def test_a_posts_versions_come_newest_first(topic, champion):
    post = PostFactory(topic=topic, author=champion, body="One.")
    services.edit_post(actor=champion, post=post, body="Two.")
    services.edit_post(actor=champion, post=post, body="Three.")
    post.refresh_from_db()

    versions = selectors.post_versions(post)

    assert ["One." in v.body_html for v in versions] == [False, False, True]
    assert "Three." in versions[0].body_html
    assert versions[0].is_current


@pytest.mark.parametrize("size", [10, 100])
def test_a_topic_page_takes_two_queries_whatever_its_posts(
    django_assert_num_queries, topic, member, champion, moderator, size
):
    for n in range(size):
        post = PostFactory(
            topic=topic, author=[champion, moderator][n % 2], reply_to=topic.posts.get(number=1)
        )
        PostReaction.objects.create(post=post, user=member, kind="👍")
    loaded = read_topic(member, topic)
    membership = active_membership(member, topic.network)

    with django_assert_num_queries(2):
        page = selectors.topic_page(viewer=member, topic=loaded, membership=membership, page_number=None)
        assert len(page.posts) == min(size + 1, 20)


# --- A category and the index -----------------------------------------------------------------------


def test_a_category_lists_visible_topics_pinned_first_then_by_activity(category, member, champion, moderator):
    quiet = TopicFactory(
        category=category, author=champion, last_activity_at=timezone.now() - timezone.timedelta(days=2)
    )
    busy = TopicFactory(category=category, author=champion)
    pinned = TopicFactory(
        category=category, author=champion, is_pinned=True, last_activity_at=quiet.last_activity_at
    )
    TopicFactory(category=category, author=champion, deleted_at=timezone.now())
    hidden = TopicFactory(category=category, author=champion, is_hidden=True)

    assert [row.id for row in category_page(member, category).rows] == [pinned.pk, busy.pk, quiet.pk]
    assert hidden.pk in [row.id for row in category_page(moderator, category).rows]
    assert hidden.pk in [row.id for row in category_page(champion, category).rows]


def test_unread_counts_leave_out_the_viewers_own_and_taken_down_posts(category, member, champion):
    topic = TopicFactory(category=category, author=champion)
    PostFactory(topic=topic, author=champion)
    TopicReadState.objects.create(user=member, topic=topic, last_read_number=2)
    PostFactory(topic=topic, author=champion)
    PostFactory(topic=topic, author=member)
    PostFactory(topic=topic, author=champion, deleted_at=timezone.now())
    PostFactory(topic=topic, author=champion, is_hidden=True)
    PostFactory(topic=topic, author=champion)

    row = row_of(category_page(member, category), topic)

    assert (row.unread, row.is_new, row.last_read_number) == (2, False, 2)
    assert (row.first_unread_page, row.first_unread_number) == (1, 3)


def test_a_topic_never_opened_is_new_if_someone_else_started_it_since_the_viewer_joined(category, champion):
    newcomer = MembershipFactory(network=category.network, joined_at=timezone.now()).user
    before = TopicFactory(category=category, author=champion)
    Topic.objects.filter(pk=before.pk).update(created_at=timezone.now() - timezone.timedelta(days=1))
    after = TopicFactory(category=category, author=champion)
    own = TopicFactory(category=category, author=newcomer)

    page = category_page(newcomer, category)

    assert [row_of(page, t).is_new for t in (before, after, own)] == [False, True, False]
    visitor_rows = category_page(AnonymousUser(), category).rows
    assert not any(row.is_new or row.unread for row in visitor_rows)


def test_a_signed_in_reader_who_is_not_a_member_counts_from_their_sign_up(category, champion):
    reader = UserFactory()
    topic = TopicFactory(category=category, author=champion)

    assert row_of(category_page(reader, category), topic).is_new


def test_a_category_page_knows_its_stream_and_the_viewers_watch_level(category, member):
    services.watch_category(user=member, category=category, level=WatchLevel.WATCHING)
    append_event(stream=f"category:{category.pk}", kind="topic.created", data={})

    page = category_page(member, category)

    assert page.stream == f"category:{category.pk}"
    assert page.stream_seq == 1
    assert page.watch_level == WatchLevel.WATCHING
    assert category_page(AnonymousUser(), category).watch_level is None


@pytest.mark.parametrize("size", [10, 100])
def test_a_category_page_takes_four_queries_whatever_its_topics(
    django_assert_num_queries, category, member, champion, size
):
    for n in range(size):
        topic = TopicFactory(category=category, author=champion)
        if n % 2:
            TopicReadState.objects.create(user=member, topic=topic, last_read_number=1)
            PostFactory(topic=topic, author=champion)
    membership = active_membership(member, category.network)

    with django_assert_num_queries(4):
        page = selectors.category_page(viewer=member, category=category, membership=membership, page_number=1)
        assert len(page.rows) == min(size, 30)
    with django_assert_num_queries(3):
        selectors.category_page(viewer=AnonymousUser(), category=category, membership=None, page_number=1)


def test_the_index_lists_categories_with_their_latest_topic_in_one_query(
    django_assert_num_queries, network, category, member, champion
):
    later = CategoryFactory(network=network, name="Hybrid work")
    TopicFactory(category=later, author=champion, title="Rosters")
    membership = active_membership(member, network)

    with django_assert_num_queries(1):
        index = selectors.forum_index(viewer=member, network=network, membership=membership)
        latest = [
            row.category.last_topic.title if row.category.last_topic else None for row in index.categories
        ]
        links = [row.category.get_absolute_url() for row in index.categories]

    assert latest == [None, "Rosters"]
    assert links[0].endswith(f"/forum/c/{category.slug}/")
    assert [row.can_start_topic for row in index.categories] == [True, True]
    assert not index.can_manage_categories
