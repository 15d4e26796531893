"""Issue 15 item 9: operator desk faults — deleted officers, units in use, dispositions to the wrong officer,
units without an e-mail address. Each through the admin, as an officer would meet it."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.contrib.messages import get_messages
from django.urls import reverse

from home.models import Unit
from layanan.core.links import inspect_url
from layanan.core.models.tickets import Ticket, TimelineEntry
from layanan.core.workflow import TransitionError, apply_transition
from layanan.ppid import intake as ppid_intake
from layanan.wbs.services import submit_wbs_report
from tests.layanan.conftest import ppid_payload, wbs_payload, wib

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    root = User.objects.create_superuser("akar", "akar@example.org", "pw-Root-2026!")
    client.force_login(root)
    return client


def _messages(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_a_wbs_report_opened_by_a_deleted_account_still_shows_who_opened_it(client, make_user, synced_holidays):
    ticket = submit_wbs_report(wbs_payload()).ticket
    first = make_user("inspektur.lama", "Inspektorat (WBS)")
    first.first_name, first.last_name = "Rina", "Lama"
    first.save()
    client.force_login(first)
    assert client.get(inspect_url(ticket)).status_code == 200  # writes the "viewed" audit entry
    User.objects.filter(pk=first.pk).delete()  # removed outside the admin (or before this rule existed)

    second = make_user("inspektur.baru", "Inspektorat (WBS)")
    client.force_login(second)
    page = client.get(inspect_url(ticket))
    assert page.status_code == 200
    assert "Rina Lama" in page.content.decode()
    assert TimelineEntry.objects.filter(ticket=ticket, action="viewed", actor_name="Rina Lama").exists()


def test_deleting_an_officer_who_acted_deactivates_the_account(admin_client, desk_users, synced_holidays):
    ticket = ppid_intake.submit_ppid_request(ppid_payload(), received_at=wib(2026, 3, 2, 9, 0)).ticket
    ppid = desk_users["ppid"]
    apply_transition(ticket, "note", ppid, note="Catatan internal")
    response = admin_client.post(reverse("wagtailusers_users:delete", args=[ppid.pk]))
    assert response.status_code == 302
    ppid.refresh_from_db()
    assert ppid.is_active is False  # kept, but can no longer log in
    assert any("ppid" in m and "deactivated" in m.lower() or "dinonaktifkan" in m for m in _messages(response))
    # an account that never acted is deleted as usual
    idle = desk_users["atasan"]
    admin_client.post(reverse("wagtailusers_users:delete", args=[idle.pk]))
    assert not User.objects.filter(pk=idle.pk).exists()


def test_bulk_deleting_officers_keeps_those_who_acted(admin_client, desk_users, synced_holidays):
    ticket = ppid_intake.submit_ppid_request(ppid_payload(), received_at=wib(2026, 3, 2, 9, 0)).ticket
    apply_transition(ticket, "note", desk_users["ppid"], note="Catatan")
    ids = [desk_users["ppid"].pk, desk_users["lapor"].pk]
    url = reverse("wagtail_bulk_action", args=["auth", "user", "delete"]) + "?" + "&".join(f"id={i}" for i in ids)
    response = admin_client.post(url)
    assert response.status_code == 302
    assert User.objects.get(pk=desk_users["ppid"].pk).is_active is False


def test_a_unit_holding_tickets_cannot_be_deleted_and_the_officer_is_told_why(
    admin_client, desk_users, units, synced_holidays
):
    unit = units[0]
    ticket = ppid_intake.submit_ppid_request(ppid_payload(), received_at=wib(2026, 3, 2, 9, 0)).ticket
    apply_transition(ticket, "assign", desk_users["ppid"], unit=unit.pk)
    response = admin_client.post(reverse("wagtailsnippets_home_unit:delete", args=[unit.pk]))
    assert response.status_code == 302  # not a 500
    assert Unit.objects.filter(pk=unit.pk).exists() and Ticket.objects.get(pk=ticket.pk).unit_id == unit.pk
    assert any(unit.name in m for m in _messages(response))

    bulk = reverse("wagtail_bulk_action", args=["home", "unit", "delete"]) + f"?id={unit.pk}"
    response = admin_client.post(bulk)
    assert response.status_code == 302 and Unit.objects.filter(pk=unit.pk).exists()

    unused = Unit.objects.create(code="T-KOSONG", name="Unit Kosong")
    admin_client.post(reverse("wagtailsnippets_home_unit:delete", args=[unused.pk]))
    assert not Unit.objects.filter(pk=unused.pk).exists()


def test_a_disposition_accepts_only_an_officer_of_the_target_unit(desk_users, units, synced_holidays):
    one, two = units
    ticket = ppid_intake.submit_ppid_request(ppid_payload(), received_at=wib(2026, 3, 2, 9, 0)).ticket
    with pytest.raises(TransitionError) as refused:
        apply_transition(ticket, "assign", desk_users["ppid"], unit=one.pk, assignee=desk_users["op2"].pk)
    assert "assignee" in refused.value.errors
    assert Ticket.objects.get(pk=ticket.pk).unit_id is None  # nothing changed

    ticket = apply_transition(ticket, "assign", desk_users["ppid"], unit=one.pk, assignee=desk_users["op1"].pk)
    assert ticket.assignee_id == desk_users["op1"].pk
    # re-routed to another unit: the first unit's officer no longer holds it
    ticket = apply_transition(ticket, "assign", desk_users["ppid"], unit=two.pk)
    assert (ticket.unit_id, ticket.assignee_id) == (two.pk, None)


def test_a_disposition_to_a_unit_without_e_mail_warns_the_officer(client, desk_users, synced_holidays):
    silent = Unit.objects.create(code="T-SUNYI", name="Biro Tanpa Surel", email="")
    ticket = ppid_intake.submit_ppid_request(ppid_payload(), received_at=wib(2026, 3, 2, 9, 0)).ticket
    client.force_login(desk_users["ppid"])
    url = reverse("layanan_desk_action", args=[ticket.pk, "assign"])
    response = client.post(url, {"unit": str(silent.pk), "note": ""})
    assert response.status_code == 302
    assert any("Biro Tanpa Surel" in m and "e-mail" in m.lower() for m in _messages(response))
