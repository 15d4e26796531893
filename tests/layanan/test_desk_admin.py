"""Operator desk (Wagtail admin): role scoping in list, inspect and actions (also by URL), registration."""

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from layanan.core.access import ROLE_GROUPS, tickets_visible_to
from layanan.core.models.tickets import Ticket
from layanan.core.workflow import apply_transition
from layanan.lapor import intake as lapor_intake
from layanan.ppid import intake as ppid_intake
from tests.layanan.conftest import PDF_BYTES, lapor_payload, ppid_payload, wib

pytestmark = pytest.mark.django_db

PPID_INDEX = "/admin/layanan/ppidrequestticket/"
LAPOR_INDEX = "/admin/layanan/laporticket/"
OBJECTION_INDEX = "/admin/layanan/objectionticket/"


def inspect(ticket):
    model = {"ppid_request": "ppidrequestticket", "lapor": "laporticket", "objection": "objectionticket"}
    return f"/admin/layanan/{model[ticket.service]}/inspect/{ticket.pk}/"


@pytest.fixture
def tickets(synced_holidays, desk_users, units):
    """t1 disposed to unit 1, t2 to unit 2, t3 not disposed, l1 a LAPOR report disposed to unit 1 (anonymous)."""
    ppid = desk_users["ppid"]
    made = {}
    for key, unit in (("t1", units[0]), ("t2", units[1]), ("t3", None)):
        ticket = ppid_intake.submit_ppid_request(
            ppid_payload(information_requested=f"Dokumen {key}"), received_at=wib(2026, 3, 2, 9, 0)
        ).ticket
        if unit is not None:
            ticket = apply_transition(ticket, "assign", ppid, unit=unit.pk)
        made[key] = ticket
    lapor = lapor_intake.submit_lapor_report(lapor_payload(anonymous=True), received_at=wib(2026, 3, 2, 9, 0)).ticket
    lapor = apply_transition(lapor, "verify", desk_users["lapor"])
    made["l1"] = apply_transition(lapor, "assign", desk_users["lapor"], unit=units[0].pk)
    return made


def test_role_groups_exist_after_migrate_with_permissions():
    for name, codenames in ROLE_GROUPS.items():
        group = Group.objects.get(name=name)
        have = set(group.permissions.values_list("codename", flat=True))
        assert set(codenames) <= have
        assert "access_admin" in have


def test_tickets_visible_to_scopes_by_role_and_unit(tickets, desk_users):
    visible = {k: set(tickets_visible_to(u).values_list("tracking_number", flat=True)) for k, u in desk_users.items()}
    numbers = {k: t.tracking_number for k, t in tickets.items()}
    assert visible["ppid"] == {numbers["t1"], numbers["t2"], numbers["t3"]}
    assert visible["op1"] == {numbers["t1"], numbers["l1"]}
    assert visible["op2"] == {numbers["t2"]}
    assert visible["atasan"] == set()
    assert visible["lapor"] == {numbers["l1"]}


def test_unit_operator_list_shows_only_own_unit(client, tickets, desk_users):
    client.force_login(desk_users["op1"])
    response = client.get(PPID_INDEX)
    assert response.status_code == 200
    html = response.content.decode()
    assert tickets["t1"].tracking_number in html
    assert tickets["t2"].tracking_number not in html and tickets["t3"].tracking_number not in html


def test_unit_operator_cannot_open_other_units_ticket_by_url(client, tickets, desk_users):
    client.force_login(desk_users["op1"])
    assert client.get(inspect(tickets["t1"])).status_code == 200
    assert client.get(inspect(tickets["t2"])).status_code in (403, 404)
    url = reverse("layanan_desk_action", args=[tickets["t2"].pk, "start_processing"])
    assert client.get(url).status_code == 404
    assert client.post(url, {"note": "x"}).status_code == 404
    assert Ticket.objects.get(pk=tickets["t2"].pk).status == "assigned"
    attachment_owner = tickets["t2"]
    from layanan.core.intake import store_attachments

    attachment = store_attachments(attachment_owner, [SimpleUploadedFile("x.pdf", PDF_BYTES)])[0]
    assert client.get(reverse("layanan_desk_attachment", args=[attachment.pk])).status_code == 404


def test_ticket_of_another_service_is_not_found_under_the_wrong_list(client, tickets, desk_users):
    client.force_login(desk_users["ppid"])
    wrong = f"/admin/layanan/laporticket/inspect/{tickets['t1'].pk}/"
    assert client.get(wrong).status_code in (403, 404)


def test_inspect_shows_timeline_masked_nik_and_action_buttons(client, tickets, desk_users):
    client.force_login(desk_users["op1"])
    html = client.get(inspect(tickets["t1"])).content.decode()
    assert "3171********0001" in html and "3171234567890001" not in html
    assert reverse("layanan_desk_action", args=[tickets["t1"].pk, "start_processing"]) in html
    assert reverse("layanan_desk_action", args=[tickets["t1"].pk, "extend"]) not in html  # PPID Utama only
    client.force_login(desk_users["ppid"])
    html = client.get(inspect(tickets["t1"])).content.decode()
    assert "3171234567890001" in html  # PPID Utama has view_personal_data


def test_anonymous_lapor_identity_hidden_from_unit(client, tickets, desk_users):
    client.force_login(desk_users["op1"])
    html = client.get(inspect(tickets["l1"])).content.decode()
    assert "Budi Santoso" not in html and "budi@example.org" not in html
    html = client.get(LAPOR_INDEX).content.decode()
    assert tickets["l1"].tracking_number in html and "Budi Santoso" not in html
    client.force_login(desk_users["lapor"])
    assert "Budi Santoso" in client.get(inspect(tickets["l1"])).content.decode()


def test_action_form_applies_transition(client, tickets, desk_users, frozen_now):
    client.force_login(desk_users["ppid"])
    frozen_now(wib(2026, 3, 10, 10, 0))  # an extension is possible only before the due date (UU 14/2008 Pasal 22(8))
    url = reverse("layanan_desk_action", args=[tickets["t3"].pk, "extend"])
    assert client.get(url).status_code == 200
    response = client.post(url, {"reason": ""})
    assert response.status_code == 200  # re-rendered with the error
    assert not Ticket.objects.get(pk=tickets["t3"].pk).extended
    response = client.post(url, {"reason": "Butuh konsultasi pihak ketiga"})
    assert response.status_code == 302 and response["Location"] == inspect(tickets["t3"])
    assert Ticket.objects.get(pk=tickets["t3"].pk).extended


def test_decide_form_with_file_releases_it(client, tickets, desk_users):
    client.force_login(desk_users["ppid"])
    url = reverse("layanan_desk_action", args=[tickets["t3"].pk, "decide"])
    response = client.post(
        url,
        {
            "outcome": "granted_full",
            "note": "Terlampir",
            "files": [SimpleUploadedFile("jawaban.pdf", PDF_BYTES, content_type="application/pdf")],
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    ticket = Ticket.objects.get(pk=tickets["t3"].pk)
    assert ticket.status == "decided"
    assert ticket.attachments.get(original_name="jawaban.pdf").visible_to_applicant


def test_list_filters_and_search(client, tickets, desk_users, units):
    client.force_login(desk_users["ppid"])
    html = client.get(PPID_INDEX, {"q": "Dokumen t2"}).content.decode()
    assert tickets["t2"].tracking_number in html and tickets["t1"].tracking_number not in html
    html = client.get(PPID_INDEX, {"q": tickets["t3"].tracking_number}).content.decode()
    assert tickets["t3"].tracking_number in html and tickets["t2"].tracking_number not in html
    html = client.get(PPID_INDEX, {"status": "received"}).content.decode()
    assert tickets["t3"].tracking_number in html and tickets["t1"].tracking_number not in html
    html = client.get(PPID_INDEX, {"unit__id__exact": units[1].pk}).content.decode()
    assert tickets["t2"].tracking_number in html and tickets["t1"].tracking_number not in html
    html = client.get(PPID_INDEX, {"year": "2026", "channel__exact": "web"}).content.decode()
    assert tickets["t1"].tracking_number in html
    # received 2 March 2026: due 16 March 2026, long past today -> overdue, highlighted
    html = client.get(PPID_INDEX, {"deadline": "overdue"}).content.decode()
    assert tickets["t1"].tracking_number in html and "layanan-due--overdue" in html


def test_due_soon_filter_and_amber_highlight(client, synced_holidays, desk_users):
    from django.utils import timezone

    from layanan.calendar.workdays import add_working_days

    soon = ppid_intake.submit_ppid_request(
        ppid_payload(information_requested="Segera"), received_at=timezone.now()
    ).ticket
    Ticket.objects.filter(pk=soon.pk).update(due_date=add_working_days(timezone.localdate(), 2).due_date)
    later = ppid_intake.submit_ppid_request(
        ppid_payload(information_requested="Nanti"), received_at=timezone.now()
    ).ticket
    client.force_login(desk_users["ppid"])
    html = client.get(PPID_INDEX, {"deadline": "due_soon"}).content.decode()
    assert soon.tracking_number in html and later.tracking_number not in html
    assert "layanan-due--due_soon" in html


def test_register_walk_in_request_via_admin(client, synced_holidays, desk_users):
    client.force_login(desk_users["ppid"])
    url = reverse("layanan_desk_register", args=["ppid_request"])
    assert client.get(PPID_INDEX + "create/").status_code == 200
    data = ppid_payload(channel="walk_in", applicant_type="person", nik="317123456789000")
    response = client.post(url, data)
    assert response.status_code == 200 and not Ticket.objects.exists()
    assert "16" in response.content.decode()
    data["nik"] = "3171234567890001"
    response = client.post(url, data)
    assert response.status_code == 200
    ticket = Ticket.objects.get()
    assert ticket.channel == "walk_in"
    entry = ticket.timeline.get()
    assert entry.action == "registered" and entry.actor == desk_users["ppid"]
    assert ticket.tracking_number in response.content.decode()
    assert "layanan-token" in response.content.decode()


def test_unit_operator_cannot_register(client, synced_holidays, desk_users):
    client.force_login(desk_users["op1"])
    assert client.get(reverse("layanan_desk_register", args=["ppid_request"])).status_code in (302, 403)
    assert not Ticket.objects.exists()


def test_atasan_sees_objections_list_but_not_requests(client, synced_holidays, desk_users):
    client.force_login(desk_users["atasan"])
    assert client.get(OBJECTION_INDEX).status_code == 200
    assert client.get(PPID_INDEX).status_code in (302, 403)


def test_every_desk_page_renders_for_a_superuser(client, tickets, django_user_model):
    from layanan.core.workflow import available_transitions

    admin = django_user_model.objects.create_superuser("root", "root@example.org", "pw")
    client.force_login(admin)
    for url in (
        PPID_INDEX,
        LAPOR_INDEX,
        OBJECTION_INDEX,
        "/admin/layanan/laporcategory/",
        "/admin/home/unitmembership/",
    ):
        assert client.get(url).status_code == 200, url
    for service in ("ppid_request", "objection", "lapor"):
        assert client.get(reverse("layanan_desk_register", args=[service])).status_code == 200
    for ticket in tickets.values():
        assert client.get(inspect(ticket)).status_code == 200
        for transition in available_transitions(ticket, admin):
            url = reverse("layanan_desk_action", args=[ticket.pk, transition.action])
            assert client.get(url).status_code == 200, url
    # tickets change only through the workflow: no generic edit or delete
    assert client.get(f"/admin/layanan/ppidrequestticket/edit/{tickets['t1'].pk}/").status_code in (302, 403)
    assert client.get(f"/admin/layanan/ppidrequestticket/delete/{tickets['t1'].pk}/").status_code in (302, 403)
    assert Ticket.objects.filter(pk=tickets["t1"].pk).exists()


def test_register_lapor_and_objection_via_admin(client, synced_holidays, desk_users):
    client.force_login(desk_users["lapor"])
    data = lapor_payload(channel="phone", anonymous="on")
    response = client.post(reverse("layanan_desk_register", args=["lapor"]), data)
    assert response.status_code == 200
    ticket = Ticket.objects.get(service="lapor")
    assert ticket.channel == "phone" and ticket.lapor.anonymous
    client.force_login(desk_users["ppid"])
    response = client.post(
        reverse("layanan_desk_register", args=["objection"]),
        {
            "channel": "post",
            "name": "A",
            "email": "a@example.org",
            "request_tracking_number": "PPID-2026-123456",
            "reason": "c",
            "description": "Tidak dijawab",
        },
    )
    assert response.status_code == 200 and not Ticket.objects.filter(service="objection").exists()
    assert "tidak ditemukan" in response.content.decode()
