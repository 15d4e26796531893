"""Tracking numbers come from one UPDATE … RETURNING (issue 9: submission throughput) and roll back with the
submission that drew them."""

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from layanan.core.models.tickets import TrackingCounter
from layanan.core.numbering import next_tracking_number
from tests.layanan.conftest import wib


@pytest.mark.django_db
def test_a_number_costs_one_statement_once_the_counter_exists():
    assert next_tracking_number("lapor", wib(2026, 3, 2, 9, 0)) == "LAPOR-2026-000001"  # creates the row
    with transaction.atomic(), CaptureQueriesContext(connection) as queries:
        number = next_tracking_number("lapor", wib(2026, 3, 2, 10, 0))
    assert number == "LAPOR-2026-000002"
    statements = [q["sql"] for q in queries.captured_queries if "SAVEPOINT" not in q["sql"].upper()]
    assert len(statements) == 1 and statements[0].upper().startswith("UPDATE")
    assert not any("SAVEPOINT" in q["sql"].upper() for q in queries.captured_queries)


@pytest.mark.django_db
def test_a_rolled_back_submission_gives_its_number_back():
    assert next_tracking_number("ppid_request", wib(2026, 3, 2, 9, 0)) == "PPID-2026-000001"
    with pytest.raises(RuntimeError), transaction.atomic():
        assert next_tracking_number("ppid_request", wib(2026, 3, 2, 9, 5)) == "PPID-2026-000002"
        raise RuntimeError("the rest of the submission failed")
    assert next_tracking_number("ppid_request", wib(2026, 3, 2, 9, 10)) == "PPID-2026-000002"
    assert TrackingCounter.objects.get(prefix="PPID", year=2026).last_value == 2


@pytest.mark.django_db
def test_each_prefix_and_year_has_its_own_counter_row():
    next_tracking_number("wbs", wib(2025, 12, 31, 23, 0))
    next_tracking_number("wbs", wib(2026, 1, 1, 0, 30))  # WIB year 2026 (17:30 UTC on 31 December)
    next_tracking_number("wbs", wib(2026, 1, 2, 9, 0))
    assert dict(TrackingCounter.objects.filter(prefix="WBS").values_list("year", "last_value")) == {2025: 1, 2026: 2}
