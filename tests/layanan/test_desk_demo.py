"""Demo content of the desk: seeds once, idempotent, tickets in several states across services."""

import io

import pytest

from layanan import demo
from layanan.core.models.tickets import Ticket
from layanan.lapor.models import LaporCategory

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


@pytest.mark.parametrize(
    ("model", "officer"),
    [("ppidrequestticket", "ppid.utama"), ("objectionticket", "ppid.utama"), ("laporticket", "admin.lapor")],
)
def test_desk_lists_never_load_a_deferred_column_per_row(client, settled_holidays, model, officer, monkeypatch):
    """The desk list leaves out the columns no row shows (``TicketAdmin.list_defer``); reading one of them would
    cost a query per row. Every list of the demo desk renders without loading one."""
    from django.contrib.auth.models import User

    demo.seed(io.StringIO())
    loads = []
    original = Ticket.refresh_from_db

    def recording(self, *args, fields=None, **kwargs):
        loads.append(fields)
        return original(self, *args, fields=fields, **kwargs)

    monkeypatch.setattr(Ticket, "refresh_from_db", recording)
    client.force_login(User.objects.get(username=officer))
    response = client.get(f"/admin/layanan/{model}/")
    assert response.status_code == 200
    assert response.content.decode().count("layanan-row--") >= 1
    assert loads == []
