"""Property-based fuzzing of the public API against its own OpenAPI schema (schemathesis, issue 8).

Every operation documented at ``/api/schema/`` (DRF endpoints of every app and the Wagtail API v2 pages, images
and documents, which ``home.api.schema`` documents by hand) is called with generated input through the Django
WSGI application, in process (no network). Checked on every response:

- ``not_a_server_error``: no 5xx — bad input is a 4xx with messages;
- ``status_code_conformance``: the status code is one the schema documents for the operation;
- ``content_type_conformance`` / ``response_schema_conformance``: the body has a documented content type and
  matches the documented schema.

Bounded and reproducible for CI: ``PESAN_FUZZ_EXAMPLES`` examples per operation (default 15), derandomized
(Hypothesis' fixed seed), no deadline. Throttles are switched off by a dummy cache (the limits themselves are
tested in ``tests/layanan``). Demo content (``seed_demo``: pages, regulations, news, tickets) is loaded once per
module so listings and detail lookups have rows to serialise.
"""

from __future__ import annotations

import os

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

EXAMPLES = int(os.environ.get("PESAN_FUZZ_EXAMPLES", "15"))
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
DUMMY_CACHE = {alias: {"BACKEND": "django.core.cache.backends.dummy.DummyCache"} for alias in ("default", "strict")}


@pytest.fixture(autouse=True)
def _isolated_media():
    """Override of the suite-wide per-test media isolation: the module's demo files live in one directory
    (set by ``seeded``)."""
    yield


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker, tmp_path_factory):
    """``manage.py seed_demo`` once, inside an outer transaction rolled back after the module."""
    from django.conf import settings
    from django.core.management import call_command
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections, transaction
    from django.test import override_settings

    media = tmp_path_factory.mktemp("fuzz-media")
    storages = {
        **settings.STORAGES,
        "private": {**settings.STORAGES["private"], "OPTIONS": {"location": media / "private"}},
    }
    overrides = override_settings(
        MEDIA_ROOT=media / "media", PRIVATE_MEDIA_ROOT=media / "private", STORAGES=storages, CACHES=DUMMY_CACHE
    )
    # The WSGI handler closes "old" database connections at every request start and end; in a test that would
    # close the connection holding the test transaction (PostgreSQL). Django's test client disconnects it too.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    with django_db_blocker.unblock(), overrides:
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            call_command("seed_demo", verbosity=0)
            with django_db_blocker.block():
                yield
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
            request_started.connect(close_old_connections)
            request_finished.connect(close_old_connections)


def _operations() -> list[tuple[str, str]]:
    """``(METHOD, path)`` of every documented operation (collected from the generated schema; the list of paths
    does not depend on the database)."""
    from drf_spectacular.drainage import GENERATOR_STATS
    from drf_spectacular.generators import SchemaGenerator

    with GENERATOR_STATS.silence():
        document = SchemaGenerator().get_schema(request=None, public=True)
    GENERATOR_STATS.reset()
    return [(method.upper(), path) for path, ops in document["paths"].items() for method in ops]


@pytest.fixture(scope="module")
def api_schema(seeded, django_db_blocker):
    """The schema as served at ``/api/schema/`` by the Django WSGI application (the app under test)."""
    from django.core.wsgi import get_wsgi_application

    with django_db_blocker.unblock():
        return schemathesis.openapi.from_wsgi("/api/schema/", get_wsgi_application())


def test_every_public_endpoint_is_fuzzed():
    """The parametrization below covers the API: tickets, WBS, statistics, regulations, news and Wagtail pages."""
    paths = {path for _method, path in OPERATIONS}
    assert {"/api/v2/pages/", "/api/v2/tickets/{tracking_number}/", "/api/v2/wbs/access/"} <= paths
    assert {"/api/v2/regulations/", "/api/v2/news/", "/api/v2/statistics/", "/api/v2/ppid/requests/"} <= paths


OPERATIONS = _operations()


@pytest.mark.django_db
@pytest.mark.parametrize(("method", "path"), OPERATIONS, ids=[f"{m} {p}" for m, p in OPERATIONS])
def test_operation_conforms_to_the_schema(api_schema, method, path):
    """Generated requests to one operation: no 5xx, documented status code, content type and body."""
    operation = api_schema[path][method]

    @hypothesis_settings(
        max_examples=EXAMPLES,
        derandomize=True,
        deadline=None,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy())
    def run(case):
        case.call_and_validate(checks=CHECKS)

    run()


# --- Wagtail API v2: undocumented query parameters too -------------------------------------------------------------
#: Parameters the Wagtail endpoints understand (documented or not: field filters such as ``title`` or
#: ``slug``, ``locale``, ``translation_of``, ``html_path``) plus names it does not know.
PAGE_PARAMS = (
    "fields",
    "type",
    "order",
    "search",
    "search_operator",
    "limit",
    "offset",
    "child_of",
    "descendant_of",
    "ancestor_of",
    "site",
    "title",
    "slug",
    "locale",
    "translation_of",
    "html_path",
    "show_in_menus",
    "rich_text_format",
    "id",
    "nonsense",
)
PAGE_VALUES = st.one_of(
    st.text(max_size=12),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.sampled_from(["*", "-title", "title,-id", "_,x(y)", "home.HomePage", "berita.NewsPage", "random", "root"]),
)


@pytest.mark.django_db
@pytest.mark.parametrize("endpoint", ["pages", "images", "documents"])
def test_wagtail_endpoint_never_fails_on_any_query(seeded, client, endpoint):
    """``GET /api/v2/<endpoint>/`` (listing and ``find``) with random combinations of known, undocumented and
    unknown query parameters: a 2xx/3xx/4xx answer, never a 5xx."""

    @hypothesis_settings(
        max_examples=EXAMPLES * 4,
        derandomize=True,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(params=st.dictionaries(st.sampled_from(PAGE_PARAMS), PAGE_VALUES, max_size=5), find=st.booleans())
    def run(params, find):
        response = client.get(f"/api/v2/{endpoint}/find/" if find else f"/api/v2/{endpoint}/", params)
        assert response.status_code < 500, (params, response.status_code)

    run()


# --- what the fuzzing found, pinned (each was a 500) ----------------------------------------------------------
@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url", "status"),
    [
        ("/api/v2/pages/?search=laut&search_operator=xor", 400),
        ("/api/v2/images/find/?id=", 400),
        ("/api/v2/documents/find/?id=abc", 400),
        ("/api/v2/pages/find/?id=12x", 400),
        ("/api/v2/news/127611907523801219072/", 404),
        ("/api/v2/public-information/127611907523801219072/", 404),
        ("/api/v2/regulations/127611907523801219072/", 404),
    ],
)
def test_inputs_that_used_to_fail_now_answer_4xx(seeded, client, url, status):
    response = client.get(url)
    assert response.status_code == status
    assert response.json()  # a JSON body with the message


@pytest.mark.django_db
def test_bad_search_operator_is_a_400_naming_the_parameter(seeded, client):
    response = client.get("/api/v2/pages/", {"search": "laut", "search_operator": "xor"})
    assert response.status_code == 400
    assert "search_operator" in response.json()["message"]
