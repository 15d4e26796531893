"""End to end in Chromium: a whistleblower reports, keeps the receipt code, the Inspektorat asks a question in
the admin, the whistleblower answers with the code; a unit operator cannot see the report."""

from __future__ import annotations

import re

import pytest

from .conftest import admin_login

pytestmark = pytest.mark.browser


def test_wbs_report_question_and_answer(new_page, shot, staff, live_server):
    from home.models import Unit
    from layanan.core.links import inspect_url
    from layanan.core.models.tickets import Ticket, TimelineEntry

    unit = Unit.objects.create(code="E2E-2", name="Biro Umum", email="umum@example.org")
    staff("inspektur", "Inspektorat (WBS)")
    staff("operator", "Operator Unit", units=[unit])

    # --- the whistleblower (phone), anonymous ---------------------------------------------------------------
    reporter = new_page(phone=True)
    requests_to = set()
    reporter.on("request", lambda r: requests_to.add(r.url.split("/")[2]))
    reporter.goto("/wbs/")
    shot(reporter, "wbs-form")
    reporter.select_option("#id_violation_type", "bribery")
    reporter.locator("#id_what").fill("Petugas loket meminta uang pelicin untuk mempercepat izin usaha.")
    reporter.locator("#id_where").fill("Loket perizinan lantai 2")
    reporter.get_by_role("button", name="Kirim laporan").click()  # waits for the anti-robot check if need be
    reporter.wait_for_selector("#receipt-code")
    code = reporter.inner_text("#receipt-code").strip()
    assert len(re.sub(r"\D", "", code)) == 32
    shot(reporter, "wbs-receipt")
    # nothing loaded from elsewhere, no cookie but CSRF
    assert requests_to == {live_server.url.split("/")[2]}
    assert {c["name"] for c in reporter.context.cookies()} <= {"csrftoken"}

    ticket = Ticket.objects.get(service="wbs")

    # --- a unit operator cannot open it -------------------------------------------------------------------
    operator = new_page()
    admin_login(operator, "operator")
    response = operator.goto(inspect_url(ticket))
    assert response.status == 404
    assert "uang pelicin" not in operator.content()
    shot(operator, "wbs-operator-denied")

    # --- the Inspektorat acknowledges and asks a question -------------------------------------------------
    inspektur = new_page()
    admin_login(inspektur, "inspektur")
    inspektur.goto(inspect_url(ticket))
    assert "uang pelicin" in inspektur.content()
    inspektur.locator("a[href$='/action/acknowledge/']").first.click()
    inspektur.locator("form button[type=submit]").last.click()
    inspektur.wait_for_url(re.compile(r".*/inspect/\d+/$"))
    inspektur.locator("a[href$='/action/request_info/']").first.click()
    inspektur.fill("[name=note]", "Kapan tepatnya kejadian itu dan berapa jumlah yang diminta?")
    shot(inspektur, "wbs-inspektorat-question")
    inspektur.locator("form button[type=submit]").last.click()
    inspektur.wait_for_url(re.compile(r".*/inspect/\d+/$"))
    ticket.refresh_from_db()
    assert ticket.status == "more_info_needed"

    # --- the whistleblower opens the report with the code and answers -------------------------------------
    reporter.goto("/wbs/akses/")
    reporter.locator("#id_code").fill(code)
    reporter.get_by_role("button", name="Buka laporan").click()
    reporter.wait_for_selector("#ticket-status")
    assert "Kapan tepatnya kejadian itu" in reporter.content()
    shot(reporter, "wbs-thread-question")
    reporter.locator("#id_text").fill("Tanggal 3 Maret 2026, diminta Rp 2.000.000.")
    reporter.get_by_role("button", name="Kirim pesan").click()
    reporter.wait_for_selector(".alert--success")
    assert "Tanggal 3 Maret 2026, diminta Rp 2.000.000." in reporter.content()
    shot(reporter, "wbs-thread-answered")
    assert TimelineEntry.objects.filter(ticket=ticket, action="reporter_message").count() == 1
    assert {c["name"] for c in reporter.context.cookies()} <= {"csrftoken"}
