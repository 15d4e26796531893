"""Working-day calendar: day 0, working/calendar-day deadlines, extensions, remaining days (layanan.calendar.workdays).

Holidays come from ``manage.py sync_holidays`` (the ``holidays`` package), never from hand-entered rows,
except where a test is about a hand-entered row.
"""

import datetime

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.utils import translation

from layanan.calendar import workdays as cal
from layanan.calendar.conf import DEFAULT_DEADLINE_RULES
from layanan.calendar.models import Holiday
from tests.layanan.conftest import wib

D = datetime.date
UTC = datetime.UTC


def due(received_at, days=10, unit="working"):
    return cal.compute_deadline(received_at, days, unit).due_date


# --- Must show (issue 3): 2026 Nyepi / Lebaran ----------------------------------------------------------------


def test_ppid_request_friday_morning_is_due_monday_6_april(synced_holidays):
    deadline = cal.compute_deadline(wib(2026, 3, 13, 10, 0), 10, "working", "UU 14/2008 Pasal 22(7)")
    assert deadline.counting_from == D(2026, 3, 13)
    assert deadline.due_date == D(2026, 4, 6)
    assert deadline.due_date.weekday() == 0


def test_ppid_request_friday_after_hours_is_due_tuesday_7_april(synced_holidays):
    deadline = cal.compute_deadline(wib(2026, 3, 13, 17, 30), 10)
    assert deadline.counting_from == D(2026, 3, 16)
    assert deadline.due_date == D(2026, 4, 7)


def test_extension_of_seven_working_days_moves_it_to_wednesday_15_april(synced_holidays):
    first = cal.compute_deadline(wib(2026, 3, 13, 10, 0), 10)
    extended = cal.extend_deadline(first.due_date, 7, "UU 14/2008 Pasal 22(8)")
    assert extended.counting_from == D(2026, 4, 6)
    assert extended.due_date == D(2026, 4, 15)
    assert extended.received_at is None
    assert [s.date for s in extended.skipped] == [D(2026, 4, 11), D(2026, 4, 12)]


def test_ppid_rules_from_conf_give_the_same_dates(synced_holidays):
    answer = cal.deadline_rule("ppid", "answer")
    extension = cal.deadline_rule("ppid", "extension")
    base = cal.deadline_for(wib(2026, 3, 13, 10, 0), "ppid", "answer")
    assert (answer.days, answer.unit, base.legal_source) == (10, "working", "UU 14/2008 Pasal 22(7)")
    assert base.due_date == D(2026, 4, 6)
    assert extension.max_uses == 1
    assert cal.extend_deadline(base.due_date, extension.days).due_date == D(2026, 4, 15)


def test_skipped_days_list_weekends_and_holidays_with_names(synced_holidays):
    deadline = cal.compute_deadline(wib(2026, 3, 13, 10, 0), 10)
    skipped = {s.date: s.name for s in deadline.skipped}
    assert list(skipped) == sorted(skipped)
    assert set(skipped) == {
        D(2026, 3, 14),
        D(2026, 3, 15),
        D(2026, 3, 18),
        D(2026, 3, 19),
        D(2026, 3, 20),
        D(2026, 3, 21),
        D(2026, 3, 22),
        D(2026, 3, 23),
        D(2026, 3, 24),
        D(2026, 3, 28),
        D(2026, 3, 29),
        D(2026, 4, 3),
        D(2026, 4, 4),
        D(2026, 4, 5),
    }
    assert skipped[D(2026, 3, 14)] == "Sabtu"
    assert skipped[D(2026, 3, 15)] == "Minggu"
    assert skipped[D(2026, 3, 19)] == "Hari Suci Nyepi"
    assert skipped[D(2026, 3, 18)].startswith("Cuti Bersama")
    assert "Idul Fitri" in skipped[D(2026, 3, 21)] and "Sabtu" in skipped[D(2026, 3, 21)]
    assert skipped[D(2026, 4, 3)] == "Wafat Yesus Kristus"
    # day 0 and the due date are never "skipped"
    assert deadline.counting_from not in skipped and deadline.due_date not in skipped


def test_explanation_is_an_indonesian_sentence_naming_the_skipped_days(synced_holidays):
    with translation.override("id"):
        text = cal.compute_deadline(wib(2026, 3, 13, 10, 0), 10, legal_source="UU 14/2008 Pasal 22(7)").explain()
    assert text.startswith("Diterima 13 Maret 2026 10.00 WIB; dihitung sejak 13 Maret 2026; +10 hari kerja")
    assert "melewati" in text
    for name in ("Hari Suci Nyepi", "Cuti Bersama Hari Raya Idul Fitri", "Wafat Yesus Kristus", "18 Mar", "Sabtu"):
        assert name in text
    assert text.endswith("jatuh tempo 6 April 2026 (UU 14/2008 Pasal 22(7)).")


def test_explanation_says_why_day_zero_moved(synced_holidays):
    with translation.override("id"):
        after_hours = cal.compute_deadline(wib(2026, 3, 13, 17, 30), 10).explain()
        on_sunday = cal.compute_deadline(wib(2026, 3, 15, 9, 0), 10).explain()
    assert "17.30 WIB (di luar jam kerja 08.00–16.00 WIB); dihitung sejak 16 Maret 2026" in after_hours
    assert "(hari libur: Minggu); dihitung sejak 16 Maret 2026" in on_sunday
    assert after_hours.endswith("jatuh tempo 7 April 2026.")


def test_explanation_follows_the_active_language(synced_holidays):
    with translation.override("en"):
        text = cal.compute_deadline(wib(2026, 3, 13, 10, 0), 10).explain()
    assert text.startswith("Received 13 March 2026 10.00 WIB; counted from 13 March 2026; +10 working days")
    assert text.endswith("due 6 April 2026.")


def test_as_dict_shape(synced_holidays):
    data = cal.compute_deadline(wib(2026, 3, 13, 9, 0).astimezone(UTC), 10, legal_source="X").as_dict()
    assert data["received_at"] == "2026-03-13T09:00:00+07:00"
    assert data["counting_from"] == "2026-03-13"
    assert data["due_date"] == "2026-04-06"
    assert data["unit"] == "working" and data["days"] == 10 and data["legal_source"] == "X"
    assert {"date": "2026-03-19", "name": "Hari Suci Nyepi"} in data["skipped"]
    assert data["explanation"].endswith("(X).")


# --- day 0: office hours, weekends, holidays, time zones ------------------------------------------------------


@pytest.mark.parametrize(
    ("received", "day0"),
    [
        (wib(2026, 3, 13, 0, 0), D(2026, 3, 16)),  # midnight: outside office hours (domain rule)
        (wib(2026, 3, 13, 7, 59), D(2026, 3, 16)),  # before opening is outside office hours too
        (wib(2026, 3, 13, 8, 0), D(2026, 3, 13)),
        (wib(2026, 3, 13, 15, 59, 59), D(2026, 3, 13)),
        (wib(2026, 3, 13, 16, 0), D(2026, 3, 16)),  # closing time is already after hours
        (wib(2026, 3, 13, 23, 59), D(2026, 3, 16)),
        (wib(2026, 3, 14, 10, 0), D(2026, 3, 16)),  # Saturday
        (wib(2026, 3, 15, 10, 0), D(2026, 3, 16)),  # Sunday
        (wib(2026, 3, 17, 16, 30), D(2026, 3, 25)),  # Tuesday after hours, then Nyepi + Lebaran
        (wib(2026, 3, 19, 10, 0), D(2026, 3, 25)),  # Nyepi (national holiday)
        (wib(2026, 3, 24, 10, 0), D(2026, 3, 25)),  # cuti bersama
    ],
)
def test_counting_start(synced_holidays, received, day0):
    assert cal.counting_start(received) == day0


def test_receipt_on_a_holiday_counts_from_the_next_working_day(synced_holidays):
    deadline = cal.compute_deadline(wib(2026, 3, 19, 10, 0), 10)
    assert deadline.counting_from == D(2026, 3, 25)
    assert deadline.due_date == D(2026, 4, 9)


@pytest.mark.parametrize(
    ("received_utc", "day0"),
    [
        (datetime.datetime(2026, 3, 13, 2, 0, tzinfo=UTC), D(2026, 3, 13)),  # 09:00 WIB
        (datetime.datetime(2026, 3, 13, 8, 59, tzinfo=UTC), D(2026, 3, 13)),  # 15:59 WIB
        (datetime.datetime(2026, 3, 13, 9, 0, tzinfo=UTC), D(2026, 3, 16)),  # 16:00 WIB
        (datetime.datetime(2026, 3, 12, 17, 30, tzinfo=UTC), D(2026, 3, 16)),  # Fri 00:30 WIB, still Thu in UTC
        (datetime.datetime(2026, 3, 13, 1, 0, tzinfo=UTC), D(2026, 3, 13)),  # Fri 08:00 WIB: opening time
        (datetime.datetime(2026, 3, 15, 20, 0, tzinfo=UTC), D(2026, 3, 17)),  # Mon 03:00 WIB, Sun in UTC
    ],
)
def test_received_in_utc_is_read_in_wib(synced_holidays, received_utc, day0):
    assert cal.counting_start(received_utc) == day0


def test_other_offsets_are_converted(synced_holidays):
    # 12:00 in UTC+9 (WIT) is 10:00 WIB
    wit = datetime.timezone(datetime.timedelta(hours=9))
    assert due(datetime.datetime(2026, 3, 13, 12, 0, tzinfo=wit)) == D(2026, 4, 6)
    assert due(datetime.datetime(2026, 3, 13, 18, 30, tzinfo=wit)) == D(2026, 4, 7)  # 16:30 WIB


def test_naive_datetimes_are_refused(synced_holidays):
    with pytest.raises(ValueError, match="naive"):
        cal.counting_start(datetime.datetime(2026, 3, 13, 10, 0))
    with pytest.raises(ValueError):
        cal.compute_deadline(datetime.datetime(2026, 3, 13, 10, 0), 10)


def test_bad_days_and_units_are_refused(synced_holidays):
    with pytest.raises(ValueError):
        cal.compute_deadline(wib(2026, 3, 13, 10), -1)
    with pytest.raises(ValueError):
        cal.compute_deadline(wib(2026, 3, 13, 10), 10, unit="weeks")
    with pytest.raises(TypeError):
        cal.add_working_days(D(2026, 3, 13), 2.5)


def test_office_hours_setting_is_used(synced_holidays, work_calendar):
    assert cal.counting_start(wib(2026, 3, 13, 15, 30)) == D(2026, 3, 13)
    work_calendar.office_end = datetime.time(15, 0)
    work_calendar.save()
    assert cal.counting_start(wib(2026, 3, 13, 15, 30)) == D(2026, 3, 16)
    assert due(wib(2026, 3, 13, 15, 30)) == D(2026, 4, 7)


def test_before_opening_can_be_configured_to_count_from_the_same_day(synced_holidays, settings):
    settings.PESAN_EARLY_RECEIPT_COUNTS_SAME_DAY = True
    assert cal.counting_start(wib(2026, 3, 13, 7, 59)) == D(2026, 3, 13)
    assert cal.counting_start(wib(2026, 3, 13, 8, 0)) == D(2026, 3, 13)
    assert cal.counting_start(wib(2026, 3, 13, 16, 0)) == D(2026, 3, 16)  # after closing: still the next day
    assert cal.counting_start(wib(2026, 3, 14, 7, 0)) == D(2026, 3, 16)  # a Saturday morning: still Monday


def test_before_opening_counts_from_the_next_working_day_with_its_note(synced_holidays):
    deadline = cal.compute_deadline(wib(2026, 3, 13, 7, 30), 10)
    assert deadline.counting_from == D(2026, 3, 16)
    assert deadline.due_date == D(2026, 4, 7)  # 18–24 March (Nyepi, cuti bersama) and Good Friday 3 April skipped
    assert "di luar jam kerja 08.00–16.00 WIB" in deadline.explain()
    assert [s.name for s in deadline.skipped_before] == ["Sabtu", "Minggu"]


def test_cuti_bersama_switched_off_makes_them_working_days(synced_holidays, work_calendar):
    assert due(wib(2026, 3, 13, 10, 0)) == D(2026, 4, 6)
    work_calendar.cuti_bersama_is_non_working = False
    work_calendar.save()
    deadline = cal.compute_deadline(wib(2026, 3, 13, 10, 0), 10)
    # 18, 20, 23 and 24 March are now worked; Nyepi (19) still is not
    assert deadline.due_date == D(2026, 3, 30)
    names = [s.name for s in deadline.skipped]
    assert "Hari Suci Nyepi" in names
    assert not any(n.startswith("Cuti Bersama") for n in names)
    assert cal.is_working_day(D(2026, 3, 18))
    assert cal.counting_start(wib(2026, 3, 24, 10, 0)) == D(2026, 3, 24)


# --- other years ------------------------------------------------------------------------------------------------


def test_year_boundary_christmas_cuti_bersama_and_new_year(synced_holidays):
    deadline = cal.compute_deadline(wib(2026, 12, 22, 10, 0), 10)
    skipped = {s.date: s.name for s in deadline.skipped}
    assert skipped[D(2026, 12, 24)].startswith("Cuti Bersama")
    assert skipped[D(2026, 12, 25)] == "Hari Raya Natal"
    assert skipped[D(2027, 1, 1)] == "Tahun Baru Masehi"
    assert "Isra Mikraj" in skipped[D(2027, 1, 5)]
    assert deadline.due_date == D(2027, 1, 11)
    with translation.override("id"):
        text = deadline.explain()
    assert "24 Des 2026 (Cuti Bersama Hari Raya Natal)" in text and "jatuh tempo 11 Januari 2027" in text


def test_received_on_new_years_eve_after_hours(synced_holidays):
    deadline = cal.compute_deadline(wib(2026, 12, 31, 16, 5), 3)
    assert deadline.counting_from == D(2027, 1, 4)  # 1 Jan holiday, 2-3 Jan weekend
    assert deadline.due_date == D(2027, 1, 8)  # 5 Jan Isra Mikraj skipped


def test_lebaran_2025(synced_holidays):
    # Cuti bersama 28 Mar, Nyepi 29 Mar, Idul Fitri 31 Mar-1 Apr, cuti bersama 2-4 and 7 Apr, Good Friday 18 Apr
    deadline = cal.compute_deadline(wib(2025, 3, 27, 10, 0), 10)
    assert deadline.due_date == D(2025, 4, 22)
    assert cal.counting_start(wib(2025, 3, 31, 9, 0)) == D(2025, 4, 8)
    assert cal.working_days_between(D(2025, 3, 27), D(2025, 4, 8)) == 1


def test_lebaran_2027(synced_holidays):
    # Nyepi 8 Mar, cuti bersama 9/12/15 Mar, Idul Fitri 10-11 Mar (estimated), cuti 25 Mar, Good Friday 26 Mar
    assert due(wib(2027, 3, 5, 10, 0), 5) == D(2027, 3, 22)
    assert due(wib(2027, 3, 5, 10, 0), 10) == D(2027, 3, 31)
    assert cal.counting_start(wib(2027, 3, 5, 16, 0)) == D(2027, 3, 16)


# --- calendar days, rules ---------------------------------------------------------------------------------------


def test_calendar_day_rule_counts_every_day(synced_holidays):
    rule = cal.deadline_rule("lapor", "completion_field_examination")
    assert (rule.days, rule.unit) == (60, "calendar")
    deadline = cal.deadline_for(wib(2026, 3, 13, 10, 0), "lapor", "completion_field_examination")
    assert deadline.due_date == D(2026, 5, 12)
    assert deadline.skipped == ()
    assert deadline.unit == "calendar"
    # day 0 still follows office hours: received Saturday counts from Monday
    assert due(wib(2026, 3, 14, 10, 0), 7, "calendar") == D(2026, 3, 23)
    with translation.override("id"):
        assert "+60 hari kalender" in deadline.explain()


def test_add_working_days_from_a_date_and_zero_days(synced_holidays):
    assert cal.add_working_days(D(2026, 3, 17), 1).due_date == D(2026, 3, 25)
    assert cal.add_working_days(D(2026, 3, 17), 0).due_date == D(2026, 3, 17)
    assert cal.add_calendar_days(D(2026, 3, 17), 3).due_date == D(2026, 3, 20)


def test_default_rules_and_their_sources():
    expected = {
        ("ppid", "answer"): (10, "working", "Pasal 22(7)"),
        ("ppid", "extension"): (7, "working", "Pasal 22(8)"),
        ("objection", "filing_window"): (30, "working", "Pasal 36(1)"),
        ("objection", "answer"): (30, "working", "Pasal 36(2)"),
        ("objection", "komisi_informasi"): (14, "working", "Pasal 37"),
        ("lapor", "verification"): (3, "working", "PermenPANRB 62/2018"),
        ("lapor", "first_response"): (5, "working", "PermenPANRB 62/2018"),
        ("lapor", "completion"): (14, "working", "PermenPANRB 62/2018"),
        ("lapor", "completion_field_examination"): (60, "calendar", "Perpres 76/2013"),
        ("wbs", "acknowledge"): (7, "calendar", ""),
        ("wbs", "feedback"): (90, "calendar", ""),
    }
    for (service, milestone), (days, unit, source) in expected.items():
        rule = cal.deadline_rule(service, milestone)
        assert (rule.days, rule.unit) == (days, unit)
        assert source in rule.legal_source and rule.legal_source
        assert str(rule.label)
    with pytest.raises(KeyError):
        cal.deadline_rule("ppid", "nope")
    # a figure not yet read in the official text is marked for the maintainers, never in what a citizen reads
    assert not any("check" in rule.legal_source.lower() for rule in DEFAULT_DEADLINE_RULES)
    assert {r.milestone for r in DEFAULT_DEADLINE_RULES if not r.verified} >= {"verification", "completion"}


def test_rules_are_overridable_by_settings(settings, synced_holidays):
    settings.PESAN_DEADLINE_RULES = {
        "lapor/first_response": {"days": 3, "legal_source": "SOP 2026"},
        ("wbs", "triage"): {"days": 2, "unit": "working", "legal_source": "Keputusan Inspektur"},
    }
    first = cal.deadline_rule("lapor", "first_response")
    assert (first.days, first.unit, first.legal_source) == (3, "working", "SOP 2026")
    assert cal.deadline_rule("wbs", "triage").days == 2
    assert cal.deadline_rule("ppid", "answer").days == 10
    assert cal.deadline_for(wib(2026, 3, 13, 10), "lapor", "first_response").due_date == D(2026, 3, 25)
    settings.PESAN_DEADLINE_RULES = {"ppid/answer": {"unit": "fortnights"}}
    with pytest.raises(ImproperlyConfigured):
        cal.deadline_rule("ppid", "answer")
    settings.PESAN_DEADLINE_RULES = {"ppid/answer": {"days": -1}}
    with pytest.raises(ImproperlyConfigured):
        cal.deadline_rule("ppid", "answer")


# --- working days between, reasons ------------------------------------------------------------------------------


def test_working_days_between_positive_zero_negative(synced_holidays):
    assert cal.working_days_between(D(2026, 3, 13), D(2026, 4, 6)) == 10
    assert cal.working_days_between(D(2026, 4, 6), D(2026, 4, 6)) == 0
    assert cal.working_days_between(D(2026, 4, 6), D(2026, 4, 8)) == 2
    assert cal.working_days_between(D(2026, 4, 8), D(2026, 4, 6)) == -2
    assert cal.working_days_between(D(2026, 4, 2), D(2026, 4, 6)) == 1  # Good Friday + weekend
    assert cal.working_days_between(D(2026, 3, 14), D(2026, 3, 15)) == 0  # a weekend
    assert cal.working_days_between(D(2026, 3, 27), D(2026, 3, 17)) == -3  # overdue across Lebaran
    assert cal.remaining_working_days(D(2026, 4, 6), today=D(2026, 4, 7)) == -1


def walk(calendar, start, end) -> int:
    """The rule itself, day by day: working days after ``start`` up to ``end`` (negative backwards)."""
    sign, (lo, hi) = (1, (start, end)) if start <= end else (-1, (end, start))
    days = [lo + datetime.timedelta(days=i) for i in range(1, (hi - lo).days + 1)]
    return sign * sum(1 for d in days if calendar.non_working_reason(d) is None)


@pytest.mark.parametrize("cuti_bersama_off_work", [True, False])
def test_working_days_between_long_spans_follow_the_day_by_day_rule(synced_holidays, cuti_bersama_off_work):
    """Spans longer than two months are counted arithmetically (overdue tickets on the desk): every span from
    a few days to three years, forwards and backwards, any weekday, gives what walking the days gives."""
    import random

    calendar = cal.WorkCalendar(cuti_bersama_is_non_working=cuti_bersama_off_work)
    rng = random.Random(20261129)
    spans = [(D(2025, 1, 1), D(2027, 12, 31)), (D(2025, 3, 28), D(2025, 6, 2)), (D(2026, 3, 1), D(2026, 5, 3))]
    for _ in range(200):
        start = D(2025, 1, 1) + datetime.timedelta(days=rng.randrange(0, 1000))
        spans.append((start, start + datetime.timedelta(days=rng.randrange(-400, 700))))
    for start, end in spans:
        end = min(max(end, D(2025, 1, 1)), D(2027, 12, 31))
        assert calendar.working_days_between(start, end) == walk(calendar, start, end), (start, end)


def test_non_working_reason_and_is_working_day(synced_holidays):
    assert cal.non_working_reason(D(2026, 3, 14)) == "Sabtu"
    assert cal.non_working_reason(D(2026, 3, 15)) == "Minggu"
    assert cal.non_working_reason(D(2026, 3, 19)) == "Hari Suci Nyepi"
    assert cal.non_working_reason(D(2026, 3, 16)) is None
    assert cal.is_working_day(D(2026, 3, 16)) and not cal.is_working_day(D(2026, 3, 19))
    assert cal.next_working_day(D(2026, 3, 17)) == D(2026, 3, 25)


def test_inactive_holiday_is_a_working_day(synced_holidays):
    Holiday.objects.filter(date=D(2026, 4, 3)).update(is_active=False)
    assert cal.is_working_day(D(2026, 4, 3))
    assert due(wib(2026, 3, 13, 10, 0)) == D(2026, 4, 3)


def test_holidays_are_read_in_one_query(synced_holidays, work_calendar, django_assert_max_num_queries):
    # settings row + one holiday range, however long the walk
    with django_assert_max_num_queries(2):
        cal.compute_deadline(wib(2026, 12, 22, 10, 0), 30)
    with django_assert_max_num_queries(2):
        cal.working_days_between(D(2025, 1, 1), D(2026, 12, 31))
    calendar = cal.WorkCalendar.load()  # for bulk work: load once, reuse
    with django_assert_max_num_queries(1):
        calendar.preload(D(2026, 1, 1), D(2027, 3, 31))
        dues = [calendar.add_working_days(D(2026, month, 1), 10).due_date for month in range(1, 13)]
    assert dues[2] == D(2026, 3, 13)  # from Sunday 1 March: 2-6 and 9-13 March
    assert dues[3] == D(2026, 4, 16)  # from 1 April: Good Friday skipped
