"""django-q2 entry points of the desk (the logic lives in ``notifications`` and ``deadlines``)."""

from __future__ import annotations

import smtplib

from layanan.channels import outbound
from layanan.channels.conversation import record_error
from layanan.channels.models import ChannelKind
from layanan.core import notifications
from layanan.core.crypto import open_transient
from layanan.core.models.tickets import Ticket, TimelineEntry
from layanan.core.workflow import recompute_open_tickets
from layanan.wbs.services import send_reporter_notice


def notify_received(ticket_id: int, sealed_token: str | None = None) -> int:
    """Receipt e-mail for ticket ``ticket_id``; ``sealed_token`` is the access token sealed by
    ``crypto.seal_transient`` (dropped when older than ``PESAN_TRANSIENT_TTL``). Returns e-mails sent."""
    ticket = Ticket.objects.filter(pk=ticket_id).first()
    if ticket is None:
        return 0
    token = open_transient(sealed_token) if sealed_token else None
    return outbound.send_receipt(ticket, token)


def notify_step(entry_id: int) -> int:
    """E-mails for timeline entry ``entry_id`` (applicant-visible step; disposition to the unit)."""
    entry = TimelineEntry.objects.select_related("ticket", "ticket__unit").filter(pk=entry_id).first()
    if entry is None:
        return 0
    return outbound.send_step(entry)


def _mail_failed(*args, error: BaseException) -> None:
    """After a notice task failed (outside its rolled-back transaction; the outbox retries it): an SMTP error or
    an unreachable mail server is shown on the e-mail channel's screen (Pengaturan → Kanal), where the officers
    who run the mailbox look."""
    if isinstance(error, smtplib.SMTPException | OSError):
        record_error(ChannelKind.EMAIL, error)


notify_received.record_failure = _mail_failed
notify_step.record_failure = _mail_failed


def send_daily_digest() -> int:
    """The daily overdue / due-soon digest (scheduled by ``layanan.apps`` after ``migrate``)."""
    return notifications.send_digest()


def recompute_due_dates(years=None) -> int:
    """Re-derive the due dates of open tickets (after holidays changed). Returns how many moved."""
    return recompute_open_tickets(years)


def notify_wbs_reporter(ticket_id: int, kind: str = "update") -> int:
    """Content-free e-mail notice to a WBS reporter who left an address
    (``layanan.wbs.services.send_reporter_notice``)."""

    ticket = Ticket.objects.filter(pk=ticket_id).first()
    if ticket is None:
        return 0
    return send_reporter_notice(ticket, kind)
