"""WBS in the operator desk: only the Inspektorat sees WBS reports (list, inspect by URL, search, actions,
attachments, export, statistics — superusers included), every opening is audited, the Inspektorat answers from
the admin, and reports move between SP4N-LAPOR and WBS keeping the reporter's access."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from layanan.core.access import tickets_visible_to
from layanan.core.models.tickets import Attachment, Ticket, TimelineEntry, private_storage
from layanan.core.workflow import TransitionError, apply_transition
from layanan.lapor import intake as lapor_intake
from layanan.wbs.services import submit_wbs_report
from tests.layanan.conftest import PNG_BYTES, lapor_payload, wbs_payload

pytestmark = pytest.mark.django_db

WBS_INDEX = "/admin/layanan/wbsticket/"
LAPOR_INDEX = "/admin/layanan/laporticket/"
PPID_INDEX = "/admin/layanan/ppidrequestticket/"


def wbs_inspect(ticket):
    return f"/admin/layanan/wbsticket/inspect/{ticket.pk}/"


@pytest.fixture
def superuser(django_user_model):
    return django_user_model.objects.create_superuser("boss", "boss@example.org", "pw-Boss-2026!")


@pytest.fixture
def report(db):
    evidence = SimpleUploadedFile("foto.png", PNG_BYTES, content_type="image/png")
    return submit_wbs_report(wbs_payload(name="Rahasia Pelapor"), files=[evidence])


def denied(response):
    """403/404, or Wagtail's redirect to the dashboard for a PermissionDenied."""
    return response.status_code in (403, 404) or (response.status_code == 302 and "/admin/" in response["Location"])


# --- isolation --------------------------------------------------------------------------------------------------
def test_only_the_inspektorat_sees_wbs_reports(report, inspektorat, superuser, desk_users):
    number = report.tracking_number
    assert set(tickets_visible_to(inspektorat).values_list("tracking_number", flat=True)) == {number}
    for user in (superuser, *desk_users.values()):
        assert number not in set(tickets_visible_to(user).values_list("tracking_number", flat=True)), user
    # a superuser who is ALSO in the Inspektorat group sees it
    from django.contrib.auth.models import Group

    superuser.groups.add(Group.objects.get(name="Inspektorat (WBS)"))
    superuser = type(superuser).objects.get(pk=superuser.pk)
    assert tickets_visible_to(superuser, "wbs").filter(tracking_number=number).exists()


def test_admin_list_inspect_by_url_and_search(client, report, inspektorat, superuser, desk_users):
    ticket = report.ticket
    client.force_login(inspektorat)
    listing = client.get(WBS_INDEX)
    assert listing.status_code == 200 and ticket.tracking_number in listing.content.decode()
    assert "Rahasia Pelapor" not in listing.content.decode()  # the list names no reporter
    assert ticket.tracking_number in client.get(WBS_INDEX, {"q": ticket.tracking_number}).content.decode()

    for user in (superuser, desk_users["lapor"], desk_users["ppid"], desk_users["op1"]):
        client.force_login(user)
        assert denied(client.get(WBS_INDEX)), user
        assert denied(client.get(wbs_inspect(ticket))), user
        for other in (LAPOR_INDEX, PPID_INDEX):
            response = client.get(other, {"q": ticket.tracking_number})
            html = response.content.decode()
            # (the search box repeats the query; no result row links to the report)
            assert f"inspect/{ticket.pk}/" not in html and "uang pelicin" not in html, (user, other)
        # the same pk under another service's list is not found either
        assert denied(client.get(f"/admin/layanan/laporticket/inspect/{ticket.pk}/"))
        action = reverse("layanan_desk_action", args=[ticket.pk, "acknowledge"])
        assert client.get(action).status_code == 404 and client.post(action, {"note": "x"}).status_code == 404
        attachment = ticket.attachments.first()
        assert client.get(reverse("layanan_desk_attachment", args=[attachment.pk])).status_code == 404
    assert Ticket.objects.get(pk=ticket.pk).status == "received"
    # the menu item is not even shown to a superuser
    client.force_login(superuser)
    assert WBS_INDEX not in client.get("/admin/").content.decode()


def test_workflow_refuses_wbs_actions_to_superusers_without_the_role(report, superuser):
    with pytest.raises(TransitionError):
        apply_transition(report.ticket, "acknowledge", superuser)


def test_export_and_statistics_do_not_reveal_wbs(client, report, superuser, api_client):
    client.force_login(superuser)
    year = report.ticket.received_at.year
    response = client.get("/admin/layanan-reports/wbs/export/", {"year": year, "format": "csv"})
    assert denied(response)
    stats = api_client.get("/api/v2/statistics/", {"year": year})
    assert stats.status_code == 200
    wbs = stats.json()["wbs"]
    assert "Rahasia" not in str(stats.json()) and report.tracking_number not in str(stats.json())
    # one report: below the aggregate of 5, every figure is suppressed
    assert wbs["total"] == {"count": None, "suppressed": True}
    assert all(row["count"] is None and row["suppressed"] for row in wbs["by_type"])
    for n in range(5):
        submit_wbs_report(wbs_payload(what=f"Laporan suap ke-{n}"), received_at=report.ticket.received_at)
    from django.core.cache import cache

    cache.clear()
    wbs = api_client.get("/api/v2/statistics/", {"year": year}).json()["wbs"]
    bribery = next(row for row in wbs["by_type"] if row["code"] == "bribery")
    assert bribery["count"] == 6 and wbs["total"]["count"] == 6


# --- audit --------------------------------------------------------------------------------------------------------
def test_every_opening_and_download_is_audited(client, report, inspektorat):
    ticket = report.ticket
    client.force_login(inspektorat)
    for _ in range(2):
        page = client.get(wbs_inspect(ticket))
        assert page.status_code == 200
    html = page.content.decode()
    assert "Rahasia Pelapor" in html and "uang pelicin" in html  # decrypted for the Inspektorat
    views = TimelineEntry.objects.filter(ticket=ticket, action="viewed")
    assert views.count() == 2 and set(views.values_list("actor", flat=True)) == {inspektorat.pk}
    assert not views.filter(visible_to_applicant=True).exists()
    attachment = ticket.attachments.first()
    assert client.get(reverse("layanan_desk_attachment", args=[attachment.pk])).status_code == 200
    download = TimelineEntry.objects.get(ticket=ticket, action="file_downloaded")
    assert download.actor == inspektorat and download.data == {"attachment": attachment.pk}
    # other services are not audited this way
    lapor = lapor_intake.submit_lapor_report(lapor_payload()).ticket
    from layanan.core.access import record_confidential_access

    assert record_confidential_access(lapor, inspektorat) is None


def test_inspektorat_answers_from_the_admin(client, report, inspektorat, api_client):
    ticket = report.ticket
    client.force_login(inspektorat)
    url = reverse("layanan_desk_action", args=[ticket.pk, "acknowledge"])
    assert client.post(url, {"note": "Diterima, sedang ditelaah."}).status_code == 302
    url = reverse("layanan_desk_action", args=[ticket.pk, "request_info"])
    assert client.post(url, {"note": "Siapa saksi lain?"}).status_code == 302
    ticket = Ticket.objects.get(pk=ticket.pk)
    assert ticket.status == "more_info_needed"
    assert ticket.deadline_rule == "wbs/feedback" and ticket.wbs.acknowledged_at is not None
    view = api_client.post("/api/v2/wbs/access/", {"code": report.receipt_code}, format="json").json()
    assert view["messages"][0]["action"] == "report"  # the thread opens with the report as filed (issue 16)
    assert [m["text"] for m in view["messages"][1:]] == ["Diterima, sedang ditelaah.", "Siapa saksi lain?"]
    entry = TimelineEntry.objects.get(ticket=ticket, action="request_info")
    assert entry.note == "" and entry.text == "Siapa saksi lain?"  # stored in the encrypted column


def test_desk_registration_of_a_walk_in_report_shows_the_code_once(client, inspektorat, api_client):
    client.force_login(inspektorat)
    url = reverse("layanan_desk_register", args=["wbs"])
    assert client.get(url).status_code == 200
    response = client.post(
        url, {"channel": "walk_in", "violation_type": "extortion", "what": "Pemerasan saat pemeriksaan lapangan."}
    )
    assert response.status_code == 200
    submission = response.context["submission"]
    assert submission.formatted_code in response.content.decode()
    ticket = Ticket.objects.get(service="wbs")
    assert ticket.channel == "walk_in"
    access = api_client.post("/api/v2/wbs/access/", {"code": submission.receipt_code}, format="json")
    assert access.status_code == 200 and access.json()["tracking_number"] == ticket.tracking_number


# --- transfers --------------------------------------------------------------------------------------------------
def test_lapor_report_about_corruption_moves_to_wbs_keeping_the_token(
    api_client, desk_users, inspektorat, units, django_capture_on_commit_callbacks
):
    created = api_client.post(
        "/api/v2/lapor/reports/",
        {
            **lapor_payload(description="Oknum meminta uang agar laporan saya diproses."),
            "attachments": [SimpleUploadedFile("bukti-budi.png", PNG_BYTES, content_type="image/png")],
        },
        format="multipart",
    ).json()
    number, token = created["tracking_number"], created["access_token"]
    lapor = Ticket.objects.get(tracking_number=number)
    admin = desk_users["lapor"]
    lapor = apply_transition(lapor, "verify", admin)
    lapor = apply_transition(lapor, "assign", admin, unit=units[0].pk)
    with pytest.raises(TransitionError):  # the unit may not move it
        apply_transition(lapor, "transfer_to_wbs", desk_users["op1"], violation_type="extortion", note="x")
    original_files = [a.file.name for a in lapor.attachments.all()]
    storage = private_storage()
    assert original_files and all(storage.exists(name) for name in original_files)
    with django_capture_on_commit_callbacks(execute=True):
        lapor = apply_transition(lapor, "transfer_to_wbs", admin, violation_type="extortion", note="Dugaan pungli.")
    # the reporter's original evidence does not stay behind on disk (only the sanitised WBS copy does)
    assert not any(storage.exists(name) for name in original_files)

    assert lapor.status == "transferred"
    wbs_ticket = Ticket.objects.get(service="wbs", origin=lapor)
    assert lapor.transition_result == {} and wbs_ticket.wbs.violation_type == "extortion"
    # the content and identity left the LAPOR desk (and the unit)
    assert "uang" not in lapor.description + lapor.subject and lapor.applicant_name == lapor.applicant_email == ""
    assert lapor.unit is None and not lapor.attachments.exists()
    assert not tickets_visible_to(desk_users["op1"]).filter(pk=lapor.pk).exists()
    assert not tickets_visible_to(admin).filter(pk=wbs_ticket.pk).exists()
    assert "Oknum meminta uang" in wbs_ticket.wbs.what and wbs_ticket.wbs.reporter_name == "Budi Santoso"
    assert wbs_ticket.attachments.get().original_name == "bukti-1.png"
    # issue 15: the notes and replies on the LAPOR desk went with it; the LAPOR timeline keeps stubs
    lapor_texts = " ".join(e.text for e in TimelineEntry.objects.filter(ticket=lapor))
    assert "Budi" not in lapor_texts and number not in lapor_texts.replace("(" + number, "")
    history = TimelineEntry.objects.get(ticket=wbs_ticket, action="origin_history")
    assert history.note == "" and number in history.note_sealed  # sealed: only the Inspektorat reads it
    # both timelines record the move
    assert TimelineEntry.objects.get(ticket=lapor, action="transfer_to_wbs").data["transferred_to"] == (
        wbs_ticket.tracking_number
    )
    assert TimelineEntry.objects.filter(ticket=wbs_ticket, action="transferred_in", visible_to_applicant=True).exists()

    # the reporter keeps following it with the LAPOR number and token
    status = api_client.get(f"/api/v2/tickets/{number}/", HTTP_X_ACCESS_TOKEN=token)
    assert status.status_code == 200
    assert status.json()["service"] == "wbs" and status.json()["tracking_number"] == wbs_ticket.tracking_number
    apply_transition(wbs_ticket, "acknowledge", inspektorat, note="Kami tangani secara rahasia.")
    sent = api_client.post(
        "/api/v2/wbs/messages/",
        {"tracking_number": number, "access_token": token, "text": "Saya punya rekamannya."},
        format="json",
    )
    assert sent.status_code == 201, sent.content
    assert [m["text"] for m in sent.json()["messages"]][-2:] == [
        "Kami tangani secara rahasia.",
        "Saya punya rekamannya.",
    ]
    files = status.json()["files"]
    download = api_client.get(files[0]["url"], HTTP_X_ACCESS_TOKEN=token)
    assert download.status_code == 200
    assert api_client.get(f"/api/v2/tickets/{number}/", HTTP_X_ACCESS_TOKEN="wrong").status_code == 404


def test_wbs_report_that_is_a_service_complaint_moves_to_lapor_keeping_the_code(
    api_client, report, inspektorat, desk_users
):
    ticket = apply_transition(report.ticket, "acknowledge", inspektorat)
    with pytest.raises(TransitionError):
        apply_transition(ticket, "transfer_to_lapor", desk_users["lapor"], classification="pengaduan", note="x")
    ticket = apply_transition(ticket, "transfer_to_lapor", inspektorat, classification="pengaduan", note="Bukan KKN.")
    assert ticket.status == "transferred"
    lapor = Ticket.objects.get(service="lapor", origin=ticket)
    assert lapor.lapor.anonymous and lapor.lapor.confidential
    assert "uang pelicin" in lapor.description
    assert "Rahasia Pelapor" not in str(lapor.__dict__) and lapor.applicant_name == ""  # identity not passed on
    assert lapor.attachments.count() == 1 and Attachment.objects.filter(ticket=ticket).count() == 1
    assert tickets_visible_to(desk_users["lapor"]).filter(pk=lapor.pk).exists()
    assert TimelineEntry.objects.get(ticket=ticket, action="transfer_to_lapor").data["transferred_to"] == (
        lapor.tracking_number
    )
    assert TimelineEntry.objects.filter(ticket=lapor, action="transferred_in").exists()

    view = api_client.post("/api/v2/wbs/access/", {"code": report.formatted_code}, format="json")
    assert view.status_code == 200
    assert view.json()["service"] == "lapor" and view.json()["tracking_number"] == lapor.tracking_number
    apply_transition(lapor, "verify", desk_users["lapor"], note="Laporan diverifikasi.")
    sent = api_client.post(
        "/api/v2/wbs/messages/", {"code": report.receipt_code, "text": "Terima kasih."}, format="json"
    )
    assert sent.status_code == 201
    assert TimelineEntry.objects.filter(ticket=lapor, action="reporter_message").exists()
    # a file of the LAPOR report is downloadable with the code
    file_url = view.json()["files"][0]["url"]
    assert api_client.post(file_url, {"code": report.receipt_code}, format="json").status_code == 200
