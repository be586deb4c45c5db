"""The index on each database: a GIN index on PostgreSQL, and a working search without one on SQLite."""

import os
import subprocess
import sys
import textwrap
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection

from config.env import BASE_DIR
from search.models import SearchEntry
from tests.search.conftest import index

pytestmark = pytest.mark.django_db


def test_postgresql_has_a_gin_index_over_the_vectors():
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE tablename = 'search_searchentry'")
        definitions = [row[0] for row in cursor.fetchall()]

    assert any("USING gin (vector)" in definition for definition in definitions), definitions


def test_the_search_condition_can_use_the_gin_index(network):
    for n in range(50):
        index(network, title=f"Entry {n}", text="roster" if n % 10 == 0 else "other words")
    with connection.cursor() as cursor:
        # Few rows make a sequential scan cheapest; the question is whether the index can serve at all.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(
            "EXPLAIN SELECT id FROM search_searchentry WHERE vector @@ websearch_to_tsquery('english', 'roster')"
        )
        plan = "\n".join(row[0] for row in cursor.fetchall())

    assert "search_entry_vector_gin" in plan, plan


def test_the_refresh_command_recomputes_the_vectors(network):
    index(network, title="Roster")
    SearchEntry.objects.update(vector=None)
    out = StringIO()

    call_command("refresh_search_vectors", stdout=out)

    assert out.getvalue() == "1 search entries refreshed.\n"
    assert SearchEntry.objects.filter(vector__isnull=False).count() == 1


SQLITE_SCRIPT = textwrap.dedent(
    """
    from django.contrib.auth.models import AnonymousUser
    from django.core.management import call_command
    from django.db.models import Q
    from django.utils import timezone

    from network.models import Network
    from search import registry
    from search.registry import SearchKind
    from search.selectors import search
    from search.services import Document, index_documents

    call_command("migrate", verbosity=0)
    registry._kinds = {"note": SearchKind("note", "Note", lambda viewer: Q())}
    network = Network.objects.create(name="Customs", slug="customs")
    index_documents(
        Document("note", n, network.pk, "", title, text, f"/n/{n}/", None, timezone.now())
        for n, title, text in [
            (1, "Roster templates", "Shared by <b>Kenya</b>."),
            (2, "Hybrid work", "A roster for each team, and Kenya too."),
            (3, "Roster", "Nothing else."),
        ]
    )
    for result in search(AnonymousUser(), query="kenya ROSTER").results:
        print(result.title_html, "|", result.snippet_html, "|", result.network)
    call_command("migrate", "search", "zero", verbosity=0)
    call_command("migrate", "search", verbosity=0)
    print("migrated back and forth")
    """
)


def test_sqlite_migrates_and_searches_without_full_text_support(tmp_path):
    environment = {
        **{name: value for name, value in os.environ.items() if name not in ("REDIS_URL", "DATABASE_URL")},
        "DJANGO_SETTINGS_MODULE": "config.settings.local",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'embedded.sqlite3'}",
    }

    finished = subprocess.run(
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", SQLITE_SCRIPT],
        cwd=BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    assert finished.returncode == 0, finished.stderr
    assert finished.stdout.splitlines() == [
        "Hybrid work | A <mark>roster</mark> for each team, and <mark>Kenya</mark> too. | Customs",
        "<mark>Roster</mark> templates | Shared by &lt;b&gt;<mark>Kenya</mark>&lt;/b&gt;. | Customs",
        "migrated back and forth",
    ]
