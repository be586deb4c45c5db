"""Publish the scheduled stories whose time has come: run it every minute from cron in production.

Without cron the feed page does the same when it is visited (stories.schedule), so this is what makes
scheduled stories go out on time on a quiet site.
"""

from typing import Any

from django.core.management.base import BaseCommand

from stories import schedule
from stories.services.publishing import publish_due_stories


class Command(BaseCommand):
    help = "Publish the scheduled stories whose time has come, and print how many went out."

    def handle(self, *args: Any, **options: Any) -> None:
        published = publish_due_stories()
        # The feed pages' cached "next due" time may name a story that is now out.
        schedule.forget_next_due()
        noun = "story" if published == 1 else "stories"
        self.stdout.write(self.style.SUCCESS(f"Published {published} scheduled {noun}."))
