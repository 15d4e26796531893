"""NIK: validated, encrypted at rest, keyed hash for lookups, masked everywhere but for view_personal_data."""

import pytest
from django.db import connection

from layanan.core import intake
from layanan.core.crypto import decrypt, encrypt, keyed_hash, mask_nik, token_matches
from layanan.core.models.tickets import Ticket
from layanan.ppid import intake as ppid_intake
from tests.layanan.conftest import ppid_payload, wib

pytestmark = pytest.mark.django_db

NIK = "3171234567890001"


def raw_row(ticket):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT applicant_nik, applicant_nik_hash, access_token_hash FROM layanan_ticket WHERE id = %s",
            [ticket.pk],
        )
        return cursor.fetchone()


def test_nik_is_encrypted_at_rest_and_readable_through_the_model(synced_holidays):
    submission = ppid_intake.submit_ppid_request(ppid_payload(nik=NIK), received_at=wib(2026, 3, 2, 9, 0))
    raw_nik, raw_hash, raw_token_hash = raw_row(submission.ticket)
    assert NIK not in raw_nik and NIK not in raw_hash
    assert raw_hash == keyed_hash(NIK)
    assert submission.access_token not in raw_token_hash
    assert token_matches(submission.access_token, raw_token_hash)
    assert Ticket.objects.get(pk=submission.ticket.pk).applicant_nik == NIK


def test_address_of_request_is_encrypted_too(synced_holidays):
    ticket = ppid_intake.submit_ppid_request(
        ppid_payload(address="Jl. Rahasia 7"), received_at=wib(2026, 3, 2, 9)
    ).ticket
    with connection.cursor() as cursor:
        cursor.execute("SELECT address FROM layanan_ppidrequestdetails WHERE ticket_id = %s", [ticket.pk])
        assert "Rahasia" not in cursor.fetchone()[0]


def test_same_nik_gives_same_hash_and_different_ciphertexts(synced_holidays):
    a = ppid_intake.submit_ppid_request(ppid_payload(), received_at=wib(2026, 3, 2, 9, 0)).ticket
    b = ppid_intake.submit_ppid_request(
        ppid_payload(nik="3171-2345-6789-0001"), received_at=wib(2026, 3, 2, 9, 0)
    ).ticket
    assert raw_row(a)[1] == raw_row(b)[1]
    assert raw_row(a)[0] != raw_row(b)[0]
    assert Ticket.objects.filter(applicant_nik_hash=keyed_hash(NIK)).count() == 2


def test_masking():
    assert mask_nik(NIK) == "3171********0001"
    assert mask_nik("") == ""


def test_nik_for_depends_on_permission(synced_holidays, desk_users):
    ticket = ppid_intake.submit_ppid_request(ppid_payload(), received_at=wib(2026, 3, 2, 9, 0)).ticket
    assert ticket.nik_for(desk_users["op1"]) == "3171********0001"
    assert ticket.nik_for(desk_users["ppid"]) == NIK
    assert ticket.nik_for(None) == "3171********0001"


def test_key_rotation_keeps_old_values_readable(settings):
    old_key = settings.PESAN_ENCRYPTION_KEY
    token = encrypt("rahasia")
    from cryptography.fernet import Fernet

    settings.PESAN_ENCRYPTION_KEY = f"{Fernet.generate_key().decode()},{old_key}"
    assert decrypt(token) == "rahasia"


@pytest.mark.parametrize("bad", ["", "123", "31712345678900011", "3171abcd67890001"])
def test_nik_validation(bad):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        intake.validate_nik(bad)
