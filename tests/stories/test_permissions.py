from datetime import timedelta

import pytest
from django.utils import timezone

from network.models import Membership
from stories import permissions
from tests.factories import MembershipFactory, NetworkFactory, StoryFactory, UserFactory
from tests.stories.conftest import allow_member_submissions

# What each persona may do with a story of `network`: publish, feature, discuss (comment and react),
# and run the network's calls and compendiums.
RIGHTS = {
    "anonymous": {"publish": False, "feature": False, "discuss": False, "run": False},
    "outsider": {"publish": False, "feature": False, "discuss": False, "run": False},
    "member": {"publish": False, "feature": False, "discuss": True, "run": False},
    "champion": {"publish": True, "feature": False, "discuss": True, "run": False},
    "moderator": {"publish": False, "feature": True, "discuss": True, "run": False},
    "admin": {"publish": True, "feature": True, "discuss": True, "run": True},
    "superuser": {"publish": True, "feature": True, "discuss": True, "run": True},
}


@pytest.mark.parametrize("persona", RIGHTS)
def test_who_may_do_what_with_a_published_story(request, network, published_story, persona):
    person = request.getfixturevalue(persona)

    assert {
        "publish": permissions.can_publish_story(person, published_story),
        "feature": permissions.can_feature_story(person, published_story),
        "discuss": permissions.can_discuss_story(person, published_story),
        "run": permissions.can_run_network_stories(person, network),
    } == RIGHTS[persona]


def test_a_role_in_any_one_of_the_story_networks_is_enough(network, draft):
    elsewhere = MembershipFactory(role=Membership.Role.CHAMPION).user
    assert not permissions.can_publish_story(elsewhere, draft)

    other = NetworkFactory()
    MembershipFactory(network=other, user=elsewhere, role=Membership.Role.CHAMPION)
    draft.networks.add(other)

    assert permissions.can_publish_story(elsewhere, draft)


def test_a_champion_who_left_the_network_no_longer_publishes(network, champion, draft):
    Membership.objects.filter(user=champion).update(state=Membership.State.LEFT)

    assert not permissions.can_publish_story(champion, draft)


def test_members_submit_for_review_only_where_the_network_allows_it(network, member, draft):
    assert not permissions.can_submit_story(member, draft)

    allow_member_submissions(network)

    assert permissions.can_submit_story(member, draft)


def test_only_authors_submit_their_story(network, draft):
    allow_member_submissions(network)
    co_member = MembershipFactory(network=network).user

    assert not permissions.can_submit_story(co_member, draft)
    draft.co_authors.add(co_member)
    assert permissions.can_submit_story(co_member, draft)


def test_nobody_discusses_a_draft(network, admin, draft):
    assert not permissions.can_discuss_story(admin, draft)


def test_a_member_muted_in_one_of_the_story_s_networks_may_not_discuss_it(network, member, published_story):
    Membership.objects.filter(user=member, network=network).update(
        muted_until=timezone.now() + timedelta(days=1), mute_reason="Cooling off."
    )

    refusal = permissions.discuss_story_refusal(
        member, published_story, permissions.story_memberships(member, published_story)
    )

    assert refusal is not None
    assert "Cooling off." in refusal


def test_only_authors_edit_a_story(network, member, admin, draft):
    assert permissions.can_edit_story(member, draft)
    assert not permissions.can_edit_story(admin, draft)
    assert permissions.can_edit_story(UserFactory(is_superuser=True), draft)


def test_the_networks_of_a_story_must_be_the_writers_own(network, member, outsider):
    with pytest.raises(permissions.PermissionDenied):
        permissions.check_write_story(member, [network, NetworkFactory()])
    permissions.check_write_story(member, [network])
    with pytest.raises(permissions.PermissionDenied, match="active member"):
        permissions.check_write_story(outsider, [network])


def test_authors_may_unpublish_their_story_but_other_members_may_not(network, member, champion):
    story = StoryFactory(author=member, networks=[network], published=True)
    permissions.check_unpublish_story(member, story)
    permissions.check_unpublish_story(champion, story)
    with pytest.raises(permissions.PermissionDenied):
        permissions.check_unpublish_story(MembershipFactory(network=network).user, story)
