"""Tracking numbers stay unique under concurrent submissions on PostgreSQL (threads, own connections)."""

import threading

import pytest
from django.db import connection

from layanan.core.models.tickets import Ticket, TrackingCounter
from layanan.core.numbering import TRACKING_NUMBER_RE
from layanan.ppid import intake as ppid_intake
from tests.conftest import requires_postgres
from tests.layanan.conftest import ppid_payload, wib


@requires_postgres
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_fifty_parallel_submissions_get_fifty_distinct_numbers(synced_holidays):
    count = 50
    barrier = threading.Barrier(count)
    numbers, errors = [], []
    lock = threading.Lock()

    def submit(i):
        try:
            barrier.wait(timeout=30)
            submission = ppid_intake.submit_ppid_request(
                ppid_payload(information_requested=f"Dokumen {i}"), received_at=wib(2026, 5, 4, 9, 0)
            )
            with lock:
                numbers.append(submission.tracking_number)
        except Exception as exc:  # noqa: BLE001 - collected and asserted below
            with lock:
                errors.append(repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=submit, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    assert len(numbers) == count and len(set(numbers)) == count
    assert all(TRACKING_NUMBER_RE.match(n) and n.startswith("PPID-2026-") for n in numbers)
    assert Ticket.objects.count() == count
    assert TrackingCounter.objects.get(prefix="PPID", year=2026).last_value == count


@pytest.mark.django_db
def test_numbers_are_sequential_per_prefix_and_year():
    from layanan.core.numbering import next_tracking_number

    assert next_tracking_number("objection", wib(2026, 1, 5, 9, 0)) == "KEB-2026-000001"
    assert next_tracking_number("objection", wib(2026, 6, 5, 9, 0)) == "KEB-2026-000002"
    assert next_tracking_number("lapor", wib(2026, 6, 5, 9, 0)) == "LAPOR-2026-000001"
    assert next_tracking_number("objection", wib(2025, 12, 31, 23, 59)) == "KEB-2025-000001"
