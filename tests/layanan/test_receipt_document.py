"""Proof of filing (tanda bukti penerimaan, issue 16): the receipt's content (``layanan.core.receipt_document``),
its PDF read back with pypdf, the site's download and print forms, the API endpoint and the WBS receipt.

Expected values are computed from the ticket (its received time in WIB, its due date), never from today's date.
"""

from __future__ import annotations

import datetime
import io
import re
from html.parser import HTMLParser

import pytest
from django.urls import reverse
from django.utils import translation
from pypdf import PdfReader
from wagtail.models import Site

from home.models import OrganisationSettings
from layanan.core.receipt_document import ticket_receipt, ticket_receipt_pdf
from layanan.lapor import intake as lapor_intake
from layanan.ppid import intake as ppid_intake
from layanan.wbs import receipt as wbs_receipt_code
from layanan.wbs import services as wbs
from tests.layanan.conftest import WIB, challenge_field, lapor_payload, ppid_payload, wbs_payload, wib

pytestmark = pytest.mark.django_db

UTC = datetime.UTC
RECEIPT_URL = "/layanan/cek-status/tanda-bukti/"
PRINT_URL = "/layanan/cek-status/tanda-bukti/cetak/"
WBS_RECEIPT_URL = "/wbs/tanda-bukti/"
NIK = ppid_payload()["nik"]


@pytest.fixture(autouse=True)
def organisation(db):
    """The issuing body as the site settings name it (the receipt must not hard-code it)."""
    org = OrganisationSettings.for_site(Site.objects.get(is_default_site=True))
    org.name = "Kementerian Contoh Terbuka"
    org.address = "Jl. Medan Merdeka Barat No. 9\nJakarta Pusat"
    org.phone = "021-555-0199"
    org.save()
    return org


def pdf_text(content: bytes) -> str:
    """All pages' text as pypdf extracts it, white space runs collapsed to one space."""
    reader = PdfReader(io.BytesIO(content))
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages))


def pdf_metadata(content: bytes) -> dict:
    return {str(k): str(v) for k, v in (PdfReader(io.BytesIO(content)).metadata or {}).items()}


def received_wib(ticket) -> str:
    """``"03/03/2026 06:30 WIB"`` computed from the ticket's own received time."""
    return ticket.received_at.astimezone(WIB).strftime("%d/%m/%Y %H:%M") + " WIB"


def _ppid(**kwargs):
    received = kwargs.pop("received_at", datetime.datetime(2026, 3, 2, 23, 30, tzinfo=UTC))
    return ppid_intake.submit_ppid_request(ppid_payload(**kwargs), received_at=received)


# --- the content and the PDF ---------------------------------------------------------------------------------
def test_pdf_holds_number_received_time_in_wib_due_date_and_legal_basis():
    submission = _ppid()
    ticket = submission.ticket
    content, filename = ticket_receipt_pdf(ticket)
    assert content.startswith(b"%PDF-") and filename == f"tanda-bukti-{ticket.tracking_number}.pdf"
    text = pdf_text(content)
    assert ticket.tracking_number in text
    # 23:30 UTC on 2 March is 06:30 WIB on 3 March
    assert received_wib(ticket) == "03/03/2026 06:30 WIB"
    assert "03/03/2026 06:30 WIB" in text
    assert ticket.due_date.strftime("%d/%m/%Y") in text
    assert "UU 14/2008 Pasal 22(7)" in text  # the due date's own article (deadline rule, snapshotted)
    assert "UU 14/2008 tentang Keterbukaan Informasi Publik" in text  # the service's law (registry)
    assert "Kementerian Contoh Terbuka" in text and "Jakarta Pusat" in text  # from the site settings
    # the request as filed
    assert "Salinan laporan realisasi anggaran 2025" in text and "Penelitian kebijakan fiskal" in text
    assert "Siti Aminah" in text
    # the NIK masked, never in full; no access token
    assert NIK not in text.replace(" ", "") and ticket.nik_masked in text
    assert submission.access_token not in text
    with translation.override("id"):
        assert str(ticket.get_channel_display()) in pdf_text(ticket_receipt_pdf(ticket)[0])


def test_pdf_metadata_names_the_receipt_and_holds_no_personal_data():
    submission = _ppid()
    ticket = submission.ticket
    meta = pdf_metadata(ticket_receipt_pdf(ticket)[0])
    assert ticket.tracking_number in meta["/Title"]
    assert meta["/Author"] == "Kementerian Contoh Terbuka"
    joined = " ".join(meta.values())
    for personal in ("Siti", "siti@example.org", NIK, ticket.nik_masked, "081234567890", submission.access_token):
        assert personal not in joined


def test_objection_and_lapor_receipts_cite_their_own_legal_basis():
    request = ppid_intake.submit_ppid_request(ppid_payload(), received_at=wib(2026, 3, 2, 9, 0))
    objection = ppid_intake.submit_objection(
        {
            "request_tracking_number": request.tracking_number,
            "reason": "c",
            "description": "Permohonan saya tidak dijawab.",
            "name": "Siti Aminah",
            "email": "siti@example.org",
        },
        received_at=wib(2026, 3, 20, 9, 0),
    ).ticket
    text = pdf_text(ticket_receipt_pdf(objection)[0])
    assert objection.tracking_number in text and request.tracking_number in text
    assert "UU 14/2008 Pasal 36(2)" in text and "Permohonan saya tidak dijawab." in text
    assert objection.due_date.strftime("%d/%m/%Y") in text and received_wib(objection) in text

    report = lapor_intake.submit_lapor_report(lapor_payload(), received_at=wib(2026, 3, 4, 15, 5)).ticket
    text = pdf_text(ticket_receipt_pdf(report)[0])
    assert "04/03/2026 15:05 WIB" in text and report.due_date.strftime("%d/%m/%Y") in text
    assert "Perpres 76/2013" in text and "PermenPANRB 62/2018" in text
    assert "Jalan rusak di depan kantor layanan" in text and "Lubang besar" in text and "Jl. Sudirman" in text


def test_anonymous_lapor_report_prints_no_name_or_nik():
    report = lapor_intake.submit_lapor_report(lapor_payload(anonymous=True), received_at=wib(2026, 3, 4, 9, 0))
    text = pdf_text(ticket_receipt_pdf(report.ticket)[0])
    assert report.tracking_number in text
    assert "Budi" not in text and report.ticket.nik_masked not in text


def test_desk_registration_names_the_officer_and_the_channel(make_user):
    officer = make_user("petugas", "PPID Utama")
    officer.first_name, officer.last_name = "Rina", "Petugas"
    officer.save()
    ticket = ppid_intake.submit_ppid_request(
        ppid_payload(), received_at=wib(2026, 3, 5, 10, 0), channel="walk_in", registered_by=officer
    ).ticket
    document = ticket_receipt(ticket)
    rows = {row.label: row.value for section in document.sections for row in section.rows}
    assert "Rina Petugas" in rows.values()
    assert str(ticket.get_channel_display()) in rows.values()
    web = _ppid().ticket
    assert "Rina Petugas" not in {row.value for section in ticket_receipt(web).sections for row in section.rows}


def test_long_request_splits_over_pages():
    long_text = "\n".join(f"Baris {n}: salinan dokumen pengadaan barang dan jasa." for n in range(300))
    ticket = _ppid(information_requested=long_text).ticket
    content, _name = ticket_receipt_pdf(ticket)
    assert len(PdfReader(io.BytesIO(content)).pages) > 1
    assert "Baris 299" in pdf_text(content)


# --- the site: forms with no URL typed, the token never in a URL ----------------------------------------------
class _Forms(HTMLParser):
    """The forms of a page: ``[{"action", "method", "target", "fields": {name: value}}]``."""

    def __init__(self):
        super().__init__()
        self.forms = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.forms.append({**attrs, "fields": {}})
        elif tag == "input" and self.forms and attrs.get("name"):
            self.forms[-1]["fields"][attrs["name"]] = attrs.get("value", "")


def forms_of(html: str) -> list[dict]:
    parser = _Forms()
    parser.feed(html)
    return parser.forms


def _receipt_forms(html: str) -> dict:
    return {f["action"]: f for f in forms_of(html) if f["action"] in (RECEIPT_URL, PRINT_URL, WBS_RECEIPT_URL)}


def test_confirmation_page_offers_download_and_print_as_post_forms(client):
    client.post("/layanan/permohonan-informasi/", {**challenge_field(), **ppid_payload()})
    html = client.get(reverse("layanan-site-submitted")).content.decode()
    number = re.search(r'id="tracking-number">([^<]+)<', html).group(1)
    token = re.search(r'id="access-token">([^<]+)<', html).group(1)
    forms = _receipt_forms(html)
    assert set(forms) == {RECEIPT_URL, PRINT_URL}
    for form in forms.values():
        assert form["method"] == "post" and token not in form["action"]
        assert form["fields"]["tracking_number"] == number and form["fields"]["token"] == token
        assert "csrfmiddlewaretoken" in form["fields"]
    assert not re.search(r'href="[^"]*' + re.escape(token), html)  # no link carries the token

    # what the buttons send
    pdf = client.post(RECEIPT_URL, forms[RECEIPT_URL]["fields"])
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf["Content-Disposition"] == f'attachment; filename="tanda-bukti-{number}.pdf"'
    assert "no-store" in pdf["Cache-Control"] and pdf["X-Content-Type-Options"] == "nosniff"
    assert number in pdf_text(pdf.content)
    page = client.post(PRINT_URL, forms[PRINT_URL]["fields"])
    assert page.status_code == 200 and "no-store" in page["Cache-Control"]
    printed = page.content.decode()
    assert number in printed and token not in printed and "layanan/receipt.css" in printed


def test_status_page_offers_the_receipt_after_lookup(client):
    submission = _ppid()
    number = submission.tracking_number
    html = client.post("/layanan/cek-status/", {"tracking_number": number, "token": submission.access_token})
    forms = _receipt_forms(html.content.decode())
    assert set(forms) == {RECEIPT_URL, PRINT_URL}
    assert forms[PRINT_URL]["fields"]["token"] == submission.access_token
    printed = client.post(PRINT_URL, forms[PRINT_URL]["fields"]).content.decode()
    ticket = submission.ticket
    assert received_wib(ticket) in printed and ticket.due_date.strftime("%d/%m/%Y") in printed
    assert "Kementerian Contoh Terbuka" in printed and NIK not in printed


def test_site_receipt_wrong_token_404_and_never_by_get(client):
    submission = _ppid()
    for url in (RECEIPT_URL, PRINT_URL):
        wrong = client.post(url, {"tracking_number": submission.tracking_number, "token": "salah"})
        assert wrong.status_code == 404
        unknown = client.post(url, {"tracking_number": "PPID-2026-999999", "token": submission.access_token})
        assert unknown.status_code == 404
        # a token in the query string is not read, and a GET serves no receipt
        query = f"{url}?tracking_number={submission.tracking_number}&token={submission.access_token}"
        gone = client.get(query)  # no receipt by GET: back to the status page, the token unused
        assert gone.status_code == 302 and gone["Location"] == "/layanan/cek-status/"
        assert client.post(query).status_code == 404


def test_site_receipt_counts_against_the_lookup_limit(client, settings):
    rates = {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "lookup": "1/hour"}
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}
    submission = _ppid()
    body = {"tracking_number": submission.tracking_number, "token": submission.access_token}
    assert client.post(RECEIPT_URL, body).status_code == 200
    refused = client.post(PRINT_URL, body)
    assert refused.status_code == 429 and refused["Retry-After"].isdigit()


# --- the API -------------------------------------------------------------------------------------------------
def test_api_receipt_with_the_token_header(api_client):
    submission = _ppid()
    url = f"/api/v2/tickets/{submission.tracking_number}/receipt/"
    ok = api_client.get(url, HTTP_X_ACCESS_TOKEN=submission.access_token, HTTP_ACCEPT="application/pdf")
    assert ok.status_code == 200 and ok["Content-Type"] == "application/pdf"
    assert "no-store" in ok["Cache-Control"]
    text = pdf_text(ok.content)
    assert submission.tracking_number in text and received_wib(submission.ticket) in text
    # the token in the body (POST) where a header cannot be sent
    assert api_client.post(url, {"token": submission.access_token}).status_code == 200


def test_api_receipt_wrong_token_answers_like_the_ticket_endpoint(api_client):
    submission = _ppid()
    number = submission.tracking_number
    detail = api_client.get(f"/api/v2/tickets/{number}/", HTTP_X_ACCESS_TOKEN="salah")
    wrong = api_client.get(f"/api/v2/tickets/{number}/receipt/", HTTP_X_ACCESS_TOKEN="salah")
    assert detail.status_code == wrong.status_code == 404
    assert wrong.json() == detail.json()
    unknown = api_client.get("/api/v2/tickets/PPID-2026-999999/receipt/", HTTP_X_ACCESS_TOKEN="x")
    assert unknown.status_code == 404 and unknown.json() == detail.json()
    # the token in the query string is ignored
    query = api_client.get(f"/api/v2/tickets/{number}/receipt/?token={submission.access_token}")
    assert query.status_code == 404


def test_api_schema_documents_a_binary_pdf(api_client):
    schema = api_client.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    operation = schema["paths"]["/api/v2/tickets/{tracking_number}/receipt/"]["get"]
    assert operation["responses"]["200"]["content"]["application/pdf"]["schema"] == {
        "type": "string",
        "format": "binary",
    }
    assert any(p["name"] == "X-Access-Token" and p["in"] == "header" for p in operation["parameters"])
    assert "404" in operation["responses"]


# --- WBS -----------------------------------------------------------------------------------------------------
def _wbs_confirmation(client, **payload):
    data = wbs_payload(**payload)
    response = client.post("/wbs/", {**challenge_field(), **data})
    assert response.status_code == 201
    return response.content.decode(), data


def test_wbs_confirmation_downloads_a_receipt_with_the_code_and_nothing_about_the_reporter(client):
    html, data = _wbs_confirmation(client, name="Andi Pelapor", email="andi.pelapor@example.org", contact="0811")
    code = re.search(r'id="receipt-code">([^<]+)<', html).group(1).strip()
    forms = _receipt_forms(html)
    assert set(forms) == {WBS_RECEIPT_URL}
    form = forms[WBS_RECEIPT_URL]
    assert form["method"] == "post" and form["fields"]["code"] == code and code not in form["action"]

    response = client.post(WBS_RECEIPT_URL, form["fields"])
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert "no-store" in response["Cache-Control"]
    assert response["Content-Disposition"] == 'attachment; filename="tanda-bukti-laporan-wbs.pdf"'
    text = pdf_text(response.content)
    assert code in text
    from layanan.core.models.tickets import Ticket

    ticket = Ticket.objects.get(service="wbs")
    assert ticket.received_at.astimezone(WIB).strftime("%d/%m/%Y") in text
    assert "/wbs/akses/" in text
    assert "Kementerian Contoh Terbuka" in text
    # nothing identifying the reporter, no report text, no tracking number, no time of day
    for secret in ("Andi", "andi.pelapor@example.org", "0811", data["what"], data["who"], data["where"]):
        assert secret not in text
    assert ticket.tracking_number not in text
    assert not re.search(r"\d{2}:\d{2}", text)
    meta = pdf_metadata(response.content)
    assert meta["/Author"] == meta["/Creator"] == meta["/Producer"] == meta["/Subject"] == ""
    assert meta["/CreationDate"].startswith("D:2000")  # no creation time
    assert all(s not in " ".join(meta.values()) for s in ("Andi", "andi.pelapor", code.replace(" ", "")))


def test_wbs_receipt_needs_the_right_code_and_counts_wrong_ones(client, settings):
    settings.PESAN_WBS_ACCESS_RATE = "2/hour"
    submission = wbs.submit_wbs_report(wbs_payload())
    wrong = wbs_receipt_code.format_code(wbs_receipt_code.new_code())
    assert client.post(WBS_RECEIPT_URL, {"code": wrong}).status_code == 404
    assert client.post(WBS_RECEIPT_URL, {"code": "1234"}).status_code == 404  # malformed: not counted
    by_get = client.get(f"{WBS_RECEIPT_URL}?code={submission.formatted_code}")  # never by GET: to the thread
    assert by_get.status_code == 302 and by_get["Location"] == "/wbs/akses/"
    assert client.post(WBS_RECEIPT_URL, {"code": submission.formatted_code}).status_code == 200
    assert client.post(WBS_RECEIPT_URL, {"code": wrong}).status_code == 404
    # two wrong codes: every request from this client now waits, the right code included
    blocked = client.post(WBS_RECEIPT_URL, {"code": submission.formatted_code})
    assert blocked.status_code == 429 and blocked["Retry-After"].isdigit()
