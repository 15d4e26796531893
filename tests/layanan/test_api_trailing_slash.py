"""API URLs without their trailing slash (``pesan_cms.middleware.ApiTrailingSlashMiddleware``).

A client that posts to ``/api/v2/ppid/requests`` (no slash) used to get a 301 — its HTTP library then
re-sent a GET without the body, so the request was lost — or, with ``DEBUG`` on, a 500. It is now filed.
"""

import pytest

from layanan.core.models.tickets import Ticket
from tests.layanan.conftest import lapor_payload, ppid_payload

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("debug", [False, True])
def test_a_request_posted_without_the_slash_is_filed(api_client, synced_holidays, settings, debug):
    settings.DEBUG = debug
    response = api_client.post("/api/v2/ppid/requests", ppid_payload(), format="json")
    assert response.status_code == 201, response.content
    number = response.json()["tracking_number"]
    assert Ticket.objects.filter(tracking_number=number, service="ppid_request").exists()


def test_bad_input_without_the_slash_gets_the_field_messages(api_client, synced_holidays):
    response = api_client.post("/api/v2/lapor/reports", lapor_payload(title=""), format="json")
    assert response.status_code == 400
    assert "title" in response.json()
    assert Ticket.objects.count() == 0


def test_reads_without_the_slash_answer_as_with_it(api_client, synced_holidays):
    filed = api_client.post("/api/v2/ppid/requests/", ppid_payload(), format="json").json()
    path = f"/api/v2/tickets/{filed['tracking_number']}"
    headers = {"HTTP_X_ACCESS_TOKEN": filed["access_token"]}
    with_slash = api_client.get(f"{path}/", **headers)
    without = api_client.get(path, **headers)
    assert with_slash.status_code == without.status_code == 200
    assert without.json() == with_slash.json()
    assert api_client.get("/api/v2/pages").status_code == 200


def test_unknown_api_paths_stay_404_and_the_site_keeps_its_redirect(client):
    assert client.get("/api/v2/no-such-endpoint").status_code == 404
    assert client.get("/layanan/cek-status").status_code == 301
