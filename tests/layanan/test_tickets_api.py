"""Public ticket API: submissions, bad input (nothing stored), token-protected status and files."""

import datetime
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from layanan.core.models.tickets import Attachment, Ticket, TimelineEntry, TrackingCounter
from layanan.lapor.models import LaporCategory
from tests.layanan.conftest import PDF_BYTES, PNG_BYTES, lapor_payload, ppid_payload, wib

pytestmark = pytest.mark.django_db

PPID_URL = "/api/v2/ppid/requests/"
OBJECTION_URL = "/api/v2/ppid/objections/"
LAPOR_URL = "/api/v2/lapor/reports/"


def stored_counts():
    return (Ticket.objects.count(), TimelineEntry.objects.count(), Attachment.objects.count())


def media_files(settings):
    """Every file written to public media or the private storage (attachments live in the latter)."""
    roots = [Path(settings.MEDIA_ROOT), Path(settings.PRIVATE_MEDIA_ROOT)]
    return [p for root in roots if root.exists() for p in root.rglob("*") if p.is_file()]


@pytest.fixture
def frozen_now(monkeypatch):
    """``frozen_now(dt)`` makes ``timezone.now()`` return ``dt`` (the moment a submission is received)."""

    def freeze(moment):
        monkeypatch.setattr(timezone, "now", lambda: moment)
        return moment

    return freeze


# --- happy paths ------------------------------------------------------------------------------------------
def test_ppid_request_json_gives_tracking_number_token_and_due_date(api_client, synced_holidays, frozen_now):
    frozen_now(wib(2026, 3, 13, 10, 0))
    response = api_client.post(PPID_URL, ppid_payload(), format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["tracking_number"] == "PPID-2026-000001"
    assert len(body["access_token"]) >= 22  # >= 128 bits urlsafe
    assert body["due_date"] == "2026-04-06"  # Nyepi, Idul Fitri, cuti bersama, Good Friday skipped
    assert body["deadline"]["counting_from"] == "2026-03-13"
    skipped = {d["date"] for d in body["deadline"]["skipped"]}
    assert {"2026-03-19", "2026-04-03"} <= skipped
    assert "2026" in body["deadline"]["explanation"]
    assert body["status"] == "received"
    assert body["status_url"].endswith(f"/api/v2/tickets/{body['tracking_number']}/")
    ticket = Ticket.objects.get(tracking_number=body["tracking_number"])
    assert ticket.channel == "web"
    assert ticket.access_token_hash and body["access_token"] not in ticket.access_token_hash
    assert ticket.ppid.information_requested.startswith("Salinan laporan")


def test_ppid_request_after_office_hours_counts_from_next_working_day(api_client, synced_holidays, frozen_now):
    frozen_now(wib(2026, 3, 13, 17, 30))
    body = api_client.post(PPID_URL, ppid_payload(), format="json").json()
    assert body["due_date"] == "2026-04-07"
    assert body["deadline"]["counting_from"] == "2026-03-16"


def test_tracking_numbers_increase_per_service_and_year(api_client, synced_holidays, frozen_now):
    frozen_now(wib(2026, 12, 31, 23, 30))  # still 2026 in WIB although 2026-12-31T16:30Z
    first = api_client.post(PPID_URL, ppid_payload(), format="json").json()["tracking_number"]
    second = api_client.post(PPID_URL, ppid_payload(), format="json").json()["tracking_number"]
    lapor = api_client.post(LAPOR_URL, lapor_payload(), format="json").json()["tracking_number"]
    frozen_now(wib(2027, 1, 1, 0, 30))  # 2026-12-31T17:30Z: already 2027 in WIB
    next_year = api_client.post(PPID_URL, ppid_payload(), format="json").json()["tracking_number"]
    assert (first, second, lapor, next_year) == (
        "PPID-2026-000001",
        "PPID-2026-000002",
        "LAPOR-2026-000001",
        "PPID-2027-000001",
    )


def test_ppid_request_multipart_with_attachments_and_power_of_attorney(api_client, synced_holidays, settings):
    data = ppid_payload(is_proxy="true")
    data["power_of_attorney"] = SimpleUploadedFile("kuasa.pdf", PDF_BYTES, content_type="application/pdf")
    data["attachments"] = [
        SimpleUploadedFile("ktp.png", PNG_BYTES, content_type="image/png"),
        SimpleUploadedFile("surat.pdf", PDF_BYTES, content_type="application/pdf"),
    ]
    response = api_client.post(PPID_URL, data, format="multipart")
    assert response.status_code == 201, response.content
    ticket = Ticket.objects.get(tracking_number=response.json()["tracking_number"])
    names = sorted(a.original_name for a in ticket.attachments.all())
    assert names == ["ktp.png", "kuasa.pdf", "surat.pdf"]
    assert ticket.ppid.is_proxy and ticket.ppid.power_of_attorney.original_name == "kuasa.pdf"
    png = ticket.attachments.get(original_name="ktp.png")
    assert png.content_type == "image/png" and png.size == png.file.size  # re-encoded from its pixels
    assert "ktp" not in png.file.name and png.file.name.endswith(".png")  # generated storage name
    assert len(media_files(settings)) == 3


def test_lapor_report_with_category_by_slug(api_client, synced_holidays, frozen_now):
    parent = LaporCategory.objects.create(name="Infrastruktur", slug="infrastruktur")
    child = LaporCategory.objects.create(name="Jalan", slug="jalan", parent=parent)
    frozen_now(wib(2026, 3, 13, 10, 0))
    response = api_client.post(LAPOR_URL, lapor_payload(category="jalan", anonymous=True), format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["tracking_number"] == "LAPOR-2026-000001"
    # verification: 3 WD from Fri 13 March 2026 (16, 17, then 18-24 March are holidays/cuti bersama) -> 25 March
    assert body["due_date"] == "2026-03-25"
    ticket = Ticket.objects.get(tracking_number=body["tracking_number"])
    assert ticket.lapor.category == child and ticket.lapor.anonymous
    categories = api_client.get("/api/v2/lapor/categories/").json()
    assert {c["slug"] for c in categories} == {"infrastruktur", "jalan"}


def _decided_request(api_client, frozen_now, moment, **payload):
    from layanan.core.workflow import apply_transition

    frozen_now(moment)
    body = api_client.post(PPID_URL, ppid_payload(**payload), format="json").json()
    ticket = Ticket.objects.get(tracking_number=body["tracking_number"])
    ticket = apply_transition(ticket, "verify", None)
    apply_transition(
        ticket,
        "decide",
        None,
        outcome="rejected_exempt",
        exemption_ground="h",
        outcome_reason="Data pribadi",
        note="Permohonan ditolak.",
    )
    return body


def test_objection_happy_path_same_applicant_by_nik(api_client, synced_holidays, frozen_now):
    request_body = _decided_request(api_client, frozen_now, wib(2026, 4, 6, 9, 0))
    frozen_now(wib(2026, 4, 10, 9, 0))
    response = api_client.post(
        OBJECTION_URL,
        {
            "request_tracking_number": request_body["tracking_number"].lower(),
            "reason": "a",
            "description": "Informasi tersebut bukan rahasia pribadi.",
            "name": "Siti Aminah",
            "nik": "3171 2345 6789 0001",
            "email": "lain@example.org",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["tracking_number"] == "KEB-2026-000001"
    ticket = Ticket.objects.get(tracking_number=body["tracking_number"])
    assert ticket.objection.request.tracking_number == request_body["tracking_number"]
    assert ticket.objection.window_last_date > datetime.date(2026, 5, 1)
    # answer due 30 WD after receipt (UU 14/2008 Pasal 36(2))
    assert ticket.deadline_rule == "objection/answer" and ticket.deadline_days == 30


# --- bad input: 400 per field, Indonesian, nothing stored ----------------------------------------------------
@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"name": ""}, "name"),
        ({"information_requested": ""}, "information_requested"),
        ({"nik": "12345"}, "nik"),
        ({"nik": "31712345678900AB"}, "nik"),
        ({"nik": ""}, "nik"),  # a person must give a NIK
        ({"email": "not-an-email"}, "email"),
        ({"phone": "12ab"}, "phone"),
        ({"obtain_method": "telepati"}, "obtain_method"),
        ({"applicant_type": "legal_entity", "nik": "", "legal_entity_decree": ""}, "legal_entity_decree"),
        ({"is_proxy": True}, "power_of_attorney"),
        ({"email": "", "phone": ""}, "email"),
    ],
)
def test_ppid_bad_input_is_400_per_field_and_stores_nothing(api_client, synced_holidays, overrides, field):
    before = stored_counts()
    response = api_client.post(PPID_URL, ppid_payload(**overrides), format="json")
    assert response.status_code == 400, response.content
    assert field in response.json()
    assert stored_counts() == before


def test_error_messages_are_indonesian_by_default(api_client, synced_holidays):
    body = api_client.post(PPID_URL, ppid_payload(nik="123", name=""), format="json").json()
    assert body["nik"] == ["NIK harus terdiri atas 16 digit angka."]
    assert "wajib" in body["name"][0].lower() or "tidak boleh kosong" in body["name"][0].lower()


def test_error_messages_follow_accept_language(api_client, synced_holidays):
    body = api_client.post(PPID_URL, ppid_payload(nik="123"), format="json", HTTP_ACCEPT_LANGUAGE="en").json()
    assert body["nik"] == ["NIK must be exactly 16 digits."]


def test_forbidden_type_is_detected_by_content_not_name(api_client, synced_holidays, settings):
    before = stored_counts()
    data = ppid_payload()
    data["attachments"] = [
        SimpleUploadedFile("ok.pdf", PDF_BYTES, content_type="application/pdf"),
        SimpleUploadedFile("malware.pdf", b"MZ\x90\x00" + b"\x00" * 200, content_type="application/pdf"),
    ]
    response = api_client.post(PPID_URL, data, format="multipart")
    assert response.status_code == 400
    assert "malware.pdf" in str(response.json()["attachments"])
    assert stored_counts() == before and media_files(settings) == []


def test_a_png_named_pdf_is_accepted_as_png(api_client, synced_holidays):
    data = ppid_payload()
    data["attachments"] = [SimpleUploadedFile("scan.pdf", PNG_BYTES, content_type="application/pdf")]
    response = api_client.post(PPID_URL, data, format="multipart")
    assert response.status_code == 201
    attachment = Attachment.objects.get()
    assert attachment.content_type == "image/png" and attachment.file.name.endswith(".png")


def test_allowed_types_are_a_setting(api_client, synced_holidays, settings):
    settings.PESAN_ATTACHMENT_TYPES = ["application/pdf"]
    data = ppid_payload()
    data["attachments"] = [SimpleUploadedFile("foto.png", PNG_BYTES, content_type="image/png")]
    assert api_client.post(PPID_URL, data, format="multipart").status_code == 400


def test_oversized_attachment_is_400_and_leaves_no_file(api_client, synced_holidays, settings):
    settings.PESAN_ATTACHMENT_MAX_BYTES = 1024
    before = stored_counts()
    data = ppid_payload()
    data["attachments"] = [SimpleUploadedFile("big.pdf", PDF_BYTES + b"0" * 2048, content_type="application/pdf")]
    response = api_client.post(PPID_URL, data, format="multipart")
    assert response.status_code == 400
    assert "big.pdf" in str(response.json()["attachments"])
    assert stored_counts() == before and media_files(settings) == []


def test_failure_after_files_were_written_removes_them(api_client, synced_holidays, settings, monkeypatch):
    """A crash late in the transaction (here: numbering) leaves neither rows nor files."""
    import layanan.core.intake as intake_module

    def boom(*args, **kwargs):
        raise RuntimeError("database went away")

    data = ppid_payload()
    data["attachments"] = [SimpleUploadedFile("a.pdf", PDF_BYTES, content_type="application/pdf")]
    original = intake_module.PPIDRequestDetails if hasattr(intake_module, "PPIDRequestDetails") else None
    assert original is None
    from layanan.ppid.models import PPIDRequestDetails

    monkeypatch.setattr(PPIDRequestDetails.objects, "create", boom)
    api_client.raise_request_exception = False
    response = api_client.post(PPID_URL, data, format="multipart")
    assert response.status_code == 500
    assert stored_counts() == (0, 0, 0) and media_files(settings) == []


def test_objection_unknown_request_is_400(api_client, synced_holidays):
    before = stored_counts()
    response = api_client.post(
        OBJECTION_URL,
        {
            "request_tracking_number": "PPID-2026-999999",
            "reason": "c",
            "description": "x",
            "name": "A",
            "nik": "3171234567890001",
        },
        format="json",
    )
    assert response.status_code == 400
    assert "request_tracking_number" in response.json()
    assert stored_counts() == before


def test_objection_to_another_applicants_request_looks_like_unknown(api_client, synced_holidays, frozen_now):
    body = _decided_request(api_client, frozen_now, wib(2026, 4, 6, 9, 0))
    payload = {
        "reason": "a",
        "description": "x",
        "name": "Orang Lain",
        "nik": "3171999999990009",
        "email": "orang@example.org",
    }
    other = api_client.post(
        OBJECTION_URL, {**payload, "request_tracking_number": body["tracking_number"]}, format="json"
    )
    unknown = api_client.post(OBJECTION_URL, {**payload, "request_tracking_number": "PPID-2026-999999"}, format="json")
    assert other.status_code == unknown.status_code == 400
    assert other.json() == unknown.json()
    assert not Ticket.objects.filter(service="objection").exists()


def test_objection_outside_window_names_the_last_allowed_date(api_client, synced_holidays, frozen_now):
    # Decided Mon 6 April 2026 09:00 -> 30 WD window (15 May cuti bersama, 14 May, 1 May, 27 May, 28 May ...)
    from layanan.calendar.workdays import compute_deadline

    body = _decided_request(api_client, frozen_now, wib(2026, 4, 6, 9, 0))
    decided_at = Ticket.objects.get(tracking_number=body["tracking_number"]).responded_at
    last = compute_deadline(decided_at, 30).due_date
    payload = {
        "request_tracking_number": body["tracking_number"],
        "reason": "a",
        "description": "x",
        "name": "Siti Aminah",
        "email": "siti@example.org",
    }
    frozen_now(wib(last.year, last.month, last.day, 15, 0))
    assert api_client.post(OBJECTION_URL, payload, format="json").status_code == 201
    day_after = last + datetime.timedelta(days=1)
    frozen_now(wib(day_after.year, day_after.month, day_after.day, 9, 0))
    response = api_client.post(OBJECTION_URL, payload, format="json")
    assert response.status_code == 400
    message = response.json()["request_tracking_number"][0]
    assert last.isoformat() in message
    assert Ticket.objects.filter(service="objection").count() == 1


def test_unanswered_request_window_counts_from_its_due_date(api_client, synced_holidays, frozen_now):
    from layanan.calendar.workdays import extend_deadline

    frozen_now(wib(2026, 3, 13, 10, 0))
    body = api_client.post(PPID_URL, ppid_payload(), format="json").json()
    last = extend_deadline(datetime.date(2026, 4, 6), 30).due_date
    payload = {
        "request_tracking_number": body["tracking_number"],
        "reason": "c",
        "description": "Tidak dijawab",
        "name": "Siti Aminah",
        "nik": "3171234567890001",
    }
    late = last + datetime.timedelta(days=1)
    frozen_now(wib(late.year, late.month, late.day, 9, 0))
    response = api_client.post(OBJECTION_URL, payload, format="json")
    assert response.status_code == 400 and last.isoformat() in response.json()["request_tracking_number"][0]
    frozen_now(wib(2026, 4, 8, 9, 0))
    assert api_client.post(OBJECTION_URL, payload, format="json").status_code == 201


def test_objection_bad_reason_is_400(api_client, synced_holidays):
    response = api_client.post(
        OBJECTION_URL,
        {
            "request_tracking_number": "PPID-2026-000001",
            "reason": "z",
            "description": "x",
            "name": "A",
            "email": "a@example.org",
        },
        format="json",
    )
    assert response.status_code == 400 and "reason" in response.json()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"title": ""}, "title"),
        ({"classification": "gosip"}, "classification"),
        ({"category": "tidak-ada"}, "category"),
        ({"nik": "999"}, "nik"),
        ({"email": "x@"}, "email"),
        ({"incident_date": "2999-01-01"}, "incident_date"),
    ],
)
def test_lapor_bad_input(api_client, synced_holidays, overrides, field):
    before = stored_counts()
    response = api_client.post(LAPOR_URL, lapor_payload(**overrides), format="json")
    assert response.status_code == 400 and field in response.json()
    assert stored_counts() == before


def test_counter_not_consumed_by_rejected_submission(api_client, synced_holidays):
    api_client.post(PPID_URL, ppid_payload(nik="1"), format="json")
    assert not TrackingCounter.objects.exists()


# --- token lookup ---------------------------------------------------------------------------------------------
def test_status_with_right_token_wrong_token_and_other_tickets_token(api_client, synced_holidays):
    first = api_client.post(PPID_URL, ppid_payload(), format="json").json()
    second = api_client.post(PPID_URL, ppid_payload(name="Andi"), format="json").json()
    url = f"/api/v2/tickets/{first['tracking_number']}/"

    ok = api_client.get(url, HTTP_X_ACCESS_TOKEN=first["access_token"])
    assert ok.status_code == 200
    assert ok.json()["tracking_number"] == first["tracking_number"]
    # where a header cannot be sent: POST the token in the body; never in the query string (access logs)
    assert api_client.post(url, {"token": first["access_token"]}, format="json").status_code == 200
    assert api_client.get(url, {"token": first["access_token"]}).status_code == 404
    pasted = api_client.post(url, {"token": f"  {first['access_token']} "}, format="json")  # pasted with spaces
    assert pasted.status_code == 200

    wrong = api_client.get(url, HTTP_X_ACCESS_TOKEN="x" * 43)
    other = api_client.get(url, HTTP_X_ACCESS_TOKEN=second["access_token"])
    missing = api_client.get(url)
    unknown = api_client.get("/api/v2/tickets/PPID-2026-999999/", HTTP_X_ACCESS_TOKEN=first["access_token"])
    for response in (wrong, other, missing, unknown):
        assert response.status_code == 404
        assert response.content == unknown.content


def test_status_shows_public_steps_and_released_files_only(api_client, synced_holidays, desk_users):
    from layanan.core.workflow import apply_transition

    body = api_client.post(PPID_URL, ppid_payload(), format="json").json()
    ticket = Ticket.objects.get(tracking_number=body["tracking_number"])
    ppid = desk_users["ppid"]
    ticket = apply_transition(ticket, "verify", ppid)
    ticket = apply_transition(ticket, "note", ppid, note="RAHASIA: cek ke biro hukum dulu")
    ticket = apply_transition(
        ticket,
        "decide",
        ppid,
        outcome="granted_full",
        note="Informasi kami berikan terlampir.",
        files=[SimpleUploadedFile("jawaban.pdf", PDF_BYTES, content_type="application/pdf")],
    )
    from layanan.core.intake import store_attachments

    store_attachments(ticket, [SimpleUploadedFile("memo-internal.pdf", PDF_BYTES)], visible_to_applicant=False)

    data = api_client.get(f"/api/v2/tickets/{body['tracking_number']}/", HTTP_X_ACCESS_TOKEN=body["access_token"])
    payload = data.json()
    text = data.content.decode()
    assert payload["status"] == "decided"
    assert payload["details"]["outcome"] == "granted_full"
    assert [a["note"] for a in payload["answers"]] == ["Informasi kami berikan terlampir."]
    assert "RAHASIA" not in text and "memo-internal" not in text
    assert "3171234567890001" not in text and "3171********0001" not in text
    assert "ppid@example.org" not in text and "siti@example.org" not in text
    names = [f["name"] for f in payload["files"]]
    # the officer's file, then the written notice the decision issued (UU 14/2008 Pasal 22(7)), both released
    assert names[0] == "jawaban.pdf" and payload["files"][0]["document"] is None
    assert len(names) == 2 and names[1].startswith("pemberitahuan-tertulis-")
    assert payload["files"][1]["document"]["kind"] == "ppid_notice"
    download = api_client.get(payload["files"][0]["url"], HTTP_X_ACCESS_TOKEN=body["access_token"])
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF_BYTES
    internal = Attachment.objects.get(original_name="memo-internal.pdf")
    hidden = api_client.get(
        f"/api/v2/tickets/{body['tracking_number']}/files/{internal.pk}/", HTTP_X_ACCESS_TOKEN=body["access_token"]
    )
    assert hidden.status_code == 404
    no_token = api_client.get(payload["files"][0]["url"])
    assert no_token.status_code == 404


def test_lookup_is_throttled(api_client, synced_holidays, settings):
    # pesan_cms.throttling reads the rates from settings on each request (issue 8)
    rates = {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], **{"lookup": "3/hour", "submission": "100/hour"}}
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}
    codes = [api_client.get("/api/v2/tickets/PPID-2026-000001/", HTTP_X_ACCESS_TOKEN="x").status_code for _ in range(4)]
    assert codes == [404, 404, 404, 429]


def test_submissions_are_throttled(api_client, synced_holidays, settings):
    # pesan_cms.throttling reads the rates from settings on each request (issue 8)
    rates = {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], **{"lookup": "100/hour", "submission": "2/hour"}}
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}
    codes = [api_client.post(PPID_URL, ppid_payload(), format="json").status_code for _ in range(3)]
    assert codes == [201, 201, 429]


def test_openapi_schema_documents_the_ticket_endpoints(api_client):
    schema = api_client.get("/api/schema/", {"format": "json"})
    assert schema.status_code == 200
    paths = schema.json()["paths"]
    for path in (
        "/api/v2/ppid/requests/",
        "/api/v2/ppid/objections/",
        "/api/v2/lapor/reports/",
        "/api/v2/tickets/{tracking_number}/",
    ):
        assert path in paths
    assert "multipart/form-data" in paths["/api/v2/ppid/requests/"]["post"]["requestBody"]["content"]
