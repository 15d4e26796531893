"""Issue 16 review: pages a citizen can reach by accident answer in Indonesian and lead somewhere — a form sent
without its CSRF cookie (an in-app browser, cookies cleared), and a receipt address opened again by GET (reload,
language switch, history)."""

from __future__ import annotations

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_a_form_without_its_csrf_cookie_gets_an_indonesian_page():
    client = Client(enforce_csrf_checks=True)
    response = client.post("/layanan/cek-status/", {"tracking_number": "PPID-2026-000001", "token": "x"})
    assert response.status_code == 403
    html = response.content.decode()
    assert '<html lang="id"' in html and "Formulir sudah kedaluwarsa" in html
    assert "CSRF verification failed" not in html


@pytest.mark.parametrize(
    ("path", "target"),
    [
        ("/layanan/cek-status/tanda-bukti/", "/layanan/cek-status/"),
        ("/layanan/cek-status/tanda-bukti/cetak/", "/layanan/cek-status/"),
        ("/wbs/tanda-bukti/", "/wbs/akses/"),
    ],
)
def test_a_receipt_address_opened_again_leads_back_to_its_buttons(client, path, target):
    response = client.get(path)
    assert response.status_code == 302 and response["Location"] == target
