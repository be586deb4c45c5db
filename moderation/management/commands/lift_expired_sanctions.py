"""End the mutes and suspensions whose expiry has passed, for cron.

The web processes do this themselves every few seconds while they serve requests
(moderation.middleware); this command covers a site that may sleep between requests. It is safe to run
while they do: each sanction ends once.
"""

from typing import Any

from django.core.management.base import BaseCommand

from moderation.services.members import lift_expired


class Command(BaseCommand):
    help = "End the mutes and suspensions whose expiry has passed, and print how many ended."

    def handle(self, *args: Any, **options: Any) -> None:
        ended = lift_expired()
        self.stdout.write(f"{ended} sanction{'' if ended == 1 else 's'} ended.")
