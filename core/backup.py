"""Backups that restore: the database and the uploaded files in one archive.

An archive is a tar.gz holding manifest.json, the database (pg_dump's custom
format on PostgreSQL, a copy of the SQLite file made with sqlite3's backup API)
and media/ (every file under MEDIA_ROOT). The manifest records what restoring
must bring back, and restore_archive checks it: the engine, the applied
migrations, the rows of every table and the SHA-256 of every file.

Domain-free on purpose: tables, rows and files, whatever the apps above store.
"""
import datetime
import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from pathlib import Path, PurePosixPath

import django
from django.conf import settings
from django.db import connections

FORMAT = 1
MANIFEST = "manifest.json"
DATABASE_MEMBER = {"postgresql": "database.pgdump", "sqlite": "database.sqlite3"}
MEDIA_PREFIX = "media/"
CHUNK = 1024 * 1024  # hashing and copying read 1 MB at a time, whatever the file's size


class BackupError(Exception):
    """A backup or restore refused or failed; the message says why, in Vietnamese."""


def sha256_of(path):
    digest = hashlib.sha256()
    with open(path, "rb") as stream:
        while chunk := stream.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def media_files(root):
    """{path relative to the media root, POSIX style: absolute path} of every file."""
    root = Path(root)
    if not root.is_dir():
        return {}
    return {path.relative_to(root).as_posix(): path for path in sorted(root.rglob("*")) if path.is_file()}


def _vendor(connection):
    if connection.vendor not in DATABASE_MEMBER:
        raise BackupError(f"Chưa hỗ trợ sao lưu cơ sở dữ liệu {connection.vendor} (chỉ PostgreSQL và SQLite).")
    return connection.vendor


def _table_names(cursor, vendor):
    if vendor == "postgresql":
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename")
    else:
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
                       "ORDER BY name")
    return [row[0] for row in cursor.fetchall()]


def database_state(cursor, connection):
    """(applied migrations as "app.name", {table: rows}) read through a DB-API cursor."""
    quote = connection.ops.quote_name
    tables = _table_names(cursor, connection.vendor)
    counts = {}
    for table in tables:
        cursor.execute(f"SELECT COUNT(*) FROM {quote(table)}")  # noqa: S608 (names come from the catalogue)
        counts[table] = cursor.fetchone()[0]
    migrations = []
    if "django_migrations" in counts:
        cursor.execute("SELECT app, name FROM django_migrations ORDER BY app, name")
        migrations = [f"{app}.{name}" for app, name in cursor.fetchall()]
    return migrations, counts


def _pg_command(program, connection, *args):
    """A pg_dump/pg_restore command line and environment for the connection's database."""
    params = connection.settings_dict
    command = [program, "--dbname", params["NAME"], *args]
    for flag, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if params.get(key):
            command += [flag, str(params[key])]
    env = {**os.environ}
    if params.get("PASSWORD"):
        env["PGPASSWORD"] = params["PASSWORD"]
    if params.get("OPTIONS", {}).get("sslmode"):
        env["PGSSLMODE"] = params["OPTIONS"]["sslmode"]
    return command, env


def _run(command, env=None):
    try:
        result = subprocess.run(command, env=env, capture_output=True, text=True)
    except FileNotFoundError:
        raise BackupError(f"Không tìm thấy chương trình {command[0]} (cài gói postgresql-client).") from None
    if result.returncode:
        raise BackupError(f"{command[0]} thất bại (mã {result.returncode}): {result.stderr.strip()[:2000]}")


def _dump_database(connection, target):
    """Write the database to target; returns (migrations, counts) of that very state.

    On PostgreSQL the rows are counted in a read-only repeatable-read transaction
    whose snapshot pg_dump shares (--snapshot): the counts describe exactly the
    dump even while the app keeps writing. On SQLite the copy is counted."""
    raw = connection.get_new_connection(connection.get_connection_params())
    try:
        if connection.vendor == "postgresql":
            raw.set_session(isolation_level="REPEATABLE READ", readonly=True)
            with raw.cursor() as cursor:
                cursor.execute("SELECT pg_export_snapshot()")
                snapshot = cursor.fetchone()[0]
                state = database_state(cursor, connection)
            command, env = _pg_command("pg_dump", connection, "--format=custom", "--no-owner", "--no-privileges",
                                       f"--snapshot={snapshot}", f"--file={target}")
            _run(command, env)
            raw.rollback()
            return state
        copy = sqlite3.connect(target)
        try:
            raw.backup(copy)
            cursor = copy.cursor()
            return database_state(cursor, connection)
        finally:
            copy.close()
    finally:
        raw.close()


def _add_bytes(archive, name, data):
    info = tarfile.TarInfo(name)
    info.size, info.mtime, info.mode = len(data), int(datetime.datetime.now().timestamp()), 0o600
    archive.addfile(info, fileobj=io.BytesIO(data))


def backup_create(*, path, using="default"):
    """Write the archive to path (through a temporary file beside it, so a failed
    backup never leaves a half archive under the final name); returns the manifest."""
    connection = connections[using]
    vendor = _vendor(connection)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=path.parent, prefix=".backup-") as work:
        database = Path(work) / DATABASE_MEMBER[vendor]
        migrations, counts = _dump_database(connection, database)
        media = media_files(settings.MEDIA_ROOT)
        manifest = {
            "format": FORMAT, "created_at": datetime.datetime.now(datetime.timezone.utc).isoformat(),
            "engine": vendor, "django": django.get_version(), "migrations": migrations, "tables": counts,
            "database": {"member": database.name, "sha256": sha256_of(database), "bytes": database.stat().st_size},
            "media": {name: sha256_of(file) for name, file in media.items()},
        }
        partial = Path(work) / "archive.tar.gz"
        with tarfile.open(partial, "w:gz") as archive:
            _add_bytes(archive, MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=1).encode())
            archive.add(database, arcname=database.name)
            for name, file in media.items():
                archive.add(file, arcname=MEDIA_PREFIX + name)
        os.replace(partial, path)
    return manifest


def read_manifest(archive):
    try:
        manifest = json.load(archive.extractfile(MANIFEST))
    except (KeyError, ValueError, TypeError):
        raise BackupError("Tệp này không phải bản sao lưu của ứng dụng (thiếu manifest.json).") from None
    if manifest.get("format") != FORMAT:
        raise BackupError(f"Bản sao lưu định dạng {manifest.get('format')}; phiên bản này đọc định dạng {FORMAT}.")
    return manifest


def _safe_media_name(name):
    parts = PurePosixPath(name).parts
    if not parts or PurePosixPath(name).is_absolute() or ".." in parts:
        raise BackupError(f"Bản sao lưu chứa đường dẫn tệp không hợp lệ: {name}")
    return Path(*parts)


def _refuse_unless_empty(connection):
    with connection.cursor() as cursor:
        tables = _table_names(cursor, connection.vendor)
    if tables:
        raise BackupError(
            f"Cơ sở dữ liệu đích không trống ({len(tables)} bảng, ví dụ {', '.join(tables[:3])}): chỉ khôi phục "
            f"vào một cơ sở dữ liệu trống. Tạo một cơ sở dữ liệu mới (createdb …, hoặc một tệp SQLite mới) và trỏ "
            f"DATABASE_URL tới đó, không chạy migrate trước.")


def _media_plan(manifest):
    """[(name, target path)] of the files to write; refuses (before anything is
    written) to overwrite a file whose content differs."""
    root, plan = Path(settings.MEDIA_ROOT), []
    for name, digest in manifest["media"].items():
        target = root / _safe_media_name(name)
        if target.exists():
            if sha256_of(target) != digest:
                raise BackupError(f"Thư mục tệp {root} đã có {name} với nội dung khác: không ghi đè. "
                                  f"Khôi phục vào một thư mục tệp (DJANGO_MEDIA_ROOT) trống.")
            continue
        plan.append((name, target))
    return plan


def _load_database(connection, source):
    if connection.vendor == "postgresql":
        connection.close()
        command, env = _pg_command("pg_restore", connection, "--no-owner", "--no-privileges", "--exit-on-error",
                                   "--single-transaction", str(source))
        _run(command, env)
        return
    connection.ensure_connection()
    copy = sqlite3.connect(source)
    try:
        copy.backup(connection.connection)
    finally:
        copy.close()


def restore_archive(*, path, using="default"):
    """Bring an archive back into an empty database and the media root; returns
    the manifest once the restored rows and files match it."""
    connection = connections[using]
    vendor = _vendor(connection)
    try:
        archive = tarfile.open(path, "r:gz")
    except (OSError, tarfile.TarError) as error:
        raise BackupError(f"Không đọc được bản sao lưu {path}: {error}") from None
    with archive, tempfile.TemporaryDirectory(prefix="antq-restore-") as work:
        manifest = read_manifest(archive)
        if manifest["engine"] != vendor:
            raise BackupError(f"Bản sao lưu là của {manifest['engine']}, còn cơ sở dữ liệu đích là {vendor}: "
                              f"khôi phục vào cùng loại cơ sở dữ liệu.")
        _refuse_unless_empty(connection)
        plan = _media_plan(manifest)
        database = Path(work) / DATABASE_MEMBER[vendor]
        _extract(archive, manifest["database"]["member"], database)
        if sha256_of(database) != manifest["database"]["sha256"]:
            raise BackupError("Bản sao lưu bị hỏng: cơ sở dữ liệu trong đó không khớp mã băm của manifest.")
        _load_database(connection, database)
        for name, target in plan:
            target.parent.mkdir(parents=True, exist_ok=True)
            _extract(archive, MEDIA_PREFIX + name, target)
            if sha256_of(target) != manifest["media"][name]:
                raise BackupError(f"Bản sao lưu bị hỏng: tệp {name} không khớp mã băm của manifest.")
    with connection.cursor() as cursor:
        migrations, counts = database_state(cursor, connection)
    if counts != manifest["tables"] or migrations != manifest["migrations"]:
        differ = sorted(t for t in set(counts) | set(manifest["tables"])
                        if counts.get(t) != manifest["tables"].get(t))
        raise BackupError(f"Đã khôi phục nhưng số dòng không khớp manifest ở các bảng: {', '.join(differ) or '—'}.")
    return manifest


def _extract(archive, member, target):
    try:
        source = archive.extractfile(member)
    except KeyError:
        source = None
    if source is None:
        raise BackupError(f"Bản sao lưu thiếu {member}.")
    with source, open(target, "wb") as out:
        shutil.copyfileobj(source, out, CHUNK)
