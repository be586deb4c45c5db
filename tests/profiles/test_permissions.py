import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied

from network.models import Membership
from profiles.models import VISIBILITY_CONTROLLED_FIELDS, User, Visibility
from profiles.permissions import (
    active_network_ids,
    can_edit_profile,
    can_view_people_directory,
    can_view_profile_field,
    check_edit_profile,
    visible_field_q,
)
from tests.factories import MembershipFactory, NetworkFactory, UserFactory
from tests.profiles.conftest import update_profile_row

EXPECTED = {
    # visibility: (anonymous, outsider, co-member, owner)
    Visibility.PUBLIC: (True, True, True, True),
    Visibility.MEMBERS: (False, False, True, True),
    Visibility.ONLY_ME: (False, False, False, True),
}
VIEWERS = ("anonymous", "outsider", "co_member", "owner")


def _viewer(kind, *, member, co_member, outsider):
    return {"anonymous": AnonymousUser(), "outsider": outsider, "co_member": co_member, "owner": member}[kind]


def _sees_in_query(viewer, owner: User, field: str) -> bool:
    visible = visible_field_q(viewer, field, active_network_ids(viewer))
    return User.objects.filter(visible, pk=owner.pk).exists()


@pytest.mark.parametrize("visibility", list(Visibility))
@pytest.mark.parametrize("viewer_kind", VIEWERS)
@pytest.mark.parametrize("field", [*VISIBILITY_CONTROLLED_FIELDS, "region"])
def test_visibility_matrix(field, visibility, viewer_kind, member, co_member, outsider):
    column = "country" if field == "region" else field
    profile = update_profile_row(member, **{f"{column}_visibility": visibility})
    viewer = _viewer(viewer_kind, member=member, co_member=co_member, outsider=outsider)
    expected = EXPECTED[visibility][VIEWERS.index(viewer_kind)]

    assert can_view_profile_field(viewer, profile, field) is expected
    # The query twin used by the directories agrees with the rule.
    assert _sees_in_query(viewer, member, field) is expected


@pytest.mark.parametrize("state", [Membership.State.PENDING, Membership.State.INVITED, Membership.State.LEFT])
def test_only_an_active_membership_makes_a_co_member(state, network, member):
    profile = update_profile_row(member, headline_visibility=Visibility.MEMBERS)
    applicant = MembershipFactory(network=network, state=state).user

    assert not can_view_profile_field(applicant, profile, "headline")
    assert not _sees_in_query(applicant, member, "headline")


def test_members_of_other_networks_are_not_co_members(member):
    profile = update_profile_row(member, headline_visibility=Visibility.MEMBERS)
    elsewhere = MembershipFactory(network=NetworkFactory()).user

    assert not can_view_profile_field(elsewhere, profile, "headline")
    assert not _sees_in_query(elsewhere, member, "headline")


def test_a_superuser_sees_only_what_the_owner_allows(member, superuser):
    profile = update_profile_row(member, gender_visibility=Visibility.ONLY_ME)

    assert not can_view_profile_field(superuser, profile, "gender")


def test_a_precomputed_shared_network_is_trusted_without_a_query(member, outsider, django_assert_num_queries):
    profile = update_profile_row(member, bio_visibility=Visibility.MEMBERS)

    with django_assert_num_queries(0):
        assert can_view_profile_field(outsider, profile, "bio", shares_network=True)
        assert not can_view_profile_field(outsider, profile, "bio", shares_network=False)


def test_a_field_without_a_visibility_is_a_programming_error(member):
    with pytest.raises(ValueError, match="display_name"):
        can_view_profile_field(member, member.profile, "display_name")


def test_the_owner_and_superusers_may_edit_a_profile(member, co_member, superuser):
    profile = member.profile

    assert can_edit_profile(member, profile)
    assert can_edit_profile(superuser, profile)
    assert not can_edit_profile(co_member, profile)
    assert not can_edit_profile(AnonymousUser(), profile)
    with pytest.raises(PermissionDenied, match="Only its owner"):
        check_edit_profile(co_member, profile)


def test_the_people_directory_is_for_signed_in_people(db):
    assert can_view_people_directory(UserFactory())
    assert not can_view_people_directory(AnonymousUser())
