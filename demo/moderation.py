"""The demo's moderation, through the services: a reply of the Customs Work Organization Forum that two
members reported (so that its moderator's queue has something in it), slow mode on the forum's general
room for its global conference (the first entry of its audit log), and first-post approval in the
Network for Gender Equality and Diversity in Customs (members who already wrote there are trusted). Safe
to run again: each step is skipped once done."""

from demo.data import CWOF, FORUM_MODERATORS, GENDER
from forums.models import ChatRoom, Post
from moderation.models import QueueItem, Report, TargetKind
from moderation.services import chat as chat_moderation
from moderation.services import reports
from network import services as network_services
from network.models import Membership, Network
from profiles.models import User

CONFERENCE_SLOW_MODE_SECONDS = 10
FIRST_POSTS_AWAITING_APPROVAL = 1


def seed_moderation() -> None:
    cwof = Network.objects.get(slug=CWOF)
    _report_a_reply(cwof)
    _slow_conference_room(cwof)
    _hold_first_posts(Network.objects.get(slug=GENDER))


def _report_a_reply(network: Network) -> None:
    if QueueItem.objects.filter(network=network).exists():
        return
    reply = (
        Post.objects.filter(topic__network=network, number__gt=1, deleted_at__isnull=True, is_hidden=False)
        .select_related("topic")
        .order_by("pk")
        .first()
    )
    if reply is None:
        return
    reporters = [
        membership.user
        for membership in Membership.objects.filter(
            network=network, state=Membership.State.ACTIVE, role=Membership.Role.MEMBER
        )
        .exclude(user=reply.author)
        .select_related("user")
        .order_by("user__username")[:2]
    ]
    reasons = [
        (Report.Reason.OFF_TOPIC, "This belongs in the hybrid working topic."),
        (Report.Reason.OTHER, "It names colleagues who did not agree to be quoted."),
    ]
    for reporter, (reason, text) in zip(reporters, reasons, strict=False):
        reports.report(
            actor=reporter,
            network=network,
            target_kind=TargetKind.POST,
            target_id=reply.pk,
            reason=reason,
            text=text,
        )


def _slow_conference_room(network: Network) -> None:
    room = ChatRoom.objects.get(network=network, is_general=True)
    if room.slow_mode_seconds:
        return
    chat_moderation.set_slow_mode(
        actor=User.objects.get(username=FORUM_MODERATORS[CWOF]),
        room=room,
        seconds=CONFERENCE_SLOW_MODE_SECONDS,
        reason="The global conference is on: one message every ten seconds keeps the room readable.",
    )


def _hold_first_posts(network: Network) -> None:
    if network.posts_awaiting_approval:
        return
    admin = (
        Membership.objects.filter(network=network, state=Membership.State.ACTIVE, role=Membership.Role.ADMIN)
        .select_related("user")
        .order_by("pk")
        .first()
    )
    assert admin is not None  # every demo network has its admin
    network_services.update_network(
        actor=admin.user,
        network=network,
        name=network.name,
        tagline=network.tagline,
        mission=network.mission,
        visibility=network.visibility,
        join_policy=network.join_policy,
        posts_awaiting_approval=FIRST_POSTS_AWAITING_APPROVAL,
    )
