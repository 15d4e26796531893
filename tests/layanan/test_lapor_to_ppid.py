"""SP4N-LAPOR reports that ask for public information become PPID requests (desk action ``to_ppid``), counted
under UU 14/2008 with their deadline from the ORIGINAL receipt; the monthly LAPOR report counts them, and the
reports on hold, apart from the reports in process.

October 2025 has no holidays: a report received Mon 6 Oct 2025 10:00 WIB (office hours) has day 0 = 6 Oct, and
10 working days later is Mon 20 Oct 2025 (UU 14/2008 Pasal 22(7)) — whatever day the desk acts on it.
"""

import datetime

import pytest
from django.utils import translation

from layanan.core.registry import action_label
from layanan.core.workflow import TransitionError
from layanan.lapor import intake as lapor_intake
from layanan.lapor.reports import drilldown_queryset, lapor_report
from layanan.ppid.reports import ppid_annual_report
from tests.layanan.conftest import lapor_payload, wib
from tests.layanan.test_reports import _step, at  # noqa: F401 - fixture

pytestmark = pytest.mark.django_db

AS_OF = datetime.date(2025, 11, 28)


def _report(at, moment, **payload):  # noqa: F811
    at(moment)
    return lapor_intake.submit_lapor_report(lapor_payload(**payload), received_at=moment).ticket


@pytest.fixture
def october(settled_holidays, desk_users, at):  # noqa: F811
    admin = desk_users["lapor"]
    info = _report(at, wib(2025, 10, 6, 10, 0), classification="permintaan_informasi", title="Minta data anggaran")
    info = _step(at, wib(2025, 10, 7, 9, 0), info, "hold", admin, note="Menunggu klasifikasi")
    moved = _step(at, wib(2025, 10, 8, 14, 0), info, "to_ppid", admin, note="Silakan pantau nomor baru.")
    held = _report(at, wib(2025, 10, 9, 10, 0))
    held = _step(at, wib(2025, 10, 9, 11, 0), held, "hold", admin, note="Data kurang")
    open_ = _report(at, wib(2025, 10, 10, 10, 0))
    anonymous = _report(
        at, wib(2025, 10, 13, 10, 0), classification="permintaan_informasi", anonymous=True, title="Minta SOP"
    )
    anonymous = _step(at, wib(2025, 10, 14, 10, 0), anonymous, "to_ppid", admin)
    return {"moved": moved, "held": held, "open": open_, "anonymous": anonymous}


def test_information_request_becomes_a_ppid_request_due_from_the_original_receipt(october):
    moved = october["moved"]
    assert moved.status == "to_ppid" and moved.closed_at is not None
    request = moved.derived_tickets.get()
    assert request.service == "ppid_request"
    assert request.origin_id == moved.pk
    assert request.received_at == wib(2025, 10, 6, 10, 0)
    assert request.due_date == datetime.date(2025, 10, 20)  # 10 WD from Mon 6 Oct, not from the 8th
    assert request.channel == moved.channel
    assert request.applicant_name == "Budi Santoso" and request.applicant_email == "budi@example.org"
    assert request.ppid.information_requested.startswith("Minta data anggaran")
    # the reporter reads the new number and due date, then the officer's message, on the LAPOR ticket
    step = moved.timeline.get(action="to_ppid")
    assert step.visible_to_applicant
    assert request.tracking_number in step.note and "20 Oktober 2025" in step.note  # the due date, in words
    assert step.note.endswith("Silakan pantau nomor baru.")
    assert request.timeline.filter(action="triaged_in", visible_to_applicant=False).exists()
    # the officers read where it came from, not "from a social-media message"
    created = request.timeline.get(action="triaged_in")
    with translation.override("en"):
        assert str(action_label(request.service, created.action)) == "Created from another ticket"
    # an anonim reporter's identity does not travel
    anonymous = october["anonymous"].derived_tickets.get()
    assert (anonymous.applicant_name, anonymous.applicant_email, anonymous.applicant_nik) == ("", "", "")
    assert anonymous.due_date == datetime.date(2025, 10, 27)  # Mon 13 Oct + 10 WD


def test_counted_under_the_information_law_and_apart_in_the_lapor_report(october, desk_users):
    requests = ppid_annual_report(2025, None, as_of=AS_OF)
    assert requests.requests == 2  # the two reports that asked for information
    month = lapor_report(2025, 10, desk_users["lapor"], as_of=AS_OF)
    total = month.total
    # received 4 = made PPID requests 2 + on hold 1 + in process 1
    assert (total.received, total.to_ppid, total.on_hold, total.in_process) == (4, 2, 1, 1)
    assert {code: n for code, _label, n in month.by_classification}["permintaan_informasi"] == 2
    user = desk_users["lapor"]
    assert list(drilldown_queryset(user, 2025, 10, {"measure": "on_hold"}, as_of=AS_OF)) == [october["held"]]
    assert list(drilldown_queryset(user, 2025, 10, {"measure": "in_process"}, as_of=AS_OF)) == [october["open"]]
    assert drilldown_queryset(user, 2025, 10, {"measure": "to_ppid"}, as_of=AS_OF).count() == 2
    summary = {row.code: row.cells[0].value for row in month.tables()[0].rows}
    assert (summary["to_ppid"], summary["on_hold"], summary["in_process"]) == (2, 1, 1)


def test_only_an_information_request_can_move(october, desk_users, at):  # noqa: F811
    with pytest.raises(TransitionError) as excinfo:
        _step(at, wib(2025, 10, 15, 10, 0), october["open"], "to_ppid", desk_users["lapor"])
    assert "classification" in excinfo.value.errors
    october["open"].refresh_from_db()
    assert october["open"].status == "received" and not october["open"].derived_tickets.exists()
    with pytest.raises(TransitionError):  # a unit operator may not
        _step(at, wib(2025, 10, 15, 10, 0), october["held"], "to_ppid", desk_users["op1"])
