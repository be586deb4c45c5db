from typing import Any

from django.core.management.base import BaseCommand
from django.db import connection

from search.services import refresh_vectors


class Command(BaseCommand):
    help = (
        "Compute the full-text vector of every search entry again, with the current SEARCH_CONFIG "
        "(PostgreSQL only; other databases search without vectors)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        if connection.vendor != "postgresql":
            self.stdout.write("This database searches without vectors: there is nothing to refresh.")
            return
        self.stdout.write(f"{refresh_vectors()} search entries refreshed.")
