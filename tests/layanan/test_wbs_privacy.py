"""WBS privacy: no client address, user agent or referrer stored or logged; evidence metadata stripped."""

import io
import logging

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from pypdf import PdfReader, PdfWriter

from layanan.core.models.tickets import Attachment, Ticket
from layanan.wbs.privacy import WbsLogFilter, client_pseudonym
from tests.layanan.conftest import PDF_BYTES, dump_database_text, minimal_pdf, objstm_pdf, ppid_payload, wbs_payload

pytestmark = pytest.mark.django_db

REPORTS = "/api/v2/wbs/reports/"
ACCESS = "/api/v2/wbs/access/"
MESSAGES = "/api/v2/wbs/messages/"

CLIENT_IP = "203.0.113.77"
FORWARDED_IP = "198.51.100.23"
USER_AGENT = "PelaporBrowser/9.9 (Linux; Android 14; SM-A556E Build/UP1A)"
REFERER = "https://intranet.kementerian.example/pegawai/budi-santoso"
IDENTIFYING = (CLIENT_IP, FORWARDED_IP, USER_AGENT, "PelaporBrowser", "SM-A556E", REFERER, "budi-santoso")

CLIENT_META = {
    "REMOTE_ADDR": CLIENT_IP,
    "HTTP_X_FORWARDED_FOR": FORWARDED_IP,
    "HTTP_USER_AGENT": USER_AGENT,
    "HTTP_REFERER": REFERER,
}


def jpeg_with_exif() -> bytes:
    """A JPEG carrying EXIF camera make/model, a serial number and a GPS position."""
    image = Image.new("RGB", (64, 48), (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "SpyCamMaker"  # Make
    exif[0x0110] = "WhistleCam X1"  # Model
    exif[0xA431] = "SERIAL-123456789"  # BodySerialNumber (in the Exif IFD, written at top level here)
    gps = exif.get_ifd(0x8825)
    gps[1] = "S"
    gps[2] = (6.0, 10.0, 30.5)
    gps[3] = "E"
    gps[4] = (106.0, 49.0, 12.25)
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif.tobytes())
    return out.getvalue()


def png_with_text() -> bytes:
    from PIL.PngImagePlugin import PngInfo

    info = PngInfo()
    info.add_text("Author", "Siti Pelapor")
    info.add_text("Comment", "diambil di ruang kepala biro")
    out = io.BytesIO()
    Image.new("RGBA", (20, 20), (0, 0, 255, 255)).save(out, format="PNG", pnginfo=info)
    return out.getvalue()


def pdf_with_author() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(200, 200)
    writer.add_metadata({"/Author": "Siti Pelapor", "/Creator": "Laptop-SITI-KANTOR", "/Title": "Bukti"})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@pytest.fixture
def all_logs(caplog):
    """caplog, also attached to the loggers that do not propagate to the root (``django.request``)."""
    caplog.set_level(logging.DEBUG)
    names = [
        name for name, logger in logging.root.manager.loggerDict.items() if getattr(logger, "propagate", True) is False
    ]
    for name in names:
        logging.getLogger(name).addHandler(caplog.handler)
        caplog.set_level(logging.DEBUG, logger=name)  # e.g. 4xx warnings of django.request
    yield caplog
    for name in names:
        logging.getLogger(name).removeHandler(caplog.handler)


def test_no_ip_user_agent_or_referrer_is_stored_anywhere_after_wbs_traffic(api_client, all_logs):
    caplog = all_logs
    response = api_client.post(REPORTS, wbs_payload(), format="json", **CLIENT_META)
    assert response.status_code == 201
    code = response.json()["receipt_code"]
    assert api_client.post(ACCESS, {"code": code}, format="json", **CLIENT_META).status_code == 200
    sent = api_client.post(MESSAGES, {"code": code, "text": "Tambahan info."}, format="json", **CLIENT_META)
    assert sent.status_code == 201
    wrong = api_client.post(ACCESS, {"code": "1234 5678"}, format="json", **CLIENT_META)  # a 400, logged
    assert wrong.status_code == 400
    api_client.post("/api/v2/wbs/reports/", {"violation_type": "x"}, format="json", **CLIENT_META)

    everything = dump_database_text()
    for needle in IDENTIFYING:
        assert needle not in everything, needle

    # logs: no message, argument or attached request carries them
    assert {r.name for r in caplog.records} >= {"django.request", "layanan.wbs.services"}
    for record in caplog.records:
        text = record.getMessage() + repr(record.__dict__)
        request = getattr(record, "request", None)
        if request is not None and hasattr(request, "META"):
            text += repr(request.META)
        for needle in IDENTIFYING:
            assert needle not in text, (needle, record.name)

    # the throttle's cache keys hold no address either
    keys = " ".join(str(k) for k in getattr(cache, "_cache", {}))
    assert CLIENT_IP not in keys and FORWARDED_IP not in keys


def test_views_see_only_a_daily_pseudonym_and_responses_forbid_caching(rf, settings):
    from layanan.wbs.privacy import WbsPrivacyMiddleware

    # behind one reverse proxy (TRUSTED_PROXY_COUNT=1) the client is the address the proxy appended (issue 8)
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}
    seen = {}

    def view(request):
        from django.http import HttpResponse

        seen.update(request.META)
        seen["headers"] = dict(request.headers)
        return HttpResponse("ok")

    request = rf.post(ACCESS, **CLIENT_META, HTTP_HOST="testserver")
    response = WbsPrivacyMiddleware(view)(request)
    assert seen["REMOTE_ADDR"] == client_pseudonym(FORWARDED_IP) and seen["REMOTE_ADDR"].startswith("wbs-")
    assert "HTTP_USER_AGENT" not in seen and "HTTP_X_FORWARDED_FOR" not in seen and "HTTP_REFERER" not in seen
    assert "User-Agent" not in seen["headers"]
    assert response["Cache-Control"] == "no-store" and response["Referrer-Policy"] == "same-origin"
    # other paths are left alone
    plain = rf.get("/api/v2/site/", **CLIENT_META)
    WbsPrivacyMiddleware(view)(plain)
    assert seen["REMOTE_ADDR"] == CLIENT_IP and seen["HTTP_USER_AGENT"] == USER_AGENT


def test_pseudonym_changes_every_day_and_differs_per_address():
    import datetime

    day = datetime.date(2026, 3, 2)
    assert client_pseudonym("203.0.113.1", day) == client_pseudonym("203.0.113.1", day)
    assert client_pseudonym("203.0.113.1", day) != client_pseudonym("203.0.113.2", day)
    assert client_pseudonym("203.0.113.1", day) != client_pseudonym("203.0.113.1", day + datetime.timedelta(days=1))


def test_log_filter_drops_the_request_of_wbs_records_only(rf):
    record = logging.LogRecord(
        "django.request", logging.ERROR, __file__, 1, "Internal Server Error: %s", (ACCESS,), None
    )
    record.request = rf.post(ACCESS)
    assert WbsLogFilter().filter(record) and record.request is None
    other = logging.LogRecord("django.request", logging.ERROR, __file__, 1, "x", (), None)
    other.request = rf.get("/api/v2/site/")
    assert WbsLogFilter().filter(other) and other.request is not None


def test_exif_gps_and_camera_are_stripped_from_an_uploaded_jpeg(api_client):
    original = jpeg_with_exif()
    assert Image.open(io.BytesIO(original)).getexif().get(0x010F) == "SpyCamMaker"
    upload = SimpleUploadedFile("IMG_Budi_Santoso_kantor.jpg", original, content_type="image/jpeg")
    response = api_client.post(REPORTS, {**wbs_payload(), "files": [upload]}, format="multipart")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["files"] == [
        {
            "name": "bukti-1.jpg",
            "content_type": "image/jpeg",
            "size": body["files"][0]["size"],
            "metadata_removed": True,
        }
    ]
    assert "EXIF" in body["metadata_notice"]
    attachment = Attachment.objects.get(ticket__tracking_number=body["tracking_number"])
    assert attachment.original_name == "bukti-1.jpg"  # the reporter's file name is not kept
    stored = attachment.file.open("rb").read()
    for marker in (b"SpyCamMaker", b"WhistleCam", b"SERIAL-123456789", b"Exif"):
        assert marker not in stored
    image = Image.open(io.BytesIO(stored))
    assert image.format == "JPEG" and image.size == (64, 48)
    assert len(image.getexif()) == 0 and not image.getexif().get_ifd(0x8825)
    assert "Budi_Santoso" not in dump_database_text()


def test_png_text_chunks_and_pdf_author_are_stripped(api_client):
    files = [
        SimpleUploadedFile("a.png", png_with_text(), content_type="image/png"),
        SimpleUploadedFile("b.pdf", pdf_with_author(), content_type="application/pdf"),
    ]
    response = api_client.post(REPORTS, {**wbs_payload(), "files": files}, format="multipart")
    assert response.status_code == 201, response.content
    ticket = Ticket.objects.get(tracking_number=response.json()["tracking_number"])
    stored = {a.content_type: a.file.open("rb").read() for a in ticket.attachments.all()}
    assert b"Siti Pelapor" not in stored["image/png"] and b"ruang kepala" not in stored["image/png"]
    assert b"Siti Pelapor" not in stored["application/pdf"] and b"Laptop-SITI" not in stored["application/pdf"]
    reader = PdfReader(io.BytesIO(stored["application/pdf"]))
    assert len(reader.pages) == 1 and not (reader.metadata or {}).get("/Author")


def test_evidence_in_a_reporter_message_is_stripped_too(api_client):
    body = api_client.post(REPORTS, wbs_payload(), format="json").json()
    upload = SimpleUploadedFile("foto.jpg", jpeg_with_exif(), content_type="image/jpeg")
    sent = api_client.post(
        MESSAGES, {"code": body["receipt_code"], "text": "Foto", "files": [upload]}, format="multipart"
    )
    assert sent.status_code == 201, sent.content
    message = sent.json()["messages"][-1]
    assert message["sender"] == "reporter" and message["files"][0]["name"] == "bukti-1.jpg"
    stored = Attachment.objects.get(ticket__tracking_number=body["tracking_number"]).file.open("rb").read()
    assert b"SpyCamMaker" not in stored
    download = api_client.post(message["files"][0]["url"], {"code": body["receipt_code"]}, format="json")
    assert download.status_code == 200 and b"".join(download.streaming_content) == stored
    assert api_client.post(message["files"][0]["url"], {"code": "0" * 32}, format="json").status_code in (400, 404)


def test_unreadable_pdf_is_refused_but_a_bare_one_is_kept(api_client):
    """A PDF that cannot be read cannot be cleaned, so it is not taken (issue 15: before, one without known
    metadata markers was stored byte for byte — a ``%PDF`` + HTML polyglot went through)."""
    bare = SimpleUploadedFile("bare.pdf", PDF_BYTES, content_type="application/pdf")
    ok = api_client.post(REPORTS, {**wbs_payload(), "files": [bare]}, format="multipart")
    assert ok.status_code == 201
    broken = b"%PDF-1.4\n<html><body><script>alert(1)</script></body></html>\n%%EOF\n"
    refused = api_client.post(
        REPORTS,
        {**wbs_payload(), "files": [SimpleUploadedFile("x.pdf", broken, content_type="application/pdf")]},
        format="multipart",
    )
    assert refused.status_code == 400 and "files" in refused.json()
    assert Ticket.objects.filter(service="wbs").count() == 1  # nothing stored for the refused one


def test_gunicorn_privacy_logger_skips_wbs_and_blanks_client_details():
    import datetime

    from gunicorn.config import Config

    from layanan.wbs.privacy_gunicorn import PrivacyAccessLogger

    config = Config()
    config.set("accesslog", "-")
    logger = PrivacyAccessLogger(config)
    buffer = io.StringIO()
    logger.access_log.handlers = [logging.StreamHandler(buffer)]

    class Response:
        status = "200 OK"
        sent = 10
        headers = []

    class Request:
        headers = [("USER-AGENT", USER_AGENT), ("X-FORWARDED-FOR", FORWARDED_IP)]

    environ = {
        "REQUEST_METHOD": "POST",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": CLIENT_IP,
        "HTTP_USER_AGENT": USER_AGENT,
        "HTTP_REFERER": REFERER,
    }
    took = datetime.timedelta(seconds=1)
    logger.access(Response(), Request(), {**environ, "PATH_INFO": ACCESS, "RAW_URI": ACCESS}, took)
    assert buffer.getvalue() == ""  # no line at all for WBS
    logger.access(Response(), Request(), {**environ, "PATH_INFO": "/api/v2/site/", "RAW_URI": "/api/v2/site/"}, took)
    line = buffer.getvalue()
    assert "/api/v2/site/" in line
    for needle in IDENTIFYING:
        assert needle not in line


# --- issue 15 item 2: metadata inside a PDF's objects -----------------------------------------------------------
XMP = (
    b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
    b'<rdf:Description xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:creator>Rahmat Pelapor</dc:creator>'
    b"</rdf:Description></rdf:RDF></x:xmpmeta>"
)


def pdf_with_hidden_metadata() -> bytes:
    """One page showing a photo: the JPEG inside carries EXIF (camera, serial, GPS), the image object its own
    XMP stream naming the author, the page a comment whose author is the reporter; the catalog an XMP too."""
    jpeg = jpeg_with_exif()

    def stream(head: bytes, data: bytes) -> bytes:
        return head[:-2] + b"/Length %d >>\nstream\n" % len(data) + data + b"\nendstream"

    content = b"q 64 0 0 48 20 20 cm /Im0 Do Q"
    return minimal_pdf(
        (
            stream(
                b"<< /Type /XObject /Subtype /Image /Width 64 /Height 48 /ColorSpace /DeviceRGB "
                b"/BitsPerComponent 8 /Filter /DCTDecode /Metadata 5 0 R >>",
                jpeg,
            ),
            stream(b"<< /Type /Metadata /Subtype /XML >>", XMP),
            stream(b"<< >>", content),
            b"<< /Type /Annot /Subtype /Text /Rect [10 10 30 30] /T (Rahmat Pelapor) /Contents (lihat foto) "
            b"/M (D:20260301093000+07'00') /CreationDate (D:20260301093000+07'00') >>",
        ),
        catalog_extra=b"/Metadata 5 0 R ",
        page_extra=b"/Resources << /XObject << /Im0 4 0 R >> >> /Contents 6 0 R /Annots [7 0 R] ",
    )


def _every_metadata_field(data: bytes) -> list[str]:
    """Every identifying field found in a PDF, extracted independently of the cleaner: document info, XMP on
    the catalog, pages and images, annotation authors and dates, EXIF of every embedded image."""
    reader = PdfReader(io.BytesIO(data))
    found = [f"info {k}" for k in (reader.metadata or {})]
    if "/Metadata" in reader.trailer["/Root"]:
        found.append("catalog XMP")
    for page in reader.pages:
        if "/Metadata" in page:
            found.append("page XMP")
        for annotation in page.get("/Annots") or []:
            annotation = annotation.get_object()
            found += [f"annotation {k}" for k in ("/T", "/M", "/CreationDate") if k in annotation]
        for image in page.images:
            obj = image.indirect_reference.get_object() if image.indirect_reference else {}
            if "/Metadata" in obj:
                found.append("image XMP")
            stored = obj.get_data() if obj else b""  # a DCT stream is the JPEG file as embedded
            picture = Image.open(io.BytesIO(stored)) if stored[:2] == b"\xff\xd8" else image.image
            exif = picture.getexif()  # the embedded JPEG's own EXIF, read from its bytes
            found += [f"image EXIF {tag}" for tag in exif]
            if exif.get_ifd(0x8825):
                found.append("image GPS")
    for marker in (b"SpyCamMaker", b"WhistleCam", b"SERIAL-123456789", b"Rahmat Pelapor", b"xmpmeta"):
        if marker in data:
            found.append(f"bytes {marker!r}")
    return found


def test_a_cleaned_pdf_keeps_no_metadata_in_any_object(api_client):
    original = pdf_with_hidden_metadata()
    before = _every_metadata_field(original)
    assert {"catalog XMP", "image XMP", "annotation /T", "image GPS"} <= set(before)  # the fixture carries them
    upload = SimpleUploadedFile("laporan.pdf", original, content_type="application/pdf")
    response = api_client.post(REPORTS, {**wbs_payload(), "files": [upload]}, format="multipart")
    assert response.status_code == 201, response.content
    stored = Attachment.objects.get(ticket__tracking_number=response.json()["tracking_number"]).file.open("rb")
    cleaned = stored.read()
    assert _every_metadata_field(cleaned) == []
    reader = PdfReader(io.BytesIO(cleaned))
    assert len(reader.pages) == 1 and len(reader.pages[0].images) == 1  # the evidence itself is kept
    assert reader.pages[0].images[0].image.size == (64, 48)
    assert reader.pages[0]["/Annots"][0].get_object()["/Contents"] == "lihat foto"  # the comment's text too


def test_escaped_and_compressed_active_content_is_refused(api_client):
    """Names are read as a PDF reader reads them: ``#xx`` escapes decoded, object streams parsed."""
    escaped = minimal_pdf((b"<< /S /J#61vaScript /JS (app.alert(1)) >>",), catalog_extra=b"/OpenAction 4 0 R ")
    launch = minimal_pdf((b"<< /S /L#61unch /F (cmd.exe) >>",), catalog_extra=b"/OpenAction 4 0 R ")
    embedded = minimal_pdf((b"<< /E#6dbeddedFiles << /Names [] >> >>",), catalog_extra=b"/Names 4 0 R ")
    hidden = objstm_pdf(b"<< /S /Launch /F (calc.exe) >>")
    assert b"Launch" not in hidden  # invisible to a byte search
    for name, data in (("a.pdf", escaped), ("b.pdf", launch), ("c.pdf", embedded), ("d.pdf", hidden)):
        upload = SimpleUploadedFile(name, data, content_type="application/pdf")
        response = api_client.post(REPORTS, {**wbs_payload(), "files": [upload]}, format="multipart")
        assert response.status_code == 400 and name in str(response.json()), name
    harmless = objstm_pdf(b"<< /S /GoTo /D [3 0 R /Fit] >>")
    upload = SimpleUploadedFile("e.pdf", harmless, content_type="application/pdf")
    assert api_client.post(REPORTS, {**wbs_payload(), "files": [upload]}, format="multipart").status_code == 201
    assert Ticket.objects.filter(service="wbs").count() == 1


# --- review findings (issue 15): remote actions, author info reached another way, files that crash the parser ----
def test_remote_and_script_links_are_active_content(api_client):
    """``/GoToR`` to a network share (leaks the reader's Windows credentials) and ``javascript:``/``file:``
    links are refused; an ordinary https link is not."""
    gotor = minimal_pdf(page_extra=b"/AA << /O << /S /GoToR /F (\\\\\\\\10.0.0.1\\\\share\\\\x.pdf) >> >> ")
    uri_js = minimal_pdf((b"<< /S /URI /URI (javascript:alert(1)) >>",), catalog_extra=b"/OpenAction 4 0 R ")
    uri_file = minimal_pdf((b"<< /S /URI /URI (file:///etc/passwd) >>",), catalog_extra=b"/OpenAction 4 0 R ")
    link = minimal_pdf((b"<< /S /URI /URI (https://www.example.org/) >>",), catalog_extra=b"/OpenAction 4 0 R ")
    for name, data in (("a.pdf", gotor), ("b.pdf", uri_js), ("c.pdf", uri_file)):
        upload = SimpleUploadedFile(name, data, content_type="application/pdf")
        response = api_client.post(
            "/api/v2/ppid/requests/", {**ppid_payload(), "attachments": [upload]}, format="multipart"
        )
        assert response.status_code == 400 and name in str(response.json()), name
    upload = SimpleUploadedFile("d.pdf", link, content_type="application/pdf")
    ok = api_client.post("/api/v2/ppid/requests/", {**ppid_payload(), "attachments": [upload]}, format="multipart")
    assert ok.status_code == 201


def test_an_author_reached_through_an_article_thread_is_removed(api_client):
    """The reviewer's ``thread_bead.pdf``: a page bead whose thread carries ``/I << /Author >>``, and a page
    with ``/LastModified``."""
    bead = minimal_pdf(
        (
            b"<< /Type /Bead /T 5 0 R /N 4 0 R /V 4 0 R /P 3 0 R /R [0 0 100 100] >>",
            b"<< /Type /Thread /F 4 0 R /I << /Author (Budi Santoso) /Title (Catatan) >> >>",
        ),
        catalog_extra=b"/Threads [5 0 R] ",
        page_extra=b"/B [4 0 R] /LastModified (D:20260301093000+07'00') ",
    )
    upload = SimpleUploadedFile("bead.pdf", bead, content_type="application/pdf")
    response = api_client.post(REPORTS, {**wbs_payload(), "files": [upload]}, format="multipart")
    assert response.status_code == 201, response.content
    stored = Attachment.objects.get(ticket__tracking_number=response.json()["tracking_number"]).file.open("rb")
    cleaned = stored.read()
    assert b"Budi Santoso" not in cleaned and b"/Author" not in cleaned and b"/LastModified" not in cleaned


def test_a_pdf_the_parser_cannot_handle_is_refused_not_a_500(api_client):
    """An image of absurd size (``/Width 99999999 /Height 0``) made the cleaner divide by zero."""
    image = b"<< /Type /XObject /Subtype /Image /Width 99999999 /Height 0 /ColorSpace /DeviceGray "
    image += b"/BitsPerComponent 8 /Length 1 >>\nstream\n\x00\nendstream"
    broken = minimal_pdf(
        (image, b"<< /Length 21 >>\nstream\nq 10 0 0 10 0 0 cm /Im0 Do Q\nendstream"),
        page_extra=b"/Resources << /XObject << /Im0 4 0 R >> >> /Contents 5 0 R ",
    )
    upload = SimpleUploadedFile("pindaian.pdf", broken, content_type="application/pdf")
    response = api_client.post(REPORTS, {**wbs_payload(), "files": [upload]}, format="multipart")
    assert response.status_code == 400 and "pindaian.pdf" in str(response.json())
    assert not Ticket.objects.filter(service="wbs").exists()
