"""Security headers (issue 8): CSP per path, framing, referrer, opener policy; production cookies and HSTS;
Wagtail API v2 errors in Indonesian."""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.fernet import Fernet

BASE_DIR = Path(__file__).resolve().parent.parent.parent

pytestmark = pytest.mark.django_db


def _csp(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in header.split(";") if part.strip()}


@pytest.mark.parametrize("path", ["/wbs/", "/layanan/permohonan-informasi/", "/api/v2/lapor/categories/"])
def test_public_pages_get_the_strict_policy(client, path):
    response = client.get(path)
    assert response.status_code == 200
    policy = _csp(response)
    assert policy["script-src"] == ["'self'"] and policy["style-src"] == ["'self'"]
    assert policy["default-src"] == ["'self'"] and policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"] and policy["base-uri"] == ["'self'"]
    assert policy["form-action"] == ["'self'"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


def test_admin_policy_is_relaxed_for_the_editor_but_not_for_the_login_page(client):
    login = _csp(client.get("/admin/login/"))
    assert login["style-src"] == ["'self'", "'unsafe-inline'"]
    assert login["script-src"] == ["'self'"] and login["frame-ancestors"] == ["'none'"]
    from django.contrib.auth.models import User

    client.force_login(User.objects.create_superuser("kepala", "kepala@example.org", "x"))
    dashboard = client.get("/admin/")
    assert dashboard.status_code == 200
    admin = _csp(dashboard)
    assert admin["script-src"] == ["'self'", "'unsafe-inline'"]  # Wagtail's inline widget scripts (see base.py)
    assert admin["frame-ancestors"] == ["'self'"] and admin["connect-src"] == ["'self'"]
    assert admin["object-src"] == ["'none'"]


def test_editor_preview_of_a_public_page_may_be_framed_by_the_admin(client):
    """Wagtail renders a preview through a dummy request with the *page's* URL; it is shown in the admin's
    preview panel (an iframe), so it needs the admin's ``frame-ancestors 'self'``, not the public ``'none'``."""
    from wagtail.models import Site

    page = Site.objects.get(is_default_site=True).root_page.specific
    preview = _csp(page.make_preview_request(preview_mode=page.default_preview_mode))
    assert preview["frame-ancestors"] == ["'self'"]
    # the same page served to the public keeps the strict policy
    assert _csp(client.get(page.url))["frame-ancestors"] == ["'none'"]


def test_api_docs_get_their_relaxation_only(client):
    docs = _csp(client.get("/api/docs/"))
    assert "'unsafe-inline'" in docs["style-src"] and docs["script-src"] == ["'self'"]
    assert _csp(client.get("/api/schema/"))["style-src"] == ["'self'"]


def test_path_replace_picks_the_longest_prefix(settings):
    from pesan_cms.security import path_replace

    settings.PESAN_CSP_PATH_REPLACE = {"/a/": {"x": ["1"]}, "/a/b/": {"x": ["2"]}}
    assert path_replace("/a/b/c") == {"x": ["2"]}
    assert path_replace("/a/c") == {"x": ["1"]}
    assert path_replace("/c/") is None


def test_wagtail_api_errors_are_indonesian_by_default_and_english_on_request(client):
    response = client.get("/api/v2/pages/?foo=bar")
    assert response.status_code == 400
    assert response.json() == {"message": "Parameter kueri bukan operasi atau kolom yang dikenal: foo."}
    english = client.get("/api/v2/pages/?foo=bar", HTTP_ACCEPT_LANGUAGE="en")
    assert english.json() == {"message": "Query parameter is not an operation or a recognised field: foo."}
    assert client.get("/api/v2/pages/?limit=x").json()["message"] == "limit harus berupa bilangan bulat positif."
    assert client.get("/api/v2/pages/999999/").json() == {"message": "Data tidak ditemukan."}


# --- production settings (subprocess, like tests/test_deploy.py) ------------------------------------------------
_PROBE = """
import json
from django.conf import settings
print(json.dumps({
    "SESSION_COOKIE_SECURE": settings.SESSION_COOKIE_SECURE,
    "SESSION_COOKIE_HTTPONLY": settings.SESSION_COOKIE_HTTPONLY,
    "CSRF_COOKIE_SECURE": settings.CSRF_COOKIE_SECURE,
    "CSRF_COOKIE_HTTPONLY": settings.CSRF_COOKIE_HTTPONLY,
    "SECURE_HSTS_SECONDS": settings.SECURE_HSTS_SECONDS,
    "SECURE_HSTS_INCLUDE_SUBDOMAINS": settings.SECURE_HSTS_INCLUDE_SUBDOMAINS,
    "SECURE_SSL_REDIRECT": settings.SECURE_SSL_REDIRECT,
    "X_FRAME_OPTIONS": settings.X_FRAME_OPTIONS,
    "NUM_PROXIES": settings.REST_FRAMEWORK["NUM_PROXIES"],
    "AXES_FAILURE_LIMIT": settings.AXES_FAILURE_LIMIT,
    "AXES_ENABLED": getattr(settings, "AXES_ENABLED", True),
    "MIDDLEWARE": settings.MIDDLEWARE,
}))
"""


def test_production_cookies_secure_httponly_and_hsts(tmp_path):
    env = {name: os.environ[name] for name in ("PATH", "HOME", "LANG", "TMPDIR") if name in os.environ}
    env.update(
        DJANGO_SETTINGS_MODULE="pesan_cms.settings.production",
        SECRET_KEY=secrets.token_urlsafe(64),
        PESAN_ENCRYPTION_KEY=Fernet.generate_key().decode(),
        ALLOWED_HOSTS="ppid.example.go.id",
        DATABASE_URL=f"sqlite:///{tmp_path / 'p.sqlite3'}",
        TRUSTED_PROXY_COUNT="1",
        PYTHONDONTWRITEBYTECODE="1",
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", _PROBE],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    values = json.loads(result.stdout.strip().splitlines()[-1])
    assert values["SESSION_COOKIE_SECURE"] and values["SESSION_COOKIE_HTTPONLY"] and values["CSRF_COOKIE_SECURE"]
    assert values["CSRF_COOKIE_HTTPONLY"]
    assert values["SECURE_HSTS_SECONDS"] >= 31_536_000 and values["SECURE_HSTS_INCLUDE_SUBDOMAINS"]
    assert values["SECURE_SSL_REDIRECT"] and values["X_FRAME_OPTIONS"] == "DENY"
    assert values["NUM_PROXIES"] == 1 and values["AXES_FAILURE_LIMIT"] == 5 and values["AXES_ENABLED"]
    middleware = values["MIDDLEWARE"]
    assert "pesan_cms.security.PathCSPMiddleware" in middleware and middleware[-1] == "axes.middleware.AxesMiddleware"
    assert middleware.index("django.middleware.security.SecurityMiddleware") < middleware.index(
        "whitenoise.middleware.WhiteNoiseMiddleware"
    )
