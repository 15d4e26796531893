"""PostgreSQL: the desk list filters, the overdue/digest queries and the tracking-number lookup use indexes on
``layanan_ticket`` (no Seq Scan of the table) at a realistic volume — 60,000 tickets over five years, about 3 %
open, inserted with one ``INSERT … SELECT generate_series`` and ANALYZEd, so the planner chooses with real
statistics (``enable_seqscan`` stays on).

To print the plans (EXPLAIN ANALYZE; docs/performance.md, section "Indexes") against a migrated database:
``DJANGO_SETTINGS_MODULE=pesan_cms.settings.dev DATABASE_URL=… python -m tests.layanan.test_indexes_postgres``
(seeds it first when it has no ``IX-`` tickets).
"""

from __future__ import annotations

import datetime
import json

import pytest
from django.db import connection

from tests.conftest import requires_postgres

pytestmark = [requires_postgres, pytest.mark.django_db]

VOLUME = 60_000
SERVICES = ["ppid_request", "lapor", "social", "objection", "wbs"]
OPEN_STATUS = {
    "ppid_request": "assigned",
    "lapor": "assigned",
    "social": "received",
    "objection": "in_review",
    "wbs": "initial_review",
}
CLOSED_STATUS = {
    "ppid_request": "closed",
    "lapor": "closed",
    "social": "dismissed",
    "objection": "closed",
    "wbs": "closed",
}


def seed(volume: int = VOLUME, units: int = 24) -> list[int]:
    """Insert ``volume`` tickets (oldest first, five years back, the newest ~3 % still open, 10 % without a
    unit) and ``units`` units; ANALYZE. Returns the unit ids."""
    from home.models import Unit

    unit_ids = [Unit.objects.get_or_create(code=f"IX{i}", defaults={"name": f"Unit {i}"})[0].pk for i in range(units)]
    services = "ARRAY[" + ",".join(f"'{s}'" for s in SERVICES) + "]"
    open_status = "ARRAY[" + ",".join(f"'{OPEN_STATUS[s]}'" for s in SERVICES) + "]"
    closed_status = "ARRAY[" + ",".join(f"'{CLOSED_STATUS[s]}'" for s in SERVICES) + "]"
    unit_array = "ARRAY[" + ",".join(str(u) for u in unit_ids) + "]::bigint[]"
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO layanan_ticket (
                tracking_number, service, status, channel, received_at, due_date, deadline_rule, deadline_unit,
                deadline_legal_source, deadline_explanation, extended, extension_legal_source, extension_reason,
                unit_id, subject, description, applicant_name, applicant_email, applicant_phone, applicant_nik,
                applicant_nik_hash, access_token_hash, created_at, updated_at)
            SELECT
                'IX-' || g, ({services})[1 + g % 5],
                CASE WHEN g > {volume} * 0.97 THEN ({open_status})[1 + g % 5] ELSE ({closed_status})[1 + g % 5] END,
                'web', ts, (ts + interval '14 days')::date, 'ppid/answer', 'working', '', '', false, '', '',
                CASE WHEN g % 10 = 0 THEN NULL ELSE ({unit_array})[1 + g % {units}] END,
                'Permohonan ' || g, '', 'Pemohon ' || g, '', '', '', '', '', ts, ts
            FROM (
                SELECT g, now() - (({volume} - g) * interval '5 years' / {volume}) AS ts
                FROM generate_series(1, {volume}) AS g
            ) AS rows
            """
        )
        cursor.execute("ANALYZE layanan_ticket")
    return unit_ids


def plan_of(queryset) -> dict:
    """The planner's JSON plan of ``queryset`` (EXPLAIN (FORMAT JSON), not executed)."""
    raw = queryset.explain(format="json")
    return json.loads(raw)[0]["Plan"] if isinstance(raw, str) else raw[0]["Plan"]


def nodes(plan: dict):
    yield plan
    for child in plan.get("Plans", []):
        yield from nodes(child)


def ticket_scans(plan: dict) -> list[str]:
    """The scan node types that read ``layanan_ticket`` (e.g. ``Index Scan``, ``Bitmap Heap Scan``)."""
    return [node["Node Type"] for node in nodes(plan) if node.get("Relation Name") == "layanan_ticket"]


def desk_queries(unit_id: int) -> dict:
    """The queries whose plans are checked, as the desk, reports and digest build them."""
    from layanan.core.models.tickets import Ticket
    from layanan.core.workflow import open_statuses_q
    from layanan.ppid.models import PPIDRequestTicket

    today = datetime.date.today()
    order = ("-received_at", "-pk")
    desk = PPIDRequestTicket.objects.all()
    return {
        "desk: unit operator, unit + status": desk.filter(unit_id__in=[unit_id], status="assigned").order_by(*order)[
            :25
        ],
        "desk: unit operator, all statuses": desk.filter(unit_id__in=[unit_id]).order_by(*order)[:25],
        "desk: PPID Utama, no filter": desk.order_by(*order)[:25],
        "desk: PPID Utama, status": desk.filter(status="assigned").order_by(*order)[:25],
        "desk: PPID Utama, unit filter + status": desk.filter(unit_id=unit_id, status="assigned").order_by(*order)[:25],
        "desk: overdue filter": desk.filter(open_statuses_q(), due_date__lt=today).order_by(*order)[:25],
        "overdue (all services)": Ticket.objects.filter(open_statuses_q(), due_date__lt=today),
        "digest (due within 3 days)": Ticket.objects.filter(
            open_statuses_q(), due_date__lte=today + datetime.timedelta(days=3)
        ),
        "lookup by tracking number": Ticket.objects.filter(tracking_number=f"IX-{VOLUME // 2}"),
    }


#: Lists that must come straight from an index in received_at order (the composite desk indexes).
READ_IN_INDEX_ORDER = {
    "desk: unit operator, all statuses",
    "desk: PPID Utama, no filter",
    "desk: PPID Utama, status",
}


@pytest.fixture
def seeded(db):
    return seed()


def test_desk_overdue_and_lookup_queries_use_indexes(seeded):
    with connection.cursor() as cursor:
        cursor.execute("SHOW enable_seqscan")
        assert cursor.fetchone()[0] == "on"  # the planner is free to choose
    failures = {}
    for name, queryset in desk_queries(seeded[1]).items():
        plan = plan_of(queryset)
        scans = ticket_scans(plan)
        assert scans, name
        if "Seq Scan" in scans:
            failures[name] = scans
        # The big desk lists read the newest rows in index order and stop after a page: no full sort of the
        # service's or unit's tickets ("Incremental Sort" only orders ties on the primary key).
        if name in READ_IN_INDEX_ORDER and "Sort" in [node["Node Type"] for node in nodes(plan)]:
            failures[name] = [node["Node Type"] for node in nodes(plan)]
    assert not failures, failures


if __name__ == "__main__":  # print the plans (see the module docstring)
    import django

    django.setup()
    from home.models import Unit
    from layanan.core.models.tickets import Ticket

    if not Ticket.objects.filter(tracking_number__startswith="IX-").exists():
        seed()
    unit = Unit.objects.filter(code="IX1").values_list("pk", flat=True).first()
    for label, queryset in desk_queries(unit).items():
        print(f"### {label}")
        print(queryset.explain(analyze=True))
        print()
