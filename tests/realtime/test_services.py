import pytest
from django.db import transaction

from realtime.models import Event
from realtime.selectors import events_after, last_seq
from realtime.services import append_event, redact_events

pytestmark = pytest.mark.django_db(transaction=True)


def test_sequence_numbers_increase_per_stream_and_publish_on_commit(monkeypatch):
    published = []
    monkeypatch.setattr("realtime.hub.publish", lambda stream, seq, frame: published.append((stream, seq)))

    with transaction.atomic():
        append_event(stream="probe:a", kind="note", data={})
        append_event(stream="probe:b", kind="note", data={})
        append_event(stream="probe:a", kind="note", data={})
        assert published == []  # nothing leaves before the commit

    assert published == [("probe:a", 1), ("probe:b", 1), ("probe:a", 2)]
    assert last_seq(stream="probe:a") == 2


def test_a_rolled_back_event_is_never_published_and_its_number_is_reused(monkeypatch):
    published = []
    monkeypatch.setattr("realtime.hub.publish", lambda stream, seq, frame: published.append(seq))

    def failing_change():
        with transaction.atomic():
            append_event(stream="probe:c", kind="note", data={})
            raise RuntimeError("the change failed")

    with pytest.raises(RuntimeError):
        failing_change()
    with transaction.atomic():
        event = append_event(stream="probe:c", kind="note", data={})

    assert published == [1]
    assert event.seq == 1


def test_appending_outside_a_transaction_is_refused():
    with pytest.raises(RuntimeError, match="inside the transaction"):
        append_event(stream="probe:d", kind="note", data={})


def test_redacted_events_replay_without_their_old_content():
    with transaction.atomic():
        append_event(stream="probe:e", kind="posted", data={"id": 1, "body": "secret"}, subject="note:1")
        append_event(stream="probe:e", kind="posted", data={"id": 2, "body": "kept"}, subject="note:2")
        changed = redact_events(
            subject="note:1", redact=lambda kind, data: {"id": data["id"], "hidden": True}
        )

    frames = [frame for _seq, frame in events_after(stream="probe:e", after=0)]
    assert changed == 1
    assert '"hidden":true' in frames[0]
    assert "secret" not in frames[0]
    assert '"body":"kept"' in frames[1]
    assert Event.objects.filter(subject="note:1").get().data == {"id": 1, "hidden": True}
