"""Issue 16: the applicant rates the answer — the satisfaction survey of PermenPANRB 14/2017 on a closed PPID request
or SP4N-LAPOR report (one rating per ticket, with the access token; API and status page), the closing notice that
invites it, the satisfaction index (IKM) computed by the regulation's method, and the desk's satisfaction report."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal

import pytest
from django.core import mail
from django.db import IntegrityError, transaction

from layanan.core import registry, retention
from layanan.core.models.audit import ExportLog
from layanan.core.models.ratings import ELEMENTS, ServiceRating
from layanan.core.models.tickets import Ticket
from layanan.core.ratings import (
    RatingRefused,
    index_category,
    index_of,
    rating_state,
    satisfaction_index,
    submit_rating,
)
from layanan.core.workflow import apply_transition
from layanan.lapor import intake as lapor_intake
from layanan.ppid import intake as ppid_intake
from layanan.reports.satisfaction import satisfaction_report
from layanan.reports.statistics import public_statistics
from tests.layanan.conftest import lapor_payload, ppid_payload, wib
from tests.layanan.test_exports import _denied

pytestmark = pytest.mark.django_db

CODES = [e.code for e in ELEMENTS]
#: Three questionnaires (U1…U9) whose figures are worked out by hand below.
HAND = [
    [4, 4, 4, 4, 4, 4, 4, 4, 4],
    [3, 3, 3, 3, 3, 3, 3, 3, 3],
    [2, 3, 4, 1, 3, 4, 4, 2, 3],
]


def scores(values=(4, 3, 3, 4, 3, 4, 4, 3, 3)) -> dict:
    return dict(zip(CODES, values, strict=True))


#: Their NRR per element: sums 9, 10, 11, 8, 10, 11, 11, 9, 10 over 3 respondents.
NRR_BY_HAND = ["3.00", "3.33", "3.67", "2.67", "3.33", "3.67", "3.67", "3.00", "3.33"]


def rating_url(number: str) -> str:
    return f"/api/v2/tickets/{number}/rating/"


def close_request(ticket, officer):
    ticket = apply_transition(ticket, "decide", officer, outcome="granted_full", note="Informasi terlampir.")
    return apply_transition(ticket, "close", officer)


@pytest.fixture
def closed_request(synced_holidays, desk_users):
    """A PPID request decided and closed; the submission (tracking number, access token)."""
    submission = ppid_intake.submit_ppid_request(ppid_payload(), received_at=wib(2026, 3, 2, 9, 0))
    close_request(submission.ticket, desk_users["ppid"])
    return submission


# --- the index: the regulation's method, by hand ------------------------------------------------------------------
def test_the_index_of_three_questionnaires_worked_out_by_hand():
    index = index_of([dict(zip(CODES, row, strict=True)) for row in HAND])
    # sums per element: 9, 10, 11, 8, 10, 11, 11, 9, 10 (of 3 respondents) -> NRR 3.00, 3.33, 3.67, 2.67, ...
    assert index.respondents == 3
    assert [index.nrr[c] for c in CODES] == [Decimal(x) for x in NRR_BY_HAND]
    assert index.weighted["requirements"] == Decimal("0.3333")  # 3.00 / 9
    assert index.weighted["cost"] == Decimal("0.2963")  # (8/3) / 9
    # Σ NRR / 9 = 89 / 27 = 3.2963; × 25 = 82.4074… -> 82.41, band B (76.61–88.30)
    assert index.unit_index == Decimal("3.2963")
    assert index.index == Decimal("82.41")
    assert index.category.letter == "B"
    # an element on its own: cost 8/3 × 25 = 66.67 -> C
    assert index.element_index["cost"] == Decimal("66.67") and index_category(index.element_index["cost"]).letter == "C"


def test_perfect_and_worst_scores_give_the_ends_of_the_scale():
    assert satisfaction_index(dict.fromkeys(CODES, 40), 10).index == Decimal("100.00")  # exact 1/9, not 0.111
    worst = satisfaction_index(dict.fromkeys(CODES, 10), 10)
    assert (worst.index, worst.category.letter) == (Decimal("25.00"), "D")
    empty = satisfaction_index({}, 0)
    assert empty.index is None and empty.category is None and empty.nrr["cost"] is None
    with pytest.raises(ValueError):
        satisfaction_index(dict.fromkeys(CODES, 50), 10)  # more than 10 scores of 4 can give


@pytest.mark.parametrize(
    ("index", "letter"),
    [
        ("100", "A"),
        ("88.31", "A"),
        ("88.305", "A"),  # rounded half up to two decimals first
        ("88.30", "B"),
        ("76.61", "B"),
        ("76.60", "C"),
        ("65.00", "C"),
        ("64.99", "D"),
        ("25.00", "D"),
    ],
)
def test_category_bands_of_the_regulation(index, letter):
    assert index_category(Decimal(index)).letter == letter


@pytest.mark.parametrize(
    ("nrr", "letter"),
    [("3.5324", "A"), ("3.532", "B"), ("3.0644", "B"), ("3.064", "C"), ("2.60", "C"), ("2.5996", "D")],
)
def test_the_unconverted_intervals_of_the_regulation_fall_in_the_same_bands(nrr, letter):
    assert index_category(Decimal(nrr) * 25).letter == letter


# --- the model ------------------------------------------------------------------------------------------------------
def test_the_nine_elements_are_the_score_columns_in_the_regulations_order():
    assert [e.number for e in ELEMENTS] == list(range(1, 10))
    columns = [f.name for f in ServiceRating._meta.get_fields() if f.name in CODES]
    assert columns == CODES
    assert str(ServiceRating._meta.get_field("cost").verbose_name).startswith("U4 ")


def test_the_database_refuses_a_score_outside_1_to_4(closed_request):
    ticket = Ticket.objects.get(tracking_number=closed_request.tracking_number)
    with pytest.raises(IntegrityError), transaction.atomic():
        ServiceRating.objects.create(ticket=ticket, **scores((5, 3, 3, 3, 3, 3, 3, 3, 3)))


def test_only_rated_services_in_a_final_state_can_be_rated(closed_request, synced_holidays):
    assert {s.code for s in registry.all_services() if s.ratable} == {"ppid_request", "lapor"}
    objection = Ticket.objects.create(tracking_number="KEB-2026-000901", service="objection", status="closed")
    wbs = Ticket.objects.create(tracking_number="WBS-2026-000901", service="wbs", status="closed")
    for ticket in (objection, wbs):
        assert rating_state(ticket) == "unavailable"
        with pytest.raises(RatingRefused):
            submit_rating(ticket, scores())
    assert not ServiceRating.objects.exists()


# --- the API --------------------------------------------------------------------------------------------------------
def test_the_applicant_rates_a_closed_request_once(api_client, closed_request):
    number, token = closed_request.tracking_number, closed_request.access_token
    before = api_client.get(f"/api/v2/tickets/{number}/", HTTP_X_ACCESS_TOKEN=token).json()
    assert (before["can_rate"], before["rated"]) == (True, False)

    body = scores() | {"comment": "Jawaban jelas dan cepat."}
    response = api_client.post(rating_url(number), body, format="json", HTTP_X_ACCESS_TOKEN=token)
    assert response.status_code == 201, response.content
    stored = response.json()
    assert (
        stored["tracking_number"] == number and stored["cost"] == 4 and stored["comment"] == "Jawaban jelas dan cepat."
    )
    rating = ServiceRating.objects.get(ticket__tracking_number=number)
    assert rating.scores == scores()

    after = api_client.get(f"/api/v2/tickets/{number}/", HTTP_X_ACCESS_TOKEN=token).json()
    assert (after["can_rate"], after["rated"]) == (False, True)

    again = api_client.post(rating_url(number), scores((1,) * 9), format="json", HTTP_X_ACCESS_TOKEN=token)
    assert again.status_code == 409 and again.json()["detail"]
    assert ServiceRating.objects.get().scores == scores()  # the first rating stands


def test_errors_store_nothing(api_client, closed_request):
    number, token = closed_request.tracking_number, closed_request.access_token
    wrong = api_client.post(rating_url(number), scores(), format="json", HTTP_X_ACCESS_TOKEN="salah" * 9)
    assert wrong.status_code == 404
    out_of_range = api_client.post(
        rating_url(number), scores((5, 3, 3, 3, 3, 3, 0, 3, 3)), format="json", HTTP_X_ACCESS_TOKEN=token
    )
    assert out_of_range.status_code == 400 and set(out_of_range.json()) == {"requirements", "conduct"}
    missing = {k: v for k, v in scores().items() if k != "facilities"}
    incomplete = api_client.post(rating_url(number), missing, format="json", HTTP_X_ACCESS_TOKEN=token)
    assert incomplete.status_code == 400 and "facilities" in incomplete.json()
    bidi = api_client.post(
        rating_url(number), scores() | {"comment": "baik\u202e"}, format="json", HTTP_X_ACCESS_TOKEN=token
    )
    assert bidi.status_code == 400 and "comment" in bidi.json()
    too_long = api_client.post(
        rating_url(number), scores() | {"comment": "x" * 1001}, format="json", HTTP_X_ACCESS_TOKEN=token
    )
    assert too_long.status_code == 400 and "comment" in too_long.json()
    assert not ServiceRating.objects.exists()
    # the token in the body, as a form (a client that cannot send a header)
    ok = api_client.post(rating_url(number), scores() | {"token": token})
    assert ok.status_code == 201


def test_an_open_ticket_cannot_be_rated(api_client, synced_holidays):
    submission = ppid_intake.submit_ppid_request(ppid_payload(), received_at=wib(2026, 3, 2, 9, 0))
    status = api_client.get(
        f"/api/v2/tickets/{submission.tracking_number}/", HTTP_X_ACCESS_TOKEN=submission.access_token
    )
    assert status.json()["can_rate"] is False
    response = api_client.post(
        rating_url(submission.tracking_number), scores(), format="json", HTTP_X_ACCESS_TOKEN=submission.access_token
    )
    assert response.status_code == 409 and response.json()["detail"]
    assert not ServiceRating.objects.exists()


def test_a_closed_lapor_report_is_rated_too(api_client, desk_users, units, synced_holidays):
    submission = lapor_intake.submit_lapor_report(lapor_payload(), received_at=wib(2026, 3, 2, 9, 0))
    admin = desk_users["lapor"]
    ticket = apply_transition(submission.ticket, "verify", admin)
    ticket = apply_transition(ticket, "assign", admin, unit=units[0].pk)
    ticket = apply_transition(ticket, "follow_up", desk_users["op1"], note="Halte sudah diperbaiki.")
    apply_transition(ticket, "close", admin)
    response = api_client.post(
        rating_url(submission.tracking_number), scores(), format="json", HTTP_X_ACCESS_TOKEN=submission.access_token
    )
    assert response.status_code == 201


# --- the closing notice invites the rating --------------------------------------------------------------------------
def test_the_closing_notice_invites_the_applicant_to_rate(
    settings, synced_holidays, desk_users, django_capture_on_commit_callbacks
):
    settings.LANGUAGE_CODE = "en"  # notices are written in LANGUAGE_CODE; English needs no catalogue
    submission = ppid_intake.submit_ppid_request(ppid_payload(), received_at=wib(2026, 3, 2, 9, 0))
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        ticket = apply_transition(
            submission.ticket, "decide", desk_users["ppid"], outcome="granted_full", note="Terlampir."
        )
    decided = [m for m in mail.outbox if m.to == ["siti@example.org"]]
    assert decided and "rate our" not in decided[-1].body
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        apply_transition(ticket, "close", desk_users["ppid"])
    closing = [m for m in mail.outbox if m.to == ["siti@example.org"]][-1].body
    assert "rate our" in closing and "/layanan/cek-status/?nomor=" + submission.tracking_number in closing
    assert submission.access_token not in closing  # no secret in it


# --- the status page ------------------------------------------------------------------------------------------------
def lookup(client, submission):
    return client.post(
        "/layanan/cek-status/", {"tracking_number": submission.tracking_number, "token": submission.access_token}
    )


def test_the_applicant_rates_from_the_status_page(client, closed_request):
    html = lookup(client, closed_request).content.decode()
    assert 'id="rating-form"' in html and 'action="/layanan/cek-status/nilai/#rating"' in html
    assert html.count('role="radiogroup"') == 9 and html.count('type="radio"') == 36
    assert html.count("<legend>") >= 9 and 'id="id_rating_cost_4"' in html and 'for="id_rating_cost_4"' in html
    labels = re.findall(r'<label class="choice" for="id_rating_requirements_\d">.*?<span>(.*?)</span>', html)
    assert len(labels) == 4 and len(set(labels)) == 4 and not any(label.strip().isdigit() for label in labels)

    form = {"tracking_number": closed_request.tracking_number, "token": closed_request.access_token}
    sent = client.post("/layanan/cek-status/nilai/", form | scores() | {"comment": "Terima kasih."})
    assert sent.status_code == 200
    page = sent.content.decode()
    assert 'id="rating-thanks"' in page and 'id="rating-form"' not in page
    assert ServiceRating.objects.get().comment == "Terima kasih."
    # looked up again later: thanked, not asked again
    again = lookup(client, closed_request).content.decode()
    assert 'id="rating-thanks"' in again and 'id="rating-form"' not in again
    twice = client.post("/layanan/cek-status/nilai/", form | scores())
    assert twice.status_code == 409 and ServiceRating.objects.count() == 1


def test_a_missing_answer_keeps_the_choices_and_stores_nothing(client, closed_request):
    form = {"tracking_number": closed_request.tracking_number, "token": closed_request.access_token}
    partial = {k: v for k, v in scores().items() if k != "conduct"}
    response = client.post("/layanan/cek-status/nilai/", form | partial)
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="error-summary"' in html and 'href="#id_rating_conduct_1"' in html
    assert re.search(r'<input[^>]*name="cost"[^>]*value="4"[^>]*checked', html)  # what was chosen stays chosen
    assert 'aria-invalid="true"' in html
    assert not ServiceRating.objects.exists()
    wrong = client.post("/layanan/cek-status/nilai/", form | {"token": "x" * 43} | scores())
    assert wrong.status_code == 404 and not ServiceRating.objects.exists()


def test_an_open_ticket_shows_no_rating_form(client, synced_holidays):
    submission = ppid_intake.submit_ppid_request(ppid_payload(), received_at=wib(2026, 3, 2, 9, 0))
    html = lookup(client, submission).content.decode()
    assert 'id="rating-form"' not in html and 'id="rating"' not in html


# --- the satisfaction report ----------------------------------------------------------------------------------------
@pytest.fixture
def rated_2025(synced_holidays):
    """Ratings given in 2025: three PPID (the HAND set, semester 1), one LAPOR (1 July 06:00 WIB: still 30 June in
    UTC, but semester 2 in WIB), and one PPID rating of January 2026 that no 2025 figure may count."""
    given = [wib(2025, 2, 3, 10, 0), wib(2025, 3, 4, 10, 0), wib(2025, 6, 30, 23, 30), wib(2025, 7, 1, 6, 0)]
    given.append(wib(2026, 1, 2, 9, 0))
    made = []
    for i, row in enumerate([*HAND, [4] * 9, [1] * 9]):
        lapor = i == 3
        submit = lapor_intake.submit_lapor_report if lapor else ppid_intake.submit_ppid_request
        ticket = submit(lapor_payload() if lapor else ppid_payload(), received_at=wib(2025, 1, 6, 9, 0)).ticket
        made.append(ServiceRating.objects.create(ticket=ticket, created_at=given[i], **scores(row)))
    return made


def _cells(table, code):
    row = next(r for r in table.rows if r.code == code)
    return [c.text for c in row.cells]


def test_the_report_figures_per_service_and_period(rated_2025):
    report = satisfaction_report(2025, "", None)
    summary, ppid, lapor = report.tables()
    assert _cells(summary, "ppid_request") == ["3", "3,2963", "82,41", "B", str(index_category(Decimal("82.41")).label)]
    assert _cells(summary, "lapor") == ["1", "4,0000", "100,00", "A", str(index_category(Decimal(100)).label)]
    # pooled: sums 9+4 … over 4 respondents: (89 + 36) / 36 × 25 = 86.81
    assert _cells(summary, "all")[:4] == ["4", "3,4722", "86,81", "B"]
    assert _cells(ppid, "requirements") == ["3,00", "0,3333", "75,00", "C"]
    assert _cells(ppid, "cost") == ["2,67", "0,2963", "66,67", "C"]
    assert _cells(ppid, "ikm")[1:] == ["3,2963", "82,41", "B"]
    assert "(3 " in str(ppid.title) and "(1 " in str(lapor.title)
    first_half = satisfaction_report(2025, "s1", None)  # the LAPOR rating (1 July WIB) is not in it
    assert _cells(first_half.tables()[0], "lapor")[:3] == ["0", "–", "–"]
    assert _cells(first_half.tables()[0], "ppid_request")[0] == "3"  # 30 June 23:30 WIB is still in June
    assert satisfaction_report(2025, "s2", None).indexes["lapor"].respondents == 1
    assert satisfaction_report(2026, "q1", None).indexes["ppid_request"].respondents == 1


def test_the_report_is_for_the_services_a_role_handles(client, rated_2025, desk_users, django_user_model):
    url = "/admin/layanan-reports/satisfaction/"
    client.force_login(desk_users["ppid"])
    page = client.get(url, {"year": 2025, "period": "s1"})
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-code="ppid_request"' in html and 'data-code="lapor"' not in html
    assert 'name="period"' in html and "82,41" in html
    assert url in client.get("/admin/layanan-reports/").content.decode()  # reached from the reports menu
    assert client.get(url, {"year": 2025, "period": "x9"}).status_code == 400

    client.force_login(desk_users["lapor"])
    html = client.get(url, {"year": 2025}).content.decode()
    assert 'data-code="lapor"' in html and 'data-code="ppid_request"' not in html

    for role in ("op1", "atasan"):  # unit operators and the Atasan PPID: not theirs
        client.force_login(desk_users[role])
        assert _denied(client.get(url, {"year": 2025}))
        assert _denied(client.get("/admin/layanan-reports/satisfaction/export/", {"year": 2025, "format": "csv"}))

    boss = django_user_model.objects.create_superuser("kepala", "kepala@example.org", "pw-Desk-2026!")
    client.force_login(boss)
    export = client.get("/admin/layanan-reports/satisfaction/export/", {"year": 2025, "format": "csv"})
    assert export.status_code == 200 and b"82,41" in export.content and b"100,00" in export.content
    log = ExportLog.objects.get(report="satisfaction")
    assert log.personal_data is False and log.parameters["year"] == 2025


def test_public_statistics_count_the_respondents(rated_2025):
    block = public_statistics(2025)["satisfaction"]
    assert block["respondents"] == 4 and block["ikm"] == 86.81 and block["category"] == "B"
    assert {item["code"]: item["respondents"] for item in block["by_service"]} == {"ppid_request": 3, "lapor": 1}


def test_retention_empties_the_comment_and_keeps_the_scores(closed_request):
    ticket = Ticket.objects.get(tracking_number=closed_request.tracking_number)
    submit_rating(ticket, scores(), "Petugas bernama Budi sangat membantu.")
    Ticket.objects.filter(pk=ticket.pk).update(closed_at=wib(2019, 1, 2, 10, 0))  # 5 years ago and more
    assert retention.run(datetime.date(2026, 1, 5)).anonymised == 1
    rating = ServiceRating.objects.get(ticket=ticket)
    assert rating.comment == "" and rating.scores == scores()
