"""Recompute the forum's counters and last-activity columns from the posts, and say what was wrong.

The services keep them in step as members post; this repairs them after anything that went around the
services (a restored backup, a manual fix in the database). Each topic and category is recounted in its
own short transaction, so that a large forum stays open while it runs.
"""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from forums.models import Category, Topic
from forums.services import topics as services
from network.models import Network


class Command(BaseCommand):
    help = "Recompute the forum's topic and category counters from the posts, and print what was fixed."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--network", metavar="SLUG", help="Recount this network's forum only.")

    def handle(self, *args: Any, network: str | None = None, **options: Any) -> None:
        categories = Category.objects.select_related("network").order_by("network__slug", "position", "pk")
        if network is not None:
            if not Network.objects.filter(slug=network).exists():
                raise CommandError(f"No network has the address “{network}”.")
            categories = categories.filter(network__slug=network)
        fixed_topics = fixed_categories = 0
        for category in categories:
            # Topics first: a category's last activity is read from its topics'.
            for topic in Topic.objects.filter(category=category).order_by("pk").iterator():
                fixes = services.recount_topic(topic=topic)
                if fixes:
                    fixed_topics += 1
                    self._report(f"Topic {topic.pk} “{topic.title}” in {category.network.slug}", fixes)
            fixes = services.recount_category(category=category)
            if fixes:
                fixed_categories += 1
                self._report(f"Category “{category.name}” of {category.network.slug}", fixes)
        if fixed_topics or fixed_categories:
            self.stdout.write(
                self.style.SUCCESS(f"Fixed {fixed_topics} topic(s) and {fixed_categories} category(ies).")
            )
        else:
            self.stdout.write(self.style.SUCCESS("Every counter was right; nothing to fix."))

    def _report(self, what: str, fixes: services.Fixes) -> None:
        changes = "; ".join(f"{field} {old} → {new}" for field, (old, new) in fixes.items())
        self.stdout.write(f"{what}: {changes}")
