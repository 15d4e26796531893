"""Retention: closed tickets keep personal data only for the period set per service, then lose it (issue 15).

Legal basis: UU 43/2009 tentang Kearsipan (records are kept for the period of the body's retention schedule,
*Jadwal Retensi Arsip*) and UU 27/2022 tentang Pelindungan Data Pribadi Pasal 43 (personal data are erased
once no longer needed). The period is a setting per service (:class:`RetentionRule`, admin "Retensi data"),
because it is the body's own schedule; the default (5 years after closing) is a placeholder to review.

:func:`run` (daily django-q2 schedule, ``layanan.core.setup``; ``manage.py apply_retention``):

1. **Notice**: the officers of each service (its desk permissions; WBS: the Inspektorat only) get one e-mail
   listing the tickets whose period ends within the rule's ``notice_days`` — each ticket announced once
   (``RetentionLog`` step ``noticed``).
2. **Apply**, for tickets whose period has ended (``closed_at`` WIB date + ``keep_years`` calendar years ≤
   today, WIB): *anonymise* — applicant name, NIK, e-mail and phone, the description, every step's note and
   every message's text and the satisfaction rating's comment emptied, the files deleted (after the commit),
   the service's own personal data removed (``ServiceDefinition.anonymise``), ``anonymised_at`` set and an
   ``anonymised`` step recorded; or *delete* the ticket. Each ticket in its own transaction; each recorded in
   ``RetentionLog``. **Never** a ticket under objection or Komisi Informasi dispute
   (``ServiceDefinition.retention_hold``), nor one that tickets still open came from.
3. **Housekeeping**: login-failure records older than ``PESAN_AXES_KEEP_DAYS``
   (default 30) are deleted.

Returns a :class:`RetentionReport` (counts). Dates are WIB calendar dates.
"""

from __future__ import annotations

import datetime
import functools
import logging
from dataclasses import dataclass, field

from axes.models import AccessAttempt, AccessFailureLog
from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext

from layanan.core import registry
from layanan.core.deadlines import today_wib
from layanan.core.events import record_event
from layanan.core.models.messages import Message
from layanan.core.models.outbox import OutboxTask
from layanan.core.models.ratings import ServiceRating
from layanan.core.models.retention import RetentionLog, RetentionRule
from layanan.core.models.tickets import Ticket, TimelineEntry, private_storage
from layanan.core.notifications import officers_for
from layanan.core.signals import ticket_anonymised
from layanan.core.workflow import open_statuses_q

__all__ = [
    "STRUCTURAL_DATA_KEYS",
    "RetentionReport",
    "delete_files",
    "due_date",
    "ensure_rules",
    "run",
    "strip_personal_data",
]

#: Keys of a step's ``data`` whose text values are codes or numbers, kept by the anonymisation (the reports
#: count by them); every other text in ``data`` (reasons, notes typed by officers or citizens) is removed.
STRUCTURAL_DATA_KEYS = frozenset(
    {
        "channel",
        "due_date",
        "old_due_date",
        "outcome",
        "exemption_ground",
        "decision",
        "classification",
        "violation_type",
        "from",
        "transferred_to",
        "created_ticket",
        "unit",
        "category",
        "target",
        "keep_years",
    }
)

logger = logging.getLogger(__name__)


@dataclass
class RetentionReport:
    """What one run did: tickets announced, anonymised, deleted, held (under objection/dispute), rows cleaned."""

    noticed: int = 0
    anonymised: int = 0
    deleted: int = 0
    held: list[str] = field(default_factory=list)
    failed: int = 0
    housekeeping: int = 0


def ensure_rules() -> None:
    """One :class:`RetentionRule` per registered service (defaults; existing rows are left as edited)."""
    for service in registry.all_services():
        RetentionRule.objects.get_or_create(service=service.code)


def _add_years(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def due_date(ticket, rule: RetentionRule) -> datetime.date | None:
    """The WIB date the ticket's retention period ends (None while it is not closed)."""
    if ticket.closed_at is None:
        return None
    return _add_years(timezone.localtime(ticket.closed_at).date(), rule.keep_years)


def _candidates(rule: RetentionRule, until: datetime.date):
    """Closed, not yet anonymised tickets of the rule's service whose period ends on or before ``until``."""
    closed_before = _add_years(until, -rule.keep_years) + datetime.timedelta(days=1)  # closed_at date <= this - 1
    limit = timezone.make_aware(datetime.datetime.combine(closed_before, datetime.time.min))
    return (
        Ticket.objects.filter(service=rule.service, closed_at__isnull=False, closed_at__lt=limit)
        .filter(anonymised_at__isnull=True)
        .exclude(open_statuses_q())
        .order_by("closed_at", "pk")
    )


def _held(ticket) -> bool:
    definition = registry.find(ticket.service)
    if definition is not None and definition.retention_hold is not None and definition.retention_hold(ticket):
        return True
    return ticket.derived_tickets.filter(open_statuses_q()).exists()


def _notify(rule: RetentionRule, today: datetime.date, report: RetentionReport) -> None:
    horizon = today + datetime.timedelta(days=rule.notice_days)
    coming = []
    for ticket in _candidates(rule, horizon):
        due = due_date(ticket, rule)
        try:
            with transaction.atomic():
                RetentionLog.objects.create(
                    service=rule.service, tracking_number=ticket.tracking_number, step="noticed", due=due
                )
        except IntegrityError:
            continue  # announced before
        coming.append((ticket, due))
    if not coming:
        return
    recipients = list(officers_for(rule.service).values_list("email", flat=True))
    if recipients:
        label = registry.get(rule.service).label
        context = {"service": label, "tickets": coming, "rule": rule}
        body = render_to_string("layanan/email/retention_notice.txt", context)
        subject = gettext("Personal data to be removed: %(count)s %(service)s ticket(s)") % {
            "count": len(coming),
            "service": label,
        }
        send_mail(subject, body, None, recipients)
    report.noticed += len(coming)


def delete_files(names: list[str]) -> None:
    """Remove stored private files by name (run after the commit of an anonymised, deleted or reset ticket).

    ``names``: storage names in the private storage; a missing file is ignored by the storage.
    """
    storage = private_storage()
    for name in names:
        storage.delete(name)


def strip_personal_data(ticket, subject: str) -> None:
    """Leave a stub of ``ticket``: what was done and when, not what was written nor by whom it was sent.

    Removes the service's own personal data (``ServiceDefinition.anonymise``), the files (deleted from the storage
    after the commit), every step's note and message text, the free-text values of step data (codes and numbers
    in :data:`STRUCTURAL_DATA_KEYS` stay), satisfaction comments, the applicant's name, NIK, e-mail and phone, the
    description and the extension reason; ``subject`` replaces the subject (a citizen's own words). Does not save
    the ticket. Used at the end of the retention period and when content moves into a WBS report
    (``layanan.wbs.services.seal_origin``: the Inspektorat alone may read it)."""
    files = [a.file.name for a in ticket.attachments.all()]
    definition = registry.find(ticket.service)
    if definition is not None and definition.anonymise is not None:
        definition.anonymise(ticket)
    ticket.attachments.all().delete()
    TimelineEntry.objects.filter(ticket=ticket).update(note="", note_sealed="")
    Message.objects.filter(ticket=ticket).update(text="", text_sealed="")
    ServiceRating.objects.filter(ticket=ticket).update(comment="")  # the scores stay for the satisfaction index
    for entry in TimelineEntry.objects.filter(ticket=ticket).exclude(data={}):
        kept = {k: v for k, v in entry.data.items() if not isinstance(v, str) or k in STRUCTURAL_DATA_KEYS}
        if kept != entry.data:
            TimelineEntry.objects.filter(pk=entry.pk).update(data=kept)
    ticket.applicant_name = ticket.applicant_email = ticket.applicant_phone = ""
    ticket.set_nik("")
    ticket.description = ""
    ticket.extension_reason = ""
    ticket.subject = subject
    if files:
        transaction.on_commit(functools.partial(delete_files, files))


def _anonymise(ticket, rule: RetentionRule, now) -> None:
    with translation.override(settings.LANGUAGE_CODE):
        strip_personal_data(ticket, gettext("(anonymised)"))
    TimelineEntry.objects.filter(ticket=ticket).update(actor_name="")  # the officers' names too, after the period
    ticket.anonymised_at = now
    ticket.save()
    ticket_anonymised.send(sender=Ticket, ticket=ticket)  # e.g. the channel envelopes forget the address
    record_event(
        ticket,
        "anonymised",
        note=gettext("Personal data removed at the end of the retention period (%(years)s years after closing).")
        % {"years": rule.keep_years},
        data={"keep_years": rule.keep_years},
        at=now,
    )


def _apply(rule: RetentionRule, today: datetime.date, report: RetentionReport) -> None:
    for pk in list(_candidates(rule, today).values_list("pk", flat=True)):
        try:
            _apply_one(pk, rule, today, report)
        except ProtectedError:  # e.g. a request an objection still points to: kept whole, like a held one
            report.held.append(Ticket.objects.filter(pk=pk).values_list("tracking_number", flat=True).first())
        except Exception:  # one ticket that fails must not stop the others (nor the next services)
            logger.exception("retention: ticket %s failed", pk)
            report.failed += 1


def _apply_one(pk: int, rule: RetentionRule, today: datetime.date, report: RetentionReport) -> None:
    """Anonymise or delete ticket ``pk`` in its own transaction (rolled back whole on any error)."""
    with transaction.atomic():
        ticket = Ticket.objects.select_for_update().filter(pk=pk, anonymised_at__isnull=True).first()
        if ticket is None:
            return
        if _held(ticket):
            report.held.append(ticket.tracking_number)
            return
        now = timezone.now()
        if rule.action == RetentionRule.Action.DELETE:
            number = ticket.tracking_number
            files = [a.file.name for a in ticket.attachments.all()]
            ticket.delete()
            if files:
                transaction.on_commit(functools.partial(delete_files, files))
            RetentionLog.objects.create(service=rule.service, tracking_number=number, step="deleted", due=today)
            report.deleted += 1
        else:
            _anonymise(ticket, rule, now)
            RetentionLog.objects.create(
                service=rule.service, tracking_number=ticket.tracking_number, step="anonymised", due=today
            )
            report.anonymised += 1


def _housekeeping(now) -> int:
    keep = datetime.timedelta(days=int(getattr(settings, "PESAN_AXES_KEEP_DAYS", 30)))
    removed = AccessAttempt.objects.filter(attempt_time__lt=now - keep).delete()[0]
    removed += AccessFailureLog.objects.filter(attempt_time__lt=now - keep).delete()[0]
    removed += OutboxTask.objects.filter(done_at__lt=now - keep).delete()[0]  # sent notices: arguments go too
    return removed


def run(today: datetime.date | None = None) -> RetentionReport:
    """One retention run for ``today`` (WIB date; default today): notices, then anonymisation/deletion, then
    housekeeping (see the module docstring)."""
    today = today or today_wib()
    ensure_rules()
    report = RetentionReport()
    for rule in RetentionRule.objects.filter(active=True):
        if registry.find(rule.service) is None:
            continue
        _notify(rule, today, report)
        _apply(rule, today, report)
    report.housekeeping = _housekeeping(timezone.now())
    if report.held:
        logger.info("retention: kept whole (objection or dispute open): %s", ", ".join(report.held))
    return report
