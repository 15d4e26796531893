"""Issue 15 item 12: two-step verification of officers' admin logins (pesan_cms.two_factor, django-otp TOTP and
recovery codes) — required for the Inspektorat, optional for others; walked as an officer would."""

from __future__ import annotations

import re
import time

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

pytestmark = pytest.mark.django_db

PASSWORD = "pw-Desk-2026!"  # make_user's password
SETUP = "/admin/dua-langkah/"


@pytest.fixture(autouse=True)
def required_for_the_inspektorat(settings):
    settings.PESAN_2FA_REQUIRED_GROUPS = ["Inspektorat (WBS)"]


def code(device, drift: int = 0) -> str:
    """The code the officer's authenticator app shows (``drift`` 1: the next 30-second step)."""
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=drift):06d}"


def login(client, username, token=""):
    return client.post("/admin/login/", {"username": username, "password": PASSWORD, "otp_token": token})


def test_the_inspektorat_must_set_it_up_then_signs_in_with_a_code_or_a_recovery_code(client, make_user):
    make_user("inspektur.dua", "Inspektorat (WBS)")
    assert login(client, "inspektur.dua").status_code == 302
    # every admin page leads to the set-up page until it is done
    assert client.get("/admin/")["Location"] == SETUP
    assert client.get("/admin/layanan/wbsticket/")["Location"] == SETUP
    page = client.get(SETUP)
    assert page.status_code == 200 and "<svg" in page.content.decode()  # the QR code for the app
    device = TOTPDevice.objects.get(user__username="inspektur.dua", confirmed=False)
    wrong = client.post(SETUP, {"token": "000000" if code(device) != "000000" else "111111"})
    assert wrong.status_code == 200 and not TOTPDevice.objects.get(pk=device.pk).confirmed
    time.sleep(1.1)  # django-otp makes the officer wait after a wrong code (1 s, doubling)
    done = client.post(SETUP, {"token": code(device)})
    assert done.status_code == 200
    recovery = re.findall(r"<li><code>(\w+)</code></li>", done.content.decode())
    assert len(recovery) == 10 and StaticToken.objects.filter(token__in=recovery).count() == 10
    assert client.get("/admin/").status_code == 200
    assert client.get("/admin/layanan/wbsticket/").status_code == 200

    # the next sign-in needs the code: without it, or with a wrong one, the form says so and nobody is let in
    client.logout()
    for token in ("", "123"):
        refused = login(client, "inspektur.dua", token)
        assert refused.status_code == 200 and "_auth_user_id" not in client.session
    time.sleep(1.1)
    device.refresh_from_db()
    assert login(client, "inspektur.dua", code(device, drift=1)).status_code == 302
    assert client.get("/admin/layanan/wbsticket/").status_code == 200

    # a recovery code works once
    client.logout()
    assert login(client, "inspektur.dua", recovery[0]).status_code == 302
    assert client.get("/admin/").status_code == 200
    client.logout()
    assert login(client, "inspektur.dua", recovery[0]).status_code == 200


def test_a_session_without_the_code_is_not_let_into_the_admin(client, make_user):
    """An officer with two-step verification whose session was not verified (opened before it was set up,
    or by any other door) is logged out and asked to sign in with the code."""
    officer = make_user("inspektur.tiga", "Inspektorat (WBS)")
    TOTPDevice.objects.create(user=officer, name="app", confirmed=True)
    client.force_login(officer)
    response = client.get("/admin/layanan/wbsticket/")
    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")
    assert "_auth_user_id" not in client.session


def test_other_officers_sign_in_as_before_and_may_turn_it_on(client, make_user):
    make_user("editor.satu", "Admin LAPOR")
    assert login(client, "editor.satu").status_code == 302
    assert client.get("/admin/").status_code == 200
    assert client.get(SETUP).status_code == 200  # offered from the account menu, not forced
    account = client.get("/admin/account/").content.decode()
    assert SETUP in account


def test_a_pending_secret_is_never_shown_to_another_session(client, make_user):
    """Review finding: whoever holds only the password opened the set-up page, kept the secret, and could use
    it once the officer confirmed the same one. Each session now gets its own; the other is deleted."""
    from django.test import Client

    make_user("ppid.rahasia", "Inspektorat (WBS)")
    attacker = Client()
    assert login(attacker, "ppid.rahasia").status_code == 302
    attacker.get(SETUP)
    stolen = TOTPDevice.objects.get(user__username="ppid.rahasia", confirmed=False)
    assert login(client, "ppid.rahasia").status_code == 302
    client.get(SETUP)
    mine = TOTPDevice.objects.get(user__username="ppid.rahasia", confirmed=False)
    assert mine.pk != stolen.pk and mine.key != stolen.key
    assert client.post(SETUP, {"token": code(mine)}).status_code == 200
    attacker.logout()
    assert login(attacker, "ppid.rahasia", code(stolen)).status_code == 200  # the old secret opens nothing


def test_setting_it_up_elsewhere_ends_the_sessions_opened_without_it(client, make_user):
    """Review finding: a session opened before the officer set up two-step verification kept working."""
    from django.test import Client

    make_user("operator.dua", "Admin LAPOR")
    assert login(client, "operator.dua").status_code == 302
    assert client.get("/admin/").status_code == 200  # session A, no second factor yet
    other = Client()
    assert login(other, "operator.dua").status_code == 302
    other.get(SETUP)
    device = TOTPDevice.objects.get(user__username="operator.dua", confirmed=False)
    assert other.post(SETUP, {"token": code(device)}).status_code == 200
    response = client.get("/admin/")
    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")
    assert other.get("/admin/").status_code == 200  # the session that set it up is verified
