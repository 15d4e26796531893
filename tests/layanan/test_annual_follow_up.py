"""The PPID annual report's follow-up (Perki 1/2021; UU 14/2008 Pasal 36–50): whether the Atasan PPID's answers
and the Komisi Informasi's decisions were carried out, court challenges and their outcomes (recorded at the
desk), the narrative sections, and the whole report as one PDF and one XLSX. Built on the 2025 data set of
``test_reports`` (O1: objection rejected, dispute filed, adjudication "rejected" on 15 Jan 2026; O4: objection
upheld on Wed 26 Nov 2025, dispute filed 1 Dec 2025; O2 settled, no dispute)."""

import datetime
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from layanan.core.models.audit import ExportLog
from layanan.ppid.disputes import record_dispute_outcome
from layanan.ppid.followup import (
    record_answer_carried_out,
    record_court_challenge,
    record_ki_decision_carried_out,
    save_annual_narrative,
)
from layanan.ppid.models import CourtChallenge
from layanan.ppid.reports import drilldown_queryset, ppid_annual_report
from layanan.reports.exports import export_report
from tests.layanan.conftest import wib
from tests.layanan.test_exports import _denied
from tests.layanan.test_reports import at, ppid_year  # noqa: F401 - fixtures

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture
def followed(ppid_year, desk_users, at):  # noqa: F811
    """O4's answer carried out; O4's dispute granted and carried out; three court challenges in 2026."""
    atasan = desk_users["atasan"]
    o1, o4 = ppid_year["O1"], ppid_year["O4"]
    at(wib(2026, 6, 1, 10, 0))
    record_answer_carried_out(o4, atasan, carried_out_on=D(2025, 12, 3))
    record_dispute_outcome(o4, atasan, outcome="granted", outcome_date=D(2026, 2, 10))
    record_ki_decision_carried_out(o4, atasan, carried_out_on=D(2026, 2, 20))
    ptun_o1 = record_court_challenge(
        o1,
        atasan,
        court="ptun",
        filed_by="applicant",
        filed_on=D(2026, 1, 26),
        case_number="12/G/KI/2026/PTUN.JKT",
        outcome="upheld",
        outcome_date=D(2026, 4, 14),
    )
    ma_o1 = record_court_challenge(o1, atasan, court="ma", filed_by="applicant", filed_on=D(2026, 4, 27))
    ptun_o4 = record_court_challenge(
        o4,
        atasan,
        court="ptun",
        filed_by="public_body",
        filed_on=D(2026, 2, 20),
        outcome="upheld",
        outcome_date=D(2026, 5, 5),
        carried_out_on=D(2026, 5, 20),
    )
    return {"O1": o1, "O4": o4, "ptun_o1": ptun_o1, "ma_o1": ma_o1, "ptun_o4": ptun_o4}


def test_carried_out_figures(followed, desk_users):
    report = ppid_annual_report(2025, None, as_of=D(2026, 11, 2))
    # objections received in 2025: one upheld (O4), carried out on 3 Dec 2025
    assert (report.answers_to_carry_out, report.answers_carried_out) == (1, 1)
    # disputes filed in 2025: O1 rejected (nothing to carry out), O4 granted and carried out
    assert (report.ki_to_carry_out, report.ki_carried_out) == (1, 1)
    # as of a day before O4's answer was carried out, it is still owed
    early = ppid_annual_report(2025, None, as_of=D(2025, 12, 2))
    assert (early.answers_to_carry_out, early.answers_carried_out) == (1, 0)
    table = {t.key: t for t in report.tables()}["carried_out"]
    assert [[c.value for c in row.cells] for row in table.rows] == [[1, 1, 0], [1, 1, 0]]


def test_court_challenges_by_year_level_and_outcome(followed, desk_users):
    user = desk_users["atasan"]
    # challenges are counted in the year they were filed: none in 2025, three in 2026
    assert ppid_annual_report(2025, None, as_of=D(2026, 11, 2)).court_filed == 0
    report = ppid_annual_report(2026, None, as_of=D(2026, 11, 2))
    assert report.court_filed == 3
    rows = {r.code: (r.first_instance, r.cassation) for r in report.court_by_outcome}
    assert rows["upheld"] == (2, 0)  # O1 and O4 at the PTUN
    assert rows["pending"] == (0, 1)  # O1's cassation
    assert sum(a + b for a, b in rows.values()) == 3
    carried = report.court_carried_out
    assert (carried.first_instance, carried.cassation) == (1, 0)  # O4's PTUN decision
    # every figure of the court table leads to the objections behind it
    table = {t.key: t for t in report.tables()}["court_challenges"]
    expected = {
        ("upheld", 0): {followed["O1"].pk, followed["O4"].pk},
        ("pending", 1): {followed["O1"].pk},
        ("all", 0): {followed["O1"].pk, followed["O4"].pk},
        ("all", 1): {followed["O1"].pk},
        ("carried_out", 0): {followed["O4"].pk},
        ("carried_out", 1): set(),
    }
    for row in table.rows:
        for column, cell in enumerate(row.cells):
            tickets = set(drilldown_queryset(user, 2026, cell.link, as_of=D(2026, 11, 2)).values_list("pk", flat=True))
            assert tickets == expected.get((row.code, column), set()), (row.code, column)


def test_recording_rules(followed, desk_users, ppid_year, at):  # noqa: F811
    atasan = desk_users["atasan"]
    at(wib(2026, 6, 1, 10, 0))

    def refused(func, *args, **kwargs):
        with pytest.raises(ValidationError) as excinfo:
            func(*args, **kwargs)
        return set(excinfo.value.message_dict)

    # the answer of O1 rejected the objection: nothing to carry out; O4's cannot be carried out before its answer
    assert refused(record_answer_carried_out, followed["O1"], atasan, carried_out_on=D(2026, 1, 5)) == {
        "carried_out_on"
    }
    assert refused(record_answer_carried_out, followed["O4"], atasan, carried_out_on=D(2025, 11, 25)) == {
        "carried_out_on"
    }
    assert refused(record_answer_carried_out, followed["O4"], atasan, carried_out_on=D(2026, 6, 2)) == {
        "carried_out_on"
    }  # tomorrow
    # O1's Komisi Informasi decision rejected the petition: nothing for the body to carry out
    assert refused(record_ki_decision_carried_out, followed["O1"], atasan, carried_out_on=D(2026, 2, 1)) == {
        "carried_out_on"
    }
    # O2 has no adjudication decision: no court challenge
    assert refused(
        record_court_challenge, ppid_year["O2"], atasan, court="ptun", filed_by="applicant", filed_on=D(2026, 3, 1)
    ) == {"court"}
    # a challenge is filed after the Komisi Informasi decision (O4: 10 Feb 2026)
    assert refused(
        record_court_challenge, followed["O4"], atasan, court="pn", filed_by="applicant", filed_on=D(2026, 2, 9)
    ) == {"filed_on"}
    # a final outcome needs its date; a pending decision cannot be carried out
    assert refused(
        record_court_challenge,
        followed["O4"],
        atasan,
        court="pn",
        filed_by="applicant",
        filed_on=D(2026, 2, 11),
        outcome="annulled",
    ) == {"outcome_date"}
    assert refused(
        record_court_challenge,
        followed["O4"],
        atasan,
        court="pn",
        filed_by="applicant",
        filed_on=D(2026, 2, 11),
        carried_out_on=D(2026, 3, 1),
    ) == {"carried_out_on"}
    # cassation: after the first-instance decision (O1's PTUN: 14 Apr 2026)
    assert refused(
        record_court_challenge, followed["O1"], atasan, court="ma", filed_by="public_body", filed_on=D(2026, 4, 13)
    ) == {"filed_on"}
    with pytest.raises(PermissionDenied):
        record_court_challenge(
            followed["O4"], desk_users["op1"], court="pn", filed_by="applicant", filed_on=D(2026, 2, 11)
        )
    # correcting a challenge keeps one row
    record_court_challenge(
        followed["O1"],
        atasan,
        challenge=followed["ma_o1"],
        court="ma",
        filed_by="applicant",
        filed_on=D(2026, 4, 27),
        outcome="upheld",
        outcome_date=D(2026, 5, 29),
    )
    assert CourtChallenge.objects.filter(objection=followed["O1"]).count() == 2
    assert followed["O1"].timeline.filter(action="court_challenge", visible_to_applicant=False).count() == 3


def test_one_document_pdf_and_xlsx(followed, desk_users, settings):
    ppid = desk_users["ppid"]
    settings.PESAN_DOCUMENT_PLACE = "Jakarta"
    save_annual_narrative(
        2026,
        ppid,
        policy="Kebijakan keterbukaan: SK Menteri Nomor 5 Tahun 2026.\n\nDIP dimutakhirkan setiap semester.",
        budget="Anggaran layanan informasi Rp 250.000.000, terserap 92%.",
        recommendations="Menambah petugas meja layanan.",
    )
    report = ppid_annual_report(2026, None, as_of=D(2026, 11, 2))
    result = export_report(report, ppid, "pdf")
    assert result.content_type == "application/pdf" and result.filename == "ppid-annual-2026.pdf"
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(result.content)).pages)
    text = " ".join(text.split())
    for expected in (
        "UU 14/2008 Pasal 12; Perki 1/2021 Pasal 56",
        "Kebijakan keterbukaan: SK Menteri Nomor 5 Tahun 2026.",
        "DIP dimutakhirkan setiap semester.",
        "Anggaran layanan informasi Rp 250.000.000, terserap 92%.",
        "Menambah petugas meja layanan.",
        "Jakarta,",
    ):
        assert expected in text, expected
    # the narrative comes before the tables, the recommendations after them
    assert text.index("Kebijakan keterbukaan") < text.index("Menambah petugas meja layanan.")
    assert ExportLog.objects.get(pk=result.log.pk).export_format == "pdf"

    workbook = load_workbook(io.BytesIO(export_report(report, ppid, "xlsx").content))
    cells = {
        cell.value: sheet.title
        for sheet in workbook.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if cell.value
    }
    narrative_sheet = cells["Menambah petugas meja layanan."]
    assert cells["Anggaran layanan informasi Rp 250.000.000, terserap 92%."] == narrative_sheet
    assert workbook.sheetnames.index(narrative_sheet) == 1  # right after the information sheet
    court_sheet = workbook.worksheets[-3]  # court challenges: after the carried-out table, before the ticket lists
    values = [[c.value for c in row] for row in court_sheet.iter_rows()]
    assert [2, 0] in [row[1:3] for row in values]  # "upheld": two at first instance


def test_admin_screens_check_permissions(followed, desk_users, client):
    narrative = reverse("layanan_reports_narrative") + "?year=2026"
    follow_up = reverse("layanan_reports_followup", args=[followed["O4"].pk])
    client.force_login(desk_users["atasan"])
    assert _denied(client.get(narrative))  # the PPID Utama writes the narrative
    assert client.get(follow_up).status_code == 200
    client.force_login(desk_users["op1"])
    assert _denied(client.get(follow_up))
    assert _denied(client.get(narrative))
    client.force_login(desk_users["lapor"])
    assert _denied(client.get(follow_up))

    client.force_login(desk_users["ppid"])
    response = client.post(narrative, {"policy": "Kebijakan baru.", "staff": "Tiga petugas."})
    assert response.status_code == 302
    report_page = client.get(reverse("layanan_reports_ppid") + "?year=2026").content.decode()
    assert "Kebijakan baru." in report_page and "Tiga petugas." in report_page
    response = client.post(
        follow_up,
        {
            "form": "court",
            "court-court": "ma",
            "court-filed_by": "public_body",
            "court-filed_on": "2026-05-12",
            "court-outcome": "pending",
        },
    )
    assert response.status_code == 302
    assert CourtChallenge.objects.filter(objection=followed["O4"], court="ma").exists()
    # a refused rule shows the form again with the message, nothing stored
    response = client.post(
        follow_up,
        {"form": "answer", "answer-carried_out_on": "2025-11-01"},
    )
    assert response.status_code == 200
    assert followed["O4"].objection.__class__.objects.get(pk=followed["O4"].pk).answer_carried_out_on == D(2025, 12, 3)
