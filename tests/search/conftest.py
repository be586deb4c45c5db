"""Search tests index entries of kinds of their own, so that they depend on no content app.

`note` entries are readable as a forum is: in public networks by everyone, in members-only networks by
their active members, everywhere by superusers. `memo` entries are readable by superusers only.
"""

from datetime import timedelta
from itertools import count

import pytest
from django.db.models import Q
from django.utils import timezone

from network.models import Membership, Network
from search import registry
from search.registry import SearchKind
from search.services import Document, index_documents
from tests.network.conftest import anonymous, members_only, superuser  # noqa: F401  (fixtures used here too)

NOTE, MEMO = "note", "memo"
_ids = count(1)


def readable_networks_q(viewer) -> Q:
    if viewer.is_authenticated and viewer.is_superuser:
        return Q()
    public = Q(visibility=Network.Visibility.PUBLIC)
    if not viewer.is_authenticated:
        return public
    return public | Q(memberships__user=viewer, memberships__state=Membership.State.ACTIVE)


def notes_visible_q(viewer) -> Q:
    return Q(network__in=Network.objects.filter(readable_networks_q(viewer)))


def memos_visible_q(viewer) -> Q:
    return Q() if viewer.is_authenticated and viewer.is_superuser else Q(pk__in=[])


def shelves(network: Network) -> list[tuple[str, str]]:
    return [(f"shelf:{network.pk}:a", "Shelf A"), (f"shelf:{network.pk}:b", "Shelf B")]


@pytest.fixture(autouse=True)
def kinds(monkeypatch) -> dict[str, SearchKind]:
    """The registry holds the test kinds only, for each test."""
    test_kinds = {
        NOTE: SearchKind(NOTE, "Note", notes_visible_q, shelves),
        MEMO: SearchKind(MEMO, "Memo", memos_visible_q),
    }
    monkeypatch.setattr(registry, "_kinds", dict(test_kinds))
    return test_kinds


def document(network: Network | None, **fields) -> Document:
    """A note in `network`, written a minute after the previous one (ids grow with each document, and
    the times with them); `fields` override any part."""
    object_id = fields.pop("object_id", next(_ids))
    values = {
        "kind": NOTE,
        "object_id": object_id,
        "network_id": network.pk if network else None,
        "scope": f"shelf:{network.pk}:a" if network else "",
        "title": f"Note {object_id}",
        "text": "",
        "url": f"/notes/{object_id}/",
        "author_id": None,
        "created_at": timezone.now() - timedelta(days=1) + timedelta(minutes=object_id),
    }
    return Document(**{**values, **fields})


def index(network: Network | None, **fields) -> Document:
    doc = document(network, **fields)
    index_documents([doc])
    return doc
