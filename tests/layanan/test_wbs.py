"""WBS (whistleblowing): submission, receipt code (entropy, hashing, access), rate limiting, message thread,
encryption at rest, e-mail notices. Privacy (no IP / user agent, metadata) is in ``test_wbs_privacy.py``;
the admin desk, roles and transfers in ``test_wbs_desk.py``."""

import math
import re

import pytest
from django.core import mail
from django.db import connection

from layanan.core.models.tickets import Ticket, TimelineEntry
from layanan.core.workflow import TransitionError, apply_transition
from layanan.wbs import receipt
from layanan.wbs.models import WbsReportDetails
from tests.layanan.conftest import dump_database_text, wbs_payload

pytestmark = pytest.mark.django_db

REPORTS = "/api/v2/wbs/reports/"
ACCESS = "/api/v2/wbs/access/"
MESSAGES = "/api/v2/wbs/messages/"


def submit(api_client, **overrides):
    response = api_client.post(REPORTS, wbs_payload(**overrides), format="json")
    assert response.status_code == 201, response.content
    return response.json()


def tamper(code: str, position: int) -> str:
    """Change one digit of the SECRET part and fix the check digit: well-formed, but wrong."""
    digits = code.replace(" ", "")
    body = digits[:-1]
    changed = body[:position] + str((int(body[position]) + 1) % 10) + body[position + 1 :]
    return changed + receipt.damm_check_digit(changed)


# --- submission and receipt code -----------------------------------------------------------------------------
def test_anonymous_report_gets_a_grouped_receipt_code_once(api_client):
    body = submit(api_client)
    assert re.fullmatch(r"\d{4}( \d{4}){7}", body["receipt_code"])
    assert body["receipt_code_digits"] == body["receipt_code"].replace(" ", "")
    assert body["tracking_number"].startswith("WBS-")
    assert body["status"] == "received"
    assert body["acknowledge_due_date"]
    assert "metadata" in body["metadata_notice"].lower()
    ticket = Ticket.objects.get(tracking_number=body["tracking_number"])
    assert ticket.service == "wbs"
    assert ticket.applicant_name == ticket.applicant_email == ticket.applicant_phone == ticket.description == ""
    assert ticket.wbs.anonymous
    assert ticket.access_token_hash.startswith("$argon2id$")


def test_identity_is_optional_and_validation_is_per_field_in_indonesian(api_client):
    response = api_client.post(REPORTS, {"violation_type": "bogus", "what": " "}, format="json")
    assert response.status_code == 400
    errors = response.json()
    assert set(errors) == {"violation_type", "what"}  # no identity field is ever required
    assert "Bidang ini" in " ".join(errors["what"]) or "Jelaskan" in " ".join(errors["what"])
    assert Ticket.objects.filter(service="wbs").count() == 0


def test_receipt_code_entropy_is_at_least_80_bits_and_codes_are_random():
    assert receipt.SECRET_ENTROPY_BITS >= 80
    assert receipt.SECRET_DIGITS * math.log2(10) == pytest.approx(receipt.SECRET_ENTROPY_BITS)
    codes = [receipt.new_code() for _ in range(300)]
    secrets_ = {c[receipt.LOOKUP_DIGITS : -1] for c in codes}
    assert len(secrets_) == 300
    # every position of the secret part takes many values (not a counter, not a timestamp)
    for position in range(receipt.LOOKUP_DIGITS, receipt.CODE_DIGITS - 1):
        assert len({c[position] for c in codes}) >= 8
    for code in codes[:20]:
        assert len(code) == receipt.CODE_DIGITS == 32
        receipt.parse_code(receipt.format_code(code))  # grouped form parses back


def test_check_digit_catches_every_single_typo_and_adjacent_swap():
    code = receipt.new_code()
    for i in range(len(code)):
        for digit in "0123456789":
            if digit != code[i]:
                with pytest.raises(receipt.MalformedCode):
                    receipt.parse_code(code[:i] + digit + code[i + 1 :])
    for i in range(len(code) - 1):
        if code[i] != code[i + 1]:
            with pytest.raises(receipt.MalformedCode):
                receipt.parse_code(code[:i] + code[i + 1] + code[i] + code[i + 2 :])


def test_code_is_stored_only_as_a_slow_salted_hash_and_is_not_recoverable(api_client):
    first = submit(api_client)
    second = submit(api_client)
    digits = first["receipt_code_digits"]
    everything = dump_database_text()
    secret = digits[receipt.LOOKUP_DIGITS : -1]
    for needle in (digits, first["receipt_code"], digits[:-1], secret, secret[:12], secret[-12:]):
        assert needle not in everything
    hashes = list(Ticket.objects.filter(service="wbs").values_list("access_token_hash", flat=True))
    assert all(h.startswith("$argon2id$") for h in hashes)
    assert len(set(hashes)) == 2 and second["receipt_code_digits"] not in everything
    # salted: hashing the same code twice gives two different strings, both verifying
    _lookup, body = receipt.parse_code(digits)
    assert receipt.hash_code(digits) != receipt.hash_code(digits)
    assert receipt.verify(body, Ticket.objects.get(tracking_number=first["tracking_number"]).access_token_hash)


# --- access ---------------------------------------------------------------------------------------------------
def test_access_with_right_code_wrong_code_and_another_reports_code(api_client):
    first = submit(api_client, what="Laporan pertama tentang pungutan liar.")
    second = submit(api_client, what="Laporan kedua tentang gratifikasi.", violation_type="gratification")

    ok = api_client.post(ACCESS, {"code": first["receipt_code"]}, format="json")
    assert ok.status_code == 200
    data = ok.json()
    assert data["tracking_number"] == first["tracking_number"]
    assert data["status"] == "received" and data["details"]["violation_type"] == "bribery"
    assert "messages" in data and data["metadata_notice"]
    assert ok["Cache-Control"] == "no-store"

    other = api_client.post(ACCESS, {"code": second["receipt_code_digits"]}, format="json")
    assert other.status_code == 200 and other.json()["tracking_number"] == second["tracking_number"]

    wrong = api_client.post(ACCESS, {"code": tamper(first["receipt_code"], 20)}, format="json")
    # first's lookup part with second's secret part: well-formed but opens nothing
    mixed_body = (
        first["receipt_code_digits"][: receipt.LOOKUP_DIGITS]
        + second["receipt_code_digits"][receipt.LOOKUP_DIGITS : -1]
    )
    mixed = api_client.post(ACCESS, {"code": mixed_body + receipt.damm_check_digit(mixed_body)}, format="json")
    unknown_body = "000000" + first["receipt_code_digits"][receipt.LOOKUP_DIGITS : -1]
    if unknown_body[:6] == first["receipt_code_digits"][:6]:  # pragma: no cover - 1 in a million
        unknown_body = "999999" + unknown_body[6:]
    unknown = api_client.post(ACCESS, {"code": unknown_body + receipt.damm_check_digit(unknown_body)}, format="json")
    assert wrong.status_code == mixed.status_code == unknown.status_code == 404
    assert wrong.json() == mixed.json() == unknown.json()  # answered identically
    assert wrong.json()["detail"] == "Tidak ada laporan yang cocok dengan kode tanda terima ini."  # Indonesian

    typo = api_client.post(ACCESS, {"code": first["receipt_code_digits"][:-1] + "x"}, format="json")
    assert typo.status_code == 400 and "32 digit" in typo.json()["code"][0]
    missing = api_client.post(ACCESS, {}, format="json")
    assert missing.status_code == 400


def test_wrong_codes_are_rate_limited_but_right_codes_are_not_counted(api_client, settings):
    settings.PESAN_WBS_ACCESS_RATE = "3/hour"
    body = submit(api_client)
    for _ in range(5):  # successes do not use up the allowance
        assert api_client.post(ACCESS, {"code": body["receipt_code"]}, format="json").status_code == 200
    wrong = tamper(body["receipt_code"], 15)
    for _ in range(3):
        assert api_client.post(ACCESS, {"code": wrong}, format="json").status_code == 404
    blocked = api_client.post(ACCESS, {"code": wrong}, format="json")
    assert blocked.status_code == 429
    assert int(blocked["Retry-After"]) > 0
    # once blocked, guessing stops: even a right code waits, and so do messages
    assert api_client.post(ACCESS, {"code": body["receipt_code"]}, format="json").status_code == 429
    assert api_client.post(MESSAGES, {"code": wrong, "text": "x"}, format="json").status_code == 429
    # another client is not affected
    other = api_client.post(ACCESS, {"code": body["receipt_code"]}, format="json", REMOTE_ADDR="198.51.100.9")
    assert other.status_code == 200


# --- the thread -----------------------------------------------------------------------------------------------
def test_message_thread_both_ways(api_client, inspektorat):
    body = submit(api_client)
    code = body["receipt_code"]
    ticket = Ticket.objects.get(tracking_number=body["tracking_number"])

    ticket = apply_transition(ticket, "acknowledge", inspektorat, note="Laporan Anda kami terima dan sedang ditelaah.")
    ticket = apply_transition(ticket, "request_info", inspektorat, note="Kapan tepatnya permintaan uang itu terjadi?")
    assert ticket.status == "more_info_needed"

    sent = api_client.post(MESSAGES, {"code": code, "text": "Pada 12 Maret 2026 sekitar pukul 10.00."}, format="json")
    assert sent.status_code == 201, sent.content
    assert sent.json()["status"] == "initial_review"  # the answer puts the ball back with the Inspektorat
    apply_transition(Ticket.objects.get(pk=ticket.pk), "reply", inspektorat, note="Terima kasih, kami tindak lanjuti.")

    thread = api_client.post(ACCESS, {"code": code}, format="json").json()["messages"]
    report, thread = thread[0], thread[1:]  # the thread opens with the report as filed (issue 16)
    assert report["sender"] == "reporter" and report["action"] == "report"
    assert [(m["sender"], m["text"]) for m in thread] == [
        ("officer", "Laporan Anda kami terima dan sedang ditelaah."),
        ("officer", "Kapan tepatnya permintaan uang itu terjadi?"),
        ("reporter", "Pada 12 Maret 2026 sekitar pukul 10.00."),
        ("officer", "Terima kasih, kami tindak lanjuti."),
    ]
    # internal notes never reach the reporter
    apply_transition(Ticket.objects.get(pk=ticket.pk), "note", inspektorat, note="Catatan internal: cek CCTV.")
    view = api_client.post(ACCESS, {"code": code}, format="json").json()
    assert "CCTV" not in str(view)
    # the Inspektorat sees the reporter's message in the timeline
    texts = [e.text for e in TimelineEntry.objects.filter(ticket=ticket)]
    assert "Pada 12 Maret 2026 sekitar pukul 10.00." in texts


def test_empty_message_and_closed_report_are_refused(api_client, inspektorat):
    body = submit(api_client)
    empty = api_client.post(MESSAGES, {"code": body["receipt_code"], "text": "  "}, format="json")
    assert empty.status_code == 400 and "text" in empty.json()
    ticket = Ticket.objects.get(tracking_number=body["tracking_number"])
    for action in ("acknowledge", "escalate"):
        ticket = apply_transition(ticket, action, inspektorat)
    ticket = apply_transition(ticket, "not_proven", inspektorat, note="Tidak terbukti setelah pemeriksaan.")
    ticket = apply_transition(ticket, "close", inspektorat)
    late = api_client.post(MESSAGES, {"code": body["receipt_code"], "text": "Info tambahan"}, format="json")
    assert late.status_code == 400
    view = api_client.post(ACCESS, {"code": body["receipt_code"]}, format="json").json()
    assert view["status"] == "closed" and not view["is_open"]
    assert any(m["text"] == "Tidak terbukti setelah pemeriksaan." for m in view["messages"])


# --- encryption at rest -----------------------------------------------------------------------------------------
def test_identity_narrative_and_messages_are_encrypted_at_rest(api_client, inspektorat):
    body = submit(
        api_client,
        what="Kepala seksi XYZ menerima amplop tebal dari rekanan.",
        who="Kepala Seksi Pengadaan Barang",
        name="Wahyu Pelapor",
        contact="0812-5555-0001",
        email="wahyu.pelapor@example.org",
    )
    ticket = Ticket.objects.get(tracking_number=body["tracking_number"])
    api_client.post(MESSAGES, {"code": body["receipt_code"], "text": "Saya punya foto amplopnya."}, format="json")
    apply_transition(ticket, "acknowledge", inspektorat, note="Mohon kirim foto tersebut ke kami.")

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT what, who, reporter_name, reporter_contact, reporter_email FROM layanan_wbsreportdetails "
            "WHERE ticket_id = %s",
            [ticket.pk],
        )
        raw = cursor.fetchone()
        cursor.execute("SELECT note, note_sealed FROM layanan_timelineentry WHERE ticket_id = %s", [ticket.pk])
        raw_notes = cursor.fetchall()
    for value, plain in zip(
        raw,
        (
            "Kepala seksi XYZ",
            "Kepala Seksi Pengadaan",
            "Wahyu Pelapor",
            "0812-5555-0001",
            "wahyu.pelapor@example.org",
        ),
        strict=True,
    ):
        assert plain not in value and value.startswith("gAAAA")  # Fernet token
    stored = " ".join(f"{note} {sealed}" for note, sealed in raw_notes)
    assert "Saya punya foto" not in stored and "Mohon kirim foto" not in stored
    everything = dump_database_text()
    for plain in ("Wahyu Pelapor", "wahyu.pelapor@example.org", "amplop tebal", "Saya punya foto"):
        assert plain not in everything
    details = WbsReportDetails.objects.get(pk=ticket.pk)  # the ORM decrypts for the Inspektorat
    assert details.reporter_name == "Wahyu Pelapor" and "amplop tebal" in details.what


# --- e-mail -------------------------------------------------------------------------------------------------------
def test_reporter_without_address_is_never_emailed(api_client, inspektorat, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        body = submit(api_client)
    ticket = Ticket.objects.get(tracking_number=body["tracking_number"])
    with django_capture_on_commit_callbacks(execute=True):
        apply_transition(ticket, "acknowledge", inspektorat, note="Diterima.")
        apply_transition(Ticket.objects.get(pk=ticket.pk), "reply", inspektorat, note="Pesan.")
    assert mail.outbox == []


def test_reporter_who_left_an_address_gets_content_free_notices(
    api_client, inspektorat, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        body = submit(api_client, email="pelapor@example.org")
    assert len(mail.outbox) == 1
    ticket = Ticket.objects.get(tracking_number=body["tracking_number"])
    with django_capture_on_commit_callbacks(execute=True):
        apply_transition(ticket, "acknowledge", inspektorat, note="Pesan rahasia untuk pelapor.")
        apply_transition(Ticket.objects.get(pk=ticket.pk), "note", inspektorat, note="internal")
    assert len(mail.outbox) == 2  # the internal note sends nothing
    for message in mail.outbox:
        assert message.to == ["pelapor@example.org"]
        text = message.subject + message.body
        assert body["tracking_number"] not in text
        assert body["receipt_code_digits"][:8] not in text.replace(" ", "")
        assert "Pesan rahasia" not in text and "uang pelicin" not in text
    assert "kode tanda terima" in mail.outbox[1].body


def test_violation_types_endpoint_lists_the_kpk_groups_and_other_violations(api_client):
    rows = api_client.get("/api/v2/wbs/violation-types/").json()
    values = {row["value"] for row in rows}
    assert len(values) == 11
    assert sum(row["corruption_group"] for row in rows) == 7
    assert {"bribery", "gratification", "abuse_of_authority", "administrative"} <= values


def test_token_route_of_the_wbs_endpoints_opens_no_other_service(api_client):
    from tests.layanan.conftest import lapor_payload

    created = api_client.post("/api/v2/lapor/reports/", lapor_payload(), format="json").json()
    key = {"tracking_number": created["tracking_number"], "access_token": created["access_token"]}
    assert api_client.post(ACCESS, key, format="json").status_code == 404
    assert api_client.post(MESSAGES, {**key, "text": "Halo"}, format="json").status_code == 404
    assert not TimelineEntry.objects.filter(action="reporter_message").exists()


def test_timers_are_settings_and_the_machine_runs_to_referral(inspektorat, settings):
    import datetime

    from layanan.wbs.services import submit_wbs_report
    from tests.layanan.conftest import wib

    received = wib(2026, 3, 10, 10, 0)  # a Tuesday, in office hours: day 0 is that day
    ticket = submit_wbs_report(wbs_payload(), received_at=received).ticket
    assert ticket.deadline_rule == "wbs/acknowledge" and ticket.deadline_unit == "calendar"
    assert ticket.due_date == datetime.date(2026, 3, 17)  # 7 calendar days
    settings.PESAN_DEADLINE_RULES = {"wbs/acknowledge": {"days": 3}, "wbs/feedback": {"days": 30}}
    ticket = submit_wbs_report(wbs_payload(), received_at=received).ticket
    assert ticket.due_date == datetime.date(2026, 3, 13)

    ticket = apply_transition(ticket, "acknowledge", inspektorat)
    acknowledged = ticket.wbs.acknowledged_at
    assert ticket.deadline_rule == "wbs/feedback"
    from layanan.calendar.workdays import compute_deadline

    expected = compute_deadline(acknowledged, 30, unit="calendar")  # counted from the acknowledgement
    assert ticket.due_date == expected.due_date == expected.counting_from + datetime.timedelta(days=30)
    for action in ("escalate", "special_audit"):
        ticket = apply_transition(ticket, action, inspektorat)
    assert ticket.clock_running
    with pytest.raises(TransitionError):  # the body must be one of the choices
        apply_transition(ticket, "refer", inspektorat, law_enforcement_body="mars")
    ticket = apply_transition(ticket, "refer", inspektorat, law_enforcement_body="kpk", note="Dilimpahkan ke KPK.")
    assert ticket.status == "referred" and not ticket.clock_running and ticket.responded_at is not None
    assert ticket.wbs.get_law_enforcement_body_display() == "Komisi Pemberantasan Korupsi (KPK)"
    ticket = apply_transition(ticket, "close", inspektorat)
    assert ticket.status == "closed" and ticket.closed_at is not None
