"""What a reported profile is quoted with: its headline and bio, each only if its owner shows it to the
members of their networks, as the reporter and the network's moderators (members too) read the profile.
A field its owner keeps to themselves is on none of the pages and streams the report reaches: the
report page, the queue item, the moderation stream and the queue page."""

import pytest
from django.urls import reverse

from moderation.events import queue_stream
from moderation.models import QueueItem, TargetKind
from network.models import Network
from profiles.models import User, Visibility
from richtext import render_markdown
from tests.moderation.test_reports import writer_fixture  # noqa: F401  (the reported member)
from tests.network.conftest import set_profile
from tests.realtime.replay import page_as, replayed_text

pytestmark = pytest.mark.django_db

HEADLINE = "Border officer and mentor"
BIO = "I coach new officers at the northern crossing."


def profile_of(writer: User, *, headline: str, bio: str) -> None:
    """Give `writer` the headline and bio above, each shown to the audience given."""
    set_profile(
        writer,
        headline=HEADLINE,
        headline_visibility=headline,
        bio=BIO,
        bio_html=render_markdown(BIO),
        bio_visibility=bio,
    )


def report_url(network: Network, writer: User) -> str:
    return reverse("moderation:report_profile", args=[network.slug, writer.username])


@pytest.mark.parametrize(
    ("headline", "bio", "quoted", "kept"),
    [
        (Visibility.PUBLIC, Visibility.ONLY_ME, HEADLINE, BIO),
        (Visibility.ONLY_ME, Visibility.MEMBERS, BIO, HEADLINE),
    ],
    ids=["public-headline-private-bio", "private-headline-members-bio"],
)
def test_a_reported_profile_is_quoted_only_with_what_its_owner_shows_members(
    client, network, writer, member, moderator, headline, bio, quoted, kept
):
    profile_of(writer, headline=headline, bio=bio)

    report_page = page_as(client, member, report_url(network, writer))
    client.post(report_url(network, writer), {"reason": "spam"})  # the member sends the report
    item = QueueItem.objects.get(target_kind=TargetKind.PROFILE, target_id=writer.pk)
    on_stream = replayed_text(moderator, queue_stream(network.pk))
    queue_page = page_as(client, moderator, reverse("moderation:queue", args=[network.slug]))

    assert quoted in report_page
    assert quoted in item.excerpt
    assert quoted in on_stream
    assert quoted in queue_page
    for shown in (report_page, item.excerpt, on_stream, queue_page):
        assert kept not in shown


def test_what_a_profile_is_quoted_with_is_what_the_reporter_reads_on_it(client, network, writer, member):
    profile_of(writer, headline=Visibility.MEMBERS, bio=Visibility.ONLY_ME)

    report_page = page_as(client, member, report_url(network, writer))
    profile_page = page_as(client, member, writer.get_absolute_url())

    assert HEADLINE in report_page
    assert HEADLINE in profile_page
    assert BIO not in report_page
    assert BIO not in profile_page
