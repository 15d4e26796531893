"""Deadline rules and working-day calendar tunables of the service desk, with their legal sources.

Every figure here is a default that an install can override in its Django settings (environment-driven
settings module), so a ministry whose reading of a regulation differs changes data, not code:

- ``PESAN_DEADLINE_RULES``: overrides or adds deadline rules. A dict keyed ``"service/milestone"`` (or a
  ``(service, milestone)`` tuple); each value is a dict of the :class:`DeadlineRule` fields to change
  (``days``, ``unit``, ``legal_source``, ``label``, ``max_uses``) or a whole :class:`DeadlineRule`. Example::

      PESAN_DEADLINE_RULES = {"lapor/first_response": {"days": 3, "legal_source": "SOP Biro Humas 2026"}}

- The zone in which receipt times are read and dates are counted is the institution's zone, Django's
  ``TIME_ZONE`` (environment ``TIME_ZONE``, default ``Asia/Jakarta``), shown as "WIB", "WITA" or "WIT"
  (:mod:`pesan_cms.timezones`; ``PESAN_CALENDAR_TIMEZONE_LABEL`` overrides the label). A
  ``PESAN_CALENDAR_TIMEZONE`` naming another zone is refused by a system check.
- ``PESAN_EARLY_RECEIPT_COUNTS_SAME_DAY`` (default ``False``): the domain rule — a submission received outside
  office hours counts from the next working day, before opening time as after closing time. ``True`` counts a
  submission received on a working day *before* office hours start from that same day (the office has not yet
  closed on it): stricter on the body, and a citizen's window counted from a notice sent before opening time
  (objection, Komisi Informasi) is then one working day shorter.
- ``PESAN_HOLIDAYS_COUNTRY`` (``"ID"``) and ``PESAN_HOLIDAYS_SUBDIVISION`` (``None``): what
  ``manage.py sync_holidays`` asks the ``holidays`` package for.
- ``PESAN_SYNC_HOLIDAYS_ON_MIGRATE`` (default ``True``): seed the holiday table after ``migrate`` when empty.
- ``PESAN_DEADLINE_MAX_DAYS`` (default 366): largest ``days`` the public calculator accepts.

Office hours and whether cuti bersama is a non-working day are *admin* settings
(:class:`layanan.calendar.models.WorkCalendarSettings`, "Kalender kerja"), not Django settings: an operator
changes them.

Sources: working days and day 0 — domain reference "Working days"; PPID — UU 14/2008 (KIP) Pasal 22, 35-37;
SP4N-LAPOR — Perpres 76/2013 and PermenPANRB 62/2018 (figures not yet read in the official text: ``verified``
False); WBS — Permenko Marves 3/2022 names no
deadline, the defaults are international practice.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

__all__ = [
    "DEFAULT_DEADLINE_RULES",
    "UNIT_CALENDAR",
    "UNIT_WORKING",
    "UNITS",
    "DeadlineRule",
    "deadline_max_days",
    "deadline_rules",
    "early_receipt_counts_same_day",
    "get_deadline_rule",
    "holidays_country",
    "holidays_subdivision",
    "sync_holidays_on_migrate",
]

#: Working days (hari kerja): Monday-Friday minus active holidays (and cuti bersama unless switched off).
UNIT_WORKING = "working"
#: Calendar days (hari kalender): every day counts.
UNIT_CALENDAR = "calendar"
UNITS = (UNIT_WORKING, UNIT_CALENDAR)


@dataclass(frozen=True)
class DeadlineRule:
    """One legal or policy time limit of a service.

    ``service``: ``ppid``, ``objection``, ``lapor``, ``wbs`` or ``social``; ``milestone``: e.g. ``answer``;
    ``days`` counted in ``unit`` (``"working"`` or ``"calendar"``) from day 0; ``legal_source``: the article
    that sets it, as shown to citizens; ``label``: what the deadline is, for people; ``max_uses``: how often the
    rule may be applied to one ticket (``1`` for the one PPID extension), ``None`` when it is not limited;
    ``verified``: False for a figure not yet read in the official text (a note for the maintainers and
    docs/deployment.md, never shown to a citizen — an operator confirms or changes it in ``PESAN_DEADLINE_RULES``).
    """

    service: str
    milestone: str
    days: int
    unit: str
    legal_source: str
    label: str | Promise = ""
    max_uses: int | None = None
    verified: bool = True

    @property
    def key(self) -> str:
        """``"service/milestone"``, the key used by ``PESAN_DEADLINE_RULES``."""
        return f"{self.service}/{self.milestone}"


DEFAULT_DEADLINE_RULES: tuple[DeadlineRule, ...] = (
    # PPID: public-information requests (UU 14/2008 on Keterbukaan Informasi Publik).
    DeadlineRule("ppid", "answer", 10, UNIT_WORKING, "UU 14/2008 Pasal 22(7)", _("Written answer to the request")),
    DeadlineRule(
        "ppid",
        "extension",
        7,
        UNIT_WORKING,
        "UU 14/2008 Pasal 22(8)",
        _("Extension of the answer (once, with written reasons)"),
        max_uses=1,
    ),
    # Delivering the information after the decision: the written notice states the time needed (UU 14/2008
    # Pasal 22(7)); by default it is due by the answer's own due date (0 WD after it, the extension included).
    # An install that gives the body more time sets ``PESAN_DEADLINE_RULES["ppid/delivery"]`` (days after the
    # answer's due date) with its own source. A delivery after this date is objection ground (g), Pasal 35(1)(g).
    DeadlineRule(
        "ppid",
        "delivery",
        0,
        UNIT_WORKING,
        "UU 14/2008 Pasal 22(7)",
        _("Information delivered (after the answer's due date)"),
    ),
    # Objections (keberatan) to the Atasan PPID.
    DeadlineRule(
        "objection",
        "filing_window",
        30,
        UNIT_WORKING,
        "UU 14/2008 Pasal 36(1)",
        _("Objection filed after the reason arose"),
    ),
    DeadlineRule("objection", "answer", 30, UNIT_WORKING, "UU 14/2008 Pasal 36(2)", _("Answer of the Atasan PPID")),
    DeadlineRule(
        "objection",
        "komisi_informasi",
        14,
        UNIT_WORKING,
        "UU 14/2008 Pasal 37",
        _("Dispute filed with the Komisi Informasi after the answer"),
    ),
    DeadlineRule(
        "objection",
        "komisi_informasi_unanswered",
        14,
        UNIT_WORKING,
        "Perki 1/2013 Pasal 13",
        _("Dispute filed with the Komisi Informasi after the answer period lapsed without an answer"),
    ),
    # SP4N-LAPOR!: complaints and aspirations. Figures not read in the official text: ``verified=False``.
    DeadlineRule(
        "lapor",
        "verification",
        3,
        UNIT_WORKING,
        "Perpres 76/2013; PermenPANRB 62/2018",
        _("Verification of the report"),
        verified=False,
    ),
    DeadlineRule(
        "lapor",
        "first_response",
        5,
        UNIT_WORKING,
        "Perpres 76/2013; PermenPANRB 62/2018",
        _("First response to the reporter"),
        verified=False,
    ),
    DeadlineRule(
        "lapor",
        "completion",
        14,
        UNIT_WORKING,
        "Perpres 76/2013; PermenPANRB 62/2018",
        _("Follow-up completed"),
        verified=False,
    ),
    DeadlineRule(
        "lapor",
        "completion_field_examination",
        60,
        UNIT_CALENDAR,
        "Perpres 76/2013",
        _("Follow-up completed when a field examination is needed"),
        verified=False,
    ),
    # WBS: no deadline in Permenko Marves 3/2022; defaults from international practice.
    DeadlineRule(
        "wbs",
        "acknowledge",
        7,
        UNIT_CALENDAR,
        "Praktik internasional (pengaturan)",
        _("Acknowledgement to the whistleblower"),
    ),
    DeadlineRule(
        "wbs",
        "feedback",
        90,
        UNIT_CALENDAR,
        "Praktik internasional (pengaturan)",
        _("Feedback to the whistleblower on the follow-up"),
    ),
    # Social-media messages: no statutory deadline; a service standard of the body (setting).
    DeadlineRule(
        "social",
        "triage",
        1,
        UNIT_WORKING,
        "Standar layanan (pengaturan)",
        _("Triage of the social-media message"),
    ),
)


def _rule_key(key) -> tuple[str, str]:
    if isinstance(key, tuple | list) and len(key) == 2:
        return str(key[0]), str(key[1])
    if isinstance(key, str) and key.count("/") == 1:
        service, milestone = key.split("/")
        return service, milestone
    raise ImproperlyConfigured(f'PESAN_DEADLINE_RULES: key {key!r} must be "service/milestone".')


def _check_rule(rule: DeadlineRule) -> DeadlineRule:
    if isinstance(rule.days, bool) or not isinstance(rule.days, int) or rule.days < 0:
        raise ImproperlyConfigured(f"PESAN_DEADLINE_RULES[{rule.key!r}]: days must be an integer >= 0.")
    if rule.unit not in UNITS:
        raise ImproperlyConfigured(f"PESAN_DEADLINE_RULES[{rule.key!r}]: unit must be one of {UNITS}.")
    if rule.max_uses is not None and (not isinstance(rule.max_uses, int) or rule.max_uses < 1):
        raise ImproperlyConfigured(f"PESAN_DEADLINE_RULES[{rule.key!r}]: max_uses must be None or >= 1.")
    return rule


def deadline_rules() -> dict[tuple[str, str], DeadlineRule]:
    """All deadline rules, ``{(service, milestone): DeadlineRule}``: the defaults above merged with the
    ``PESAN_DEADLINE_RULES`` setting (read on every call, so ``override_settings`` works).

    Raises ``ImproperlyConfigured`` for a malformed override (bad key, negative days, unknown unit).
    """
    rules = {(r.service, r.milestone): r for r in DEFAULT_DEADLINE_RULES}
    overrides = getattr(settings, "PESAN_DEADLINE_RULES", None) or {}
    for raw_key, value in overrides.items():
        service, milestone = _rule_key(raw_key)
        if isinstance(value, DeadlineRule):
            rule = dataclasses.replace(value, service=service, milestone=milestone)
        elif isinstance(value, dict):
            unknown = set(value) - {"days", "unit", "legal_source", "label", "max_uses"}
            if unknown:
                raise ImproperlyConfigured(f"PESAN_DEADLINE_RULES[{raw_key!r}]: unknown fields {sorted(unknown)}.")
            base = rules.get((service, milestone))
            if base is None:
                missing = {"days", "unit", "legal_source"} - set(value)
                if missing:
                    raise ImproperlyConfigured(
                        f"PESAN_DEADLINE_RULES[{raw_key!r}]: a new rule needs {sorted(missing)}."
                    )
                base = DeadlineRule(service, milestone, 0, UNIT_WORKING, "")
            rule = dataclasses.replace(base, **value)
        else:
            raise ImproperlyConfigured(f"PESAN_DEADLINE_RULES[{raw_key!r}] must be a dict or a DeadlineRule.")
        rules[(service, milestone)] = _check_rule(rule)
    return rules


def get_deadline_rule(service: str, milestone: str) -> DeadlineRule:
    """The :class:`DeadlineRule` for ``service``/``milestone``; ``KeyError`` naming the pair when unknown."""
    try:
        return deadline_rules()[(service, milestone)]
    except KeyError:
        raise KeyError(f"No deadline rule for {service}/{milestone}") from None


def early_receipt_counts_same_day() -> bool:
    """Whether a submission on a working day before office hours start counts that day as day 0 (default no: the
    domain rule, "received outside office hours counts as received on the next working day")."""
    return bool(getattr(settings, "PESAN_EARLY_RECEIPT_COUNTS_SAME_DAY", False))


def holidays_country() -> str:
    """Country code given to the ``holidays`` package by ``sync_holidays`` (default ``"ID"``)."""
    return getattr(settings, "PESAN_HOLIDAYS_COUNTRY", "ID")


def holidays_subdivision() -> str | None:
    """Optional subdivision given to the ``holidays`` package (default ``None``: national list only)."""
    return getattr(settings, "PESAN_HOLIDAYS_SUBDIVISION", None)


def sync_holidays_on_migrate() -> bool:
    """Whether ``migrate`` seeds the holiday table when it is empty (default yes)."""
    return bool(getattr(settings, "PESAN_SYNC_HOLIDAYS_ON_MIGRATE", True))


def deadline_max_days() -> int:
    """Largest ``days`` the public deadline calculator accepts (default 366)."""
    return int(getattr(settings, "PESAN_DEADLINE_MAX_DAYS", 366))
