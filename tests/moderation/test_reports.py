"""Reporting: what can be reported where, reports gathering on one queue item, who may report, bad input,
and moderators dismissing a report. The fixtures here serve the other queue tests too: `writer` wrote
`topic` and `post` (a reply); `member` and `champion` are the members who report."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from forums.models import ChatMessage, Post, Topic
from forums.services import chat as chat_services
from moderation import targets
from moderation.models import AuditEntry, QueueItem, Report, TargetKind
from moderation.services import queue
from moderation.services import reports as services
from network.models import Membership, Network
from profiles.models import User
from richtext import plain_text, render_markdown
from stories.models import StoryComment
from tests.factories import (
    CategoryFactory,
    MembershipFactory,
    NetworkFactory,
    PostFactory,
    StoryFactory,
    TopicFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(name="writer")
def writer_fixture(network: Network) -> User:
    """A member of `network` whose writing is reported."""
    return MembershipFactory(network=network, user=UserFactory(display_name="Wendy Writer")).user


@pytest.fixture(name="topic")
def topic_fixture(network: Network, writer: User) -> Topic:
    return TopicFactory(
        category=CategoryFactory(network=network),
        author=writer,
        title="Cheap watches for every officer",
        body="An opening post about shifts.",
    )


@pytest.fixture(name="post")
def post_fixture(topic: Topic, writer: User) -> Post:
    """A reply of `topic` by `writer`."""
    return PostFactory(topic=topic, author=writer, body="Buy **cheap** watches at my shop.")


@pytest.fixture(name="other_moderator")
def other_moderator_fixture(db) -> User:
    """A moderator of another network: nobody in `network`."""
    return MembershipFactory(role=Membership.Role.MODERATOR).user


def report(reporter: User, target: Post | Topic | ChatMessage | StoryComment | User, **fields) -> Report:
    kind = {
        Post: TargetKind.POST,
        Topic: TargetKind.TOPIC,
        ChatMessage: TargetKind.MESSAGE,
        StoryComment: TargetKind.COMMENT,
        User: TargetKind.PROFILE,
    }[type(target)]
    network = fields.pop("network", None) or _network_of(target)
    return services.report(
        actor=reporter,
        network=network,
        target_kind=kind,
        target_id=target.pk,
        reason=fields.pop("reason", Report.Reason.SPAM),
        text=fields.pop("text", ""),
    )


def _network_of(target: object) -> Network:
    if isinstance(target, Post):
        return target.topic.network
    if isinstance(target, Topic):
        return target.network
    if isinstance(target, ChatMessage):
        return target.room.network
    raise AssertionError("Give the network of this target.")


def open_item(target: Post) -> QueueItem:
    return QueueItem.objects.get(target_kind=TargetKind.POST, target_id=target.pk, state=QueueItem.State.OPEN)


# --- Reporting a post -------------------------------------------------------------------------------


def test_a_report_opens_an_item_that_says_what_was_reported(post, member, writer):
    created = report(member, post, reason=Report.Reason.SPAM)

    item = created.item
    assert (item.kind, item.state, item.target_kind, item.target_id) == ("report", "open", "post", post.pk)
    assert item.report_count == 1
    assert item.target_author == writer
    assert item.title == "Cheap watches for every officer"
    assert item.excerpt == "Buy cheap watches at my shop."
    assert item.url == f"{post.topic.get_absolute_url()}?page=1#post-2"
    assert (created.reporter, created.reason) == (member, "spam")


def test_reports_of_one_post_gather_on_its_one_item(post, member, champion, moderator):
    first = report(member, post)
    second = report(champion, post, reason=Report.Reason.ABUSE)
    third = report(moderator, post, reason=Report.Reason.OTHER, text="Also posted in chat.")

    assert first.item_id == second.item_id == third.item_id
    assert QueueItem.objects.count() == 1
    assert open_item(post).report_count == 3


def test_the_same_person_reports_an_open_item_once(post, member):
    report(member, post)

    with pytest.raises(ValidationError) as refused:
        report(member, post, reason=Report.Reason.ABUSE)

    assert refused.value.code == "already_reported"
    assert "You already reported this" in refused.value.messages[0]
    assert open_item(post).report_count == 1
    assert Report.objects.count() == 1


def test_once_handled_a_new_report_opens_a_new_item(post, member, champion, moderator):
    first = report(member, post).item
    services.dismiss_item(actor=moderator, item=first)

    again = report(member, post).item

    assert again.pk != first.pk
    assert (again.state, again.report_count) == ("open", 1)


def test_nobody_reports_what_they_wrote(post, writer):
    with pytest.raises(ValidationError) as refused:
        report(writer, post)

    assert refused.value.messages == ["You cannot report what you wrote yourself."]
    assert not QueueItem.objects.exists()


@pytest.mark.parametrize(
    "gone",
    [
        {"is_hidden": True, "hidden_reason": "Spam"},
        {"deleted_at": timezone.now()},
        {"is_hidden": True, "awaiting_approval": True},
    ],
    ids=["hidden", "deleted", "awaiting-approval"],
)
def test_what_is_already_taken_down_cannot_be_reported(post, member, gone):
    Post.objects.filter(pk=post.pk).update(**gone)

    with pytest.raises(ValidationError) as refused:
        report(member, post)

    assert refused.value.messages == ["This has already been taken down: there is nothing left to report."]
    assert not QueueItem.objects.exists()


@pytest.mark.parametrize(
    "gone",
    [{"is_hidden": True}, {"deleted_at": timezone.now()}, {"is_hidden": True, "awaiting_approval": True}],
    ids=["hidden", "deleted", "awaiting-approval"],
)
def test_a_reply_of_a_topic_taken_down_is_not_shown_on_the_report_page(client, topic, post, member, gone):
    Topic.objects.filter(pk=topic.pk).update(**gone)
    client.force_login(member)

    page = client.get(reverse("moderation:report", args=[topic.network.slug, "post", post.pk]))

    assert "This has already been taken down" in page.content.decode()
    assert topic.title not in page.content.decode()
    assert plain_text(post.body_html).strip()[:20] not in page.content.decode()
    with pytest.raises(ValidationError):
        report(member, post)


@pytest.mark.parametrize("reason", ["", "rude", "SPAM"])
def test_a_reason_not_offered_is_refused(post, member, reason):
    with pytest.raises(ValidationError) as refused:
        report(member, post, reason=reason)

    assert refused.value.message_dict == {"reason": ["Choose one of the reasons offered."]}
    assert not QueueItem.objects.exists()


def test_something_else_needs_words(post, member):
    with pytest.raises(ValidationError) as refused:
        report(member, post, reason=Report.Reason.OTHER, text="   ")

    assert refused.value.message_dict == {"text": ["Say what is wrong: the moderators need to know."]}


def test_something_else_with_words_is_kept(post, member):
    created = report(member, post, reason=Report.Reason.OTHER, text="  Copied from another forum.  ")

    assert (created.reason, created.text) == ("other", "Copied from another forum.")


def test_too_long_an_explanation_is_refused(post, member):
    with pytest.raises(ValidationError) as refused:
        report(member, post, reason=Report.Reason.ABUSE, text="x" * 1001)

    assert "text" in refused.value.message_dict


# --- Who may report ---------------------------------------------------------------------------------


def test_outsiders_may_not_report(post, outsider):
    with pytest.raises(PermissionDenied, match="Only members of this network"):
        report(outsider, post)


def test_a_moderator_of_another_network_is_an_outsider_here(post, other_moderator):
    with pytest.raises(PermissionDenied):
        report(other_moderator, post)


def test_a_suspended_member_may_not_report(post, network, member):
    Membership.objects.filter(network=network, user=member).update(state=Membership.State.SUSPENDED)

    with pytest.raises(PermissionDenied):
        report(member, post)


def test_a_muted_member_still_warns_the_moderators(post, network, member):
    Membership.objects.filter(network=network, user=member).update(
        muted_until=timezone.now() + timezone.timedelta(days=1)
    )

    assert report(member, post).item.report_count == 1


def test_a_post_of_another_network_is_not_there_to_report(post, member):
    elsewhere = NetworkFactory()
    MembershipFactory(network=elsewhere, user=member)

    with pytest.raises(ValidationError) as refused:
        report(member, post, network=elsewhere)

    assert refused.value.code == "no_target"


# --- Other kinds of target --------------------------------------------------------------------------


def test_a_topic_is_reported_with_its_opening_post(topic, member):
    item = report(member, topic).item

    assert (item.target_kind, item.target_id, item.title) == ("topic", topic.pk, topic.title)
    assert item.excerpt == "An opening post about shifts."
    assert item.url == topic.get_absolute_url()


def test_a_chat_message_is_reported_with_its_room(network, writer, member):
    room = chat_services.create_general_room(network=network)
    message = chat_services.post_message(author=writer, room=room, body="Join my _pyramid_ scheme")

    item = report(member, message).item

    assert (item.target_kind, item.title, item.excerpt) == ("message", room.name, "Join my pyramid scheme")
    assert item.url == f"{room.get_absolute_url()}#message-{message.pk}"
    assert item.target_author == writer


def _comment(network: Network, author: User, **story_fields) -> StoryComment:
    story = StoryFactory(networks=[network], **story_fields)
    return StoryComment.objects.create(
        story=story, author=author, body="Rude words", body_html=render_markdown("Rude words")
    )


def test_a_comment_on_a_story_shared_with_the_network_is_reported(network, writer, member):
    comment = _comment(network, writer, published=True)

    item = report(member, comment, network=network).item

    assert (item.target_kind, item.title, item.excerpt) == ("comment", comment.story.title, "Rude words")
    assert item.target_author == writer


def test_a_comment_on_a_story_not_shared_with_the_network_is_not_there(network, writer, member):
    comment = _comment(NetworkFactory(), writer, published=True)

    assert targets.load(network, TargetKind.COMMENT, comment.pk) is None


def test_a_comment_on_a_story_no_longer_out_cannot_be_reported(network, writer, member):
    comment = _comment(network, writer)

    with pytest.raises(ValidationError, match="already been taken down"):
        report(member, comment, network=network)


def test_a_members_profile_is_reported(network, writer, member):
    item = report(member, writer, network=network, reason=Report.Reason.ABUSE).item

    assert (item.target_kind, item.target_id, item.title) == ("profile", writer.pk, "Wendy Writer")
    assert item.url == writer.get_absolute_url()
    assert item.target_author == writer


def test_nobody_reports_their_own_profile(network, member):
    with pytest.raises(ValidationError, match="your own profile"):
        report(member, member, network=network)


def test_the_profile_of_someone_not_in_the_network_is_not_there(network, outsider):
    assert targets.load(network, TargetKind.PROFILE, outsider.pk) is None


@pytest.mark.parametrize("kind", ["member", "room", "story", ""])
def test_kinds_that_cannot_be_reported_load_nothing(network, post, kind):
    assert targets.load(network, kind, post.pk) is None


def test_an_unknown_id_loads_nothing(network):
    assert targets.load(network, TargetKind.POST, 10**9) is None


# --- Dismissing -------------------------------------------------------------------------------------


def test_a_moderator_dismisses_a_report_with_a_private_entry_in_the_log(post, member, moderator, writer):
    item = report(member, post).item

    dismissed = services.dismiss_item(actor=moderator, item=item, reason="  Satire,   not spam. ")

    assert (dismissed.state, dismissed.handled_by, dismissed.resolution) == (
        "handled",
        moderator,
        "dismissed",
    )
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.actor, entry.network) == (
        AuditEntry.Action.REPORT_DISMISS,
        moderator,
        item.network,
    )
    assert (entry.target_kind, entry.target_id, entry.target_user) == ("post", post.pk, writer)
    assert (entry.reason, entry.public) == ("Satire, not spam.", False)
    post.refresh_from_db()
    assert post.is_visible


def test_a_second_moderator_is_told_who_was_first(post, member, moderator, admin):
    item = report(member, post).item
    services.dismiss_item(actor=moderator, item=item)

    with pytest.raises(ValidationError) as refused:
        services.dismiss_item(actor=admin, item=item)

    assert refused.value.messages == [f"{moderator} already handled this item."]
    assert AuditEntry.objects.count() == 1


@pytest.mark.parametrize("persona", ["member", "champion", "other_moderator"])
def test_only_the_networks_moderators_dismiss(request, post, champion, persona):
    item = report(champion, post).item

    with pytest.raises(PermissionDenied, match="Only this network's moderators"):
        services.dismiss_item(actor=request.getfixturevalue(persona), item=item)

    item.refresh_from_db()
    assert item.state == "open"


def test_a_post_awaiting_approval_is_not_dismissed(post, moderator):
    item, _opened = _approval_item(post)

    with pytest.raises(ValidationError, match="approved or rejected"):
        services.dismiss_item(actor=moderator, item=item)


def _approval_item(post: Post) -> tuple[QueueItem, bool]:
    return queue.open_item(
        network=post.topic.network,
        kind=QueueItem.Kind.APPROVAL,
        target_kind=TargetKind.POST,
        target_id=post.pk,
        target_author=post.author,
        title="t",
        excerpt="e",
        url="/",
    )
