"""Whistleblowing (WBS, Permenko Marves 3/2022): the rules used by the API, the reference-site pages, the
admin desk and the workflow — submission, receipt-code access, the two-way message thread, transfers between
SP4N-LAPOR and WBS, and the reporter's content-free e-mail notices.

Confidentiality (see also ``layanan.wbs.receipt``, ``layanan.wbs.privacy``, ``layanan.core.sanitize``,
``docs/wbs-privacy.md``):

- identity is optional and never required; identity and narrative are stored encrypted
  (``WbsReportDetails``), timeline notes of WBS tickets too (``TimelineEntry.note_sealed``);
- the reporter's key is the receipt code, shown once, stored only as an argon2id hash;
- evidence loses its metadata before storage and gets a neutral file name (``bukti-1.jpg``);
- only the "Inspektorat (WBS)" role sees WBS tickets (``layanan.core.access``), every opening is audited;
- a reporter who left an e-mail address gets notices WITHOUT content or tracking number; nobody else is
  e-mailed anything about the report.
"""

from __future__ import annotations

import dataclasses
import logging
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext

from layanan.core.events import record_event
from layanan.core.intake import (
    CheckedUpload,
    delete_files_on_error,
    has_visible_text,
    register_submission,
    store_attachments,
    validate_uploads,
)
from layanan.core.models.tickets import Ticket, TimelineEntry
from layanan.core.notifications import organisation_name
from layanan.core.outbox import enqueue
from layanan.core.public import (
    _file,
    find_ticket_for_token,
    follow_transfers,
    public_step_label,
    public_ticket_data,
)
from layanan.core.registry import action_label
from layanan.core.retention import strip_personal_data
from layanan.core.sanitize import METADATA_NOTICE, sanitize_uploads
from layanan.core.signals import origin_sealed
from layanan.lapor.intake import submit_lapor_report
from layanan.wbs import receipt
from layanan.wbs.models import ViolationType, WbsReportDetails

logger = logging.getLogger(__name__)

__all__ = [
    "MAX_TEXT",
    "WbsSubmission",
    "add_reporter_message",
    "check_wbs_report",
    "find_report_by_code",
    "message_thread",
    "reporter_view",
    "resolve_reporter_access",
    "send_reporter_notice",
    "submit_wbs_report",
    "transfer_lapor_to_wbs",
    "transfer_wbs_to_lapor",
]

#: Longest accepted narrative field / message, in characters.
MAX_TEXT = 20_000


@dataclass
class WbsSubmission:
    """A registered WBS report and its receipt code (32 digits; the only moment it exists in clear)."""

    ticket: object
    receipt_code: str
    files: list

    @property
    def tracking_number(self) -> str:
        return self.ticket.tracking_number

    @property
    def formatted_code(self) -> str:
        """The code in groups of four digits, for reading aloud (``4821 0937 …``)."""
        return receipt.format_code(self.receipt_code)

    # ``Submission`` compatibility (the desk's "registered" page shows ``access_token``).
    @property
    def access_token(self) -> str:
        return self.formatted_code


def wbs_status_url() -> str:
    """Where a reporter follows a report with the receipt code (``PESAN_WBS_ACCESS_URL``; default the
    reference-site page ``/wbs/akses/`` under ``WAGTAILAPI_BASE_URL``)."""
    default = getattr(settings, "WAGTAILAPI_BASE_URL", "").rstrip("/") + "/wbs/akses/"
    return getattr(settings, "PESAN_WBS_ACCESS_URL", default)


def _neutral_names(uploads: list[CheckedUpload], start: int = 1) -> list[CheckedUpload]:
    """Replace the reporter's file names (which can name people) by ``bukti-N.<ext>``."""
    return [
        dataclasses.replace(upload, name=f"bukti-{number}.{upload.extension}")
        for number, upload in enumerate(uploads, start)
    ]


def prepare_evidence(files, start: int = 1) -> list[CheckedUpload]:
    """Validate (type by content, size, count), strip metadata and rename uploads. ``ValidationError``."""
    return _neutral_names(sanitize_uploads(validate_uploads(files)), start)


# --- submission -----------------------------------------------------------------------------------------------
def check_wbs_report(data: dict) -> None:
    """Rules of a WBS report: a violation type of ``ViolationType`` and a description of what happened.

    Everything else (where, when, who, unit, how, identity) is optional; identity is NEVER required.
    Raises ``ValidationError({field: message})`` (Indonesian by default).
    """
    errors = {}
    if data.get("violation_type") not in ViolationType.values:
        errors["violation_type"] = gettext("Choose the kind of violation.")
    if not has_visible_text(data.get("what")):
        errors["what"] = gettext("Describe what happened.")
    for name in ("what", "where", "when", "who", "unit", "how", "name", "contact", "email"):
        if len(str(data.get(name) or "")) > MAX_TEXT:
            errors[name] = gettext("This text is too long (at most %(max)s characters).") % {"max": MAX_TEXT}
    if errors:
        raise ValidationError(errors)


def _subject(violation_type: str) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return gettext("WBS report: %(type)s") % {"type": ViolationType(violation_type).label}


def submit_wbs_report(
    data: dict,
    *,
    files=(),
    channel: str = "web",
    received_at=None,
    registered_by=None,
    origin=None,
) -> WbsSubmission:
    """Register a WBS report and issue its receipt code (Permenko Marves 3/2022 Pasal 5: confidential channel).

    ``data``: ``violation_type`` (``ViolationType``), ``what`` (required), ``where``, ``when`` (free text),
    ``who`` (reported party), ``unit`` (their unit), ``how``; optional identity ``name``, ``contact``,
    ``email`` (e-mail notices without content go there, and nowhere else). ``files``: evidence (PDF/JPEG/PNG;
    metadata removed, renamed ``bukti-N``). ``registered_by``: the Inspektorat officer for a report received
    in person/by letter; ``origin``: a triaged social-media message.

    Timer: acknowledgement due 7 calendar days after receipt (``wbs/acknowledge``, a setting). One transaction;
    on error nothing is kept. Returns :class:`WbsSubmission` with the code (shown once, stored only hashed).
    Raises ``ValidationError`` with per-field messages.
    """
    check_wbs_report(data)
    evidence = prepare_evidence(files)

    def make_details_for(lookup):
        def make_details(ticket, entry):
            WbsReportDetails.objects.create(
                ticket=ticket,
                violation_type=data["violation_type"],
                what=data["what"].strip(),
                where=(data.get("where") or "").strip(),
                when=(data.get("when") or "").strip(),
                who=(data.get("who") or "").strip(),
                reported_unit=(data.get("unit") or "").strip(),
                how=(data.get("how") or "").strip(),
                reporter_name=(data.get("name") or "").strip(),
                reporter_contact=(data.get("contact") or "").strip(),
                reporter_email=(data.get("email") or "").strip(),
                receipt_lookup=lookup,
            )

        return make_details

    for _attempt in range(8):
        lookup = receipt.new_lookup()
        if WbsReportDetails.objects.filter(receipt_lookup=lookup).exists():
            continue
        code = receipt.new_code(lookup)
        try:
            submission = register_submission(
                "wbs",
                ("wbs", "acknowledge"),
                {},
                subject=_subject(data["violation_type"]),
                description="",
                channel=channel,
                received_at=received_at,
                registered_by=registered_by,
                files=evidence,
                make_details=make_details_for(lookup),
                origin=origin,
                credential=(code, receipt.hash_code(code)),
                identity=False,
                notify=False,
            )
        except IntegrityError:
            if WbsReportDetails.objects.filter(receipt_lookup=lookup).exists():
                continue  # two reports drew the same lookup part at the same moment: draw again
            raise
        break
    else:  # pragma: no cover - 10^6 lookup values; would need a nearly full table
        raise RuntimeError("could not allocate a WBS receipt lookup part")
    ticket = submission.ticket
    logger.info("WBS report %s received (channel %s, %s file(s))", ticket.tracking_number, channel, len(evidence))
    if (data.get("email") or "").strip():
        _queue_notice(ticket.pk, "received")
    return WbsSubmission(ticket, code, evidence)


def _queue_notice(ticket_id: int, kind: str) -> None:
    """The content-free notice to the reporter, sent after the commit (``layanan.core.outbox``)."""
    enqueue("layanan.tasks.notify_wbs_reporter", ticket_id, kind)


# --- access with the receipt code ----------------------------------------------------------------------------
def find_report_by_code(code: str | None):
    """The ticket a receipt code opens (after a transfer to SP4N-LAPOR: the successor), or ``None``.

    Raises ``receipt.MalformedCode`` for input that is not a well-formed code (a typing error). ``None`` alike
    for an unknown lookup part and a wrong secret part, with the same argon2 work in both cases.
    """
    lookup, body = receipt.parse_code(code)
    details = WbsReportDetails.objects.select_related("ticket").filter(receipt_lookup=lookup).first()
    stored = details.ticket.access_token_hash if details is not None else None
    if not receipt.verify(body, stored):
        return None
    return follow_transfers(details.ticket)


def resolve_reporter_access(code: str | None = None, tracking_number: str | None = None, access_token=None):
    """The ticket a reporter may open: by receipt ``code``, or — for a report transferred in from SP4N-LAPOR —
    by the LAPOR ``tracking_number`` and ``access_token``. ``None`` when nothing matches. Raises
    ``receipt.MalformedCode`` for a mistyped code."""
    if code:
        return find_report_by_code(code)
    if tracking_number and access_token:
        ticket = find_ticket_for_token(tracking_number, access_token)
        # the token route is for reports that now ARE WBS reports (moved in from SP4N-LAPOR), nothing else
        return ticket if ticket is not None and ticket.service == "wbs" else None
    return None


# --- the message thread --------------------------------------------------------------------------------------
def add_reporter_message(ticket, text: str, files=()):
    """Add the reporter's message (and evidence) to ``ticket``'s thread. Returns the timeline entry.

    One transaction, the ticket row locked. A WBS report waiting for more information goes back to initial
    review. Refused (``ValidationError``) when empty, too long, or when the report is closed. Files are
    validated and stripped of metadata like at submission. The text is stored encrypted for WBS.
    """

    text = (text or "").strip()
    if not text and not files:
        raise ValidationError({"text": gettext("Write a message or attach a file.")})
    if len(text) > MAX_TEXT:
        raise ValidationError(
            {"text": gettext("This text is too long (at most %(max)s characters).") % {"max": MAX_TEXT}}
        )
    if ticket.machine.state(ticket.status).final:
        raise ValidationError({"text": gettext("This report is closed: messages can no longer be added.")})
    start = ticket.attachments.count() + 1
    evidence = prepare_evidence(files, start)
    with delete_files_on_error(), transaction.atomic():
        locked = Ticket.objects.select_for_update().get(pk=ticket.pk)
        from_status = locked.status
        if locked.service == "wbs" and locked.status == "more_info_needed":
            locked.status = "initial_review"
            locked.save(update_fields=["status", "updated_at"])
        entry = record_event(
            locked,
            "reporter_message",
            note=text,
            actor_kind=TimelineEntry.ActorKind.APPLICANT,
            visible_to_applicant=True,
            from_status=from_status,
        )
        store_attachments(locked, evidence, visible_to_applicant=True, entry=entry)
    return entry


def message_thread(ticket, request=None, file_url=None) -> list[dict]:
    """The two-way thread of ``ticket``: the report as the reporter filed it (its narrative and evidence files,
    first — issue 16: the thread used to open with "no messages yet"), then the reporter's messages and every
    applicant-visible step with a text (answers, requests for more information, outcomes), oldest first::

        [{"at", "sender": "reporter"|"officer", "sender_label", "action", "action_label", "text",
          "files": [{"id", "name", "content_type", "size", "url"}]}]
    """
    entries = ticket.timeline.filter(visible_to_applicant=True).prefetch_related("attachments")
    thread = []
    details = getattr(ticket, "wbs", None)
    if details is not None:
        filed = next((e for e in entries if e.action in ("received", "registered", "transferred_in")), None)
        evidence = [a for a in filed.attachments.all() if a.visible_to_applicant] if filed is not None else []
        thread.append(
            {
                "at": ticket.received_at,
                "sender": "reporter",
                "sender_label": gettext("You"),
                "action": "report",
                "action_label": gettext("Your report"),
                "text": _report_text(details),
                "files": [_file(ticket, a, request, file_url) for a in evidence],
            }
        )
    for entry in entries:
        text = entry.text
        reporter = entry.action == "reporter_message"
        if reporter or (entry.actor_kind == "user" and text):
            files = [a for a in entry.attachments.all() if a.visible_to_applicant]
            thread.append(
                {
                    "at": entry.at,
                    "sender": "reporter" if reporter else "officer",
                    "sender_label": gettext("You") if reporter else gettext("Officer"),
                    "action": entry.action,
                    "action_label": public_step_label(ticket.service, entry),
                    "text": text,
                    "files": [_file(ticket, a, request, file_url) for a in files],
                }
            )
    return thread


def _report_text(details) -> str:
    """The report's narrative as the reporter wrote it, one labelled paragraph per answered question."""
    parts = (
        (gettext("Violation"), details.get_violation_type_display()),
        (gettext("What happened"), details.what),
        (gettext("Where"), details.where),
        (gettext("When"), details.when),
        (gettext("Who"), details.who),
        (gettext("Unit"), details.reported_unit),
        (gettext("How"), details.how),
    )
    return "\n\n".join(f"{label}: {value}" for label, value in parts if value)


def reporter_view(ticket, request=None, file_url=None) -> dict:
    """What the reporter sees: the public ticket data (status, applicant-visible timeline, due date) plus the
    message thread and the metadata notice. No identity, no internal notes, no officers' names."""
    data = public_ticket_data(ticket, request, file_url=file_url)
    data["messages"] = message_thread(ticket, request, file_url)
    data["metadata_notice"] = str(METADATA_NOTICE)
    return data


# --- transfers between SP4N-LAPOR and WBS --------------------------------------------------------------------
def _copy_attachments(source, target, *, entry, sanitize: bool, uploaded_by=None) -> int:
    """Copy ``source``'s attachments to ``target`` (new files; metadata stripped when ``sanitize``)."""
    uploads = []
    for number, attachment in enumerate(source.attachments.all(), 1):
        with attachment.file.open("rb") as handle:
            content = handle.read()
        extension = attachment.file.name.rsplit(".", 1)[-1].lower() if "." in attachment.file.name else "bin"
        upload = CheckedUpload(
            ContentFile(content, name=attachment.original_name),
            f"bukti-{number}.{extension}" if sanitize else attachment.original_name,
            attachment.content_type,
            extension,
            len(content),
        )
        if sanitize:
            try:
                upload = dataclasses.replace(sanitize_uploads([upload])[0], name=upload.name)
            except ValidationError:
                logger.info("attachment %s kept as it was: metadata could not be removed", attachment.pk)
        uploads.append(upload)
    store_attachments(target, uploads, uploaded_by=uploaded_by, visible_to_applicant=True, entry=entry)
    return len(uploads)


def transfer_lapor_to_wbs(ticket, data: dict, user, now) -> None:
    """Effect of the LAPOR ``transfer_to_wbs`` action (inside its transaction, ``ticket`` locked).

    Creates the WBS report (``origin`` = the LAPOR ticket; acknowledgement due 7 days from now) with the
    report's text, location and date as narrative and the reporter's name, phone and e-mail as encrypted
    identity; moves the files (metadata stripped, neutral names); then empties the LAPOR ticket (subject,
    description, identity, location, unit) so the LAPOR desk and the unit no longer see the content. The
    reporter keeps using the LAPOR tracking number and token (``find_ticket_for_token`` follows transfers).
    Both timelines record the move.
    """

    lapor = ticket.lapor
    narrative = "\n\n".join(part for part in (ticket.subject, ticket.description) if part)
    identity = {
        "name": ticket.applicant_name,
        "contact": ticket.applicant_phone,
        "email": ticket.applicant_email,
    }

    def make_details(wbs_ticket, entry):
        WbsReportDetails.objects.create(
            ticket=wbs_ticket,
            violation_type=data["violation_type"],
            what=narrative,
            where=lapor.location,
            when=lapor.incident_date.isoformat() if lapor.incident_date else "",
            reporter_name=identity["name"],
            reporter_contact=identity["contact"],
            reporter_email=identity["email"],
        )

    submission = register_submission(
        "wbs",
        ("wbs", "acknowledge"),
        {},
        subject=_subject(data["violation_type"]),
        description="",
        channel=ticket.channel,
        received_at=now,
        registered_by=user,
        files=(),
        make_details=make_details,
        origin=ticket,
        credential=("", ""),
        identity=False,
        notify=False,
    )
    wbs_ticket = submission.ticket
    entry = record_event(
        wbs_ticket,
        "transferred_in",
        note=gettext(
            "Your report %(number)s was transferred from SP4N-LAPOR to the whistleblowing system (WBS) of the "
            "Inspektorat, which handles it confidentially. Follow it as before with your tracking number and "
            "access token."
        )
        % {"number": ticket.tracking_number},
        actor=user,
        visible_to_applicant=True,
        data={"from": ticket.tracking_number},
        at=now,
    )
    _copy_attachments(ticket, wbs_ticket, entry=entry, sanitize=True, uploaded_by=None)
    ticket.unit = None
    ticket.assignee = None
    ticket.closed_at = now
    with translation.override(settings.LANGUAGE_CODE):
        stub = gettext("Transferred to WBS (%(number)s)") % {"number": wbs_ticket.tracking_number}
    seal_origin(ticket, wbs_ticket, user, now, subject=stub)  # the notes, replies, place and LAPOR! id go with it
    data["transferred_to"] = wbs_ticket.tracking_number
    if identity["email"]:
        _queue_notice(wbs_ticket.pk, "update")


def seal_origin(origin, wbs_ticket, user, now, *, subject: str) -> int:
    """After content moved into the WBS report ``wbs_ticket`` (a LAPOR report transferred, a social-media
    message triaged), only the Inspektorat may read it (Permenko Marves 3/2022: the reporter's protection).

    Carries the origin's history (every step's note and message text, with time, officer and step) into ONE
    internal, sealed step of the WBS report (``origin_history``), then empties the texts on the origin: its
    steps and messages stay as stubs (what was done and when), without what was written. The tickets the
    origin was itself made from (``Ticket.origin``: a social-media or e-mail message triaged into the LAPOR
    report) hold the same allegation and the citizen's contact: their history moves too. Every ticket of the chain
    then keeps only a stub (``layanan.core.retention.strip_personal_data``): ``origin`` under ``subject`` (saved
    by the caller), the earlier ones as "Moved to WBS (number)". Returns how many texts moved. Runs inside the
    transaction of the move; the files the report needs must have been copied to it before."""
    chain = [origin, *_earlier_tickets(origin)]
    lines = []
    for ticket in reversed(chain):  # oldest first, as it happened
        for entry in ticket.timeline.order_by("at", "pk"):
            if entry.text:
                when = timezone.localtime(entry.at).strftime("%d-%m-%Y %H.%M")
                step = action_label(ticket.service, entry.action)
                lines.append(f"{when} — {ticket.tracking_number} — {entry.actor_display} — {step}: {entry.text}")
    if lines:
        record_event(
            wbs_ticket,
            "origin_history",
            note=gettext("History of %(number)s before the move:") % {"number": origin.tracking_number}
            + "\n"
            + "\n".join(lines),
            actor=user,
            visible_to_applicant=False,
            at=now,
        )
    strip_personal_data(origin, subject)
    with translation.override(settings.LANGUAGE_CODE):
        moved = gettext("Moved to WBS (%(number)s)") % {"number": wbs_ticket.tracking_number}
    for earlier in chain[1:]:
        strip_personal_data(earlier, moved)
        earlier.closed_at = earlier.closed_at or now
        earlier.save()
    origin_sealed.send(sender=Ticket, origin=origin, ticket=wbs_ticket)  # e.g. channels forget the address
    return len(lines)


def _earlier_tickets(ticket) -> list:
    """The tickets ``ticket`` was made from (``origin``, its origin, …), nearest first; never a WBS report."""
    found, seen = [], {ticket.pk}
    earlier = ticket.origin
    while earlier is not None and earlier.pk not in seen and earlier.service != "wbs":
        found.append(earlier)
        seen.add(earlier.pk)
        earlier = earlier.origin
    return found


def transfer_wbs_to_lapor(ticket, data: dict, user, now) -> None:
    """Effect of the WBS ``transfer_to_lapor`` action (inside its transaction, ``ticket`` locked).

    For a report that is a service complaint, not misconduct: creates an SP4N-LAPOR report (``origin`` = the
    WBS ticket; flagged *anonim* and *rahasia*) with the narrative and copies of the (already cleaned) files.
    The reporter's identity is NOT passed on. The WBS ticket keeps its encrypted original and becomes
    ``transferred``; the receipt code keeps working and now shows the LAPOR report (``follow_transfers``).
    """
    details = ticket.wbs
    labels = (
        (gettext("What happened"), details.what),
        (gettext("Where"), details.where),
        (gettext("When"), details.when),
        (gettext("Who"), details.who),
        (gettext("Unit"), details.reported_unit),
        (gettext("How"), details.how),
    )
    with translation.override(settings.LANGUAGE_CODE):
        description = "\n\n".join(f"{label}: {value}" for label, value in labels if value)
        title = gettext("Report transferred from the whistleblowing system (%(number)s)") % {
            "number": ticket.tracking_number
        }

    submission = submit_lapor_report(
        {
            "title": title,
            "description": description,
            "classification": data["classification"],
            "location": details.where[:255],
            "anonymous": True,
            "confidential": True,
        },
        channel=ticket.channel,
        received_at=now,
        registered_by=user,
        origin=ticket,
        validate=False,
        credential=("", ""),
    )
    lapor_ticket = submission.ticket
    entry = record_event(
        lapor_ticket,
        "transferred_in",
        note=gettext(
            "Your report was transferred from the whistleblowing system (WBS) to SP4N-LAPOR because it concerns "
            "a public service. Your identity was not passed on. Follow it as before with your receipt code."
        ),
        actor=user,
        visible_to_applicant=True,
        data={"from": ticket.tracking_number},
        at=now,
    )
    _copy_attachments(ticket, lapor_ticket, entry=entry, sanitize=False, uploaded_by=None)
    ticket.closed_at = now
    data["transferred_to"] = lapor_ticket.tracking_number
    if details.reporter_email:
        _queue_notice(ticket.pk, "update")


# --- notices to the reporter -----------------------------------------------------------------------------------
def _reporter_email(ticket) -> str:
    """The address a reporter chose to leave for this case (WBS details, also before a transfer)."""
    for candidate in (ticket, getattr(ticket, "origin", None)):
        details = getattr(candidate, "wbs", None) if candidate is not None and candidate.service == "wbs" else None
        if details is not None and details.reporter_email:
            return details.reporter_email
    return ""


def send_reporter_notice(ticket, kind: str = "update") -> int:
    """E-mail a content-free notice to the address the reporter chose to leave (none: nothing is sent).

    ``kind``: ``received`` or ``update``. The e-mail names no tracking number, no content and no code — only
    that there is news and where to read it with the receipt code. Returns the number of e-mails sent.
    """
    from django.core.mail import EmailMessage
    from django.template.loader import render_to_string

    address = _reporter_email(ticket)
    if not address:
        return 0
    with translation.override(settings.LANGUAGE_CODE):
        organisation = organisation_name()
        context = {"kind": kind, "organisation": organisation, "access_url": wbs_status_url()}
        body = render_to_string("layanan/email/wbs_notice.txt", context)
        subject = (
            gettext("[%(org)s] Your report has been received")
            if kind == "received"
            else gettext("[%(org)s] There is news on your report")
        ) % {"org": organisation}
    return EmailMessage(subject=subject, body=body, from_email=settings.DEFAULT_FROM_EMAIL, to=[address]).send()


def notify_step(entry) -> int:
    """Notice for an applicant-visible step of a WBS ticket (``notifications.send_step`` delegates here)."""
    if not entry.visible_to_applicant:
        return 0
    return send_reporter_notice(entry.ticket, "update")
