"""Issue 16 (first part): the citizen reads public names, never the officers' commands ("Putuskan", "Tutup",
"Perpanjang (sekali, +7 HK)", "Tanyakan kepada pelapor"), and an overdue ticket says it is late.

Walks every state and every applicant-visible step of each service with a public view: the status API and the
site's status page show only public labels; WBS internal stages map onto a small public set."""

from __future__ import annotations

import datetime
import re

import pytest
from bs4 import BeautifulSoup
from django.utils import translation

from layanan.core import registry
from layanan.core.events import record_event
from layanan.core.models.tickets import Ticket
from layanan.lapor import intake as lapor_intake
from layanan.ppid import intake as ppid_intake
from layanan.wbs.services import submit_wbs_report
from tests.layanan.conftest import lapor_payload, ppid_payload, wbs_payload, wib

pytestmark = pytest.mark.django_db


def _submit(service):
    if service == "ppid_request":
        return ppid_intake.submit_ppid_request(ppid_payload(), received_at=wib(2026, 3, 2, 9, 0))
    if service == "lapor":
        return lapor_intake.submit_lapor_report(lapor_payload(), received_at=wib(2026, 3, 2, 9, 0))
    if service == "wbs":
        return submit_wbs_report(wbs_payload(), received_at=wib(2026, 3, 2, 9, 0))
    request = ppid_intake.submit_ppid_request(ppid_payload(), received_at=wib(2026, 3, 2, 9, 0))
    return ppid_intake.submit_objection(
        {
            "request_tracking_number": request.tracking_number,
            "reason": "c",
            "description": "Tidak dijawab.",
            "name": "Siti Aminah",
            "email": "siti@example.org",
        },
        received_at=wib(2026, 3, 20, 9, 0),
    )


def _officer_labels(machine) -> set[str]:
    """The machine's command names that are not also a public name of a state."""
    public = {str(s.citizen_label) for s in machine.states}
    return {str(t.label) for t in machine.transitions} - public


def _status(api_client, submission):
    if submission.ticket.service == "wbs":
        return api_client.post("/api/v2/wbs/access/", {"code": submission.formatted_code}, format="json").json()
    number, token = submission.tracking_number, submission.access_token
    return api_client.get(f"/api/v2/tickets/{number}/", HTTP_X_ACCESS_TOKEN=token).json()


@pytest.mark.parametrize("service", ["ppid_request", "objection", "lapor", "wbs"])
def test_no_officer_command_reaches_the_citizen_in_any_state(api_client, client, synced_holidays, service):
    submission = _submit(service)
    ticket = submission.ticket
    machine = registry.get(service).machine
    with translation.override("id"):
        officer = _officer_labels(machine)
        for transition in machine.transitions:  # one applicant-visible step of every kind the desk can take
            if transition.visible_to_applicant:
                ticket.status = transition.target or ticket.status
                record_event(
                    ticket,
                    transition.action,
                    note="Catatan untuk pemohon.",
                    visible_to_applicant=True,
                    from_status=transition.sources[0],
                )
        for state in machine.states:
            Ticket.objects.filter(pk=ticket.pk).update(status=state.code)
            data = _status(api_client, submission)
            labels = {data["status_label"]} | {e["action_label"] for e in data["timeline"]}
            labels |= {e["status_label"] for e in data["timeline"]}
            labels |= {m.get("action_label", "") for m in data.get("messages", [])}
            assert not labels & officer, (state.code, labels & officer)
            assert data["status_label"] == str(state.citizen_label)
            # the whole ticket as the site shows it (status, facts, next steps, answers, timeline, forms)
            if service == "wbs":
                page = client.post("/wbs/akses/", {"code": submission.formatted_code}).content
            else:
                page = client.post(
                    "/layanan/cek-status/",
                    {"tracking_number": submission.tracking_number, "token": submission.access_token},
                ).content
            text = BeautifulSoup(page, "html.parser").find("main").get_text(" ", strip=True)
            shown = {label for label in officer if re.search(rf"(?<!\w){re.escape(label)}(?!\w)", text)}
            assert not shown, (state.code, shown)


def test_wbs_stages_show_a_small_public_set(api_client, synced_holidays):
    submission = submit_wbs_report(wbs_payload(), received_at=wib(2026, 3, 2, 9, 0))
    seen = set()
    with translation.override("id"):
        for code in ("initial_review", "special_audit", "referred", "not_proven", "more_info_needed", "closed"):
            Ticket.objects.filter(pk=submission.ticket.pk).update(status=code)
            seen.add(_status(api_client, submission)["status_label"])
        internal = {"Audit khusus (investigasi)", "Diteruskan ke aparat penegak hukum", "Tidak terbukti"}
    assert len(seen) == 3 and not seen & internal  # under review / needs your answer / closed


def test_an_overdue_ticket_says_it_is_late(api_client, client, synced_holidays):
    submission = ppid_intake.submit_ppid_request(ppid_payload(), received_at=wib(2025, 1, 6, 9, 0))
    Ticket.objects.filter(pk=submission.ticket.pk).update(due_date=datetime.date(2025, 1, 20))
    data = _status(api_client, submission)
    assert data["remaining_working_days"] < 0 and data["overdue_working_days"] == -data["remaining_working_days"]
    page = client.post(
        "/layanan/cek-status/", {"tracking_number": submission.tracking_number, "token": submission.access_token}
    ).content.decode()
    assert "hari kerja terlambat" in page or "terlambat" in page
    assert "sisa -" not in page and f"{data['remaining_working_days']} hari" not in page


def test_the_online_services_and_the_statistics_are_reached_from_every_page(client, synced_holidays):
    """Issue 16: "Layanan daring" in the main menu, the statistics in the footer; the services page leads to
    every form and to the status check."""
    page = client.get("/layanan/cek-status/").content.decode()
    menu = re.search(r'<nav id="site-nav".*?</nav>', page, re.S).group(0)
    footer = re.search(r'<footer class="site-footer">.*?</footer>', page, re.S).group(0)
    assert 'href="/layanan/"' in menu and 'href="/statistik/"' in footer
    services = client.get("/layanan/").content.decode()
    for target in ("/layanan/permohonan-informasi/", "/layanan/keberatan/", "/layanan/pengaduan/", "/wbs/"):
        assert f'href="{target}"' in services, target
    assert 'href="/layanan/cek-status/"' in services


def test_an_anonymous_lapor_report_needs_no_identity(api_client, synced_holidays):
    """Issue 16: SP4N-LAPOR *anonim* — no name, no e-mail or phone; followed with the token alone."""
    body = {k: v for k, v in lapor_payload(anonymous=True).items() if k not in ("name", "email", "phone", "nik")}
    response = api_client.post("/api/v2/lapor/reports/", body, format="json")
    assert response.status_code == 201, response.content
    ticket = Ticket.objects.get(tracking_number=response.json()["tracking_number"])
    assert ticket.applicant_name == "" and ticket.lapor.anonymous
    named = {k: v for k, v in lapor_payload().items() if k not in ("name", "email", "phone")}
    refused = api_client.post("/api/v2/lapor/reports/", named, format="json")
    assert refused.status_code == 400 and "name" in refused.json()  # a named report still needs the name


def test_the_whistleblower_sees_the_report_they_filed_and_their_evidence(api_client, synced_holidays):
    """Issue 16: the thread used to say "no messages yet" — it now opens with the report and its files."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.layanan.conftest import PNG_BYTES

    upload = SimpleUploadedFile("foto.png", PNG_BYTES, content_type="image/png")
    filed = api_client.post("/api/v2/wbs/reports/", {**wbs_payload(), "files": [upload]}, format="multipart").json()
    view = api_client.post("/api/v2/wbs/access/", {"code": filed["receipt_code"]}, format="json").json()
    first = view["messages"][0]
    assert first["sender"] == "reporter" and "uang pelicin" in first["text"] and "Loket perizinan" in first["text"]
    assert [f["name"] for f in first["files"]] == ["bukti-1.png"]
