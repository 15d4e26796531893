"""Demo content of the desk: seeds once, idempotent, tickets in several states across services."""

import io

import pytest

from layanan import demo
from layanan.models import LaporCategory, Ticket

pytestmark = pytest.mark.django_db


def test_seed_is_idempotent_and_varied(settled_holidays):
    out = io.StringIO()
    demo.seed(out)
    counts = (Ticket.objects.count(), LaporCategory.objects.count())
    states = set(Ticket.objects.values_list("service", "status"))
    demo.seed(io.StringIO())
    assert (Ticket.objects.count(), LaporCategory.objects.count()) == counts
    assert {s for s, _ in states} == {"ppid_request", "objection", "lapor"}
    assert len(states) >= 7
    assert Ticket.objects.filter(extended=True).exists()
    assert demo.DEMO_PASSWORD in out.getvalue()
