"""Citizens' attachments are stored outside MEDIA_ROOT, so no URL under /media/ can ever reach them."""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from layanan.core.models.tickets import Ticket
from tests.layanan.conftest import PDF_BYTES, ppid_payload

pytestmark = pytest.mark.django_db


def test_attachments_live_in_the_private_storage_not_under_media(api_client, synced_holidays, settings):
    data = ppid_payload()
    data["attachments"] = [SimpleUploadedFile("ktp.pdf", PDF_BYTES, content_type="application/pdf")]
    response = api_client.post("/api/v2/ppid/requests/", data, format="multipart")
    assert response.status_code == 201, response.content

    attachment = Ticket.objects.get(tracking_number=response.json()["tracking_number"]).attachments.get()
    stored = Path(attachment.file.path).resolve()
    assert stored.is_file()
    assert stored.is_relative_to(Path(settings.PRIVATE_MEDIA_ROOT).resolve())
    media_root = Path(settings.MEDIA_ROOT)
    assert not media_root.exists() or not any(p.is_file() for p in media_root.rglob("*"))
