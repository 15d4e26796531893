"""Public statistics (``GET /api/v2/statistics/``) and the WBS report: exact figures, WBS small-count
suppression, no personal data, cache invalidated when tickets change, 400 in Indonesian for a bad year."""

import json

import pytest

from layanan.core.workflow import apply_transition
from layanan.ppid import intake as ppid_intake
from layanan.wbs.reports import wbs_report
from tests.layanan.conftest import ppid_payload, wib
from tests.layanan.test_reports import at, lapor_month, ppid_year

pytestmark = pytest.mark.django_db

#: Fixtures shared with the other report tests (pytest finds them by name in this module).
SHARED_FIXTURES = (
    at,
    lapor_month,
    ppid_year,
)

URL = "/api/v2/statistics/"
PERSONAL = [
    "3171234567890001",
    "3201234567890002",
    "siti@example.org",
    "budi@example.org",
    "081234567890",
    "6281298765432",
    "Siti Aminah",
    "Budi Santoso",
    "Pelapor Rahasia",
    "pelapor@example.org",
    "Jl. Merdeka",
]


@pytest.fixture
def inspektorat(make_user):
    return make_user("insp", "Inspektorat (WBS)")


@pytest.fixture
def wbs_year(settled_holidays, inspektorat, at):
    """WBS reports of 2025: bribery 6 (3 acknowledged), fraud 5, gratification 2; one bribery of 2026."""
    from layanan.wbs.services import submit_wbs_report

    tickets = []

    def submit(kind, moment):
        at(moment)
        data = {
            "violation_type": kind,
            "what": "Uang pelicin pengadaan",
            "name": "Pelapor Rahasia",
            "email": "pelapor@example.org",
            "contact": "081200000000",
        }
        return submit_wbs_report(data, received_at=moment).ticket

    for i in range(6):
        ticket = submit("bribery", wib(2025, 10, 6 + i, 10, 0))
        if i < 3:
            at(wib(2025, 10, 20, 10, 0))
            ticket = apply_transition(ticket, "acknowledge", inspektorat)
        tickets.append(ticket)
    tickets += [submit("fraud", wib(2025, 11, 3 + i, 10, 0)) for i in range(5)]
    tickets += [submit("gratification", wib(2025, 12, 1 + i, 10, 0)) for i in range(2)]
    submit("bribery", wib(2026, 1, 5, 10, 0))
    return tickets


def test_wbs_report_counts_for_the_inspektorat(wbs_year, inspektorat):
    report = wbs_report(2025, inspektorat)
    assert report.by_type()["bribery"] == 6
    assert report.by_type()["fraud"] == 5
    assert report.by_type()["gratification"] == 2
    assert report.matrix[("bribery", "received")] == 3
    assert report.matrix[("bribery", "initial_review")] == 3
    assert report.total == 13


def test_wbs_report_refused_to_other_roles(wbs_year, desk_users, django_user_model):
    from django.core.exceptions import PermissionDenied

    for user in (desk_users["op1"], desk_users["ppid"], desk_users["atasan"]):
        with pytest.raises(PermissionDenied):
            wbs_report(2025, user)
    boss = django_user_model.objects.create_superuser("boss", "boss@example.org", "pw")
    with pytest.raises(PermissionDenied):  # superuser status alone does not open WBS
        wbs_report(2025, boss)


def test_wbs_tables_suppress_small_counts_by_default(wbs_year, inspektorat):
    report = wbs_report(2025, inspektorat)
    by_type, matrix = report.tables()
    cells = {row.code: row.cells[0] for row in by_type.rows}
    assert cells["bribery"].text == "6" and cells["fraud"].text == "5"
    assert cells["gratification"].text == "<5" and cells["gratification"].value is None
    assert cells["extortion"].text == "<5"
    assert cells["all"].text == "13"
    assert all(c.link is None for c in cells.values())  # no drill-down outside the Inspektorat
    bribery = next(row for row in matrix.rows if row.code == "bribery")
    states = [s for s, _l in report.states]
    assert bribery.cells[states.index("received")].text == "<5"
    assert bribery.cells[states.index("initial_review")].text == "<5"
    assert bribery.cells[-1].text == "6"  # two hidden cells: the row total gives neither away
    # unsuppressed (the Inspektorat's own page)
    by_type, _matrix = report.tables(suppressed=False)
    assert {row.code: row.cells[0].text for row in by_type.rows}["gratification"] == "2"


def test_total_is_hidden_when_exactly_one_cell_is(inspektorat):
    from layanan.wbs.reports import suppress_group

    assert suppress_group([7, 3, 9], 19) == ([7, None, 9], None)
    assert suppress_group([7, 3, 2], 12) == ([7, None, None], 12)
    assert suppress_group([2, 1], 3) == ([None, None], None)


def test_public_statistics_figures(client, ppid_year, lapor_month, wbs_year):
    response = client.get(URL, {"year": 2025})
    assert response.status_code == 200
    data = response.json()
    assert data["year"] == 2025
    ppid = data["ppid"]
    assert ppid["requests"] == 7
    assert {i["code"]: i["count"] for i in ppid["outcomes"]}["rejected_exempt"] == 2
    assert {i["code"]: i["count"] for i in ppid["rejections"]["exempt_by_ground"]}["h"] == 1
    assert ppid["time_taken_working_days"]["all"] == {"count": 6, "median": 4.5, "mean": 6.2, "max": 16}
    assert (ppid["extensions"], ppid["answered_late"]) == (1, 1)
    assert ppid["objections"]["received"] == 4 and ppid["objections"]["answered_late"] == 1
    assert ppid["disputes"]["filed"] == 2
    lapor = data["lapor"]
    assert (lapor["received"], lapor["completed"], lapor["forwarded"], lapor["archived"]) == (6, 2, 1, 1)
    wbs = data["wbs"]
    types = {i["code"]: i for i in wbs["by_type"]}
    assert types["bribery"] == {"code": "bribery", "label": types["bribery"]["label"], "count": 6, "suppressed": False}
    assert types["gratification"]["count"] is None and types["gratification"]["suppressed"] is True
    assert wbs["total"] == {"count": 13, "suppressed": False}
    assert set(wbs) == {"threshold", "total", "by_type"}  # no states, no months: yearly totals by type only


def test_public_statistics_hold_no_personal_data(client, ppid_year, lapor_month, wbs_year):
    body = client.get(URL, {"year": 2025}).content.decode()
    for value in PERSONAL:
        assert value not in body, value
    for ticket in (ppid_year["R1"], lapor_month["L1"], wbs_year[0]):
        assert ticket.tracking_number not in body


@pytest.mark.parametrize("year", ["abc", "25", "1999", "3000", "2025.5"])
def test_bad_year_is_a_400_in_indonesian(client, year):
    response = client.get(URL, {"year": year})
    assert response.status_code == 400
    message = response.json()["year"][0]
    assert "tahun" in message.lower() or "Tahun" in message


def test_missing_year_means_this_year(client, db):
    from django.utils import timezone

    response = client.get(URL)
    assert response.status_code == 200 and response.json()["year"] == timezone.localdate().year


def test_statistics_are_cached_and_invalidated_when_tickets_change(
    client,
    settled_holidays,
    desk_users,
    django_assert_max_num_queries,
    at,
):
    at(wib(2025, 10, 6, 10, 0))
    ticket = ppid_intake.submit_ppid_request(ppid_payload(), received_at=wib(2025, 10, 6, 10, 0)).ticket
    assert client.get(URL, {"year": 2025}).json()["ppid"]["requests"] == 1
    with django_assert_max_num_queries(0):  # served from the cache
        assert client.get(URL, {"year": 2025}).json()["ppid"]["requests"] == 1
    ppid_intake.submit_ppid_request(ppid_payload(), received_at=wib(2025, 10, 7, 10, 0))
    assert client.get(URL, {"year": 2025}).json()["ppid"]["requests"] == 2
    at(wib(2025, 10, 8, 10, 0))
    apply_transition(ticket, "decide", desk_users["ppid"], outcome="granted_full", note="x")
    outcomes = {i["code"]: i["count"] for i in client.get(URL, {"year": 2025}).json()["ppid"]["outcomes"]}
    assert outcomes["granted_full"] == 1
    ticket.delete()
    assert client.get(URL, {"year": 2025}).json()["ppid"]["requests"] == 1


def test_statistics_endpoint_is_in_the_openapi_schema(client, db):
    schema = client.get("/api/schema/", {"format": "json"})
    assert schema.status_code == 200
    paths = json.loads(schema.content)["paths"]
    assert "/api/v2/statistics/" in paths
    assert "year" in {p["name"] for p in paths["/api/v2/statistics/"]["get"]["parameters"]}


def test_public_statistics_page_on_the_reference_site(client, ppid_year, wbs_year):
    response = client.get("/statistik/", {"tahun": 2025})
    assert response.status_code == 200
    html = response.content.decode()
    assert "/api/v2/statistics/?year=2025" in html
    assert "&lt;5" in html  # suppressed WBS counts
    for value in PERSONAL:
        assert value not in html, value
    response = client.get("/statistik/", {"tahun": "dua ribu"})
    assert response.status_code == 400
    assert "Masukkan tahun" in response.content.decode()
