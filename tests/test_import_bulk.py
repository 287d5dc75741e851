"""The import's bulk writer: the same records and history rows whichever path
writes them (COPY on PostgreSQL, bulk_create elsewhere), text kept exactly,
primary keys that later inserts do not collide with."""
import datetime

import pytest
from django.db import connection

from movement.imports import bulk
from movement.models import PropagandaSession, Unit
from tests.conftest import skip_outside_ci

# insert_with_history is the import's bulk writer: like bulk_create it sends no
# signal, and the import tells the rollups what it wrote (records_written,
# tests/test_rollups.py). Called alone here, it leaves them behind on purpose.
pytestmark = [pytest.mark.django_db, pytest.mark.rollups_bypassed]

AWKWARD = "Tab\there, new\nline, CR\r, back\\slash, \\N, \"quotes\" 'and' ; commas, Đô"


def _rows(world, topics):
    return [{"ward_id": world.ward_a.pk, "unit_id": world.unit_a.pk if n % 2 else None,
             "held_on": datetime.date(2024, 3, 1) + datetime.timedelta(days=n), "topic": topic,
             "channel": "hoi_nghi", "audience": "nhan_dan", "attendance": n * 10}
            for n, topic in enumerate(topics)]


def _stored(ids):
    fields = ["ward_id", "unit_id", "held_on", "topic", "channel", "audience", "attendance", "legal_document_codes"]
    by_id = {row[0]: row[1:] for row in PropagandaSession.objects.filter(pk__in=ids).values_list("pk", *fields)}
    return [by_id[pk] for pk in ids]


def _history(ids):
    by_id = {r.id: r for r in PropagandaSession.history.filter(id__in=ids)}
    return [(by_id[pk].history_type, by_id[pk].history_user_id, by_id[pk].topic, by_id[pk].attendance) for pk in ids]


def test_records_and_their_history_are_written_in_row_order(world):
    # given
    steps = []
    rows = _rows(world, [AWKWARD, "Phổ biến Luật An ninh mạng", ""])
    # when
    ids = bulk.insert_with_history(PropagandaSession, rows, user=world.officer_a, progress=steps.append)
    # then: the rows, their defaults and timestamps, text kept byte for byte
    assert len(set(ids)) == 3 and steps == [3]
    assert [s[3] for s in _stored(ids)] == [AWKWARD, "Phổ biến Luật An ninh mạng", ""]
    assert [s[1] for s in _stored(ids)] == [None, world.unit_a.pk, None]
    assert all(s[7] == "" for s in _stored(ids))
    session = PropagandaSession.objects.get(pk=ids[0])
    assert session.created_at is not None and session.updated_at is not None
    # one "created" history row each, naming the user, with the record's values
    assert _history(ids) == [("+", world.officer_a.pk, r["topic"], r["attendance"]) for r in rows]
    # a record created afterwards takes a fresh key
    later = PropagandaSession.objects.create(ward=world.ward_a, held_on=datetime.date(2024, 4, 1), topic="Sau",
                                             channel="khac", audience="khac", attendance=1)
    assert later.pk not in ids


def test_batches_report_progress(world, monkeypatch):
    monkeypatch.setattr(bulk, "IMPORT_BATCH_SIZE", 2)
    steps = []
    ids = bulk.insert_with_history(PropagandaSession, _rows(world, ["a", "b", "c", "d", "e"]), progress=steps.append)
    assert steps == [2, 2, 1] and len(ids) == 5
    assert PropagandaSession.history.filter(id__in=ids, history_user__isnull=True).count() == 5


def test_a_value_copy_cannot_write_faithfully_is_refused():
    with pytest.raises(TypeError):
        bulk._copy_text(object())


def test_copy_and_bulk_create_write_the_same_rows(world, monkeypatch):
    if connection.vendor != "postgresql":
        skip_outside_ci("COPY is PostgreSQL's; on SQLite only the bulk_create path runs")
    # given: the same rows for each path
    topics = [AWKWARD, "Một", "Hai"]
    copied = bulk.insert_with_history(PropagandaSession, _rows(world, [t + " (copy)" for t in topics]),
                                      user=world.officer_a)
    monkeypatch.setattr(bulk, "_uses_copy", lambda: False)
    created = bulk.insert_with_history(PropagandaSession, _rows(world, [t + " (orm)" for t in topics]),
                                       user=world.officer_a)

    def without_suffix(rows):
        return [tuple(v.rsplit(" (", 1)[0] if isinstance(v, str) and v.endswith(")") else v for v in row)
                for row in rows]

    # then
    assert without_suffix(_stored(copied)) == without_suffix(_stored(created))
    assert without_suffix(_history(copied)) == without_suffix(_history(created))
    # JSON and derived fields too: units with their keys
    unit_rows = [{"ward_id": world.ward_a.pk, "name": "Khối 1", "kind": "khu_dan_cu", "address": "",
                  "name_key": "khối 1", "search_text": "khoi 1"}]
    monkeypatch.undo()
    [unit_id] = bulk.insert_with_history(Unit, unit_rows, user=world.officer_a)
    unit = Unit.objects.get(pk=unit_id)
    assert (unit.is_active, unit.name_key, unit.history.get().history_user) == (True, "khối 1", world.officer_a)
