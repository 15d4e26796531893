"""The permission matrix: who may see which ticket, through which door. THE reference for access in PESAN.

Every cell ``(role, ticket kind, access path)`` is its own test id (``test_cell[role-kind-path]``) and asserts
the exact answer: ALLOW = HTTP 200 with the ticket's number (or name) in the body; DENY = the one denial that
path gives (see "How a denial looks" below), never "403 or 404".

Roles
    anonymous        no session, no token
    applicant_own    the ticket's own tracking number + its access token (WBS: its receipt code)
    applicant_other  the ticket's tracking number + ANOTHER ticket's token (WBS: another report's code)
    operator_a       "Operator Unit", member of unit A (the unit the PPID request and LAPOR report went to)
    operator_b       "Operator Unit", member of unit B
    ppid_utama       "PPID Utama"
    atasan_ppid      "Atasan PPID"
    lapor_admin      "Admin LAPOR"
    inspektorat      "Inspektorat (WBS)"
    social_admin     "Admin Media Sosial"
    editor           Wagtail "Editors" group (page editor, no desk permission)
    superuser        is_superuser, no group

Ticket kinds
    ppid_unit_a      PPID information request disposed to unit A
    ppid_unassigned  PPID information request not disposed to any unit
    objection        objection (keberatan) to a decided PPID request
    lapor_unit_a     SP4N-LAPOR complaint, *anonim* (reporter hidden from the unit), disposed to unit A
    wbs              WBS whistleblowing report (Inspektorat only; reporter named, identity encrypted)
    social           social-media message awaiting triage

Desk scope (admin list, inspect by URL, search by number, desk file downloads) — ``layanan.core.access``:

    role            ppid_unit_a  ppid_unassigned  objection  lapor_unit_a  wbs  social
    operator_a           Y             .              .           Y         .     .
    operator_b           .             .              .           .         .     .
    ppid_utama           Y             Y              Y           .         .     .
    atasan_ppid          .             .              Y           .         .     .
    lapor_admin          .             .              .           Y         .     .
    inspektorat          .             .              .           .         Y     .
    social_admin         .             .              .           .         .     Y
    editor               .             .              .           .         .     .
    superuser            Y             Y              Y           Y         .     Y   (WBS needs handle_wbs
    anonymous/applicants .             .              .           .         .     .    explicitly, Pasal 5)

Other paths
    admin_search_name   as the desk scope, except: an *anonim* LAPOR report is not found by its reporter's
                        name by a role that may not see the identity (operator_a; UU 25/2009 + LAPOR "anonim"),
                        and WBS is searchable by tracking number only (identity encrypted).
    export_csv/_xlsx    report ticket lists, never with a name unless asked for (PPID annual: requests /
                        objections; LAPOR monthly; WBS unsuppressed; social messages are in no report,
                        checked against the LAPOR report). ALLOW = report
                        opens for the role AND the ticket is in its scope: ppid_utama + superuser (PPID
                        requests), ppid_utama + atasan_ppid + superuser (objections), lapor_admin + superuser
                        (LAPOR), inspektorat (WBS). Unit operators open no report (the annual report is the
                        body's, UU 14/2008 Pasal 12).
    export_personal_data  CSV ticket list with ``personal_data=1``: as the export, and the name is in it (every
                        role that opens a report holds ``view_personal_data``; WBS: the Inspektorat).
    statistics          public aggregates: no role ever sees a ticket number, name or subject there; the WBS
                        count (1 < 5) is suppressed.
    api_detail          ``GET /api/v2/tickets/<no>/`` with the token (WBS: ``POST /api/v2/wbs/access/`` with the
                        code): only applicant_own. Logging in opens nothing (the API takes no session).
    file_site_* / file_api_*   applicant downloads (site form POST / API): applicant_own and the released
                        file only; an internal file is 404 for everyone.
    file_desk_*         ``/admin/layanan-desk/attachment/<id>/``: desk scope (released and internal files alike).

How a denial looks (asserted exactly)
    admin paths, no session        302 to the admin login URL with ``?next=``
    admin list/search/export, role without the list/report  302 to the admin dashboard (Wagtail's answer to
                                   PermissionDenied: "Sorry, you do not have permission to access this area.")
    admin list/search, role with the list but not the ticket  200 without the ticket
    admin inspect / desk file      404 (a ticket outside the scope does not exist for the user)
    export, role with the report but not the ticket  200 without it
    api_detail, api/site files     404 (same answer for unknown number, wrong token, internal file)
    statistics                     200 without any ticket-level data

Social tickets issue no token to their author, so ``applicant_own``/``applicant_other`` present an empty token.
The data is built once per module inside one outer transaction (rolled back at the end); each test runs in
a savepoint of it.
"""

from __future__ import annotations

import csv
import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import URLResolver, get_resolver, reverse
from django.utils import timezone

from layanan.lapor import intake as lapor_intake
from layanan.ppid import intake as ppid_intake
from tests.layanan.conftest import PDF_BYTES, PNG_BYTES, lapor_payload, ppid_payload, wbs_payload

ALLOW, DENY = "ALLOW", "DENY"

ROLES = (
    "anonymous",
    "applicant_own",
    "applicant_other",
    "operator_a",
    "operator_b",
    "ppid_utama",
    "atasan_ppid",
    "lapor_admin",
    "inspektorat",
    "social_admin",
    "editor",
    "superuser",
)
STAFF_GROUPS = {
    "operator_a": "Operator Unit",
    "operator_b": "Operator Unit",
    "ppid_utama": "PPID Utama",
    "atasan_ppid": "Atasan PPID",
    "lapor_admin": "Admin LAPOR",
    "inspektorat": "Inspektorat (WBS)",
    "social_admin": "Admin Media Sosial",
    "editor": "Editors",
}
KINDS = ("ppid_unit_a", "ppid_unassigned", "objection", "lapor_unit_a", "wbs", "social")
PATHS = (
    "api_detail",
    "admin_list",
    "admin_inspect",
    "admin_search_number",
    "admin_search_name",
    "export_csv",
    "export_xlsx",
    "export_personal_data",
    "statistics",
    "file_site_released",
    "file_site_internal",
    "file_api_released",
    "file_api_internal",
    "file_desk_released",
    "file_desk_internal",
)

#: The desk scope (``tickets_visible_to``) of each role, by ticket kind.
DESK_SCOPE: dict[str, set[str]] = {
    "operator_a": {"ppid_unit_a", "lapor_unit_a"},
    "operator_b": set(),
    "ppid_utama": {"ppid_unit_a", "ppid_unassigned", "objection"},
    "atasan_ppid": {"objection"},
    "lapor_admin": {"lapor_unit_a"},
    "inspektorat": {"wbs"},
    "social_admin": {"social"},
    "editor": set(),
    "superuser": {"ppid_unit_a", "ppid_unassigned", "objection", "lapor_unit_a", "social"},
}
#: Which desk list (modeladmin index) a role may open at all.
LIST_ACCESS: dict[str, set[str]] = {
    "operator_a": {"ppid_request", "lapor"},
    "operator_b": {"ppid_request", "lapor"},
    "ppid_utama": {"ppid_request", "objection"},
    "atasan_ppid": {"objection"},
    "lapor_admin": {"lapor"},
    "inspektorat": {"wbs"},
    "social_admin": {"social"},
    "editor": set(),
    "superuser": {"ppid_request", "objection", "lapor", "social"},
}
SERVICE = {
    "ppid_unit_a": "ppid_request",
    "ppid_unassigned": "ppid_request",
    "objection": "objection",
    "lapor_unit_a": "lapor",
    "wbs": "wbs",
    "social": "social",
}
MODEL = {
    "ppid_request": "ppidrequestticket",
    "objection": "objectionticket",
    "lapor": "laporticket",
    "wbs": "wbsticket",
    "social": "socialticket",
}
#: (report code, CSV content key) of the export that would list a ticket of the kind.
EXPORT = {
    "ppid_unit_a": ("ppid_annual", "requests"),
    "ppid_unassigned": ("ppid_annual", "requests"),
    "objection": ("ppid_annual", "objections"),
    "lapor_unit_a": ("lapor_monthly", "reports"),
    "wbs": ("wbs", "reports"),
    "social": ("lapor_monthly", "reports"),
}
EXPORT_PATHS = ("export_csv", "export_xlsx", "export_personal_data")
#: Roles that may open each report (``layanan.core.report_access.can_view_report``).
REPORT_ACCESS = {
    "ppid_annual": {"ppid_utama", "atasan_ppid", "superuser"},
    "lapor_monthly": {"lapor_admin", "superuser"},
    "wbs": {"inspektorat"},
}
#: The name each ticket is filed under (what an officer would type into the search box).
NAMES = {
    "ppid_unit_a": "Ani Pemohonsatu",
    "ppid_unassigned": "Bagus Pemohondua",
    "objection": "Citra Keberatanku",
    "lapor_unit_a": "Dedi Pelaporanonim",
    "wbs": "Eko Pelapordiam",
    "social": "fajar_wargaku",
}


def _expected(role: str, kind: str, path: str) -> str:
    scope = DESK_SCOPE.get(role, set())
    if path == "api_detail" or path in ("file_site_released", "file_api_released"):
        return ALLOW if role == "applicant_own" and kind != "social" else DENY
    if path in ("file_site_internal", "file_api_internal", "statistics"):
        return DENY
    if path in ("admin_list", "admin_inspect", "admin_search_number", "file_desk_released", "file_desk_internal"):
        return ALLOW if kind in scope else DENY
    if path == "admin_search_name":
        if kind == "wbs" or (kind == "lapor_unit_a" and role == "operator_a"):
            return DENY
        return ALLOW if kind in scope else DENY
    if path in EXPORT_PATHS:
        report, _content = EXPORT[kind]
        return ALLOW if role in REPORT_ACCESS[report] and kind in scope and kind != "social" else DENY
    raise AssertionError(path)


#: THE table: (role, kind, path) -> ALLOW / DENY.
EXPECTED: dict[tuple[str, str, str], str] = {
    (role, kind, path): _expected(role, kind, path) for role in ROLES for kind in KINDS for path in PATHS
}

#: Cells where the matrix found a leak too big to fix here: (role, kind, path) -> reason (xfail strict).
KNOWN_LEAKS: dict[tuple[str, str, str], str] = {}


# --- the data, built once -------------------------------------------------------------------------------------
@pytest.fixture(autouse=True)
def _isolated_media():
    """Override of the suite-wide per-test media isolation: this module's files live in one module-wide private
    directory (set by ``world``), since its tickets are built once for all tests."""
    yield


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    """Every ticket kind, two applicants' tokens, one user per role, a released and an internal file per ticket.

    Built once inside an outer transaction that is rolled back after the module; tests run in savepoints.
    """
    from django.test import override_settings

    private = tmp_path_factory.mktemp("matrix-private")
    with django_db_blocker.unblock():
        from django.conf import settings

        storages = {**settings.STORAGES, "private": {**settings.STORAGES["private"], "OPTIONS": {"location": private}}}
        # cheap argon2 for the receipt codes: the matrix is about who gets in, not about hashing cost
        cheap_argon2 = {"time_cost": 1, "memory_cost": 1024, "parallelism": 1}
        with override_settings(PRIVATE_MEDIA_ROOT=private, STORAGES=storages, PESAN_WBS_ARGON2=cheap_argon2):
            atomic = transaction.atomic()
            atomic.__enter__()
            try:
                data = _build()
                with django_db_blocker.block():
                    yield data
            finally:
                transaction.set_rollback(True)
                atomic.__exit__(None, None, None)


def _build() -> dict:
    from django.conf import settings
    from django.contrib.auth.models import Group, User

    from home.models import Unit, UnitMembership
    from layanan.core.access import ensure_role_groups
    from layanan.core.intake import store_attachments
    from layanan.core.workflow import apply_transition
    from layanan.social.services import receive_social_message
    from layanan.wbs.services import submit_wbs_report

    ensure_role_groups()
    unit_a, _ = Unit.objects.get_or_create(code="PM-A", defaults={"name": "Unit Matriks A"})
    unit_b, _ = Unit.objects.get_or_create(code="PM-B", defaults={"name": "Unit Matriks B"})
    users = {}
    for role, group in STAFF_GROUPS.items():
        user = User.objects.create_user(f"pm_{role}", f"{role}@example.org", "pw-Matrix-2026!")
        user.groups.add(Group.objects.get(name=group))
        users[role] = user
    UnitMembership.objects.create(user=users["operator_a"], unit=unit_a)
    UnitMembership.objects.create(user=users["operator_b"], unit=unit_b)
    users["superuser"] = User.objects.create_superuser("pm_superuser", "root@example.org", "pw-Matrix-2026!")
    ppid, lapor_admin = users["ppid_utama"], users["lapor_admin"]

    tickets, tokens = {}, {}

    def ppid_request(name, nik, email):
        return ppid_intake.submit_ppid_request(
            ppid_payload(name=name, nik=nik, email=email, information_requested=f"Dokumen untuk {name}")
        )

    sub = ppid_request(NAMES["ppid_unit_a"], "3171234567890011", "ani@example.org")
    tickets["ppid_unit_a"] = apply_transition(sub.ticket, "assign", ppid, unit=unit_a.pk)
    tokens["ppid_unit_a"] = sub.access_token
    sub = ppid_request(NAMES["ppid_unassigned"], "3171234567890022", "bagus@example.org")
    tickets["ppid_unassigned"], tokens["ppid_unassigned"] = sub.ticket, sub.access_token

    decided = ppid_request(NAMES["objection"], "3171234567890033", "citra@example.org")
    request = apply_transition(decided.ticket, "verify", ppid)
    apply_transition(
        request,
        "decide",
        ppid,
        outcome="rejected_exempt",
        exemption_ground="h",
        outcome_reason="Data pribadi",
        note="Ditolak",
    )
    sub = ppid_intake.submit_objection(
        {
            "request_tracking_number": request.tracking_number,
            "reason": "a",
            "description": "Keberatan atas penolakan",
            "name": NAMES["objection"],
            "nik": "3171234567890033",
            "email": "citra@example.org",
        }
    )
    tickets["objection"], tokens["objection"] = sub.ticket, sub.access_token
    other_token = decided.access_token  # the token of ANOTHER ticket (the request behind the objection)

    sub = lapor_intake.submit_lapor_report(
        lapor_payload(name=NAMES["lapor_unit_a"], email="dedi@example.org", nik="3201234567890044", anonymous=True)
    )
    lapor = apply_transition(sub.ticket, "verify", lapor_admin)
    tickets["lapor_unit_a"] = apply_transition(lapor, "assign", lapor_admin, unit=unit_a.pk)
    tokens["lapor_unit_a"] = sub.access_token

    sub = submit_wbs_report(wbs_payload(name=NAMES["wbs"], email="eko@example.org"))
    tickets["wbs"], tokens["wbs"] = sub.ticket, sub.receipt_code
    other_wbs = submit_wbs_report(wbs_payload(what="Laporan lain tentang pungutan liar di gudang."))

    received = receive_social_message(
        {
            "platform": "x",
            "account_handle": "@kementerian",
            "message_id": "matrix-1",
            "permalink": "https://x.example/status/matrix-1",
            "author_handle": NAMES["social"],
            "text": "Mohon info syarat permohonan izin usaha mikro.",
        },
        registered_by=users["social_admin"],
    )
    tickets["social"], tokens["social"] = received.ticket, ""

    files = {}
    for kind, ticket in tickets.items():
        released = store_attachments(
            ticket, [SimpleUploadedFile("jawaban.pdf", PDF_BYTES)], visible_to_applicant=True, uploaded_by=ppid
        )[0]
        internal = store_attachments(ticket, [SimpleUploadedFile("memo.png", PNG_BYTES)])[0]
        files[kind] = {"released": released, "internal": internal}
    from django.test import Client

    sessions = {}
    for role, user in users.items():  # one login per role for the whole module (a cookie per test)
        login = Client()
        login.force_login(user)
        sessions[role] = login.cookies[settings.SESSION_COOKIE_NAME].value
    return {
        "sessions": sessions,
        "users": users,
        "tickets": tickets,
        "tokens": tokens,
        "other_token": other_token,
        "other_wbs_code": other_wbs.receipt_code,
        "files": files,
    }


# --- the paths ------------------------------------------------------------------------------------------------
ADMIN_PATHS = {
    "admin_list",
    "admin_inspect",
    "admin_search_number",
    "admin_search_name",
    "export_csv",
    "export_xlsx",
    "export_personal_data",
    "file_desk_released",
    "file_desk_internal",
}


def _wrong_code(world) -> str:
    """A well-formed receipt code that is not the report's (same lookup part, so the check is a real one)."""
    from layanan.wbs.receipt import LOOKUP_DIGITS, new_code

    return new_code(world["tokens"]["wbs"][:LOOKUP_DIGITS])


def _token_for(world, role, kind) -> str:
    """The token the role presents (WBS: the receipt code). Staff present none: logging in opens nothing."""
    if role == "applicant_own":
        return world["tokens"][kind]
    if role == "applicant_other":
        return world["other_wbs_code"] if kind == "wbs" else ("" if kind == "social" else world["other_token"])
    return ""


def _request(client, world, role, kind, path):
    """Perform the access and return ``(response, body_text)``."""
    ticket = world["tickets"][kind]
    number = ticket.tracking_number
    token = _token_for(world, role, kind)
    service = SERVICE[kind]
    index = f"/admin/layanan/{MODEL[service]}/"
    if path == "api_detail":
        if kind == "wbs":
            body = {"code": token or _wrong_code(world)}
            if role == "applicant_other":  # the report's number with another report's key
                body = {"tracking_number": number, "access_token": token}
            response = client.post("/api/v2/wbs/access/", body, content_type="application/json")
        else:
            response = client.get(f"/api/v2/tickets/{number}/", HTTP_X_ACCESS_TOKEN=token)
    elif path == "admin_list":
        response = client.get(index)
    elif path == "admin_inspect":
        response = client.get(f"{index}inspect/{ticket.pk}/")
    elif path == "admin_search_number":
        response = client.get(index, {"q": number})
    elif path == "admin_search_name":
        response = client.get(index, {"q": NAMES[kind]})
    elif path in EXPORT_PATHS:
        report, content = EXPORT[kind]
        received = timezone.localtime(ticket.received_at)
        params = {"year": received.year, "month": received.month}
        params.update({"format": "csv", "content": content} if path != "export_xlsx" else {"format": "xlsx"})
        if path == "export_personal_data":
            params["personal_data"] = "1"
        if report == "wbs":
            params["unsuppressed"] = "1"
        response = client.get(reverse("layanan_reports_export", args=[report]), params)
    elif path == "statistics":
        response = client.get("/api/v2/statistics/", {"year": timezone.localtime(ticket.received_at).year})
    else:
        which = "released" if path.endswith("released") else "internal"
        attachment = world["files"][kind][which]
        if path.startswith("file_desk"):
            response = client.get(reverse("layanan_desk_attachment", args=[attachment.pk]))
        elif path.startswith("file_site"):
            if kind == "wbs":
                response = client.post(
                    reverse("layanan-site-wbs-file", args=[attachment.pk]), {"code": token or _wrong_code(world)}
                )
            else:
                response = client.post(
                    reverse("layanan-site-file", args=[attachment.pk]), {"tracking_number": number, "token": token}
                )
        elif kind == "wbs":
            response = client.post(
                reverse("layanan-wbs-file", args=[attachment.pk]),
                {"code": token or _wrong_code(world)},
                content_type="application/json",
            )
        else:
            response = client.get(
                reverse("layanan-ticket-file", args=[number, attachment.pk]), HTTP_X_ACCESS_TOKEN=token
            )
    return response, _body(response)


def _body(response) -> str:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode("latin-1")
    content_type = response.get("Content-Type", "")
    if "spreadsheetml" in content_type:
        from openpyxl import load_workbook

        book = load_workbook(io.BytesIO(response.content), read_only=True)
        cells = [str(v) for sheet in book.worksheets for row in sheet.iter_rows(values_only=True) for v in row if v]
        return "\n".join(cells)
    if content_type.startswith("text/csv"):
        rows = csv.reader(io.StringIO(response.content.decode("utf-8-sig")))
        return "\n".join(",".join(row) for row in rows)
    return response.content.decode("utf-8", errors="replace")


def _stored_bytes(attachment) -> bytes:
    with attachment.file.open("rb") as handle:
        return handle.read()


def _denial(role: str, kind: str, path: str) -> str:
    """The exact denial a path gives: ``login``, ``dashboard``, ``absent`` or ``404``."""
    staff = role in STAFF_GROUPS or role == "superuser"
    if path in ADMIN_PATHS and not staff:
        return "login"
    if path in ("admin_list", "admin_search_number", "admin_search_name"):
        return "absent" if SERVICE[kind] in LIST_ACCESS[role] else "dashboard"
    if path in EXPORT_PATHS:
        return "absent" if role in REPORT_ACCESS[EXPORT[kind][0]] else "dashboard"
    if path == "statistics":
        return "absent"
    return "404"


def _cells():
    for (role, kind, path), expected in EXPECTED.items():
        marks = []
        if (role, kind, path) in KNOWN_LEAKS:
            marks.append(pytest.mark.xfail(strict=True, reason=KNOWN_LEAKS[(role, kind, path)]))
        yield pytest.param(role, kind, path, expected, id=f"{role}-{kind}-{path}", marks=marks)


@pytest.mark.django_db
@pytest.mark.parametrize(("role", "kind", "path", "expected"), list(_cells()))
def test_cell(client, world, role, kind, path, expected):
    from django.conf import settings

    if role in world["sessions"]:
        client.cookies[settings.SESSION_COOKIE_NAME] = world["sessions"][role]
    ticket = world["tickets"][kind]
    response, body = _request(client, world, role, kind, path)
    marker = NAMES[kind] if path == "admin_search_name" else ticket.tracking_number
    if expected == ALLOW:
        assert response.status_code == 200, (response.status_code, body[:300])
        if path.startswith("file_"):  # the file itself, as a download
            attachment = world["files"][kind]["released" if path.endswith("released") else "internal"]
            assert response["Content-Disposition"].startswith("attachment")
            assert attachment.original_name in response["Content-Disposition"]
            assert body.encode("latin-1") == _stored_bytes(attachment)
            return
        assert ticket.tracking_number in body
        if path in ("export_csv", "export_xlsx"):  # personal data only with the explicit option
            assert NAMES[kind] not in body
        if path == "export_personal_data":
            assert NAMES[kind] in body
        if path == "admin_search_name" and kind == "social":
            return
        if path == "admin_search_name":
            assert f"inspect/{ticket.pk}/" in body
        return
    denial = _denial(role, kind, path)
    if denial == "login":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("wagtailadmin_login") + "?next=")
    elif denial == "dashboard":
        assert response.status_code == 302
        assert response["Location"] == reverse("wagtailadmin_home")
    elif denial == "absent":
        assert response.status_code == 200, (response.status_code, body[:300])
        if path.startswith("admin_search") or path == "admin_list":
            assert f"inspect/{ticket.pk}/" not in body  # (the search box repeats the query itself)
        else:
            assert ticket.tracking_number not in body
            assert NAMES[kind] not in body and ticket.subject not in body
    else:
        assert response.status_code == int(denial), (response.status_code, body[:300])
        assert marker not in body or path == "admin_search_name"
        assert "attachment" not in response.get("Content-Disposition", "")
    if path == "statistics" and kind == "wbs":
        assert response.json()["wbs"]["total"] == {"count": None, "suppressed": True}


@pytest.mark.django_db
def test_name_search_hides_only_anonymous_reports_from_the_unit(client, world):
    """The anonymity rule narrows only the name search of *anonim* reports: the unit still finds a named report
    by its reporter's name, and the anonymous one by its subject or number."""
    from django.conf import settings

    from home.models import Unit
    from layanan.core.workflow import apply_transition

    lapor_admin = world["users"]["lapor_admin"]
    named = lapor_intake.submit_lapor_report(
        lapor_payload(name="Gita Bernamajelas", email="gita@example.org", nik="3201234567890055")
    ).ticket
    named = apply_transition(
        apply_transition(named, "verify", lapor_admin), "assign", lapor_admin, unit=Unit.objects.get(code="PM-A").pk
    )
    anonymous = world["tickets"]["lapor_unit_a"]
    client.cookies[settings.SESSION_COOKIE_NAME] = world["sessions"]["operator_a"]
    index = "/admin/layanan/laporticket/"

    body = client.get(index, {"q": "Gita Bernamajelas"}).content.decode()
    assert f"inspect/{named.pk}/" in body
    body = client.get(index, {"q": NAMES["lapor_unit_a"]}).content.decode()
    assert f"inspect/{anonymous.pk}/" not in body
    body = client.get(index, {"q": anonymous.subject}).content.decode()
    assert f"inspect/{anonymous.pk}/" in body
    client.cookies[settings.SESSION_COOKIE_NAME] = world["sessions"]["lapor_admin"]
    body = client.get(index, {"q": NAMES["lapor_unit_a"]}).content.decode()
    assert f"inspect/{anonymous.pk}/" in body  # Admin LAPOR sees every reporter's identity


# --- every URL the desk registers, found by walking the resolver (issue 15 item 3) -----------------------------
STAFF_ROLES = ("anonymous", *STAFF_GROUPS, "superuser")
#: Roles that register walk-in, phone and post submissions of the services they list (``register_submission``).
REGISTERING_ROLES = {"ppid_utama", "lapor_admin", "inspektorat", "social_admin", "superuser"}
_DESK_URL_NAME = re.compile(r"layanan_(?P<model>\w+?)_modeladmin_(?P<action>\w+)")
_PK_GROUP = re.compile(r"\(\?P<instance_pk>[^)]*\)")


def _walk(patterns, prefix=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern))
        else:
            yield prefix + str(pattern.pattern), pattern.name or ""


def _desk_urls() -> list[tuple[str, str, str]]:
    """``(model, action, path template)`` of every URL a ticket list of the desk registers in the admin
    (``{pk}`` where the object's pk goes), read from the project's URL resolver, not listed by hand."""
    found = []
    for regex, name in _walk(get_resolver().url_patterns):
        match = _DESK_URL_NAME.fullmatch(name)
        if match and match["model"] in MODEL.values():
            template = "/" + _PK_GROUP.sub("{pk}", regex).replace("^", "").replace("$", "")
            found.append((match["model"], match["action"], template))
    return sorted(found)


DESK_URLS = _desk_urls()


def test_the_resolver_walk_finds_the_desk_urls():
    """The walk is not empty by accident: every ticket list's index, create and inspect URLs are found."""
    actions = {(model, action) for model, action, _template in DESK_URLS}
    for model in MODEL.values():
        assert {(model, "index"), (model, "create"), (model, "inspect")} <= actions


def _url_cells():
    service_of = {model: service for service, model in MODEL.items()}
    for model, action, template in DESK_URLS:
        service = service_of[model]
        kinds = [kind for kind in KINDS if SERVICE[kind] == service]
        for role in STAFF_ROLES:
            for kind in kinds if "{pk}" in template else kinds[:1]:
                yield pytest.param(role, kind, action, template, id=f"{role}-{kind}-{action}")


@pytest.mark.django_db
@pytest.mark.parametrize(("role", "kind", "action", "template"), list(_url_cells()))
def test_no_desk_url_opens_what_the_role_may_not_see(client, world, role, kind, action, template):
    """For every role, every desk URL of a ticket list: 200 only where the role has the right — the ticket's
    inspect page for a ticket in its scope, the list (and the registration form) of a service it handles.
    Any other URL (edit, delete, history, or one a later modeladmin adds) shows no ticket to anyone."""
    from django.conf import settings

    if role in world["sessions"]:
        client.cookies[settings.SESSION_COOKIE_NAME] = world["sessions"][role]
    ticket = world["tickets"][kind]
    response = client.get(template.format(pk=ticket.pk))
    body = _body(response)
    if "{pk}" in template:
        allowed = action == "inspect" and kind in DESK_SCOPE.get(role, set())
    else:
        lists = SERVICE[kind] in LIST_ACCESS.get(role, set())
        allowed = lists and (action == "index" or (action == "create" and role in REGISTERING_ROLES))
    if allowed:
        assert response.status_code == 200, (response.status_code, body[:300])
        if action == "inspect":
            assert ticket.tracking_number in body
        return
    assert response.status_code in (302, 403, 404, 405), (response.status_code, body[:300])
    assert ticket.tracking_number not in body and ticket.subject not in body
