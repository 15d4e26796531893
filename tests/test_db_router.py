"""The read-replica router (pesan_cms/db_router.py): who reads where.

The decisions are recorded by a router that runs the real rules but then answers "default" (the test suite has
one database), with one replica alias configured."""

from __future__ import annotations

import pytest
from django.db import transaction

from pesan_cms import db_router
from pesan_cms.db_router import PRIMARY, ReplicaRouter


class RecordingRouter(ReplicaRouter):
    def __init__(self):
        self.reads: list[tuple[str, str]] = []

    def db_for_read(self, model, **hints):
        self.reads.append((model._meta.label, super().db_for_read(model, **hints)))
        return PRIMARY


@pytest.fixture
def recorder(settings, monkeypatch):
    monkeypatch.setattr(db_router, "replica_aliases", lambda: ["replica"])
    router = RecordingRouter()
    settings.DATABASE_ROUTERS = [router]
    return router


def aliases(router, app_label=None) -> set[str]:
    return {alias for label, alias in router.reads if app_label is None or label.startswith(app_label + ".")}


# --- decisions, one by one -------------------------------------------------------------------------------------
def test_outside_a_request_everything_reads_the_primary():
    from wagtail.models import Page

    assert ReplicaRouter().db_for_read(Page) == PRIMARY


def test_eligible_context_reads_a_replica_until_the_first_write(monkeypatch):
    from wagtail.models import Page

    monkeypatch.setattr(db_router, "replica_aliases", lambda: ["replica", "replica2"])
    router = ReplicaRouter()
    token = db_router.allow_replica()
    try:
        assert {router.db_for_read(Page) for _ in range(30)} == {"replica", "replica2"}  # spread over replicas
        assert router.db_for_write(Page) == PRIMARY
        assert router.db_for_read(Page) == PRIMARY  # read-your-writes for the rest of the request
    finally:
        db_router._replica_ok.reset(token)


def test_service_desk_and_framework_tables_always_read_the_primary(monkeypatch):
    from django.contrib.auth.models import User
    from django.contrib.sessions.models import Session

    from layanan.calendar.models import Holiday
    from layanan.core.models.tickets import Ticket, TrackingCounter

    monkeypatch.setattr(db_router, "replica_aliases", lambda: ["replica"])
    token = db_router.allow_replica()
    try:
        for model in (Ticket, TrackingCounter, Holiday, User, Session):
            assert ReplicaRouter().db_for_read(model) == PRIMARY, model
    finally:
        db_router._replica_ok.reset(token)


@pytest.mark.django_db(transaction=True)
def test_reads_inside_a_transaction_stay_on_the_primary(monkeypatch):
    from wagtail.models import Page

    monkeypatch.setattr(db_router, "replica_aliases", lambda: ["replica"])
    token = db_router.allow_replica()
    try:
        assert ReplicaRouter().db_for_read(Page) == "replica"
        with transaction.atomic():
            assert ReplicaRouter().db_for_read(Page) == PRIMARY
    finally:
        db_router._replica_ok.reset(token)


def test_without_replicas_reads_stay_on_the_primary():
    from wagtail.models import Page

    token = db_router.allow_replica()
    try:
        assert ReplicaRouter().db_for_read(Page) == PRIMARY
    finally:
        db_router._replica_ok.reset(token)


def test_migrations_run_only_on_the_primary():
    router = ReplicaRouter()
    assert router.allow_migrate(PRIMARY, "layanan") is True
    assert router.allow_migrate("replica", "layanan") is False
    assert router.allow_migrate("replica2", "wagtailcore") is False


@pytest.mark.parametrize(
    ("environ", "eligible"),
    [
        ({"REQUEST_METHOD": "GET", "PATH_INFO": "/api/v2/pages/"}, True),
        ({"REQUEST_METHOD": "HEAD", "PATH_INFO": "/berita/"}, True),
        ({"REQUEST_METHOD": "GET", "PATH_INFO": "/", "HTTP_COOKIE": "django_language=en; csrftoken=abc"}, True),
        ({"REQUEST_METHOD": "GET", "PATH_INFO": "/", "HTTP_COOKIE": "sessionid=abc"}, False),
        ({"REQUEST_METHOD": "POST", "PATH_INFO": "/api/v2/ppid/requests/"}, False),
        ({"REQUEST_METHOD": "GET", "PATH_INFO": "/api/v2/tickets/PPID-2026-000001/"}, False),
        ({"REQUEST_METHOD": "GET", "PATH_INFO": "/admin/pages/"}, False),
        ({"REQUEST_METHOD": "GET", "PATH_INFO": "/layanan/cek-status/"}, False),
        ({"REQUEST_METHOD": "GET", "PATH_INFO": "/wbs/akses/"}, False),
    ],
)
def test_which_requests_may_read_a_replica(environ, eligible):
    assert db_router.request_may_use_replica(environ) is eligible


# --- through real requests ---------------------------------------------------------------------------------------
@pytest.fixture
def site(db, monkeypatch):
    from tests.home.factories import make_site

    # pytest-django wraps each test in a transaction, which would keep every read on the primary; the
    # transaction rule has its own test above.
    monkeypatch.setattr(db_router, "in_primary_transaction", lambda: False)
    return make_site()


def test_anonymous_public_read_goes_to_the_replica(client, site, recorder):
    assert client.get("/api/v2/pages/").status_code == 200
    assert aliases(recorder, "wagtailcore") == {"replica"}
    recorder.reads.clear()
    assert client.get("/").status_code == 200
    assert "replica" in aliases(recorder, "wagtailcore")


def test_logged_in_editor_reads_the_primary(client, site, recorder, django_user_model):
    client.force_login(django_user_model.objects.create_superuser("editor", "e@example.org", "x"))
    assert client.get("/api/v2/pages/").status_code == 200
    assert aliases(recorder) == {PRIMARY}


def test_ticket_status_lookup_reads_the_primary(client, site, recorder):
    client.get("/api/v2/tickets/PPID-2026-000001/", HTTP_X_ACCESS_TOKEN="x")
    assert recorder.reads and aliases(recorder) == {PRIMARY}


def test_the_pin_does_not_leak_into_the_next_request(client, site, recorder):
    client.post("/api/v2/ppid/requests/", {}, content_type="application/json")
    assert aliases(recorder) <= {PRIMARY}
    recorder.reads.clear()
    client.get("/api/v2/pages/")
    assert aliases(recorder, "wagtailcore") == {"replica"}
