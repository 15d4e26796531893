"""Uploads (issue 8): allow-list by content, size limits, generated storage names, metadata removal, served only
as attachments — and a refused file leaves nothing behind (no row, no file on disk)."""

from __future__ import annotations

import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from layanan.core.intake import safe_original_name
from layanan.core.models.tickets import Attachment, Ticket

from .conftest import PDF_BYTES, ppid_payload, wbs_payload

pytestmark = pytest.mark.django_db

PPID_URL = "/api/v2/ppid/requests/"


def _jpeg_with_gps() -> bytes:
    image = Image.new("RGB", (64, 48), (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "KameraMerek"  # Make
    exif[0x0110] = "Model-Rahasia"  # Model
    gps = exif.get_ifd(0x8825)
    gps[1] = "S"  # GPSLatitudeRef
    gps[2] = (6.0, 10.0, 30.0)  # GPSLatitude: Jakarta
    gps[3] = "E"
    gps[4] = (106.0, 49.0, 0.0)
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif, comment=b"dibuat oleh Budi")
    return out.getvalue()


def _files_on_disk(tmp_path) -> list:
    return sorted(p for p in (tmp_path / "private").rglob("*") if p.is_file()) + sorted(
        p for p in (tmp_path / "media").rglob("*") if p.is_file()
    )


def _post(api_client, *files, **payload):
    return api_client.post(PPID_URL, {**ppid_payload(**payload), "attachments": list(files)})


def test_jpeg_is_reencoded_without_exif_gps_and_comment(api_client):
    original = _jpeg_with_gps()
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(0x8825)  # the fixture really carries GPS
    response = _post(api_client, SimpleUploadedFile("foto.jpg", original, content_type="image/jpeg"))
    assert response.status_code == 201, response.content
    attachment = Attachment.objects.get()
    stored = attachment.file.open("rb").read()
    picture = Image.open(io.BytesIO(stored))
    assert picture.format == "JPEG" and picture.size == (64, 48)
    assert not picture.getexif() and not picture.getexif().get_ifd(0x8825)
    assert b"Exif" not in stored and b"Model-Rahasia" not in stored and b"dibuat oleh Budi" not in stored
    assert attachment.size == len(stored)


def test_png_text_chunks_and_trailing_bytes_are_dropped(api_client):
    out = io.BytesIO()
    from PIL import PngImagePlugin

    info = PngImagePlugin.PngInfo()
    info.add_text("Author", "Budi Santoso")
    Image.new("RGB", (8, 8), "white").save(out, format="PNG", pnginfo=info)
    data = out.getvalue() + b"<script>alert(1)</script>"
    response = _post(api_client, SimpleUploadedFile("scan.png", data, content_type="image/png"))
    assert response.status_code == 201, response.content
    stored = Attachment.objects.get().file.open("rb").read()
    assert b"Budi Santoso" not in stored and b"<script>" not in stored
    assert Image.open(io.BytesIO(stored)).size == (8, 8)


@pytest.mark.parametrize(
    ("name", "content", "declared"),
    [
        ("surat.pdf", b"<!DOCTYPE html><html><script>alert(document.cookie)</script></html>", "application/pdf"),
        (
            "gambar.png",
            b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"></svg>',
            "image/png",
        ),
        ("gambar.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', "image/svg+xml"),
        ("dokumen.pdf", b"MZ\x90\x00\x03" + b"\x00" * 300, "application/pdf"),  # a Windows executable
        ("arsip.pdf", b"PK\x03\x04" + b"\x00" * 300, "application/pdf"),  # a zip
    ],
    ids=["html-as-pdf", "svg-as-png", "svg", "exe-as-pdf", "zip-as-pdf"],
)
def test_wrong_content_is_refused_by_content_not_name_and_nothing_stored(api_client, tmp_path, name, content, declared):
    response = _post(api_client, SimpleUploadedFile(name, content, content_type=declared))
    assert response.status_code == 400
    message = response.json()["attachments"]
    assert "tidak diizinkan" in str(message) and name in str(message)
    assert Ticket.objects.count() == 0 and Attachment.objects.count() == 0
    assert _files_on_disk(tmp_path) == []


def test_pdf_with_javascript_is_refused(api_client, tmp_path):
    pdf = (
        b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /OpenAction 2 0 R >>\nendobj\n"
        b"2 0 obj\n<< /S /JavaScript /JS (app.alert('x')) >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
    )
    response = _post(api_client, SimpleUploadedFile("formulir.pdf", pdf, content_type="application/pdf"))
    assert response.status_code == 400
    assert "formulir.pdf" in str(response.json()["attachments"])
    assert Ticket.objects.count() == 0 and _files_on_disk(tmp_path) == []


def test_per_file_and_per_submission_size_limits(api_client, settings, tmp_path):
    settings.PESAN_ATTACHMENT_MAX_BYTES = 1024
    big = SimpleUploadedFile("besar.pdf", PDF_BYTES + b"%" * 2000, content_type="application/pdf")
    response = _post(api_client, big)
    assert response.status_code == 400
    assert "besar.pdf" in str(response.json()["attachments"]) and "1 MB" not in str(response.json())
    settings.PESAN_ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024
    settings.PESAN_ATTACHMENT_MAX_TOTAL_BYTES = 1000
    two = [SimpleUploadedFile(f"s{i}.pdf", PDF_BYTES + b"%" * 600, content_type="application/pdf") for i in (1, 2)]
    response = _post(api_client, *two)
    assert response.status_code == 400
    assert "bersama-sama" in str(response.json()) or "together" in str(response.json())
    assert Ticket.objects.count() == 0 and _files_on_disk(tmp_path) == []


@pytest.mark.filterwarnings("ignore::PIL.Image.DecompressionBombWarning")  # Pillow's own warning on open
def test_image_declaring_huge_dimensions_is_refused_before_decoding(api_client, tmp_path):
    out = io.BytesIO()
    Image.new("1", (10_000, 10_000)).save(out, format="PNG")  # 100 megapixels in a few kilobytes
    assert len(out.getvalue()) < 200_000
    response = _post(api_client, SimpleUploadedFile("bom.png", out.getvalue(), content_type="image/png"))
    assert response.status_code == 400
    assert "bom.png" in str(response.json()["attachments"])
    assert Ticket.objects.count() == 0 and _files_on_disk(tmp_path) == []


def test_wbs_evidence_refused_leaves_nothing(api_client, tmp_path):
    html = SimpleUploadedFile("bukti.pdf", b"<html><body>x</body></html>", content_type="application/pdf")
    response = api_client.post("/api/v2/wbs/reports/", {**wbs_payload(), "files": [html]})
    assert response.status_code == 400
    assert Ticket.objects.count() == 0 and _files_on_disk(tmp_path) == []


def test_storage_name_is_generated_and_download_is_an_attachment_with_nosniff(api_client, settings, tmp_path):
    evil = "C:\\Users\\budi\\laporan \u202egpj.pdf"  # bidi override: would display as "laporan fdp.jpg"
    response = _post(api_client, SimpleUploadedFile(evil, PDF_BYTES, content_type="application/pdf"))
    assert response.status_code == 201, response.content
    body = response.json()
    attachment = Attachment.objects.get()
    assert re.fullmatch(r"layanan/\d{4}/\d{2}/[0-9a-f]{32}\.pdf", attachment.file.name)
    kept = attachment.original_name  # metadata only: no path, quotes, control or bidi characters
    assert kept == "laporan gpj.pdf"
    assert not re.search(r'[\\/"\x00-\x1f\u202a-\u202e]', kept)
    on_disk = _files_on_disk(tmp_path)
    assert len(on_disk) == 1 and on_disk[0].is_relative_to(tmp_path / "private")  # never under MEDIA_ROOT
    download = api_client.get(
        f"/api/v2/tickets/{body['tracking_number']}/files/{attachment.pk}/", HTTP_X_ACCESS_TOKEN=body["access_token"]
    )
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment;")
    assert "\r" not in download["Content-Disposition"] and "\n" not in download["Content-Disposition"]
    assert download["X-Content-Type-Options"] == "nosniff"
    assert download["Content-Type"] == "application/pdf"
    assert "Set-Cookie" not in download.cookies
    # and without the token there is no way to it: no public URL
    assert api_client.get(f"/api/v2/tickets/{body['tracking_number']}/files/{attachment.pk}/").status_code == 404
    assert settings.MEDIA_URL.rstrip("/") not in attachment.file.name


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("../../etc/passwd", "passwd"),
        ("C:\\temp\\surat.pdf", "surat.pdf"),
        ('a"b<c>.pdf', "abc.pdf"),
        ("\x00\x1b.pdf", "pdf"),
        ("", "berkas"),
        ("...", "berkas"),
        ("x" * 300 + ".pdf", "x" * 200),
        ("cafe\u0301.pdf", "café.pdf"),
    ],
)
def test_safe_original_name(raw, expected):
    assert safe_original_name(raw) == expected


# --- issue 15 item 7: a small file declaring a huge picture ----------------------------------------------------
def _png_bomb(width: int, height: int) -> bytes:
    """A PNG of ``width`` × ``height`` RGBA zeros, compressed row by row (a few hundred KB, never held whole)."""
    import struct
    import zlib

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)

    compressor = zlib.compressobj(9)
    row = b"\x00" * (1 + width * 4)
    idat = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()
    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


def test_a_decompression_bomb_is_refused_before_it_is_decoded():
    import tracemalloc

    from django.core.exceptions import ValidationError
    from django.core.files.uploadedfile import SimpleUploadedFile

    from layanan.core.intake import validate_upload

    data = _png_bomb(7000, 7000)
    assert len(data) < 1_000_000  # small on the wire ...
    tracemalloc.start()
    try:
        with pytest.raises(ValidationError):
            validate_upload(SimpleUploadedFile("peta.png", data, content_type="image/png"))
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 20 * 1024 * 1024  # ... and refused from its header: nowhere near the 196 MB it would decode to
