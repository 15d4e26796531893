"""Issue 15 item 10: without Redis every process of an install shares the cache (a directory on disk), so a page
published by another process (the qcluster's news approval, ``manage.py``, another worker) is served fresh by
the web process at once — not up to five minutes later, as with per-process local-memory caches.

A real second process (``python -c``) publishes against the same PostgreSQL test database and the same cache
directory; this process serves the page before and after through the public response cache.
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.db import connection
from django.test import override_settings
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Locale, Page

from home.models import StandardPage
from tests.conftest import requires_postgres

from .factories import add_child, make_site

pytestmark = [requires_postgres, pytest.mark.django_db(transaction=True)]

PUBLISH = """
import django
django.setup()
from home.models import StandardPage
page = StandardPage.objects.get(pk={pk})
page.title = "Judul baru dari proses lain"
page.save_revision().publish()
"""


def _database_url() -> str:
    db = connection.settings_dict
    return f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def test_a_page_published_by_another_process_is_served_fresh_at_once(client, tmp_path):
    cache_dir = str(tmp_path / "cache")
    shared = {
        alias: {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache", "LOCATION": cache_dir}
        for alias in ("default", "strict")
    }
    # An earlier transactional test may have flushed what migrations create (the locale, the page tree's root).
    Locale.objects.get_or_create(language_code=get_supported_content_language_variant(settings.LANGUAGE_CODE))
    if Page.get_first_root_node() is None:
        Page.add_root(instance=Page(title="Root", slug="root"))
    page = add_child(make_site(), StandardPage(title="Judul lama", slug="berbagi-cache"))
    url = f"/api/v2/pages/{page.pk}/"
    with override_settings(CACHES=shared, PESAN_PUBLIC_CACHE_SECONDS=300):
        assert client.get(url).json()["title"] == "Judul lama"
        cached = client.get(url)
        assert cached["X-Cache"] == "HIT" and cached.json()["title"] == "Judul lama"

        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "pesan_cms.settings.test",
            "PESAN_TEST_CACHE_DIR": cache_dir,
            "DATABASE_URL": _database_url(),
        }
        env.pop("PYTEST_XDIST_WORKER", None)
        done = subprocess.run(
            [sys.executable, "-c", PUBLISH.format(pk=page.pk)],
            cwd=settings.BASE_DIR,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode == 0, done.stderr[-2000:]

        fresh = client.get(url)
        assert fresh.json()["title"] == "Judul baru dari proses lain"
        assert fresh["X-Cache"] == "MISS"
