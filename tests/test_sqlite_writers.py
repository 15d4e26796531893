"""The embedded default (SQLite) has two writers — the web server and the django-q2 workers. A transaction that
reads, then writes (the outbox's lock-run-mark) must wait for the other writer instead of failing with
"database is locked" (seen under ``make run``: 24 outbox runs failed in the first minutes). Two real processes,
one SQLite file, the project's settings."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

WRITER = textwrap.dedent(
    """
    import os, sys, time, django
    django.setup()
    from django.db import connection, transaction
    errors = 0
    for i in range(15):
        try:
            with transaction.atomic():
                with connection.cursor() as cursor:
                    cursor.execute("SELECT COUNT(*) FROM box")
                    time.sleep(0.02)  # the other process reads meanwhile
                    cursor.execute("INSERT INTO box (who) VALUES (%s)", [sys.argv[1]])
        except Exception as exc:  # noqa: BLE001
            errors += 1
            print("ERROR", exc, flush=True)
    print("ERRORS", errors, flush=True)
    """
)


def test_two_processes_writing_to_the_embedded_database_wait_for_each_other(tmp_path):
    database = tmp_path / "embedded.sqlite3"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "pesan_cms.settings.dev",
        "DATABASE_URL": f"sqlite:///{database}",
        "PYTHONPATH": str(ROOT),
    }
    env.pop("PYTEST_XDIST_WORKER", None)
    setup = (
        "import django; django.setup(); from django.db import connection; "
        "connection.cursor().execute('CREATE TABLE box (who TEXT)')"
    )
    subprocess.run([sys.executable, "-c", setup], env=env, cwd=ROOT, check=True, capture_output=True)
    writers = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, name], env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
        )
        for name in ("web", "worker")
    ]
    outputs = [w.communicate(timeout=120)[0].decode() for w in writers]
    assert all("ERRORS 0" in out for out in outputs), outputs
