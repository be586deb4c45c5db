from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models

from network.models import Network


class SearchEntry(models.Model):
    """One searchable thing (a topic, a post, later a story or a person), whatever app it belongs to.

    One table for every kind, so that one query ranks them all together. The owning app writes rows
    through search.services; `text` is plain text (never HTML), `url` where the result leads. On
    PostgreSQL `vector` holds the weighted lexemes of the title and the text and has a GIN index, which
    migration 0001 creates there only (SQLite has neither tsvector nor GIN, and searches without them).
    """

    kind = models.CharField(max_length=32)
    object_id = models.PositiveBigIntegerField()
    # Null for what belongs to no network (a person, say). Not indexed alone: (network, scope) serves.
    network = models.ForeignKey(
        Network, null=True, blank=True, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    # What part of the network the entry is in, as its kind names it (`category:12`); "" for none.
    scope = models.CharField(max_length=64, blank=True)
    title = models.CharField(max_length=300)
    # A reply shows its topic's title but does not match on it: the topic's own entry does.
    title_searchable = models.BooleanField(default=True)
    text = models.TextField(blank=True)
    url = models.CharField(max_length=500)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField()
    vector = SearchVectorField(null=True, editable=False)

    class Meta:
        verbose_name_plural = "search entries"
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_id"], name="search_entry_unique_object"),
        ]
        indexes = [
            models.Index(fields=["network", "scope"], name="search_entry_network_scope"),
            # The SQLite fallback lists matches newest first.
            models.Index(fields=["-created_at"], name="search_entry_recent"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.object_id}: {self.title}"

    def get_absolute_url(self) -> str:
        return self.url
