"""The service registry (issue 14): a service is one ``ServiceDefinition``; the core asks the registry.

A throwaway sixth service, registered here and removed afterwards (with a proxy model made for the test, as
its package's ``models`` module would declare it), is numbered with its own prefix, found by the public status
lookup, counted among the tickets whose clock runs, opened only by its permission, listed in the desk's menu
"Layanan" with a working list, and counted in the public statistics.
"""

from __future__ import annotations

import types

import pytest
from django.apps import apps
from django.test import RequestFactory, override_settings
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from layanan.core import registry
from layanan.core.access import service_permissions, tickets_visible_to
from layanan.core.intake import register_submission
from layanan.core.models.tickets import Ticket, service_choices, service_manager
from layanan.core.workflow import Machine, State, open_statuses_q
from layanan.desk.wagtail_hooks import desk_group_class
from layanan.reports.statistics import public_statistics
from pesan_cms import urls as project_urls
from tests.layanan.conftest import wib

THROWAWAY = Machine(
    service="uji",
    initial="received",
    states=(State("received", _("Received")), State("closed", _("Closed"), clock=False, final=True)),
    transitions=(),
)


@pytest.fixture
def throwaway_service():
    """The "uji" service: a registry entry with desk options, and its desk proxy model (removed afterwards, so
    the app registry and ``makemigrations --check`` are as before)."""
    meta = type("Meta", (), {"proxy": True, "app_label": "layanan"})
    proxy = type(
        "UjiTicket", (Ticket,), {"__module__": "layanan.models", "objects": service_manager("uji"), "Meta": meta}
    )
    definition = registry.register(
        registry.ServiceDefinition(
            code="uji",
            label="Layanan uji",
            prefix="UJI",
            machine=THROWAWAY,
            permissions=("handle_ppid",),
            proxy_model="ujiticket",
            order=60,
            desk=registry.DeskOptions(menu_label="Daftar uji", menu_icon="form"),
        )
    )
    yield definition
    registry.unregister("uji")
    del apps.all_models["layanan"][proxy._meta.model_name]
    apps.clear_cache()


def register_uji(**kwargs):
    return register_submission(
        "uji",
        ("ppid", "answer"),
        {"name": "Warga", "email": "warga@example.org"},
        subject=kwargs.pop("subject", "Permohonan uji"),
        description="",
        channel="web",
        received_at=kwargs.pop("received_at", wib(2026, 5, 4, 9, 0)),
        registered_by=None,
        files=(),
        make_details=lambda ticket, entry: None,
    )


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
    submission = register_uji()
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


@pytest.mark.django_db
def test_a_sixth_service_has_a_desk_list_in_the_menu(throwaway_service, client, synced_holidays, make_user):
    """The desk's menu "Layanan" is built from the registry: the new service's list is in it, for the officers
    its permission opens, and the list shows its tickets (served through the same admin URL patterns the
    desk registers at start-up, here mounted for the test)."""
    submission = register_uji(subject="Surat uji keenam")
    assert ("uji", "Layanan uji") in service_choices()

    group = desk_group_class()()
    officer = make_user("ppid.uji.desk", "PPID Utama")
    outsider = make_user("lapor.uji.desk", "Admin LAPOR")

    def menu_for(user):
        request = RequestFactory().get("/admin/")
        request.user = user
        submenu = group.get_menu_item().menu
        return {str(item.label): item.url for item in submenu.menu_items_for_request(request)}

    urlconf = types.ModuleType("uji_urls")
    urlconf.urlpatterns = [
        path("admin/", include(list(group.get_admin_urls_for_registration()))),
        *project_urls.urlpatterns,
    ]
    with override_settings(ROOT_URLCONF=urlconf):
        officer_menu = menu_for(officer)
        assert "Daftar uji" in officer_menu
        assert list(officer_menu).index("Daftar uji") > list(officer_menu).index(
            str(registry.get("objection").desk.menu_label)
        )  # registry order
        assert "Daftar uji" not in menu_for(outsider)

        client.force_login(officer)
        url = officer_menu["Daftar uji"]
        page = client.get(url)
        assert page.status_code == 200
        text = page.content.decode()
        assert submission.tracking_number in text and "Surat uji keenam" in text
        client.force_login(outsider)
        assert client.get(url).status_code in (302, 403)


@pytest.mark.django_db
def test_a_sixth_service_is_counted_in_the_public_statistics(throwaway_service, synced_holidays):
    register_uji()
    register_uji(received_at=wib(2025, 12, 31, 23, 0))  # the year before (WIB)
    rows = {row["code"]: row for row in public_statistics(2026)["services"]}
    assert rows["uji"] == {"code": "uji", "label": "Layanan uji", "received": 1, "suppressed": False}
    assert list(rows)[-1] == "uji"  # order 60: after the five built-in services
    assert rows["wbs"] == {"code": "wbs", "label": str(registry.get("wbs").label), "received": None, "suppressed": True}
