"""Production settings: ``check --deploy`` is clean with the required variables; missing secrets stop start-up.

Each case runs ``manage.py`` in a subprocess with DJANGO_SETTINGS_MODULE=pesan_cms.settings.production and a
controlled environment (nothing inherited that could mask a missing variable).
"""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.fernet import Fernet

BASE_DIR = Path(__file__).resolve().parent.parent

_PASSTHROUGH = ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR", "SYSTEMROOT", "VIRTUAL_ENV")


def _environment(tmp_path, **overrides) -> dict[str, str]:
    env = {name: os.environ[name] for name in _PASSTHROUGH if name in os.environ}
    env.update(
        DJANGO_SETTINGS_MODULE="pesan_cms.settings.production",
        SECRET_KEY=secrets.token_urlsafe(64),
        PESAN_ENCRYPTION_KEY=Fernet.generate_key().decode(),
        ALLOWED_HOSTS="ppid.example.go.id,www.ppid.example.go.id",
        CSRF_TRUSTED_ORIGINS="https://ppid.example.go.id",
        DATABASE_URL=f"sqlite:///{tmp_path / 'production.sqlite3'}",
        MEDIA_ROOT=str(tmp_path / "media"),
        PYTHONDONTWRITEBYTECODE="1",
    )
    for name, value in overrides.items():
        if value is None:
            env.pop(name, None)
        else:
            env[name] = value
    return env


def _manage(env, *args, timeout=300) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


@pytest.fixture(scope="module")
def migrated_env(tmp_path_factory):
    """Production environment with a migrated SQLite database (as after the first deploy)."""
    tmp_path = tmp_path_factory.mktemp("deploy")
    env = _environment(tmp_path)
    result = _manage(env, "migrate", "--noinput", "-v", "0")
    assert result.returncode == 0, result.stderr[-3000:]
    return env


def test_check_deploy_prints_no_warnings(migrated_env):
    result = _manage(migrated_env, "check", "--deploy", "--fail-level", "WARNING")
    output = result.stdout + result.stderr
    assert result.returncode == 0, output[-5000:]
    assert "WARNINGS:" not in output
    assert "System check identified no issues" in output


def test_check_deploy_does_catch_a_weak_secret_key(migrated_env):
    """The clean result above is meaningful: the same check flags an insecure key."""
    env = {**migrated_env, "SECRET_KEY": "django-insecure-short"}
    result = _manage(env, "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode != 0
    assert "security.W009" in result.stdout + result.stderr


@pytest.mark.parametrize("missing", ["SECRET_KEY", "PESAN_ENCRYPTION_KEY"])
@pytest.mark.parametrize("value", [None, ""])
def test_production_refuses_to_start_without_secret(tmp_path, missing, value):
    env = _environment(tmp_path, **{missing: value})
    result = _manage(env, "check", timeout=120)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert missing in result.stderr
