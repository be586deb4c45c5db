from django.db import models


class Stream(models.Model):
    """A named sequence of events (`chat:12`, `topic:7`, `user:3`…) and the last number it gave out.

    Appending an event locks this row until the transaction ends, so that sequence numbers are
    committed in the order they were given: a reader that sees event N knows 1..N-1 are readable too.
    """

    key = models.CharField(max_length=80, unique=True)
    last_seq = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.key} @ {self.last_seq}"


class Event(models.Model):
    """One committed event of a stream: the backlog a reconnecting client catches up from.

    `subject` names the object the event is about (`chat.message:42`), so that when that object is
    hidden or deleted, every earlier event about it can be redacted in place and replays show it as
    hidden, never its old content.
    """

    stream = models.ForeignKey(Stream, on_delete=models.CASCADE, related_name="events")
    seq = models.BigIntegerField()
    kind = models.CharField(max_length=40)
    subject = models.CharField(max_length=80, blank=True)
    data = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["stream", "seq"], name="event_seq_unique_per_stream")]
        indexes = [models.Index(fields=["subject"], name="event_subject_idx")]

    def __str__(self) -> str:
        return f"{self.stream_id}#{self.seq} {self.kind}"
