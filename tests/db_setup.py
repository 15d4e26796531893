"""Test databases for parallel and repeated runs: migrate once into a template, give every run a fresh copy.

pytest-django's own ``django_db_setup`` migrates a new test database in every pytest-xdist worker (218
migrations, about 15 s of CPU each) and, with ``--reuse-db``, keeps the database as the last transactional test
left it: flushed, so what Wagtail's data migrations made (root page, root collection, locale, default site) is
gone in the next run (tests/layanan/test_admin_chrome.py failed the second time).
Here, with ``-n`` or ``--reuse-db``, one process migrates a *template* and every worker gets a copy:

- PostgreSQL: the template is the database ``<test database>_template``; a worker's copy is
  ``CREATE DATABASE test_…_gwN TEMPLATE …`` (under a second). Workers take turns under an advisory lock.
- SQLite: the template is a file; a worker loads it into its in-memory test database (SQLite's backup API).
  Turns: ``flock`` on a file beside it.

No test ever uses the template, so it stays as ``migrate`` left it and every run starts from the same state.
The template carries a stamp: the run that built it and a fingerprint of every migration file. A run without
``--reuse-db`` builds its own (and drops it at the end); ``--reuse-db`` keeps it between runs and rebuilds it when
a migration file changed or with ``--create-db``. Without ``-n`` and ``--reuse-db``, with ``--nomigrations``, or
with more than one database, pytest-django's set-up runs as before.
"""

from __future__ import annotations

import fcntl
import hashlib
import sqlite3
import sys
import tempfile
import uuid
import warnings
from pathlib import Path

import pytest

STAMP = "pesan-test-template"
_RUN_KEY = pytest.StashKey[str]()


def _run_id(config: pytest.Config) -> str:
    """Shared by the controller and every xdist worker of one run; a new one for each serial run."""
    workerinput = getattr(config, "workerinput", None)
    if workerinput and workerinput.get("testrunuid"):
        return workerinput["testrunuid"]
    if _RUN_KEY not in config.stash:
        config.stash[_RUN_KEY] = uuid.uuid4().hex
    return config.stash[_RUN_KEY]


def _migrations_fingerprint() -> str:
    """Hash of the name and content of every migration file on disk (any app, Wagtail's too)."""
    from django.db.migrations.loader import MigrationLoader

    loader = MigrationLoader(None, ignore_no_migrations=True)
    digest = hashlib.sha256()
    for (app_label, name), migration in sorted(loader.disk_migrations.items()):
        digest.update(f"{app_label}.{name}\0".encode())
        path = getattr(sys.modules.get(type(migration).__module__), "__file__", None)
        if path:
            digest.update(Path(path).read_bytes())
    return digest.hexdigest()[:16]


def _usable(stamp: str | None, run: str, fingerprint: str, keepdb: bool, createdb: bool) -> bool:
    """A complete template from this run, or (``--reuse-db``) from an earlier run with the same migrations."""
    if not stamp or not stamp.startswith(STAMP + " "):
        return False
    fields = dict(part.split("=", 1) for part in stamp.split()[1:] if "=" in part)
    if fields.get("migrations") != fingerprint:
        return False
    return fields.get("run") == run or (keepdb and not createdb)


def _build_template(connection, name: str, verbosity: int) -> None:
    """``migrate`` into a new database (file) ``name`` through Django's own test-database creation."""
    test_settings = connection.settings_dict["TEST"]
    saved_test_name, saved_name = test_settings.get("NAME"), connection.settings_dict["NAME"]
    test_settings["NAME"] = name
    try:
        connection.creation.create_test_db(verbosity=verbosity, autoclobber=True, serialize=False, keepdb=False)
    finally:
        connection.close()
        test_settings["NAME"] = saved_test_name
        _point_at(connection, saved_name)


def _point_at(connection, name: str) -> None:
    from django.conf import settings

    connection.close()
    settings.DATABASES[connection.alias]["NAME"] = name
    connection.settings_dict["NAME"] = name


def _setup_postgresql(connection, config, keepdb, createdb, verbosity) -> None:
    worker_db = connection.creation._get_test_db_name()
    template = template_name(connection, config)
    run, fingerprint = _run_id(config), _migrations_fingerprint()
    quote = connection.ops.quote_name
    lock = int.from_bytes(hashlib.sha256(template.encode()).digest()[:8], "big", signed=True)
    with connection.creation._nodb_cursor() as cursor:
        cursor.execute("SELECT pg_advisory_lock(%s)", [lock])
        try:
            sql = "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s"
            cursor.execute(sql, [template])
            row = cursor.fetchone()
            if not _usable(row[0] if row else None, run, fingerprint, keepdb, createdb):
                _build_template(connection, template, verbosity)
                stamp = f"{STAMP} run={run} migrations={fingerprint}"
                cursor.execute(f"COMMENT ON DATABASE {quote(template)} IS %s", [stamp])
            cursor.execute(f"DROP DATABASE IF EXISTS {quote(worker_db)}")
            cursor.execute(f"CREATE DATABASE {quote(worker_db)} WITH TEMPLATE {quote(template)}")
        finally:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [lock])
    _point_at(connection, worker_db)


def _setup_sqlite(connection, config, directory: Path, keepdb, createdb, verbosity) -> None:
    memory_db = connection.creation._get_test_db_name()  # file:memorydb_default?mode=memory&cache=shared
    directory.mkdir(parents=True, exist_ok=True)
    template, stamp_file = directory / "template.sqlite3", directory / "template.stamp"
    run, fingerprint = _run_id(config), _migrations_fingerprint()
    with open(directory / "template.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        stamp = stamp_file.read_text() if stamp_file.exists() and template.exists() else None
        if not _usable(stamp, run, fingerprint, keepdb, createdb):
            stamp_file.unlink(missing_ok=True)
            _build_template(connection, str(template), verbosity)
            stamp_file.write_text(f"{STAMP} run={run} migrations={fingerprint}")
        _point_at(connection, memory_db)
        connection.ensure_connection()
        source = sqlite3.connect(f"file:{template}?mode=ro", uri=True)
        try:
            source.backup(connection.connection)
        finally:
            source.close()


def template_name(connection, config) -> str:
    """``test_<NAME>_template`` (PostgreSQL): the test database's name without the xdist worker suffix."""
    name = connection.creation._get_test_db_name()
    worker = getattr(config, "workerinput", {}).get("workerid")
    if worker and name.endswith(f"_{worker}"):
        name = name[: -len(worker) - 1]
    return f"{name}_template"


def _sqlite_directory(config, tmp_path_factory, keepdb: bool) -> Path:
    """``--reuse-db``: a directory of this checkout under the system temp dir; otherwise this run's temp dir
    (shared by the xdist workers: each one's basetemp is a sub-directory of it)."""
    if keepdb:
        from django.conf import settings

        checkout = hashlib.sha256(str(settings.BASE_DIR).encode()).hexdigest()[:12]
        return Path(tempfile.gettempdir()) / f"pesan-test-db-{checkout}"
    base = tmp_path_factory.getbasetemp()
    return base.parent if hasattr(config, "workerinput") else base


@pytest.fixture(scope="session")
def django_db_setup(
    request,
    tmp_path_factory,
    django_test_environment,
    django_db_blocker,
    django_db_use_migrations,
    django_db_keepdb,
    django_db_createdb,
    django_db_modify_db_settings,
):
    """pytest-django's ``django_db_setup``, with the template copy above for ``-n`` / ``--reuse-db`` runs."""
    from django.conf import settings
    from django.db import connections
    from django.test.utils import setup_databases, teardown_databases
    from pytest_django.fixtures import _disable_migrations, _get_databases_for_setup

    config = request.config
    verbosity = config.option.verbose
    aliases, serialized_aliases = _get_databases_for_setup(request.session.items)
    connection = connections["default"]
    in_memory_sqlite = connection.vendor == "sqlite" and connection.creation.is_in_memory_db(
        connection.creation._get_test_db_name()
    )
    template = (
        django_db_use_migrations
        and (hasattr(config, "workerinput") or django_db_keepdb)
        and set(settings.DATABASES) == {"default"}
        and set(aliases) <= {"default"}
        and not serialized_aliases
        and (connection.vendor == "postgresql" or in_memory_sqlite)
    )
    if not template:  # pytest-django's own set-up, unchanged
        if not django_db_use_migrations:
            _disable_migrations()
        keep = {"keepdb": True} if django_db_keepdb and not django_db_createdb else {}
        with django_db_blocker.unblock():
            db_cfg = setup_databases(
                verbosity=verbosity,
                interactive=False,
                aliases=aliases,
                serialized_aliases=serialized_aliases,
                **keep,
            )
        yield
        if not django_db_keepdb:
            with django_db_blocker.unblock():
                try:
                    teardown_databases(db_cfg, verbosity=verbosity)
                except Exception as exc:  # noqa: BLE001 - as pytest-django: a warning, not an error
                    request.node.warn(pytest.PytestWarning(f"Error when trying to teardown test databases: {exc!r}"))
        return

    old_name = connection.settings_dict["NAME"]
    with django_db_blocker.unblock():
        if connection.vendor == "postgresql":
            _setup_postgresql(connection, config, django_db_keepdb, django_db_createdb, verbosity)
        else:
            directory = _sqlite_directory(config, tmp_path_factory, django_db_keepdb)
            _setup_sqlite(connection, config, directory, django_db_keepdb, django_db_createdb, verbosity)
    yield
    with django_db_blocker.unblock():
        try:
            connection.creation.destroy_test_db(old_name, verbosity, keepdb=django_db_keepdb)
        except Exception as exc:  # noqa: BLE001
            request.node.warn(pytest.PytestWarning(f"Error when trying to teardown test databases: {exc!r}"))


_DB_FIXTURES = {"db", "transactional_db", "live_server", "django_db_setup", "django_db_reset_sequences"}


def _needs_database(item: pytest.Item) -> bool:
    from django.test import TransactionTestCase

    cls = getattr(item, "cls", None)
    if cls is not None and issubclass(cls, TransactionTestCase):
        return True
    return item.get_closest_marker("django_db") is not None or bool(_DB_FIXTURES & set(item.fixturenames))


def database_free_tests_first(config: pytest.Config, items: list[pytest.Item]) -> None:
    """In xdist workers: tests that need no database run before the others (pytest-django runs them last), so
    while one worker migrates the template the first worker runs them (the deployment checks' subprocesses, the
    settings probes …) instead of waiting for the database too. The database tests keep pytest-django's order
    (transactional ones last). Every worker sorts the same way, as xdist requires."""
    if hasattr(config, "workerinput"):
        items.sort(key=_needs_database)


def drop_run_template(session: pytest.Session) -> None:
    """In the xdist controller, after every worker finished: drop this run's PostgreSQL template (kept with
    ``--reuse-db``). SQLite templates live in the run's temp dir, which pytest prunes itself."""
    config = session.config
    if hasattr(config, "workerinput") or not getattr(config.option, "numprocesses", None):
        return
    if config.getoption("reuse_db", False):
        return
    try:
        from django.db import connections
        from pytest_django.plugin import blocking_manager_key

        connection = connections["default"]
        if connection.vendor != "postgresql":
            return
        with config.stash[blocking_manager_key].unblock(), connection.creation._nodb_cursor() as cursor:
            cursor.execute(f"DROP DATABASE IF EXISTS {connection.ops.quote_name(template_name(connection, config))}")
    except Exception as exc:  # noqa: BLE001 - cleaning up must never fail a run
        warnings.warn(f"could not drop the template test database: {exc!r}", stacklevel=1)
