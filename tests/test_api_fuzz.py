"""Property-based fuzzing of the public API against its own OpenAPI schema (schemathesis, issue 8).

Every operation documented at ``/api/schema/`` (DRF endpoints of every app and the Wagtail API v2 pages, images
and documents, which ``home.api.schema`` documents by hand) is called with generated input through the Django
WSGI application, in process (no network): schemathesis' coverage phase plus generated positive and negative
cases. Checked on every response (issue 15: the schema and the validation are one):

- ``not_a_server_error``: no 5xx — bad input is a 4xx with messages;
- ``positive_data_acceptance``: input valid per the schema is accepted (2xx, or a documented 401/403/404/409/
  429: an unknown number or a wrong token is a 404 by design) — except the few rules no JSON Schema can state
  (:data:`TOLERATED_400`: what an uploaded file holds, a receipt code's check digit, an objection's request);
- ``negative_data_rejection``: input invalid per the schema is refused with a 4xx;
- ``status_code_conformance``: the status code is one the schema documents for the operation;
- ``content_type_conformance`` / ``response_schema_conformance``: the body has a documented content type and
  matches the documented schema.

Bounded and reproducible for CI: the coverage cases and ``2 × PESAN_FUZZ_EXAMPLES`` generated ones per operation
(default 15), derandomized (Hypothesis' fixed seed), no deadline; no U+0000 in generated strings (every endpoint
refuses it, see ``api_schema``). Throttles are switched off by a dummy cache (the limits themselves are
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
from schemathesis.core import NOT_SET
from schemathesis.core.failures import Failure, FailureGroup
from schemathesis.generation import GenerationMode
from schemathesis.generation.drivers import CoverageGenerator
from schemathesis.generation.feedback import FeedbackSources
from schemathesis.generation.overrides import Override
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    positive_data_acceptance,
    response_schema_conformance,
    status_code_conformance,
)

from layanan.wbs.receipt import MALFORMED_MESSAGE

EXAMPLES = int(os.environ.get("PESAN_FUZZ_EXAMPLES", "15"))
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
    """``(METHOD, path)`` of every documented operation: the endpoints drf-spectacular documents, as it lists
    them before generating (at collection time there is no database, and parts of the schema read it)."""
    from drf_spectacular.generators import SchemaGenerator

    generator = SchemaGenerator()
    generator._initialise_endpoints()
    endpoints = generator._get_paths_and_endpoints()
    return sorted((method.upper(), path) for path, _regex, method, view in endpoints if not view.schema.is_excluded())


@pytest.fixture(scope="module")
def api_schema(seeded, django_db_blocker):
    """The schema as served at ``/api/schema/`` by the Django WSGI application (the app under test)."""
    from django.core.wsgi import get_wsgi_application

    with django_db_blocker.unblock():
        schema = schemathesis.openapi.from_wsgi("/api/schema/", get_wsgi_application())
    # No U+0000 in generated strings: every endpoint refuses it anywhere in a request (400, RejectNulMiddleware
    # and pesan_cms.parsers; PostgreSQL text cannot hold it), a rule of the whole API stated in the schema's
    # description, which a pattern on every string and property name could only repeat.
    schema.config.generation.update(allow_x00=False)
    return schema


def test_every_public_endpoint_is_fuzzed():
    """The parametrization below covers the API: tickets, WBS, statistics, regulations, news and Wagtail pages."""
    paths = {path for _method, path in OPERATIONS}
    assert {"/api/v2/pages/", "/api/v2/tickets/{tracking_number}/", "/api/v2/wbs/access/"} <= paths
    assert {"/api/v2/regulations/", "/api/v2/news/", "/api/v2/statistics/", "/api/v2/ppid/requests/"} <= paths


OPERATIONS = _operations()


# --- the schema says what is accepted, and what is not (issue 15) ----------------------------------------------
CHECKS = {
    "not_a_server_error": not_a_server_error,
    "status_code_conformance": status_code_conformance,
    "content_type_conformance": content_type_conformance,
    "response_schema_conformance": response_schema_conformance,
    "positive_data_acceptance": positive_data_acceptance,
    "negative_data_rejection": negative_data_rejection,
}

_FILES = "what a file holds (PDF, JPEG or PNG by its content, cleanable, within the size limits)"
_CODE = "the receipt code's Damm check digit (a mistyped code is a 400, an unknown one a 404)"
_REQUEST = "the request objected to exists, is the applicant's and is within its objection period (database)"
_FILE_FIELDS = {"attachments": None, "files": None, "power_of_attorney": None}
#: The only exceptions: a schema-valid request may be a 400 when every field the answer names is one of these
#: (with this message, where one is given), each for a rule no JSON Schema can state. Every other check holds on
#: every operation.
TOLERATED_400 = {
    ("POST", "/api/v2/ppid/requests/"): (_FILE_FIELDS, _FILES),
    ("POST", "/api/v2/ppid/objections/"): ({**_FILE_FIELDS, "request_tracking_number": None}, f"{_REQUEST}; {_FILES}"),
    ("POST", "/api/v2/lapor/reports/"): (_FILE_FIELDS, _FILES),
    ("POST", "/api/v2/wbs/reports/"): (_FILE_FIELDS, _FILES),
    ("POST", "/api/v2/wbs/messages/"): ({**_FILE_FIELDS, "code": MALFORMED_MESSAGE}, f"{_FILES}; {_CODE}"),
    ("POST", "/api/v2/wbs/access/"): ({"code": MALFORMED_MESSAGE}, _CODE),
    ("POST", "/api/v2/wbs/files/{file_id}/"): ({"code": MALFORMED_MESSAGE}, _CODE),
}


def _tolerated(method: str, path: str, check: str, response) -> bool:
    fields, _reason = TOLERATED_400.get((method, path), ({}, ""))
    if check != "positive_data_acceptance" or response.status_code != 400 or not fields:
        return False
    try:
        errors = response.json()
    except ValueError:
        return False
    if not isinstance(errors, dict) or not errors or not set(errors) <= set(fields):
        return False
    return all(fields[name] is None or errors[name] == [str(fields[name])] for name in errors)


def _coverage_cases(operation) -> list:
    """schemathesis' coverage phase for ``operation`` (deterministic): boundary values, missing required fields,
    wrong types, values out of range or off the pattern — positive and negative."""
    generator = CoverageGenerator(
        operation=operation,
        generation_modes=list(GenerationMode),
        generation_config=operation.schema.config.generation_for(operation=operation, phase="coverage"),
        auth_storage=None,
        override=Override(),
        feedback=FeedbackSources(),
    )
    return list(generator)


def _failed_checks(case, response) -> dict[str, str]:
    """``{check: the request, the answer and what the check says}`` for each of :data:`CHECKS` that fails."""
    failed = {}
    for name, check in CHECKS.items():
        try:
            case.validate_response(response, checks=[check])
        except (Failure, FailureGroup) as exc:
            failure = (getattr(exc, "exceptions", None) or [exc])[0]
            body = f" body={case.body!r}"[:400] if case.body is not NOT_SET else ""
            failed[name] = (
                f"{case.method} {case.formatted_path} query={case.query!r}{body} -> {response.status_code} "
                f"{response.text[:300]!r}: {failure.title}. {failure.message[-300:]}"
            )
    return failed


@pytest.mark.django_db
@pytest.mark.parametrize(("method", "path"), OPERATIONS, ids=[f"{m} {p}" for m, p in OPERATIONS])
def test_schema_and_validation_agree(api_schema, method, path):
    """Every operation, with the coverage phase's cases and ``2 × PESAN_FUZZ_EXAMPLES`` generated ones (positive
    and negative): input valid per the schema is accepted (a 2xx, or a 401/403/404/409/429 such as an unknown
    number), input invalid per the schema is refused (a 4xx); never a 5xx; status code, content type and body as
    documented. All failures are collected and reported together."""
    operation = api_schema[path][method]
    failures: dict[str, list[str]] = {}

    def record(case):
        response = case.call()
        for name, message in _failed_checks(case, response).items():
            if not _tolerated(method, path, name, response):
                failures.setdefault(name, []).append(message)

    for case in _coverage_cases(operation):
        record(case)

    # No "constants" feedback: schemathesis would put strings found elsewhere in the schema into form fields
    # without checking them against the field's pattern (positive cases that are not valid).
    strategies = [operation.as_strategy(generation_mode=mode, feedback=FeedbackSources()) for mode in GenerationMode]

    @hypothesis_settings(
        max_examples=EXAMPLES * 2,
        derandomize=True,
        deadline=None,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=st.one_of(strategies))
    def run(case):
        record(case)

    run()
    assert not failures, "\n".join(f"{name} ({len(found)} cases), e.g. {found[0]}" for name, found in failures.items())


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


# --- what the schema documents is what is answered (issue 15), pinned ----------------------------------------
@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url", "status"),
    [
        # a page size or offset that is not a whole number in range: a 400 naming it (was: the default page)
        ("/api/v2/news/?limit=abc", 400),
        ("/api/v2/regulations/?offset=-1", 400),
        ("/api/v2/public-information/?limit=0", 400),
        ("/api/v2/regulations/?year=2008.5", 400),
        # a page filter naming no page: not found, like an unknown site (was: a 400)
        ("/api/v2/pages/?child_of=999999", 404),
        ("/api/v2/pages/?ancestor_of=999999", 404),
        # documented parameters work together (Wagtail refused these pairs)
        ("/api/v2/pages/?order=random&offset=2", 200),
        ("/api/v2/pages/?order=random&search=informasi", 200),
        ("/api/v2/pages/?child_of=root&descendant_of=root", 200),
        # plain words: a quote or only spaces is no syntax error (SQLite's index refused them: 400 and 500)
        ("/api/v2/pages/?search=%22", 200),
        ("/api/v2/images/?search=%20%20", 200),
        # a filter left empty, as an HTML form sends it, filters nothing
        ("/api/v2/news/?date_from=&ordering=", 200),
        ("/api/v2/regulations/?kind=&year=", 200),
        ("/api/v2/pages/find/?id=1&rich_text_format=db_html", 400),
    ],
)
def test_what_the_schema_documents_is_what_is_answered(seeded, client, url, status):
    response = client.get(url)
    assert response.status_code == status, response.content
    assert response.json() is not None


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/api/v2/wbs/files/abc/", "/api/v2/tickets/X/files/-1/", "/api/v2/nope/"])
def test_an_unknown_api_url_is_a_json_404_for_a_post_too(seeded, path):
    """Not the site's HTML page, nor a CSRF 403 for a POST (the site's pages are below ``/api/`` in the URLs)."""
    from django.test import Client

    response = Client(enforce_csrf_checks=True).post(path, {"code": "1"})
    assert response.status_code == 404
    assert response.json() == {"detail": "Data tidak ditemukan."}
