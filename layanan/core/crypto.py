"""Encryption, keyed hashes and secrets for personal data (UU 27/2022 PDP; KIP Pasal 17(h)).

- ``PESAN_ENCRYPTION_KEY``: one Fernet key (urlsafe base64 of 32 bytes) or several separated by commas. The first
  encrypts; all decrypt (``MultiFernet``). Key rotation: prepend a new key, deploy, run
  ``manage.py shell -c "from layanan.core.crypto import rotate_all; rotate_all()"``, then drop the old key.
- ``EncryptedTextField``: a text column stored as Fernet ciphertext (non-deterministic: no lookups on it).
- ``keyed_hash``: HMAC-SHA256 of a normalised value, for equality lookups ("same applicant") without
  storing the plaintext. Key: ``PESAN_HMAC_KEY`` or derived from the primary encryption key.
- ``mask_nik``: ``3171234567890001`` -> ``3171********0001``.
- Access tokens: ``new_access_token`` (256 random bits), ``hash_token`` (SHA-256), ``token_matches``
  (constant-time comparison).
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models

from layanan.core import conf as desk_conf

__all__ = [
    "EncryptedTextField",
    "InvalidToken",
    "decrypt",
    "encrypt",
    "hash_token",
    "keyed_hash",
    "mask_nik",
    "new_access_token",
    "normalise_nik",
    "open_transient",
    "rotate_all",
    "seal_transient",
    "token_matches",
]


def _keys() -> list[str]:
    raw = getattr(settings, "PESAN_ENCRYPTION_KEY", "") or ""
    keys = [k.strip() for k in raw.split(",") if k.strip()]
    if not keys:
        raise ImproperlyConfigured("PESAN_ENCRYPTION_KEY is not set: personal data cannot be encrypted.")
    return keys


@lru_cache(maxsize=4)
def _multifernet(raw: str) -> MultiFernet:
    return MultiFernet([Fernet(k.encode()) for k in _keys()])


def _fernet() -> MultiFernet:
    return _multifernet(getattr(settings, "PESAN_ENCRYPTION_KEY", "") or "")


def encrypt(value: str) -> str:
    """Encrypt ``value`` (str) with the primary key; returns ASCII Fernet ciphertext."""
    return _fernet().encrypt(value.encode("utf-8")).decode("ascii")


def decrypt(token: str) -> str:
    """Decrypt a ciphertext made by :func:`encrypt` with any configured key. Raises ``InvalidToken``."""
    return _fernet().decrypt(token.encode("ascii")).decode("utf-8")


def seal_transient(value: str) -> str:
    """Encrypt a short-lived secret (e.g. an access token passed to a queued e-mail task)."""
    return encrypt(value)


def open_transient(token: str) -> str | None:
    """Decrypt a value sealed by :func:`seal_transient` if younger than ``PESAN_TRANSIENT_TTL``; else None."""
    try:
        return _fernet().decrypt(token.encode("ascii"), ttl=desk_conf.transient_token_ttl_seconds()).decode()
    except (InvalidToken, ValueError):
        return None


@lru_cache(maxsize=4)
def _hmac_key(explicit: str, primary: str) -> bytes:
    if explicit:
        return explicit.encode("utf-8")
    hkdf = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"pesan-lookup-hash")
    return hkdf.derive(primary.encode("ascii"))


def keyed_hash(value: str, purpose: str = "nik") -> str:
    """HMAC-SHA256 (hex, 64 chars) of ``value`` for ``purpose``; empty input gives ``""``.

    Deterministic: equal inputs give equal hashes, so a column of these supports ``=`` lookups.
    """
    if not value:
        return ""
    key = _hmac_key(desk_conf.hmac_key_setting(), _keys()[0])
    return hmac.new(key, f"{purpose}:{value}".encode(), hashlib.sha256).hexdigest()


def normalise_nik(value: str | None) -> str:
    """Strip spaces, dots and dashes from a NIK as typed (``3171 2345 6789 0001`` -> 16 digits)."""
    return re.sub(r"[\s.\-]", "", value or "")


def mask_nik(value: str | None) -> str:
    """Mask a NIK for display: first 4 and last 4 digits kept (``3171********0001``); empty stays empty."""
    if not value:
        return ""
    if len(value) <= 8:
        return "*" * len(value)
    return value[:4] + "*" * (len(value) - 8) + value[-4:]


def new_access_token() -> str:
    """A fresh URL-safe secret with 256 bits of entropy (43 characters)."""
    return secrets.token_urlsafe(32)


def hash_token(token: str) -> str:
    """SHA-256 hex digest of an access token (the token is random, so no salt/slow hash is needed). A token as
    typed may hold anything, lone surrogates included: they are hashed as is and match no ticket."""
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def token_matches(token: str | None, stored_hash: str) -> bool:
    """Constant-time check that ``token`` hashes to ``stored_hash``; False for empty input."""
    if not token or not stored_hash:
        return False
    return hmac.compare_digest(hash_token(token), stored_hash)


class EncryptedTextField(models.TextField):
    """A ``TextField`` whose value is stored Fernet-encrypted; Python code sees plaintext ``str``.

    Empty strings are stored empty (nothing to protect). Do not filter on it: use a keyed-hash column.
    """

    description = "Text encrypted at rest (Fernet)"

    def from_db_value(self, value, expression, connection):
        if value in (None, ""):
            return value
        return decrypt(value)

    def to_python(self, value):
        return value

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value in (None, ""):
            return value
        return encrypt(str(value))


def rotate_all() -> int:
    """Re-encrypt every ``EncryptedTextField`` value with the current primary key; returns rows touched."""
    from django.apps import apps

    touched = 0
    for model in apps.get_models():
        fields = [f for f in model._meta.concrete_fields if isinstance(f, EncryptedTextField)]
        if not fields:
            continue
        for obj in model._base_manager.all().iterator():
            obj.save(update_fields=[f.name for f in fields])
            touched += 1
    return touched
