"""The service registry (issue 14): a service is one ``ServiceDefinition``; the core asks the registry.

A throwaway sixth service, registered here and removed afterwards, is numbered with its own prefix, found by
the public status lookup, counted among the tickets whose clock runs, and opened only by its permission.
(The desk menu and the public statistics still list the five built-in services by hand; see issue 14.)
"""

from __future__ import annotations

import pytest
from django.utils.translation import gettext_lazy as _

from layanan.core import registry
from layanan.core.access import service_permissions, tickets_visible_to
from layanan.core.intake import register_submission
from layanan.core.models.tickets import Ticket
from layanan.core.workflow import Machine, State, open_statuses_q
from tests.layanan.conftest import wib

THROWAWAY = Machine(
    service="uji",
    initial="received",
    states=(State("received", _("Received")), State("closed", _("Closed"), clock=False, final=True)),
    transitions=(),
)


@pytest.fixture
def throwaway_service():
    definition = registry.register(
        registry.ServiceDefinition(
            code="uji",
            label="Layanan uji",
            prefix="UJI",
            machine=THROWAWAY,
            permissions=("handle_ppid",),
            proxy_model="",
            order=60,
        )
    )
    yield definition
    registry.unregister("uji")


def test_the_five_services_are_registered_in_order():
    assert [s.code for s in registry.all_services()] == ["ppid_request", "objection", "lapor", "wbs", "social"]
    assert {s.prefix for s in registry.all_services()} == {"PPID", "KEB", "LAPOR", "WBS", "SOSMED"}


def test_a_prefix_cannot_be_taken_twice(throwaway_service):
    with pytest.raises(ValueError):
        registry.register(
            registry.ServiceDefinition(
                code="uji2", label="x", prefix="UJI", machine=THROWAWAY, permissions=(), proxy_model=""
            )
        )


def test_an_unknown_service_is_a_clear_error():
    with pytest.raises(registry.UnknownService):
        registry.get("tidak-ada")
    assert registry.find("tidak-ada") is None and registry.by_prefix("TIDAK") is None


def test_a_tracking_number_prefix_names_its_service(throwaway_service):
    assert registry.by_prefix("UJI") is throwaway_service
    assert registry.by_prefix("KEB").code == "objection"


@pytest.mark.django_db
def test_a_sixth_service_needs_only_its_registry_entry(throwaway_service, api_client, synced_holidays, make_user):
    submission = register_submission(
        "uji",
        ("ppid", "answer"),
        {"name": "Warga", "email": "warga@example.org"},
        subject="Permohonan uji",
        description="",
        channel="web",
        received_at=wib(2026, 5, 4, 9, 0),
        registered_by=None,
        files=(),
        make_details=lambda ticket, entry: None,
    )
    assert submission.tracking_number.startswith("UJI-2026-")

    response = api_client.get(
        f"/api/v2/tickets/{submission.tracking_number}/", HTTP_X_ACCESS_TOKEN=submission.access_token
    )
    assert response.status_code == 200
    assert response.json()["tracking_number"] == submission.tracking_number

    assert Ticket.objects.filter(open_statuses_q(), pk=submission.ticket.pk).exists()
    assert service_permissions()["uji"] == ("handle_ppid",)
    ppid_officer = make_user("ppid.uji", "PPID Utama")
    lapor_officer = make_user("lapor.uji", "Admin LAPOR")
    assert tickets_visible_to(ppid_officer, "uji").count() == 1
    assert tickets_visible_to(lapor_officer, "uji").count() == 0
