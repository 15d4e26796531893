"""Admin screens of the reports: pages, drill-down lists, role access, the dashboard panel and its charts, the
dispute outcome form, the export log."""

import datetime
import re
from pathlib import Path

import pytest
from django.conf import settings

from layanan.core.workflow import apply_transition
from layanan.ppid import intake as ppid_intake
from layanan.ppid.models import KomisiInformasiDispute
from layanan.reports.dashboard import desk_counters
from tests.layanan.conftest import ppid_payload, wib
from tests.layanan.test_exports import _denied
from tests.layanan.test_reports import at, lapor_month, ppid_year
from tests.layanan.test_statistics import inspektorat, wbs_year

pytestmark = pytest.mark.django_db

#: Fixtures shared with the other report tests (pytest finds them by name in this module).
SHARED_FIXTURES = (
    at,
    lapor_month,
    ppid_year,
    inspektorat,
    wbs_year,
)


def _links(html):
    return re.findall(r'href="(/admin/layanan-reports/[^"]+/tickets/\?[^"]+)"', html)


def test_ppid_report_page_with_drilldown_links(client, ppid_year, desk_users):
    client.force_login(desk_users["ppid"])
    response = client.get("/admin/layanan-reports/ppid/", {"year": 2025})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Laporan tahunan PPID 2025" in html
    links = _links(html)
    late = next(link for link in links if "late=1" in link and "set=requests" in link)
    listing = client.get(late.replace("&amp;", "&")).content.decode()
    assert ppid_year["R3"].tracking_number in listing
    assert ppid_year["R1"].tracking_number not in listing
    assert 'canvas data-layanan-chart="outcomes"' in html and "<details" in html  # chart + table fallback


def test_drilldown_bad_filter_is_400(client, ppid_year, desk_users):
    client.force_login(desk_users["ppid"])
    response = client.get("/admin/layanan-reports/ppid_annual/tickets/", {"year": 2025, "outcome": "nope"})
    assert response.status_code == 400


def test_report_pages_are_limited_to_their_roles(client, ppid_year, wbs_year, desk_users, inspektorat):
    client.force_login(desk_users["op1"])
    assert _denied(client.get("/admin/layanan-reports/ppid/", {"year": 2025}))
    assert _denied(client.get("/admin/layanan-reports/ppid_annual/tickets/", {"year": 2025, "late": "1"}))
    assert _denied(client.get("/admin/layanan-reports/wbs/", {"year": 2025}))
    assert _denied(client.get("/admin/layanan-reports/lapor/", {"year": 2025, "month": 10}))
    client.force_login(desk_users["atasan"])
    response = client.get("/admin/layanan-reports/ppid/", {"year": 2025})
    assert response.status_code == 200
    # the body's figures (public anyway) ...
    assert re.search(
        r'data-code="requests">\s*<th scope="row">[^<]+</th>\s*<td class="num"><a [^>]+>7</a>',
        response.content.decode(),
    )
    # ... but the lists behind them only hold what the Atasan PPID may open (objections, not requests)
    listing = client.get("/admin/layanan-reports/ppid_annual/tickets/", {"year": 2025, "set": "requests"})
    assert ppid_year["R1"].tracking_number not in listing.content.decode()
    listing = client.get("/admin/layanan-reports/ppid_annual/tickets/", {"year": 2025, "set": "objections"})
    assert ppid_year["O1"].tracking_number in listing.content.decode()
    assert _denied(client.get("/admin/layanan-reports/wbs/", {"year": 2025}))
    client.force_login(inspektorat)
    response = client.get("/admin/layanan-reports/wbs/", {"year": 2025})
    assert response.status_code == 200
    html = response.content.decode()
    row = re.search(r'data-code="gratification">.*?</tr>', html, re.S).group(0)
    assert ">2<" in row  # exact counts inside the Inspektorat
    assert _denied(client.get("/admin/layanan-reports/ppid/", {"year": 2025}))


def test_lapor_report_page(client, lapor_month, desk_users):
    client.force_login(desk_users["lapor"])
    response = client.get("/admin/layanan-reports/lapor/", {"year": 2025, "month": 10})
    assert response.status_code == 200
    assert "Laporan SP4N-LAPOR" in response.content.decode()
    assert client.get("/admin/layanan-reports/lapor/", {"year": 2025, "month": 13}).status_code == 400


def test_desk_counters_of_a_unit_operator(settled_holidays, desk_users, units, at):
    ppid, op1 = desk_users["ppid"], desk_users["op1"]

    def request(moment, unit):
        at(moment)
        ticket = ppid_intake.submit_ppid_request(ppid_payload(), received_at=moment).ticket
        return apply_transition(ticket, "assign", ppid, unit=unit.pk)

    request(wib(2025, 10, 1, 10, 0), units[0])  # due 15 Oct: overdue on 27 Oct
    request(wib(2025, 10, 14, 10, 0), units[0])  # due 28 Oct: due within 3 WD
    request(wib(2025, 10, 27, 10, 0), units[0])  # due 10 Nov: open, received this month... of October
    request(wib(2025, 10, 27, 10, 0), units[1])  # another unit: not counted
    counters = desk_counters(op1, today=datetime.date(2025, 10, 27))
    total = counters.total
    assert (total.open, total.overdue, total.due_soon, total.received_this_month) == (3, 1, 1, 3)
    counters = desk_counters(op1, today=datetime.date(2025, 11, 3))
    assert (counters.total.overdue, counters.total.received_this_month) == (2, 0)


def test_dashboard_panel_for_operators_only(client, settled_holidays, desk_users, units, django_user_model):
    from django.utils import timezone

    ticket = ppid_intake.submit_ppid_request(ppid_payload(), received_at=timezone.now()).ticket
    apply_transition(ticket, "assign", desk_users["ppid"], unit=units[0].pk)
    client.force_login(desk_users["op1"])
    html = client.get("/admin/").content.decode()
    assert "Tiket layanan saya" in html
    assert 'data-figure="open">1<' in html
    assert 'data-figure="received_this_month">1<' in html
    assert "layanan/vendor/chart.umd.js" in html and "layanan/reports.js" in html
    assert "?deadline=overdue" in html
    client.force_login(desk_users["op2"])  # the other unit sees nothing of it
    assert 'data-figure="open">0<' in client.get("/admin/").content.decode()
    editor = django_user_model.objects.create_superuser("editor", "e@example.org", "pw")
    editor.is_superuser = False
    editor.save()
    from django.contrib.auth.models import Permission

    editor.user_permissions.add(Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin"))
    client.force_login(editor)
    assert "Tiket layanan saya" not in client.get("/admin/").content.decode()


def test_dashboard_charts_are_kept_per_scope_and_follow_every_change(settled_holidays, desk_users, units, inspektorat):
    """The charts of ``/admin/`` and the report pages are kept per desk scope (issue 20): a second visit reads no
    ticket, a new ticket or a changed scope shows at once, another unit never sees them, and a WBS officer's are
    never kept."""
    from django.contrib.auth.models import User
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from home.models import UnitMembership
    from layanan.core.deadlines import today_wib
    from layanan.reports.dashboard import cached_chart_data

    year = today_wib().year
    op1, op2 = desk_users["op1"], desk_users["op2"]

    def submit(unit):
        ticket = ppid_intake.submit_ppid_request(ppid_payload(), received_at=timezone.now()).ticket
        apply_transition(ticket, "assign", desk_users["ppid"], unit=unit.pk)

    def received(user):
        with CaptureQueriesContext(connection) as ctx:
            charts = cached_chart_data(User.objects.get(pk=user.pk), year)
        tickets_read = any("layanan_ticket" in query["sql"] for query in ctx.captured_queries)
        return sum(sum(dataset["data"]) for dataset in charts["per_month"]["datasets"]), tickets_read

    submit(units[0])
    assert received(op1) == (1, True)
    assert received(op1) == (1, False)  # kept: no ticket read
    assert received(op2) == (0, True)  # another unit: its own entry
    submit(units[0])
    assert received(op1) == (2, True)  # a new ticket shows at once
    assert received(op2) == (0, True)  # any ticket change makes every entry stale
    assert received(op2) == (0, False)
    UnitMembership.objects.create(user=op2, unit=units[0])
    assert received(op2) == (2, True)  # a changed scope never reads the old entry
    assert received(inspektorat)[1] and received(inspektorat)[1]  # WBS in scope: computed every time


def test_reports_index_lists_reports_by_role(client, db, desk_users):
    client.force_login(desk_users["ppid"])
    html = client.get("/admin/layanan-reports/").content.decode()
    assert "/admin/layanan-reports/ppid/" in html and "/admin/layanan-reports/wbs/" not in html
    client.force_login(desk_users["op1"])
    response = client.get("/admin/layanan-reports/")
    assert response.status_code == 200 and "/admin/layanan-reports/ppid/" not in response.content.decode()


def test_dispute_outcome_form(client, ppid_year, desk_users, at):
    at(wib(2026, 2, 1, 10, 0))
    client.force_login(desk_users["atasan"])
    url = f"/admin/layanan-reports/disputes/{ppid_year['O4'].pk}/"
    assert client.get(url).status_code == 200
    response = client.post(url, {"outcome": "granted", "outcome_date": "", "register_number": "", "note": ""})
    assert response.status_code == 200 and not KomisiInformasiDispute.objects.filter(objection=ppid_year["O4"]).exists()
    response = client.post(
        url, {"outcome": "granted", "outcome_date": "2026-01-20", "register_number": "123/KIP-PS/2026", "note": ""}
    )
    assert response.status_code == 302
    dispute = KomisiInformasiDispute.objects.get(objection=ppid_year["O4"])
    assert (dispute.outcome, dispute.register_number) == ("granted", "123/KIP-PS/2026")


def test_export_log_page(client, ppid_year, desk_users, django_user_model):
    client.force_login(desk_users["ppid"])
    client.get("/admin/layanan-reports/ppid_annual/export/", {"year": 2025, "format": "csv"})
    assert _denied(client.get("/admin/layanan-reports/exports/"))
    boss = django_user_model.objects.create_superuser("boss", "boss@example.org", "pw")
    client.force_login(boss)
    html = client.get("/admin/layanan-reports/exports/").content.decode()
    assert "ppid_annual" in html and "ppid" in html


def test_charting_library_is_served_locally_with_its_license():
    vendor = Path(settings.BASE_DIR) / "layanan" / "static" / "layanan" / "vendor"
    head = (vendor / "chart.umd.js").read_text()[:300]
    assert "Chart.js v4" in head and "MIT License" in head
    assert "MIT" in (vendor / "chart.js.LICENSE.md").read_text()
