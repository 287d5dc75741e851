"""`manage.py backup` and `restore` (issue #11, §10): demo-like data and attachment
files go into one archive and come back, row for row and byte for byte, into an
empty database and media root (SQLite on a laptop, PostgreSQL in CI)."""
import datetime
import io
import os
import sqlite3
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from core.backup import database_state, media_files, sha256_of
from models_registry import services as model_services
from models_registry.models import Attachment
from tests.factories import ModelKindFactory, PropagandaSessionFactory, pdf_upload, png_upload

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.django_db(transaction=True)  # pg_dump and a copy of SQLite see committed rows only


@pytest.fixture
def demo_like(world, media_root):
    """Areas, units, people and sessions of the world, and a model with a photo and a PDF."""
    for day, people in [(datetime.date(2020, 3, 20), 120), (datetime.date(2021, 5, 2), 80)]:
        PropagandaSessionFactory(ward=world.ward_a, held_on=day, attendance=people, unit=world.unit_a)
    model_services.model_create(
        ward=world.ward_a, user=world.officer_a, name="Sinh viên tự quản", kind=ModelKindFactory(),
        launched_on=datetime.date(2020, 3, 20), members=1200, units=[world.unit_a],
        attachments=[png_upload(), pdf_upload()])
    return world


@pytest.fixture
def empty_database(tmp_path):
    """(DATABASE_URL for a subprocess or None for SQLite, a function counting its rows):
    a database of the same engine as the test run's, with no tables at all."""
    if connection.vendor == "sqlite":
        path = tmp_path / "restored" / "db.sqlite3"
        path.parent.mkdir()

        def state():
            restored = sqlite3.connect(path)
            try:
                return database_state(restored.cursor(), connection)
            finally:
                restored.close()

        yield {"DJANGO_VAR_DIR": str(path.parent)}, state
        return
    params = connection.settings_dict
    name = f"{params['NAME']}_restore"
    admin = connection.get_new_connection(connection.get_connection_params())
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        cursor.execute(f'CREATE DATABASE "{name}"')
    url = (f"postgres://{params['USER'] or ''}{':' + params['PASSWORD'] if params['PASSWORD'] else ''}"
           f"@{params['HOST'] or '127.0.0.1'}:{params['PORT'] or 5432}/{name}")

    def state():
        restored = connection.get_new_connection({**connection.get_connection_params(), "dbname": name})
        try:
            with restored.cursor() as cursor:
                return database_state(cursor, connection)
        finally:
            restored.close()

    yield {"DATABASE_URL": url}, state
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.close()


def run_restore(archive, database_env, media):
    """`manage.py restore` as an operator runs it, on another database and media root."""
    env = {key: value for key, value in os.environ.items() if key not in {"DATABASE_URL", "DJANGO_VAR_DIR"}}
    env.update({**database_env, "DJANGO_SETTINGS_MODULE": "config.settings.base", "DJANGO_MEDIA_ROOT": str(media),
                "DJANGO_LOG_LEVEL": "WARNING"})
    return subprocess.run([sys.executable, "manage.py", "restore", str(archive)], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=300)


def test_a_backup_restores_every_row_and_attachment_into_an_empty_database(demo_like, media_root, empty_database,
                                                                           tmp_path):
    # given
    database_env, restored_state = empty_database
    with connection.cursor() as cursor:
        migrations, counts = database_state(cursor, connection)
    files = {name: sha256_of(path) for name, path in media_files(media_root).items()}
    assert len(files) == 2 and counts["models_registry_attachment"] == 2 and counts["movement_propagandasession"] == 2
    archive = tmp_path / "backups" / "antq.tar.gz"
    # when
    call_command("backup", str(archive), stdout=io.StringIO())
    result = run_restore(archive, database_env, tmp_path / "restored-media")
    # then: the same rows in every table, the same migrations, the same bytes in every file
    assert result.returncode == 0, result.stderr
    assert "khớp manifest" in result.stdout
    assert restored_state() == (migrations, counts)
    restored_files = media_files(tmp_path / "restored-media")
    assert {name: sha256_of(path) for name, path in restored_files.items()} == files
    assert {a.file.name for a in Attachment.objects.all()} == set(restored_files)


def test_the_archive_holds_a_manifest_the_database_and_the_files(demo_like, tmp_path):
    archive = tmp_path / "antq.tar.gz"
    call_command("backup", str(archive), stdout=io.StringIO())
    with tarfile.open(archive) as opened:
        names = opened.getnames()
    assert names[0] == "manifest.json"
    assert names[1] in {"database.pgdump", "database.sqlite3"}
    assert sorted(names[2:]) == sorted(f"media/{a.file.name}" for a in Attachment.objects.all())


def test_restore_refuses_a_database_that_is_not_empty(demo_like, tmp_path):
    # given: a backup, and the database it came from, still full
    archive = tmp_path / "antq.tar.gz"
    call_command("backup", str(archive), stdout=io.StringIO())
    with connection.cursor() as cursor:
        before = database_state(cursor, connection)
    # when
    with pytest.raises(CommandError) as refused:
        call_command("restore", str(archive))
    # then: a clear Vietnamese refusal, and nothing touched
    assert "không trống" in str(refused.value) and "cơ sở dữ liệu trống" in str(refused.value)
    with connection.cursor() as cursor:
        assert database_state(cursor, connection) == before
