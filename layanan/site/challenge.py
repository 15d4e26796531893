"""The anti-robot check of the site's four submission forms (PPID request, objection, LAPOR, WBS report): a
proof of work in the ALTCHA protocol (version 1), self-hosted — no picture, no sound, nothing to type, no third
party (WCAG 1.1.1; it replaced the image captcha, issue 16).

1. The form page embeds a challenge made by :func:`new_challenge` (the ``altcha`` package does the hashing): a
   random salt that carries its expiry (``<hex>?expires=<unix seconds>&``), ``challenge = SHA-256(salt + n)``
   for a secret random ``n`` in ``0 … maxnumber`` (``conf.challenge_max_number``) and
   ``signature = HMAC-SHA256(challenge)`` under ``conf.challenge_hmac_key`` (derived from ``SECRET_KEY`` by
   default). Nothing is stored: the signature proves that this server made it.
2. The site's own script (``pesan_cms/static/js/site.js``, solving in the Web Worker ``js/pow-worker.js`` with
   ``crypto.subtle``) tries n = 0, 1, 2 … while the citizen fills in the form and puts the base64 JSON payload
   ``{"algorithm", "challenge", "number", "salt", "signature"}`` into the hidden input ``altcha``; "Submit"
   pressed earlier waits for it. A challenge about to expire is replaced from :func:`challenge_view`
   (``/layanan/tantangan/``; the WBS form uses ``/wbs/tantangan/``, under the WBS privacy middleware).
3. :func:`verify` checks the payload on every post of the form (so its error shows with all the others):
   signed here, solved, not expired, and not used before — a solved challenge is accepted **once**: its
   signature is remembered in the ``strict`` cache until it expires. Should the cache be unreachable, the
   check still requires a valid, unexpired solution and only the "used before" memory is skipped (logged), as
   the rate limits are skipped then (``pesan_cms.cache``): filing must not stop because Redis did.

Without JavaScript the check cannot run: the form says so and names the other channels (in person, post,
e-mail, telephone; decision of issue 16 — no second kind of check). The form's answer to a missing, wrong,
expired or reused solution is a field error, with everything typed kept and a new challenge on the page.
"""

from __future__ import annotations

import base64
import binascii
import datetime
import hmac
import json
import logging
import time

from altcha.v1 import ChallengeOptions, create_challenge, extract_params, hmac_hex, verify_solution
from django import forms
from django.core.cache import caches
from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from layanan.core import conf
from pesan_cms.exceptions import CACHE_ERRORS

__all__ = [
    "ALGORITHM",
    "ChallengeField",
    "ChallengeInput",
    "challenge_view",
    "new_challenge",
    "verify",
]

logger = logging.getLogger(__name__)

#: The only hash accepted (the browser's ``crypto.subtle`` and the ``altcha`` package both speak it).
ALGORITHM = "SHA-256"
#: Longest payload read (a real one is about 300 characters).
MAX_PAYLOAD_CHARS = 2000
#: Cache alias and key prefix of the used-challenge memory.
USED_CACHE = "strict"
USED_PREFIX = "pesan:challenge-used:"

MISSING_MESSAGE = _(
    "The anti-robot check has not run. It needs JavaScript: turn it on (or wait until the check says it is done), "
    "then send the form again."
)
INVALID_MESSAGE = _("The anti-robot check did not succeed. Please send the form again: a new check runs by itself.")
EXPIRED_MESSAGE = _("The anti-robot check has expired. Please send the form again: a new check runs by itself.")
USED_MESSAGE = _("This anti-robot check was already used. Please send the form again: a new check runs by itself.")


def new_challenge(now: datetime.datetime | None = None) -> dict:
    """A fresh signed challenge, as the JSON object of the ALTCHA protocol: ``{"algorithm": "SHA-256",
    "challenge": hex, "maxnumber": int, "salt": "<hex>?expires=<unix seconds>&", "signature": hex}``.

    Valid for ``conf.challenge_minutes()`` minutes from ``now`` (default: the current time)."""
    expires = (now or timezone.now()) + datetime.timedelta(minutes=conf.challenge_minutes())
    made = create_challenge(
        ChallengeOptions(
            algorithm=ALGORITHM,
            max_number=conf.challenge_max_number(),
            hmac_key=conf.challenge_hmac_key(),
            expires=expires,
        )
    )
    return {
        "algorithm": made.algorithm,
        "challenge": made.challenge,
        "maxnumber": made.max_number,
        "salt": made.salt,
        "signature": made.signature,
    }


def _decode(payload: str) -> dict | None:
    """The payload's JSON object with the five fields of the right types, or ``None``."""
    if len(payload) > MAX_PAYLOAD_CHARS:
        return None
    try:
        data = json.loads(base64.b64decode(payload, validate=True).decode())
    except (ValueError, binascii.Error, UnicodeDecodeError, RecursionError):
        return None
    if not isinstance(data, dict):
        return None
    if not all(isinstance(data.get(key), str) for key in ("algorithm", "challenge", "salt", "signature")):
        return None
    try:  # JSON may carry a lone surrogate ("\ud800"), which no UTF-8 signature check can read
        "".join(data[key] for key in ("algorithm", "challenge", "salt", "signature")).encode()
    except UnicodeEncodeError:
        return None
    number = data.get("number")
    if isinstance(number, bool) or not isinstance(number, int) or number < 0:
        return None
    return data


def _expires_at(data: dict) -> int | None:
    """The expiry (unix seconds) written into the signed salt, or ``None``."""
    try:
        return int(extract_params(data).get("expires", [""])[0])
    except (ValueError, IndexError):
        return None


def _first_use(signature: str, expires_at: int) -> bool:
    """Remember ``signature`` until its challenge expires; False when it was remembered already."""
    timeout = max(1, expires_at - int(time.time()) + 60)
    try:
        return bool(caches[USED_CACHE].add(USED_PREFIX + signature, 1, timeout=timeout))
    except CACHE_ERRORS as exc:
        logger.warning("challenge replay memory unavailable (%s); accepting a valid solution", exc)
        return True


def verify(payload: str | None) -> None:
    """Accept a solved challenge once; raise ``ValidationError`` otherwise.

    ``payload``: the base64 JSON the site's script puts into the ``altcha`` input. Error codes (the messages are
    the field errors the citizen reads): ``required`` (empty: the script did not run), ``invalid`` (not a
    payload, not signed with our key, or not solved), ``expired`` (older than ``conf.challenge_minutes()``),
    ``used`` (accepted before). A payload that passes is remembered, so a second post of it is ``used``."""
    if not payload:
        raise ValidationError(MISSING_MESSAGE, code="required")
    data = _decode(payload.strip())
    if data is None or data["algorithm"] != ALGORITHM:
        raise ValidationError(INVALID_MESSAGE, code="invalid")
    key = conf.challenge_hmac_key()
    expected = hmac_hex(ALGORITHM, data["challenge"].encode(), key)  # constant-time check before the library's
    if not hmac.compare_digest(expected.encode(), data["signature"].encode()):
        raise ValidationError(INVALID_MESSAGE, code="invalid")
    solved, _error = verify_solution(data, key, check_expires=False)
    expires_at = _expires_at(data)
    if not solved or expires_at is None:
        raise ValidationError(INVALID_MESSAGE, code="invalid")
    if expires_at < time.time():
        raise ValidationError(EXPIRED_MESSAGE, code="expired")
    if not _first_use(data["signature"], expires_at):
        raise ValidationError(USED_MESSAGE, code="used")


class ChallengeInput(forms.HiddenInput):
    """The hidden ``altcha`` input inside the check's box: the embedded challenge, the address of a fresh one,
    the solver's address and the status texts (data attributes read by ``js/site.js``), a status line
    announced by screen readers (one polite live region) and the no-JavaScript notice. Always rendered empty: a
    payload is good for one post only."""

    template_name = "layanan/site/challenge_widget.html"

    def __init__(self, refresh_url_name: str = "layanan-site-challenge", attrs=None):
        super().__init__(attrs)
        self.refresh_url_name = refresh_url_name

    def id_for_label(self, id_):
        """The box (focusable), so the error summary's link lands on the check, not on a hidden input."""
        return f"{id_}_check" if id_ else id_

    def format_value(self, value):
        return None

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["challenge_json"] = json.dumps(new_challenge(), separators=(",", ":"))
        context["refresh_url"] = reverse(self.refresh_url_name)
        context["worker_url"] = static("js/pow-worker.js")
        context["described_by"] = context["widget"]["attrs"].get("aria-describedby", "")
        return context


class ChallengeField(forms.CharField):
    """The anti-robot check as a form field: cleaning it is :func:`verify` (and uses the solution up)."""

    def __init__(self, refresh_url_name: str = "layanan-site-challenge", **kwargs):
        kwargs.setdefault("label", _("Anti-robot check"))
        kwargs.setdefault(
            "help_text",
            _(
                "Your device solves a small calculation by itself while you fill in the form: there is nothing to "
                "see, hear or type. It takes a few seconds."
            ),
        )
        super().__init__(widget=ChallengeInput(refresh_url_name), required=False, strip=True, **kwargs)

    def clean(self, value):
        value = super().clean(value)
        verify(value)
        return value


@never_cache
@require_GET
def challenge_view(request):
    """``GET /layanan/tantangan/`` and ``GET /wbs/tantangan/`` — a fresh challenge (:func:`new_challenge`) as
    JSON, for a form left open longer than a challenge lives. Same origin only (the site's script); stores
    nothing, sets no cookie; ``Cache-Control: no-store``."""
    response = JsonResponse(new_challenge())
    response["Cache-Control"] = "no-store"
    return response
