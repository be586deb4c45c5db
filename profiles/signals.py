"""Keeps the one invariant that no service can: every user, however created (sign-up, admin,
createsuperuser, a fixture), has a profile."""

from typing import Any

from django.db.models.signals import post_save
from django.dispatch import receiver

from profiles.models import User
from profiles.services import create_profile


@receiver(post_save, sender=User, dispatch_uid="profiles.create_profile_for_new_user")
def create_profile_for_new_user(sender: type[User], instance: User, created: bool, **kwargs: Any) -> None:
    if created and not kwargs.get("raw"):
        create_profile(user=instance)
