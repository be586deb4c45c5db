from datetime import timedelta

import pytest
from django.utils import timezone

from moderation.services import members
from network.models import Membership, Network
from stories.models import CaseStudyCall, Story
from tests.factories import StoryFactory
from tests.network.conftest import anonymous, members_only, superuser  # noqa: F401  (fixtures used here too)
from tests.realtime.replay import reader  # noqa: F401  (the replay tests' reader, by name)


@pytest.fixture
def draft(network, member) -> Story:
    """A draft by `member`, shared with `network`."""
    return StoryFactory(author=member, networks=[network])


@pytest.fixture
def published_story(network, champion) -> Story:
    """A published story by `champion` in `network`."""
    return StoryFactory(author=champion, networks=[network], published=True)


@pytest.fixture
def call(network, admin) -> CaseStudyCall:
    return CaseStudyCall.objects.create(
        network=network,
        title="Workplace design",
        brief="Tell us how your offices changed.",
        brief_html="<p>Tell us how your offices changed.</p>",
        deadline=timezone.now() + timedelta(days=30),
        opened_by=admin,
    )


MUTE_REASON = "Cooling off after the heated thread."


@pytest.fixture
def mute(network, superuser):  # noqa: F811  (the imported fixture)
    """Mutes a member of `network` for a day, saying MUTE_REASON, as a site operator may whatever their
    role (a network's moderators mute its members and champions; only operators mute its admins)."""

    def mute_member(user) -> None:
        members.mute(
            actor=superuser,
            membership=Membership.objects.get(network=network, user=user),
            reason=MUTE_REASON,
            until=timezone.now() + timedelta(days=1),
        )

    return mute_member


def allow_member_submissions(network: Network) -> None:
    network.members_may_submit_stories = True
    network.save(update_fields=["members_may_submit_stories"])


def signed_in(client, user):
    client.force_login(user)
    return client


def text(response) -> str:
    return response.content.decode()
