"""Admin login brute-force protection (django-axes, issue 8): lock by username + client address.

django-axes is off in the test settings (the test client's ``login()`` passes no request); here it is turned on
and every login goes through the Wagtail admin login form, as a person or a bot would.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.test import override_settings

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("axes_on")]

LOGIN = "/admin/login/"
PASSWORD = "Benar-Sekali-2026!"


@pytest.fixture
def axes_on():
    from axes.models import AccessAttempt

    with override_settings(AXES_ENABLED=True):
        yield
    AccessAttempt.objects.all().delete()


@pytest.fixture
def officer(db):
    return get_user_model().objects.create_superuser("petugas", "petugas@example.go.id", PASSWORD)


def _login(client, username, password, ip="198.51.100.10", **extra):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=ip, **extra)


def _fail(client, username="petugas", ip="198.51.100.10", times=5):
    for _ in range(times):
        response = _login(client, username, "salah-tebak", ip=ip)
    return response


def test_five_wrong_passwords_lock_the_pair_even_against_the_right_password(client, officer, settings):
    assert settings.AXES_FAILURE_LIMIT == 5 and timedelta(minutes=30) == settings.AXES_COOLOFF_TIME
    for _ in range(4):
        assert _login(client, "petugas", "salah").status_code == 200  # form again, with an error
    locked = _login(client, "petugas", "salah")
    assert locked.status_code == 429
    assert "security/axes_lockout.html" in [t.name for t in locked.templates]
    page = locked.content.decode()
    assert "Masuk diblokir sementara" in page and "setelah 30 menit" in page
    right = _login(client, "petugas", PASSWORD)
    assert right.status_code == 429
    assert "_auth_user_id" not in client.session


def test_other_address_and_other_username_are_not_locked(client, officer):
    get_user_model().objects.create_superuser("editor", "editor@example.go.id", PASSWORD)
    assert _fail(client).status_code == 429
    # the real officer at the office (another address) still signs in
    other = _login(client, "petugas", PASSWORD, ip="203.0.113.50")
    assert other.status_code == 302 and client.session["_auth_user_id"] == str(officer.pk)
    client.logout()
    # a colleague behind the attacker's address (same NAT) is not locked out either
    colleague = _login(client, "editor", PASSWORD)
    assert colleague.status_code == 302


def test_lockout_ends_after_the_cool_off(client, officer, settings):
    from axes.models import AccessAttempt

    assert _fail(client).status_code == 429
    AccessAttempt.objects.update(attempt_time=AccessAttempt.objects.get().attempt_time - timedelta(minutes=31))
    response = _login(client, "petugas", PASSWORD)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(officer.pk)


def test_success_resets_the_counter(client, officer):
    for _ in range(4):
        _login(client, "petugas", "salah")
    assert _login(client, "petugas", PASSWORD).status_code == 302
    client.logout()
    for _ in range(4):
        assert _login(client, "petugas", "salah").status_code == 200  # counting starts again from zero


def test_forwarded_for_is_ignored_unless_a_proxy_is_declared(client, officer, settings):
    """A bot cannot get fresh attempts by inventing X-Forwarded-For; behind a declared proxy each citizen's
    address (appended by the proxy) counts on its own."""
    for n in range(5):
        _login(client, "petugas", "salah", HTTP_X_FORWARDED_FOR=f"10.0.0.{n}")
    assert _login(client, "petugas", PASSWORD, HTTP_X_FORWARDED_FOR="10.0.0.99").status_code == 429
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}
    assert _login(client, "petugas", PASSWORD, HTTP_X_FORWARDED_FOR="203.0.113.9").status_code == 302


def test_desk_api_session_login_path_is_the_admin_form(client, officer):
    """The API has no login endpoint of its own: session authentication (desk screens) is obtained only through
    the admin login form, which is the path axes guards. DRF's browsable-API login is not mounted."""
    from django.urls import NoReverseMatch, reverse

    with pytest.raises(NoReverseMatch):
        reverse("rest_framework:login")
    assert client.get("/api/auth/login/").status_code == 404
    assert client.get("/api-auth/login/").status_code == 404


def test_administrators_see_lockouts_in_the_admin_and_can_unlock(client, officer):
    from axes.models import AccessAttempt
    from django.urls import reverse

    assert _fail(client).status_code == 429
    admin = get_user_model().objects.create_superuser("kepala", "kepala@example.go.id", PASSWORD)
    client.force_login(admin)
    listing = client.get(reverse("login-lockouts:index"))
    assert listing.status_code == 200
    html = listing.content.decode()
    assert "petugas" in html and "198.51.100.10" in html
    assert client.get(reverse("login-lockouts:add")).status_code in (302, 403)  # nothing is added by hand
    attempt = AccessAttempt.objects.get()
    assert client.post(reverse("login-lockouts:delete", args=[attempt.pk])).status_code == 302
    client.logout()
    assert _login(client, "petugas", PASSWORD).status_code == 302  # unlocked before the cool-off ended


def test_staff_without_the_permission_do_not_see_lockouts(client, officer):
    from django.contrib.auth.models import Permission
    from django.urls import reverse

    clerk = get_user_model().objects.create_user("staf", "staf@example.go.id", PASSWORD, is_staff=True)
    clerk.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(clerk)
    assert client.get(reverse("login-lockouts:index")).status_code in (302, 403)
