"""Tunables of the PPID services, read as ``getattr(settings, "PESAN_...", default)`` so the defaults live here.

- ``PESAN_PPID_CLOCK_WHILE_INCOMPLETE`` — how the 10-working-day answer period (UU 14/2008 Pasal 22(7)) treats
  a request the PPID sent back for completion (status "needs completion"). Two readings of the law:

  - ``"runs"`` (default, the conservative reading): the clock keeps running from the receipt while the
    applicant completes the request, and the due date does not move. Source: UU 14/2008 Pasal 22(7) counts
    the 10 working days "sejak diterimanya permintaan" and names no pause; PP 61/2010 adds none. A body that
    follows it can never be late by the law's letter.
  - ``"from_completion"``: an incomplete request counts as received when it is complete — while it waits for
    the applicant no clock runs (the request is not overdue, and it is not counted as overdue in the reports),
    and the due date is computed afresh from the moment the completion is received (the applicant's own
    completion or the officer's "completion received"). Source: Perki 1/2021 (Standar Layanan Informasi
    Publik), under which a request is registered once the applicant has given the form's required particulars;
    an incomplete form is not yet a registered request. Not confirmed by a Komisi Informasi decision read
    for this project: choose it only on the body's own legal advice.

  ``ImproperlyConfigured`` for another value. docs/deployment.md ("PPID clock while a request is incomplete")
  describes both.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

__all__ = [
    "CLOCK_FROM_COMPLETION",
    "CLOCK_RUNS",
    "clock_runs_while_incomplete",
    "clock_while_incomplete",
]

#: The answer period keeps running while the applicant completes the request (default).
CLOCK_RUNS = "runs"
#: The request counts as received when complete: no clock while incomplete, due date from the completion.
CLOCK_FROM_COMPLETION = "from_completion"


def clock_while_incomplete() -> str:
    """``PESAN_PPID_CLOCK_WHILE_INCOMPLETE``: ``"runs"`` (default) or ``"from_completion"`` (see the module
    docstring for both readings and their sources); read on every call, so ``override_settings`` works."""
    value = getattr(settings, "PESAN_PPID_CLOCK_WHILE_INCOMPLETE", CLOCK_RUNS)
    if value not in (CLOCK_RUNS, CLOCK_FROM_COMPLETION):
        raise ImproperlyConfigured(
            f"PESAN_PPID_CLOCK_WHILE_INCOMPLETE must be {CLOCK_RUNS!r} or {CLOCK_FROM_COMPLETION!r}, got {value!r}."
        )
    return value


def clock_runs_while_incomplete() -> bool:
    """True while the answer period runs during "needs completion" (the ``"runs"`` reading)."""
    return clock_while_incomplete() == CLOCK_RUNS
