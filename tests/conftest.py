"""Shared pytest fixtures for the whole suite."""

import shutil
from pathlib import Path

import pytest
from django.conf import settings

from tests.db_setup import database_free_tests_first, django_db_setup, drop_run_template  # noqa: F401 - see db_setup.py

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.hookimpl(trylast=True)  # after pytest-django's own ordering
def pytest_collection_modifyitems(config, items):
    database_free_tests_first(config, items)


def pytest_sessionfinish(session):
    drop_run_template(session)


@pytest.fixture(autouse=True)
def _isolated_media(tmp_path, settings):
    """Every test writes uploads into its own temporary MEDIA_ROOT and private storage."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {**settings.STORAGES["private"], "OPTIONS": {"location": tmp_path / "private"}},
    }
    yield
    shutil.rmtree(tmp_path / "media", ignore_errors=True)
    shutil.rmtree(tmp_path / "private", ignore_errors=True)


@pytest.fixture(autouse=True)
def _clear_cache():
    """Start every test with an empty cache: throttle counters and cached reads never leak between tests."""
    from django.core.cache import caches

    for alias in caches:
        caches[alias].clear()
    yield


@pytest.fixture(autouse=True)
def _default_language():
    """Every test starts in the default language (Indonesian): no test inherits another's activation."""
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def fixtures_dir() -> Path:
    """Path of ``tests/fixtures`` (copies of the shared real-shaped inputs)."""
    return FIXTURES


def is_postgres() -> bool:
    return settings.DATABASES["default"]["ENGINE"].endswith("postgresql")


requires_postgres = pytest.mark.skipif(not is_postgres(), reason="needs PostgreSQL (set DATABASE_URL)")
