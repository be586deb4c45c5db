from django.db import transaction

from profiles.models import Profile, User


@transaction.atomic
def create_profile(*, user: User) -> Profile:
    """Every user has a profile: this makes it, with the default visibility of each field."""
    profile, _created = Profile.objects.get_or_create(user=user)
    return profile
