"""Two-factor authentication of the officers' admin logins (issue 15), with django-otp (TOTP + recovery codes).

- **Login** (``WAGTAILADMIN_USER_LOGIN_FORM = "pesan_cms.two_factor.LoginForm"``): Wagtail's form plus a
  "verification code" field. An officer who has set up an authenticator app must give its current 6-digit code
  (or one of their recovery codes, each usable once); the session is then marked verified (``django_otp``).
- **Required** for the groups in ``PESAN_2FA_REQUIRED_GROUPS`` (default: "Inspektorat (WBS)" and
  "PPID Utama": they open whistleblowers' reports and citizens' NIK): until such an officer has set it up,
  every admin page sends them to the set-up page (:class:`TwoFactorMiddleware`). Optional for everyone else,
  from the account menu ("Verifikasi dua langkah").
- **Set-up** (``/admin/dua-langkah/``, :func:`setup_view`): a TOTP secret shown as a QR code and as text for
  the authenticator app (RFC 6238: 6 digits, 30 s), confirmed by one code; then 10 recovery codes are shown
  once (django-otp static tokens).
- A session that logged in before the officer set up 2FA, or without the code, is not verified: an officer
  with a device and an unverified session is logged out and asked to log in again with the code.

Losing the phone: an administrator removes the officer's devices (``manage.py shell``:
``django_otp.devices_for_user``) and the officer sets up again; see docs/deployment.md.
"""

from __future__ import annotations

import base64
import uuid

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.contrib.auth.signals import user_logged_in
from django.core.cache import cache
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_otp import devices_for_user, match_token
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from wagtail.admin.forms.auth import LoginForm as WagtailLoginForm

from pesan_cms.qr import qr_svg

__all__ = ["LoginForm", "TwoFactorMiddleware", "has_two_factor", "requires_two_factor", "setup_view"]

#: How many recovery codes a set-up issues.
RECOVERY_CODES = 10
SETUP_URL_NAME = "pesan_two_factor_setup"
#: Session key of the middleware's decision for this login (``(user pk, "device" | "free")``); a change of the
#: officer's groups counts from their next login.
SESSION_STATE = "pesan_2fa_state"
#: Session key of the pending (unconfirmed) device this session is setting up.
SESSION_PENDING = "pesan_2fa_pending"
#: Cache key prefix of each officer's devices version (:func:`devices_version`).
VERSION_KEY = "pesan:2fa:devices:"


def required_groups() -> set[str]:
    """Names of the groups whose members must use two-factor login (``PESAN_2FA_REQUIRED_GROUPS``)."""
    return set(getattr(settings, "PESAN_2FA_REQUIRED_GROUPS", ()))


def requires_two_factor(user) -> bool:
    """True when ``user`` belongs to a group that must log in with a second factor."""
    groups = required_groups()
    return bool(groups) and user.is_authenticated and user.groups.filter(name__in=groups).exists()


def has_two_factor(user) -> bool:
    """True when ``user`` has a confirmed authenticator (TOTP) device."""
    return user.is_authenticated and TOTPDevice.objects.filter(user=user, confirmed=True).exists()


class LoginForm(WagtailLoginForm):
    """Wagtail's login form with the verification code of officers who set up two-factor login."""

    otp_token = forms.CharField(
        label=_("Verification code"),
        required=False,
        max_length=16,
        help_text=_("Only if you set up two-step verification: the 6 digits of your app, or a recovery code."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )

    def clean(self):
        cleaned = super().clean()
        user = self.get_user()
        if user is None or not any(d.confirmed for d in devices_for_user(user, confirmed=True)):
            return cleaned
        token = (cleaned.get("otp_token") or "").replace(" ", "")
        if not token:
            raise forms.ValidationError(
                gettext("Enter the verification code of your authenticator app (or a recovery code)."),
                code="otp_required",
            )
        device = match_token(user, token)
        if device is None:
            raise forms.ValidationError(gettext("The verification code is not right."), code="otp_invalid")
        user.otp_device = device  # marks the session verified once Wagtail logs the user in (see below)
        return cleaned


def _verify_session(sender, request, user, **kwargs):
    """``user_logged_in``: a login through :class:`LoginForm` with a matching code marks the session verified."""
    device = getattr(user, "otp_device", None)
    if device is not None and request is not None:
        otp_login(request, device)


user_logged_in.connect(_verify_session, dispatch_uid="pesan_cms.two_factor.verify_session")


class TwoFactorMiddleware:
    """After ``django_otp.middleware.OTPMiddleware``: on admin pages, an officer with a device whose session is
    not verified is logged out (log in again with the code); an officer who must use 2FA and has not set it
    up is sent to the set-up page. The set-up page, logout and static files stay reachable."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and request.path.startswith("/admin/"):
            response = self._check(request, user)
            if response is not None:
                return response
        return self.get_response(request)

    def _check(self, request, user):
        setup = reverse(SETUP_URL_NAME)
        if request.path in (setup, reverse("wagtailadmin_logout")) or request.path.startswith("/admin/jsi18n"):
            return None
        # Decided once per login session (no query on every admin page): "device" or "free" — and again when the
        # officer's devices changed since (a cache read: ``devices_version``), e.g. set up from another session.
        state = request.session.get(SESSION_STATE)
        version = devices_version(user)
        if not state or state[0] != user.pk or len(state) < 3 or state[2] != version:
            if has_two_factor(user):
                state = (user.pk, "device", version)
            elif requires_two_factor(user):
                return redirect(setup)  # not remembered: checked again until it is set up
            else:
                state = (user.pk, "free", version)
            request.session[SESSION_STATE] = state
        if state[1] == "device" and not user.is_verified():
            logout(request)
            messages.warning(request, gettext("Log in again with your verification code."))
            return redirect(reverse("wagtailadmin_login"))
        return None


def devices_version(user) -> str:
    """A token that changes whenever ``user``'s two-step devices change (shared cache; "0" before any change)."""
    return str(cache.get(f"{VERSION_KEY}{user.pk}") or "0")


def devices_changed(user) -> None:
    """Make every session of ``user`` re-check its two-step state at its next admin request."""
    cache.set(f"{VERSION_KEY}{user.pk}", uuid.uuid4().hex, None)


class ConfirmForm(forms.Form):
    token = forms.CharField(label=_("Code from the app"), max_length=8)


@login_required
def setup_view(request):
    """``/admin/dua-langkah/``: set up the authenticator app (QR code and secret), confirm it with one code, then
    show the recovery codes once. An officer who already has it sees that it is on."""
    if has_two_factor(request.user):
        return TemplateResponse(request, "security/two_factor_on.html", {})
    # The secret belongs to THIS session: shown to nobody else, replaced (and any other pending one deleted)
    # whenever another session opens the page — a password alone never yields a usable pending secret.
    pending = request.session.get(SESSION_PENDING)
    device = TOTPDevice.objects.filter(pk=pending, user=request.user, confirmed=False).first() if pending else None
    if device is None:
        TOTPDevice.objects.filter(user=request.user, confirmed=False).delete()
        device = TOTPDevice.objects.create(user=request.user, name="authenticator", confirmed=False)
        request.session[SESSION_PENDING] = device.pk
    form = ConfirmForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"].replace(" ", "")):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            StaticDevice.objects.filter(user=request.user).delete()
            static = StaticDevice.objects.create(user=request.user, name="recovery", confirmed=True)
            codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
            StaticToken.objects.bulk_create(StaticToken(device=static, token=code) for code in codes)
            otp_login(request, device)
            request.session.pop(SESSION_PENDING, None)
            devices_changed(request.user)  # other sessions of this officer must now sign in with the code
            request.session[SESSION_STATE] = (request.user.pk, "device", devices_version(request.user))
            return TemplateResponse(request, "security/two_factor_codes.html", {"codes": codes})
        form.add_error("token", gettext("The code is not right. Check the time on your phone and try again."))
    context = {
        "form": form,
        "secret": _base32(device.bin_key),
        "qr": qr_svg(device.config_url),
        "required": requires_two_factor(request.user),
    }
    return TemplateResponse(request, "security/two_factor_setup.html", context)


def _base32(key: bytes) -> str:
    """The secret as authenticator apps take it when typed: base32, in groups of four."""
    text = base64.b32encode(key).decode().rstrip("=")
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))
