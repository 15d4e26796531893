"""Issue 15 item 13: retention — closed tickets lose their personal data at the end of the period set per service,
after a notice to the service's officers, never while under objection or dispute; old login
records are cleaned."""

from __future__ import annotations

import datetime

import pytest
from axes.models import AccessAttempt
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from layanan.core.models.retention import RetentionLog, RetentionRule
from layanan.core.models.tickets import Ticket
from layanan.core.retention import run
from layanan.ppid import intake as ppid_intake
from layanan.wbs.services import submit_wbs_report
from tests.layanan.conftest import PDF_BYTES, ppid_payload, wbs_payload, wib

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 1, 5)


def closed_request(closed_on: datetime.date, name="Siti Aminah", email="siti@example.org"):
    """A PPID request with a file, decided and closed on ``closed_on`` (WIB)."""
    upload = SimpleUploadedFile("ktp.pdf", PDF_BYTES, content_type="application/pdf")
    ticket = ppid_intake.submit_ppid_request(
        ppid_payload(name=name, email=email), files=[upload], received_at=wib(2019, 12, 2, 9, 0)
    ).ticket
    closed_at = wib(closed_on.year, closed_on.month, closed_on.day, 10, 0)
    Ticket.objects.filter(pk=ticket.pk).update(status="closed", closed_at=closed_at)
    return Ticket.objects.get(pk=ticket.pk)


@pytest.fixture
def officers(make_user):
    return {
        "ppid": make_user("ppid.retensi", "PPID Utama", email="ppid.retensi@example.org"),
        "inspektur": make_user("inspektur.retensi", "Inspektorat (WBS)", email="inspektur.retensi@example.org"),
    }


def test_a_closed_request_loses_its_personal_data_at_the_end_of_the_period(
    synced_holidays, officers, django_capture_on_commit_callbacks
):
    old = closed_request(datetime.date(2020, 12, 30))  # 5 years end on 30-12-2025: past
    recent = closed_request(datetime.date(2021, 6, 1), name="Budi Baru", email="budi@example.org")
    stored = [a.file.name for a in old.attachments.all()]
    storage = old.attachments.first().file.storage
    assert stored and all(storage.exists(n) for n in stored)

    with django_capture_on_commit_callbacks(execute=True):  # the files go once the change committed
        report = run(TODAY)

    old.refresh_from_db()
    assert report.anonymised == 1 and old.anonymised_at is not None
    assert (old.applicant_name, old.applicant_email, old.applicant_phone) == ("", "", "")
    assert old.applicant_nik == "" and old.applicant_nik_hash == ""
    assert old.description == "" and old.ppid.address == "" and old.ppid.purpose == ""
    assert old.subject != "Salinan laporan realisasi anggaran 2025" and old.extension_reason == ""
    assert not old.attachments.exists() and not any(storage.exists(n) for n in stored)
    notes = [e.text for e in old.timeline.exclude(action="anonymised")]
    assert all(text == "" for text in notes)
    assert old.timeline.filter(action="anonymised").exists()
    assert (old.service, old.status, old.received_at.year) == ("ppid_request", "closed", 2019)  # still counted
    assert RetentionLog.objects.filter(tracking_number=old.tracking_number, step="anonymised").exists()

    recent.refresh_from_db()
    assert recent.anonymised_at is None and recent.applicant_name == "Budi Baru"
    assert run(TODAY).anonymised == 0  # nothing twice


def test_a_request_under_objection_is_kept_whole(synced_holidays, officers):
    request = closed_request(datetime.date(2020, 6, 1))
    objection = ppid_intake.submit_objection(
        {
            "request_tracking_number": request.tracking_number,
            "access_token": "",
            "reason": "c",  # the request, due 16 December 2019, was never answered (UU 14/2008 Pasal 35(1)(c))
            "description": "Permohonan saya tidak dijawab.",
            "name": "Siti Aminah",
            "email": "siti@example.org",
        },
        received_at=wib(2020, 1, 10, 9, 0),  # within the window of the unanswered request
    ).ticket
    assert objection.closed_at is None
    report = run(TODAY)
    request.refresh_from_db()
    assert request.tracking_number in report.held and request.applicant_name == "Siti Aminah"


def test_the_officers_are_told_ahead_once_and_wbs_only_to_the_inspektorat(synced_holidays, officers):
    soon = closed_request(datetime.date(2021, 1, 12))  # period ends 12-01-2026: within the 14-day notice
    report = submit_wbs_report(wbs_payload(email="pelapor@example.org"))
    Ticket.objects.filter(pk=report.ticket.pk).update(status="closed", closed_at=wib(2021, 1, 12, 10, 0))
    mail.outbox.clear()

    assert run(TODAY).noticed == 2
    by_recipient = {m.to[0]: m for m in mail.outbox}
    assert soon.tracking_number in by_recipient["ppid.retensi@example.org"].body
    assert report.ticket.tracking_number not in by_recipient["ppid.retensi@example.org"].body
    assert report.ticket.tracking_number in by_recipient["inspektur.retensi@example.org"].body
    soon.refresh_from_db()
    assert soon.anonymised_at is None  # told, not yet done
    mail.outbox.clear()
    assert run(TODAY).noticed == 0 and mail.outbox == []


def test_a_service_set_to_delete_removes_the_ticket(synced_holidays, officers):
    old = closed_request(datetime.date(2019, 5, 1))
    RetentionRule.objects.update_or_create(service="ppid_request", defaults={"action": "delete", "keep_years": 5})
    assert run(TODAY).deleted == 1
    assert not Ticket.objects.filter(pk=old.pk).exists()
    assert RetentionLog.objects.filter(tracking_number=old.tracking_number, step="deleted").exists()


def test_old_login_failures_are_cleaned(db):
    old = AccessAttempt.objects.create(
        username="x",
        ip_address="203.0.113.9",
        user_agent="",
        http_accept="",
        path_info="/admin/login/",
        failures_since_start=3,
    )
    AccessAttempt.objects.filter(pk=old.pk).update(attempt_time=timezone.now() - datetime.timedelta(days=60))
    assert run(TODAY).housekeeping == 1
    assert not AccessAttempt.objects.exists()


def test_the_rules_are_edited_in_the_admin_never_added_or_deleted(client, django_user_model):
    from layanan.core.retention import ensure_rules

    ensure_rules()
    client.force_login(django_user_model.objects.create_superuser("akar.retensi", "a@example.org", "pw-Root-2026!"))
    listing = client.get("/admin/layanan/retentionrule/")
    assert listing.status_code == 200 and "Laporan WBS" in listing.content.decode()
    rule = RetentionRule.objects.get(service="wbs")
    edit = client.post(
        f"/admin/layanan/retentionrule/edit/{rule.pk}/",
        {"keep_years": "10", "action": "anonymise", "notice_days": "30", "active": "on"},
    )
    assert edit.status_code == 302 and RetentionRule.objects.get(pk=rule.pk).keep_years == 10
    assert client.get("/admin/layanan/retentionrule/create/").status_code == 302  # refused: redirected
    client.post(f"/admin/layanan/retentionrule/delete/{rule.pk}/")
    assert RetentionRule.objects.filter(pk=rule.pk).exists()


def test_deleting_a_request_an_objection_points_to_is_held_and_the_run_goes_on(synced_holidays, officers):
    """Review finding: with the "delete" action, a request with an objection raised ProtectedError and stopped
    the whole run (every later service and the housekeeping)."""
    request = closed_request(datetime.date(2015, 6, 1))
    objection = ppid_intake.submit_objection(
        {
            "request_tracking_number": request.tracking_number,
            "reason": "c",  # never answered (due 16 December 2019)
            "description": "Permohonan saya tidak dijawab.",
            "name": "Siti Aminah",
            "email": "siti@example.org",
        },
        received_at=wib(2020, 1, 10, 9, 0),
    ).ticket
    Ticket.objects.filter(pk=objection.pk).update(status="closed", closed_at=wib(2020, 2, 1, 10, 0))
    wbs = submit_wbs_report(wbs_payload()).ticket
    Ticket.objects.filter(pk=wbs.pk).update(status="closed", closed_at=wib(2015, 6, 1, 10, 0))
    RetentionRule.objects.update_or_create(service="ppid_request", defaults={"action": "delete", "keep_years": 1})
    RetentionRule.objects.update_or_create(service="objection", defaults={"keep_years": 20})
    report = run(TODAY)
    assert request.tracking_number in report.held and Ticket.objects.filter(pk=request.pk).exists()
    assert Ticket.objects.get(pk=wbs.pk).anonymised_at is not None  # the next service still ran
