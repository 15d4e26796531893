"""Operator desk list at volume (issue 9): what the speed-ups must not change, and the costs they removed.

- the year filter offers the years (WIB) from the oldest to the newest ticket the user can see — from two
  bounds, never a DISTINCT over the table; years in between with no ticket may appear (accepted);
- a filtered list is counted once and the whole list never ("N matching" instead of "N out of M");
- the rows rendered by ``DeskIndexView.render_rows`` are the rows wagtail-modeladmin's own view renders;
- the number of queries does not grow with the number of years the tickets span.
"""

import re

import pytest
from django.db import connection
from django.test.html import parse_html
from django.test.utils import CaptureQueriesContext
from django.utils.html import escape
from wagtail_modeladmin.views import IndexView

from layanan.core.models.tickets import Ticket
from layanan.core.workflow import apply_transition
from layanan.desk.wagtail_hooks import YearFilter, registered_desk_admin
from layanan.ppid import intake as ppid_intake
from tests.layanan.conftest import ppid_payload, wib

PPIDRequestAdmin = registered_desk_admin("ppid_request")

pytestmark = pytest.mark.django_db

PPID_INDEX = "/admin/layanan/ppidrequestticket/"


def submit(received_at, unit=None, assigner=None, label="Dokumen"):
    ticket = ppid_intake.submit_ppid_request(ppid_payload(information_requested=label), received_at=received_at).ticket
    if unit is not None:
        ticket = apply_transition(ticket, "assign", assigner, unit=unit.pk)
    return ticket


def year_choices(response) -> list[str]:
    spec = next(s for s in response.context["view"].filter_specs if isinstance(s, YearFilter))
    return [value for value, _label in spec.lookup_choices]


def result_count_text(html: str) -> str:
    match = re.search(r'<span class="result-count">(.*?)</span>', html, re.S)
    assert match, "the list header shows a count"
    return " ".join(match.group(1).split())


def tbody(html: str):
    match = re.search(r"<tbody>(.*?)</tbody>", html, re.S)
    assert match, "the list shows a table"
    return parse_html(match.group(1))


@pytest.fixture
def spread(synced_holidays, desk_users, units):
    """Three PPID requests: 1 Jan 2024 00:30 WIB (still 2023 in UTC) to unit 2, 2 Mar 2026 to unit 1, and one
    of 3 Mar 2026 not disposed."""
    ppid = desk_users["ppid"]
    return {
        "old": submit(wib(2024, 1, 1, 0, 30), units[1], ppid, "Dokumen lama"),
        "new": submit(wib(2026, 3, 2, 9, 0), units[0], ppid, "Dokumen baru"),
        "open": submit(wib(2026, 3, 3, 9, 0), label="Dokumen belum didisposisi"),
    }


def test_year_filter_offers_the_span_of_years_the_user_can_see(client, spread, desk_users, units):
    client.force_login(desk_users["ppid"])
    response = client.get(PPID_INDEX)
    # newest first; 2025 has no ticket but lies between the bounds; 2023 (the UTC year of the oldest) does not
    assert year_choices(response) == ["2026", "2025", "2024"]
    html = client.get(PPID_INDEX, {"year": "2024"}).content.decode()
    assert spread["old"].tracking_number in html
    assert spread["new"].tracking_number not in html and spread["open"].tracking_number not in html

    client.force_login(desk_users["op1"])  # unit 1 sees only the 2026 request
    assert year_choices(client.get(PPID_INDEX)) == ["2026"]
    client.force_login(desk_users["op2"])  # unit 2 sees only the 2024 one
    assert year_choices(client.get(PPID_INDEX, {"status": "assigned"})) == ["2024"]


def test_year_filter_absent_when_the_list_is_empty(client, synced_holidays, desk_users):
    client.force_login(desk_users["ppid"])
    response = client.get(PPID_INDEX)
    assert response.status_code == 200
    assert not any(isinstance(s, YearFilter) for s in response.context["view"].filter_specs)
    assert response.context["all_count"] == 0
    assert "changelist-filter" not in response.content.decode()  # "no requests yet", no filters


def test_filtered_list_counted_once_never_the_whole_list(client, spread, desk_users, units):
    client.force_login(desk_users["ppid"])
    client.get(PPID_INDEX, {"unit__id__exact": units[0].pk})
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(PPID_INDEX, {"unit__id__exact": units[0].pk, "status": "assigned"})
    sql = [q["sql"].upper() for q in ctx.captured_queries]
    counts = [q for q in sql if "COUNT(" in q and "LAYANAN_TICKET" in q]
    assert len(counts) == 1, counts  # the paginator's count of the filtered list, nothing else
    assert "UNIT_ID" in counts[0]
    assert not any("DISTINCT" in q and "LAYANAN_TICKET" in q for q in sql)
    html = response.content.decode()
    assert spread["new"].tracking_number in html and spread["old"].tracking_number not in html
    assert re.findall(r"\d+", result_count_text(html)) == ["1"]  # "1 matching", not "1 out of 3"

    # unfiltered: the total is the list's own count ("3 out of 3"), still a single COUNT
    with CaptureQueriesContext(connection) as ctx:
        html = client.get(PPID_INDEX).content.decode()
    assert len([q for q in ctx.captured_queries if "COUNT(" in q["sql"].upper()]) == 1
    assert re.findall(r"\d+", result_count_text(html)) == ["3", "3"]


def test_filter_matching_nothing_keeps_the_filters(client, spread, desk_users):
    client.force_login(desk_users["ppid"])
    response = client.get(PPID_INDEX, {"status": "closed"})
    html = response.content.decode()
    assert response.context["result_count"] == 0 and response.context["all_count"]
    assert "changelist-filter" in html  # the officer can widen the filters again
    assert "no-search-results" in html
    assert re.findall(r"\d+", result_count_text(html)) == ["0"]


@pytest.mark.parametrize(
    "params",
    [{}, {"deadline": "overdue"}, {"status": "assigned", "o": "1"}],
    ids=["plain", "overdue", "sorted"],
)
def test_rows_are_the_rows_modeladmin_renders(client, spread, desk_users, monkeypatch, params):
    # a ticket whose clock is stopped and an overdue one, so every urgency class and the due-date labels appear
    stopped = submit(wib(2026, 3, 4, 9, 0), label="Dokumen <b>tebal</b> & lain")
    Ticket.objects.filter(pk=stopped.pk).update(status="awaiting_fee")
    client.force_login(desk_users["ppid"])
    ours = client.get(PPID_INDEX, params).content.decode()
    monkeypatch.setattr(PPIDRequestAdmin, "index_view_class", IndexView)
    monkeypatch.setattr(PPIDRequestAdmin, "index_template_name", "")
    stock = client.get(PPID_INDEX, params).content.decode()
    assert "<b>tebal</b>" not in ours  # the subject is escaped
    assert tbody(ours) == tbody(stock)
    assert ours.count("layanan-row--") == stock.count("layanan-row--") >= 1
    assert filter_sidebar(ours) == filter_sidebar(stock)  # same links, labels and selected marks
    assert search_form(ours) == search_form(stock)


def search_form(html: str):
    match = re.search(r'<form id="changelist-search".*?</form>', html, re.S)
    assert match, "the list shows its search form"
    return parse_html(match.group(0))


@pytest.mark.parametrize("params", [{}, {"q": 'Dokumen "lama" <b>&', "status": "assigned", "year": "2024"}])
def test_search_form_is_modeladmins_with_the_query_and_filters_kept(client, spread, desk_users, monkeypatch, params):
    client.force_login(desk_users["ppid"])
    ours = client.get(PPID_INDEX, params).content.decode()
    monkeypatch.setattr(PPIDRequestAdmin, "index_view_class", IndexView)
    monkeypatch.setattr(PPIDRequestAdmin, "index_template_name", "")
    stock = client.get(PPID_INDEX, params).content.decode()
    assert search_form(ours) == search_form(stock)
    if params:
        assert 'value="Dokumen &quot;lama&quot; &lt;b&gt;&amp;"' in ours
        assert '<input type="hidden" name="status" value="assigned">' in ours


def filter_sidebar(html: str):
    match = re.search(r'<div class="changelist-filter col3">(.*?)</div>', html, re.S)
    assert match, "the list shows its filters"
    return parse_html(match.group(1))


def test_filter_sidebar_marks_the_chosen_filters_and_keeps_the_others_in_its_links(client, spread, desk_users, units):
    client.force_login(desk_users["ppid"])
    html = client.get(PPID_INDEX, {"status": "assigned", "year": "2026", "q": "Dokumen"}).content.decode()
    sidebar = re.search(r'<div class="changelist-filter col3">(.*?)</div>', html, re.S).group(1)
    assert "Menurut status" in sidebar and "Menurut tahun diterima" in sidebar
    selected = re.findall(r'<li class="selected"><a href="([^"]+)">([^<]+)</a>', sidebar)
    current = "?q=Dokumen&amp;status=assigned&amp;year=2026"  # a selected choice links to the list as it is
    assert selected == [
        (current, "Didisposisikan ke unit"),  # status
        (current, "Semua"),  # unit, channel: none chosen
        (current, "Semua"),
        (current, "2026"),  # year
        (current, "Semua"),  # deadline
    ]
    # choosing another unit keeps the status, year and search of the current list
    unit_link = re.search(rf'<a href="([^"]*unit__id__exact={units[1].pk}[^"]*)"', sidebar).group(1)
    assert "status=assigned" in unit_link and "year=2026" in unit_link and "q=Dokumen" in unit_link


def test_year_filter_follows_ticket_changes_and_costs_no_query_when_unchanged(client, spread, desk_users, units):
    client.force_login(desk_users["ppid"])
    assert year_choices(client.get(PPID_INDEX)) == ["2026", "2025", "2024"]
    with CaptureQueriesContext(connection) as ctx:
        assert year_choices(client.get(PPID_INDEX, {"status": "assigned"})) == ["2026", "2025", "2024"]
    assert not any("MIN(" in q["sql"].upper() for q in ctx.captured_queries)  # from the cache
    submit(wib(2022, 5, 10, 9, 0), label="Dokumen arsip")  # an older ticket: the span grows at once
    assert year_choices(client.get(PPID_INDEX)) == ["2026", "2025", "2024", "2023", "2022"]
    client.force_login(desk_users["op1"])  # another user's cached years are never served
    assert year_choices(client.get(PPID_INDEX)) == ["2026"]


def test_queries_do_not_grow_with_the_years_spanned(client, synced_holidays, desk_users, units):
    ppid = desk_users["ppid"]
    submit(wib(2026, 3, 2, 9, 0), units[0], ppid)
    client.force_login(desk_users["op1"])
    url = f"{PPID_INDEX}?unit__id__exact={units[0].pk}&status=assigned"

    def queries():
        client.get(url)
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url)
        assert response.status_code == 200
        return len(ctx.captured_queries), year_choices(response)

    one_year, years = queries()
    assert years == ["2026"]
    for year in (2022, 2023, 2024, 2025):
        submit(wib(year, 6, 2, 9, 0), units[0], ppid)
    many_years, years = queries()
    assert years == ["2026", "2025", "2024", "2023", "2022"]
    assert many_years == one_year


def test_unit_filter_lists_every_unit_and_follows_new_ones_without_a_query_each_page(client, spread, desk_users):
    from home.models import Unit

    client.force_login(desk_users["ppid"])
    client.get(PPID_INDEX)
    with CaptureQueriesContext(connection) as ctx:
        html = client.get(PPID_INDEX, {"status": "assigned"}).content.decode()
    assert not any('FROM "HOME_UNIT"' in q["sql"].upper() for q in ctx.captured_queries)
    sidebar = re.search(r'<div class="changelist-filter col3">(.*?)</div>', html, re.S).group(1)
    for unit in Unit.objects.all():
        assert f"unit__id__exact={unit.pk}" in sidebar and str(escape(str(unit))) in sidebar
    Unit.objects.create(code="T-DEP3", name="Kedeputian Tiga Baru")
    assert "Kedeputian Tiga Baru" in client.get(PPID_INDEX).content.decode()


@pytest.mark.parametrize("query", ["unit__id__exact=abc", "unknown=1", "year__gte=x&status=assigned"])
def test_a_filter_the_list_cannot_apply_shows_the_unfiltered_list_with_a_message(client, spread, desk_users, query):
    client.force_login(desk_users["ppid"])
    response = client.get(f"{PPID_INDEX}?{query}", follow=True)
    assert response.redirect_chain == [(PPID_INDEX, 302)]
    html = response.content.decode()
    assert "tidak dapat disaring" in html  # the officer is told why the filters were dropped
    assert spread["old"].tracking_number in html and spread["new"].tracking_number in html
