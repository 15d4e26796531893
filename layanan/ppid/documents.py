"""The documents the information law requires of the PPID and the Atasan PPID, issued by their steps.

- **Written notice** (pemberitahuan tertulis, UU 14/2008 Pasal 22(7); the form of Perki 1/2021), issued by
  ``decide`` on every request: whether the body holds the information (if not, the body that does, and
  whether the request was forwarded to it at the applicant's request — Pasal 22(7)(a)–(b)); accepted or
  refused, a refusal with its Pasal 17 ground (for ground j, the statute) and the consequence test (the harm,
  and the public-interest weighing, Pasal 2(4)) — (c); the material given — (d); the parts blacked out with
  their reasons — (e); the format and means of delivery — (f); the cost and how to pay — (g); and the time
  needed to provide it (in working days, with the WIB date it falls on).
- **Refusal decision** (surat keputusan PPID tentang penolakan permohonan informasi, Perki 1/2021), issued by
  ``decide`` with the notice when the request is refused as exempt (Pasal 17): the request, "exempt
  information", the ground, the consequences of disclosure, "the request is refused", and the 30-working-day
  objection right (Pasal 35(1)(a), 36(1)).
- **Answer to an objection** (tanggapan atas keberatan, Pasal 36(2)), issued by the Atasan PPID's ``answer``:
  the objection and the request, the decision with its ground and what follows, and the Komisi Informasi
  window (Pasal 37(2); Perki 1/2013 Pasal 13) — the date stored on ``ObjectionDetails.komisi_informasi_deadline``.

Each is numbered per kind and year (``0001/PPID-PT/2026``, ``…/PPID-SKP/…``, ``…/PPID-TK/…``; format
``PESAN_DOCUMENT_NUMBER_FORMAT``), rendered as a PDF stored on the step (``layanan.core.documents.issue``) and
as the printable page, and signed by the office (PPID or Atasan PPID) and the officer who took the step.
"""

from __future__ import annotations

from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from layanan.calendar.workdays import compute_deadline
from layanan.core.documents import DocumentKind, issue, register_kind, signature
from layanan.core.models.documents import IssuedDocument
from layanan.core.models.tickets import Attachment
from layanan.core.notifications import organisation_name, status_url
from layanan.core.printable import (
    Document,
    Row,
    Section,
    format_date,
    format_datetime,
    format_rupiah,
    issuer,
    issuer_lines,
    rows,
)
from layanan.ppid.models import ObjectionDetails, PPIDRequestDetails

__all__ = [
    "NOTICE",
    "OBJECTION_ANSWER",
    "REFUSAL",
    "issue_decision_documents",
    "issue_objection_answer",
    "notice_document",
    "objection_answer_document",
    "refusal_document",
]

NOTICE, REFUSAL, OBJECTION_ANSWER = "ppid_notice", "ppid_refusal", "objection_answer"
KIP = "UU 14/2008"
Outcome = PPIDRequestDetails.Outcome
GRANTED = (Outcome.GRANTED_FULL, Outcome.GRANTED_PART)


# --- shared parts -------------------------------------------------------------------------------------------------
def _letter(ticket, record, request, *, title: str, subtitle: str, sections, notes, role: str) -> Document:
    org = issuer(request)
    name = org.name if org is not None else organisation_name()
    return Document(
        issuer=name,
        issuer_lines=issuer_lines(org),
        title=title,
        subtitle=subtitle,
        number=record.number,
        reference=record.number,
        sections=tuple(s for s in sections if s.rows or s.paragraphs),
        notes=tuple(notes),
        issued=gettext("Issued electronically on %(datetime)s.") % {"datetime": format_datetime(record.issued_at)},
        filename="",
        pdf_title=f"{title} {record.number}",
        signature=signature(record, role),
    )


def _contacts(ticket) -> str:
    return " / ".join(v for v in (ticket.applicant_phone, ticket.applicant_email) if v)


def _request_rows(ticket, details) -> tuple[Row, ...]:
    """The request as the Perki 1/2021 forms repeat it: registration number, date, applicant, address, contact,
    the information requested and the purpose of use."""
    head = Row(gettext("Registration number"), ticket.tracking_number, code=True)
    return (
        head,
        *rows(
            [
                (gettext("Received"), ticket.received_at),
                (gettext("Applicant"), ticket.applicant_name),
                (gettext("Address"), details.address if details is not None else ""),
                (gettext("Phone / e-mail"), _contacts(ticket)),
                (gettext("Information requested"), details.information_requested if details is not None else ""),
                (gettext("Purpose of use"), details.purpose if details is not None else ""),
            ]
        ),
    )


def _ground(details) -> str:
    """``UU 14/2008 Pasal 17 huruf h — (h) reveals personal secrets`` (and the statute of ground j)."""
    if not details.exemption_ground:
        return ""
    text = gettext("%(law)s Pasal 17 letter %(letter)s — %(label)s") % {
        "law": KIP,
        "letter": details.exemption_ground,
        "label": details.get_exemption_ground_display(),
    }
    if details.exemption_statute:
        text += "\n" + details.exemption_statute
    return text


def _working_days(days: int) -> str:
    return ngettext("%(days)d working day", "%(days)d working days", days) % {"days": days}


def _step_files(record) -> list[str]:
    """Names of the files the officer attached to the step that issued ``record`` (not the issued documents)."""
    if record.timeline_entry_id is None:
        return []
    files = Attachment.objects.filter(timeline_entry_id=record.timeline_entry_id, issued_document__isnull=True)
    return list(files.values_list("original_name", flat=True))


def _held(details, org_name: str) -> str:
    if details.outcome == Outcome.NOT_HELD:
        return gettext("No: the information is not held by %(body)s.") % {"body": org_name}
    if details.outcome == Outcome.NOT_YET_DOCUMENTED:
        return gettext("Under its authority, but not yet documented.")
    return gettext("Yes: the information is held by %(body)s.") % {"body": org_name}


DECISIONS = {
    Outcome.GRANTED_FULL: _("Request accepted: the information is given in full."),
    Outcome.GRANTED_PART: _("Request accepted in part: the information is given with parts blacked out."),
    Outcome.REJECTED_EXEMPT: _("Request refused: the information is exempt (UU 14/2008 Pasal 17)."),
    Outcome.NOT_HELD: _("The information cannot be given: this body does not hold it."),
    Outcome.NOT_YET_DOCUMENTED: _("The information cannot be given: it has not been documented yet."),
}


def _objection_note() -> str:
    return gettext(
        "If you do not accept this decision, you may file an objection with the Atasan PPID within 30 working "
        "days of receiving it (UU 14/2008 Pasal 35–36), on the status page of your request."
    )


# --- the written notice -----------------------------------------------------------------------------------------
def notice_document(ticket, record: IssuedDocument, request=None) -> Document:
    """The written notice (pemberitahuan tertulis, UU 14/2008 Pasal 22(7)) of ``ticket``'s decision; see the
    module docstring for what it states. ``record``: its number, date and signer."""
    details = ticket.ppid
    org = issuer(request)
    org_name = org.name if org is not None else organisation_name()
    outcome = details.outcome
    notice = [(gettext("Information held by this body"), _held(details, org_name))]
    if outcome == Outcome.NOT_HELD:
        forwarded = (
            gettext("Yes: at your request, your request was forwarded to %(body)s.") % {"body": details.holding_body}
            if details.forwarded_to_holder
            else gettext("No: you may file your request with that body yourself.")
        )
        notice += [
            (gettext("Body that holds the information"), details.holding_body),
            (gettext("Request forwarded to that body"), forwarded),
        ]
    notice.append((gettext("Decision"), str(DECISIONS.get(outcome, details.get_outcome_display()))))
    if outcome in (Outcome.REJECTED_EXEMPT, Outcome.GRANTED_PART):
        notice.append((gettext("Exemption ground (Pasal 17)"), _ground(details)))
    if outcome == Outcome.REJECTED_EXEMPT:
        refusal = IssuedDocument.objects.filter(ticket=ticket, kind=REFUSAL).order_by("pk").first()
        notice += [
            (gettext("Consequence test: harm of disclosure"), details.outcome_reason),
            (gettext("Consequence test: public-interest weighing"), details.public_interest),
            (gettext("Refusal decision"), refusal.number if refusal is not None else ""),
        ]
    if outcome in GRANTED:
        files = _step_files(record)
        material = details.material_given or details.information_requested
        if files:
            material += "\n" + gettext("Files given with this notice: %(files)s") % {"files": ", ".join(files)}
        notice.append((gettext("Information material given"), material))
        if outcome == Outcome.GRANTED_PART:
            notice += [
                (gettext("Parts blacked out and why"), details.outcome_reason),
                (gettext("Public-interest weighing"), details.public_interest),
            ]
        notice += [
            (gettext("Format"), details.get_information_format_display() if details.information_format else ""),
            (gettext("Means of delivery"), details.get_notice_delivery_display() if details.notice_delivery else ""),
            (gettext("Cost"), format_rupiah(details.cost) if details.cost else gettext("Free of charge (Rp 0)")),
            (
                gettext("How to pay"),
                details.payment_method or (gettext("Ask the PPID desk how to pay.") if details.cost else ""),
            ),
            (gettext("Time needed to provide it"), _time_needed(details, record, files)),
        ]
    return _letter(
        ticket,
        record,
        request,
        title=gettext("Written notice"),
        subtitle=gettext("Answer to a request for public information (UU 14/2008 Pasal 22(7))"),
        sections=[
            Section(gettext("Request"), _request_rows(ticket, details)),
            Section(gettext("Notice"), rows(notice)),
        ],
        notes=[
            _objection_note(),
            gettext("Follow your request at %(url)s.") % {"url": status_url(ticket)},
        ],
        role=gettext("Information and Documentation Management Officer (PPID)"),
    )


def _time_needed(details, record, files) -> str:
    """``"5 working days (by Friday, 17/04/2026)"`` counted from the notice (calendar of working days), or
    "given with this notice" when the officer attached the information and named no time."""
    if details.time_needed_days is not None:
        if details.time_needed_days == 0:
            return gettext("Given with this notice.")
        due = compute_deadline(record.issued_at, details.time_needed_days).due_date
        return gettext("%(period)s (by %(date)s)") % {
            "period": _working_days(details.time_needed_days),
            "date": format_date(due),
        }
    return gettext("Given with this notice.") if files else ""


# --- the refusal decision -----------------------------------------------------------------------------------------
def refusal_document(ticket, record: IssuedDocument, request=None) -> Document:
    """The PPID's decision refusing ``ticket`` (surat keputusan penolakan, the shape of Perki 1/2021): the
    request, the finding "exempt information", the Pasal 17 ground, the consequences of disclosure, the
    operative "the request is refused", and the objection right (Pasal 35(1)(a), 36(1))."""
    details = ticket.ppid
    decision = rows(
        [
            (gettext("The PPID decides that the information requested is"), gettext("EXEMPT INFORMATION")),
            (gettext("Exemption based on"), _ground(details)),
            (gettext("Disclosing the information may have these consequences"), details.outcome_reason),
            (gettext("Public-interest weighing"), details.public_interest),
        ]
    )
    return _letter(
        ticket,
        record,
        request,
        title=gettext("Decision of the PPID on the refusal of a request for information"),
        subtitle=gettext("UU 14/2008 Pasal 17 and 22(7); Perki 1/2021"),
        sections=[
            Section(gettext("Request"), _request_rows(ticket, details)),
            Section(
                gettext("Decision"),
                decision,
                paragraphs=(gettext("Therefore the PPID declares: THE REQUEST FOR INFORMATION IS REFUSED."),),
            ),
        ],
        notes=[
            gettext(
                "If you object to this refusal, you may file an objection with the Atasan PPID within 30 working "
                "days of receiving this decision (UU 14/2008 Pasal 35(1)(a) and 36(1)), on the status page of "
                "your request: %(url)s."
            )
            % {"url": status_url(ticket)},
        ],
        role=gettext("Information and Documentation Management Officer (PPID)"),
    )


# --- the answer to an objection -----------------------------------------------------------------------------------
FOLLOW_UP = {
    ObjectionDetails.Decision.UPHELD: _(
        "The objection is upheld: the PPID must carry out this answer and handle the request as it states."
    ),
    ObjectionDetails.Decision.REJECTED: _("The objection is rejected: the decision objected to stands."),
}


def objection_answer_document(ticket, record: IssuedDocument, request=None) -> Document:
    """The Atasan PPID's answer to the objection ``ticket`` (tanggapan atas keberatan, UU 14/2008 Pasal 36(2)):
    the objection (number, date, applicant, the request objected to, the reason a–g, as filed), the decision
    with its ground (``answer_ground``, else the answer's message) and what follows (``answer_follow_up``, else
    what the decision means), and the Komisi Informasi window with its last date
    (``ObjectionDetails.komisi_informasi_deadline``)."""
    details = ticket.objection
    objected = details.request
    objected_details = getattr(objected, "ppid", None) if objected is not None else None
    entry = record.timeline_entry
    objection = (
        Row(gettext("Objection number"), ticket.tracking_number, code=True),
        *rows(
            [
                (gettext("Received"), ticket.received_at),
                (gettext("Applicant"), ticket.applicant_name),
                (gettext("Phone / e-mail"), _contacts(ticket)),
                (
                    gettext("Request objected to"),
                    objected.tracking_number if objected is not None else gettext("None (reason b needs no request)"),
                ),
                (
                    gettext("Information requested"),
                    objected_details.information_requested if objected_details is not None else "",
                ),
                (gettext("Reason for the objection (Pasal 35(1))"), details.get_reason_display()),
                (gettext("The objection as filed"), ticket.description),
            ]
        ),
    )
    decision = details.decision
    answer = rows(
        [
            (gettext("Decision"), details.get_decision_display() if decision else ""),
            (gettext("Ground"), details.answer_ground or (entry.text if entry is not None else "")),
            (gettext("What follows"), details.answer_follow_up or str(FOLLOW_UP.get(decision, ""))),
            (gettext("Answered on"), details.answered_at),
        ]
    )
    until = details.komisi_informasi_deadline
    komisi = rows([(gettext("Last day to file with the Komisi Informasi"), format_date(until) if until else "")])
    return _letter(
        ticket,
        record,
        request,
        title=gettext("Answer to an objection"),
        subtitle=gettext("Answer of the Atasan PPID (UU 14/2008 Pasal 36(2))"),
        sections=[
            Section(gettext("Objection"), objection),
            Section(gettext("Answer"), answer),
            Section(
                gettext("Komisi Informasi"),
                komisi,
                paragraphs=(
                    gettext(
                        "If you do not accept this answer, you may file a request for the settlement of an "
                        "information dispute with the Komisi Informasi within 14 working days of receiving it "
                        "(UU 14/2008 Pasal 37(2); Perki 1/2013 Pasal 13)."
                    ),
                ),
            ),
        ],
        notes=[gettext("Follow your objection at %(url)s.") % {"url": status_url(ticket)}],
        role=gettext("Superior of the PPID (Atasan PPID)"),
    )


# --- kinds and the steps that issue them ------------------------------------------------------------------------
register_kind(
    DocumentKind(
        NOTICE,
        _("Written notice"),
        "PPID-PT",
        "pemberitahuan-tertulis",
        notice_document,
        "UU 14/2008 Pasal 22(7); Perki 1/2021",
    )
)
register_kind(
    DocumentKind(
        REFUSAL,
        _("Refusal decision"),
        "PPID-SKP",
        "keputusan-penolakan",
        refusal_document,
        "UU 14/2008 Pasal 17; Perki 1/2021",
    )
)
register_kind(
    DocumentKind(
        OBJECTION_ANSWER,
        _("Answer to an objection"),
        "PPID-TK",
        "tanggapan-keberatan",
        objection_answer_document,
        "UU 14/2008 Pasal 36(2)",
    )
)


def issue_decision_documents(ticket, entry, user, now) -> None:
    """``decide``'s documents (``Transition.documents``): the refusal decision when the request is refused as
    exempt, then the written notice (which cites the refusal decision's number)."""
    if ticket.ppid.outcome == Outcome.REJECTED_EXEMPT:
        issue(ticket, REFUSAL, entry=entry, user=user, now=now)
    issue(ticket, NOTICE, entry=entry, user=user, now=now)


def issue_objection_answer(ticket, entry, user, now) -> None:
    """``answer``'s document (``Transition.documents``): the answer to the objection."""
    issue(ticket, OBJECTION_ANSWER, entry=entry, user=user, now=now)
