"""Issue 16: from the home page a citizen reaches every online form and the status check by following links —
the demo's procedure and WBS pages link the online forms, the home page and the menu lead to "Layanan daring",
the PPID profile and the footer to the statistics. Links are followed as a browser would, never typed."""

from __future__ import annotations

from io import StringIO
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup

from home import demo

pytestmark = pytest.mark.django_db


def _links(client, path: str) -> dict[str, str]:
    response = client.get(path)
    assert response.status_code == 200, path
    soup = BeautifulSoup(response.content, "html.parser")
    return {a.get_text(" ", strip=True): urlsplit(a["href"]).path for a in soup.find_all("a", href=True)}


def _follow(client, path: str, text: str) -> str:
    links = _links(client, path)
    target = next((href for label, href in links.items() if text.lower() in label.lower()), None)
    assert target, f"no link {text!r} on {path}: {sorted(links)}"
    return target


@pytest.fixture
def seeded():
    demo.seed(StringIO())


def test_the_request_card_leads_to_the_online_form(client, seeded):
    procedure = _follow(client, "/", "Permohonan Informasi")
    assert _follow(client, procedure, "formulir permohonan informasi daring") == "/layanan/permohonan-informasi/"
    assert _follow(client, procedure, "Ajukan keberatan") == "/layanan/keberatan/"


def test_the_wbs_card_leads_to_the_report_form_and_the_thread(client, seeded):
    wbs_page = _follow(client, "/", "Whistleblowing")
    assert _follow(client, wbs_page, "Buat laporan WBS") == "/wbs/"
    assert _follow(client, wbs_page, "membuka laporan") == "/wbs/akses/"


def test_online_services_list_every_form_and_the_status_check(client, seeded):
    index = _follow(client, "/", "Layanan daring")
    targets = set(_links(client, index).values())
    assert {"/layanan/permohonan-informasi/", "/layanan/keberatan/", "/layanan/pengaduan/", "/wbs/"} <= targets
    assert {"/layanan/cek-status/", "/layanan/cek-status/lupa-akses/"} <= targets
    for path in ("/layanan/permohonan-informasi/", "/layanan/keberatan/", "/layanan/pengaduan/", "/wbs/"):
        assert client.get(path).status_code == 200


def test_statistics_are_linked_from_the_profile_and_the_footer(client, seeded):
    profile = _follow(client, "/", "Profil PPID")
    soup = BeautifulSoup(client.get(profile).content, "html.parser")
    section = soup.find(id="laporan-layanan")
    assert section is not None and "/statistik/" in {a["href"] for a in section.find_all("a", href=True)}
    assert soup.find("a", href="#laporan-layanan") is not None  # in the page's table of contents
    assert "/statistik/" in set(_links(client, "/").values())
