"""What a LAPOR reporter can do next when the report is late (issue 16): ``next_steps`` of the status page and
``GET /api/v2/tickets/<number>/`` (``ServiceDefinition.citizen_options``; shape in :mod:`layanan.ppid.options`)."""

from __future__ import annotations

from datetime import date

from django.utils import timezone
from django.utils.translation import gettext

__all__ = ["report_options"]


def report_options(ticket, today: date | None = None) -> list[dict]:
    """A report still open after its due date: the reporter may complain to the Ombudsman Republik Indonesia
    about the delay (maladministration, UU 37/2008 Pasal 1 angka 3 and Pasal 23; Perpres 76/2013 Pasal 20).
    ``code`` ``"ombudsman"``, no end date."""
    today = today or timezone.localdate()
    is_open = not ticket.machine.state(ticket.status).final
    if not is_open or ticket.due_date is None or today <= ticket.due_date:
        return []
    return [
        {
            "code": "ombudsman",
            "label": gettext("Complain to the Ombudsman"),
            "explanation": gettext(
                "Your report was not followed up by its due date. Besides waiting for the answer, you may report "
                "the delay to the Ombudsman Republik Indonesia (ombudsman.go.id, telephone 137), quoting your "
                "tracking number (UU 37/2008; Perpres 76/2013)."
            ),
            "until": None,
        }
    ]
