"""What a PPID applicant can do next when an answer is refused, late or missing (issue 16) — shown on the status
page and in ``GET /api/v2/tickets/<number>/`` as ``next_steps`` (``ServiceDefinition.citizen_options``).

Each step: ``{"code", "label", "explanation", "until"}`` — ``until`` the last WIB date (working days counted by
the calendar) on which the step can be taken, or None. Legal sources: UU 14/2008 Pasal 35–37 and Perki 1/2013
Pasal 13 (``../shared/design/domain.md``).
"""

from __future__ import annotations

from datetime import date

from django.utils import formats, timezone
from django.utils.translation import gettext

from layanan.ppid.windows import komisi_informasi_until, objection_window

__all__ = ["objection_options", "request_options"]


def _date(value: date) -> str:
    return formats.date_format(value, "j F Y")


def request_options(ticket, today: date | None = None) -> list[dict]:
    """A request that was decided, or whose due date passed unanswered, may be objected to until the last day
    of its 30-WD window (UU 14/2008 Pasal 35(1), 36(1); :func:`layanan.ppid.windows.objection_window`) —
    once: not when an objection against it was already filed. ``code`` ``"objection"``; the site's button opens
    the objection form with the request's number filled in."""
    today = today or timezone.localdate()
    overdue = ticket.responded_at is None and ticket.due_date is not None and today > ticket.due_date
    if ticket.responded_at is None and not overdue:
        return []
    _day0, last, _basis = objection_window(ticket)
    if today > last or ticket.objections.exists():  # the window first: no query once it has closed
        return []
    if overdue:
        explanation = gettext(
            "Your request was not answered by its due date. You may file an objection (reason c: the request "
            "was not answered) until %(date)s; the Atasan PPID must answer it within 30 working days "
            "(UU 14/2008 Pasal 35–36)."
        )
    else:
        explanation = gettext(
            "If you do not accept the answer, you may file an objection until %(date)s; the Atasan PPID must "
            "answer it within 30 working days (UU 14/2008 Pasal 35–36)."
        )
    return [
        {
            "code": "objection",
            "label": gettext("File an objection"),
            "explanation": explanation % {"date": _date(last)},
            "until": last,
        }
    ]


def objection_options(ticket, today: date | None = None) -> list[dict]:
    """After the Atasan PPID's answer, or when the 30-WD answer period lapsed without one, the applicant may take
    a dispute to the Komisi Informasi within 14 working days (UU 14/2008 Pasal 37; Perki 1/2013 Pasal 13) —
    until the date of the one rule :func:`layanan.ppid.windows.komisi_informasi_deadline` (stored on the
    objection, recomputed when holidays change). ``code`` ``"komisi_informasi"``."""
    today = today or timezone.localdate()
    until = komisi_informasi_until(ticket, today)
    if until is None:
        return []
    return [
        {
            "code": "komisi_informasi",
            "label": gettext("Take a dispute to the Komisi Informasi"),
            "explanation": gettext(
                "If you do not accept the answer to your objection, or it was not answered in time, you may file "
                "a request for dispute settlement with the Komisi Informasi until %(date)s "
                "(UU 14/2008 Pasal 37; Perki 1/2013 Pasal 13)."
            )
            % {"date": _date(until)},
            "until": until,
        }
    ]
