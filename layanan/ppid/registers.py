"""The PPID's registers (Perki 1/2021): the register of information requests (buku register permohonan
informasi publik) and the register of objections (register keberatan), as tables of labelled text.

Columns — every one the Perki lists: number, date, applicant identity, the information requested and its
purpose, how to obtain and to receive it, the decision (information held, outcome, Pasal 17 ground, reason /
consequence test, the written notice's number and date), format and means of delivery, time needed, the date
delivered, the cost and how to pay, the officer, and the applicant's response (an objection filed; for an
objection, a Komisi Informasi dispute); the objection register also the request objected to, the reason (a–g),
the Atasan PPID's decision, its ground and what follows, the answer's number and date, and the Komisi Informasi
deadline.

Codes are printed as their labels (``"(h) reveals personal secrets"``, never ``h``); times as naive WIB datetimes
without microseconds (the headers say WIB), dates as WIB dates. The applicant's identity (name, NIK, address,
phone, e-mail) is masked (``layanan.core.masking``) unless ``personal_data`` — which only an authorised and
logged export asks for (``layanan.reports.registers``).

Queries: one for the tickets with their details, one each for the steps, the issued documents and the
objections (or disputes) behind the rows — never one per row.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from layanan.calendar.workdays import to_local
from layanan.core.masking import HIDDEN, mask_email, mask_name, mask_nik, mask_phone
from layanan.core.models.documents import IssuedDocument
from layanan.core.models.tickets import TimelineEntry
from layanan.ppid.documents import NOTICE, OBJECTION_ANSWER
from layanan.ppid.models import ObjectionDetails, PPIDRequestDetails
from layanan.ppid.reports import objections_queryset, requests_queryset
from pesan_cms import timezones

__all__ = [
    "OBJECTION_COLUMNS",
    "REGISTERS",
    "REQUEST_COLUMNS",
    "Register",
    "objection_register",
    "request_register",
]

Outcome = PPIDRequestDetails.Outcome

#: The register of requests, in the order of the Perki 1/2021 register: ``(key, header)``.
REQUEST_COLUMNS = (
    ("row", _("No.")),
    ("number", _("Registration number")),
    ("received", _("Date received (%(tz)s)")),
    ("channel", _("How the request was made")),
    ("name", _("Applicant name")),
    ("applicant_type", _("Applicant type")),
    ("nik", _("NIK / legalisation decree")),
    ("address", _("Address")),
    ("phone", _("Phone")),
    ("email", _("E-mail")),
    ("occupation", _("Occupation")),
    ("proxy", _("Filed by a proxy")),
    ("information", _("Information requested")),
    ("purpose", _("Purpose of use")),
    ("obtain", _("How to obtain the information")),
    ("receive", _("How to receive it")),
    ("unit", _("Unit")),
    ("due", _("Due date (%(tz)s)")),
    ("extended", _("Extended")),
    ("status", _("Status")),
    ("held", _("Information held")),
    ("holding_body", _("Body holding the information")),
    ("decision", _("Decision")),
    ("ground", _("Pasal 17 ground")),
    ("reason", _("Reason / consequence test")),
    ("notice", _("Written notice number")),
    ("notice_date", _("Date of the written notice (%(tz)s)")),
    ("format", _("Format given")),
    ("delivery", _("Means of delivery")),
    ("time_needed", _("Time needed (working days)")),
    ("delivered", _("Date delivered (%(tz)s)")),
    ("cost", _("Cost (Rp)")),
    ("payment", _("How to pay")),
    ("officer", _("Officer")),
    ("response", _("Applicant's response")),
)

#: The register of objections: ``(key, header)``.
OBJECTION_COLUMNS = (
    ("row", _("No.")),
    ("number", _("Objection number")),
    ("received", _("Date received (%(tz)s)")),
    ("channel", _("How the objection was made")),
    ("request", _("Request number")),
    ("request_received", _("Date of the request (%(tz)s)")),
    ("name", _("Applicant name")),
    ("nik", _("NIK")),
    ("address", _("Address")),
    ("phone", _("Phone")),
    ("email", _("E-mail")),
    ("occupation", _("Occupation")),
    ("information", _("Information requested")),
    ("purpose", _("Purpose of use")),
    ("reason", _("Reason for the objection (Pasal 35(1))")),
    ("description", _("The objection as filed")),
    ("due", _("Answer due (%(tz)s)")),
    ("status", _("Status")),
    ("decision", _("Decision of the Atasan PPID")),
    ("answer", _("Answer number")),
    ("answered", _("Date of the answer (%(tz)s)")),
    ("ground", _("Ground of the answer")),
    ("follow_up", _("What follows")),
    ("officer", _("Atasan PPID (officer)")),
    ("komisi_informasi", _("Komisi Informasi deadline (%(tz)s)")),
    ("response", _("Applicant's response")),
)


@dataclass(frozen=True)
class Register:
    """A register: ``code`` (its export's ``ExportLog.report``), ``label``, the ``queryset(year, user)`` of its
    tickets (received in the WIB ``year``, scoped to ``user``) and ``table(queryset, personal_data=…)`` →
    ``(headers, rows)``."""

    code: str
    label: str | Promise
    queryset: object
    table: object


def _when(value):
    """A naive WIB datetime without microseconds (None stays None)."""
    return to_local(value).replace(tzinfo=None, microsecond=0) if value is not None else None


def _yes(value: bool) -> str:
    return gettext("yes") if value else gettext("no")


def _identity(ticket, details, personal_data: bool) -> dict:
    """Name, NIK (or a legal entity's decree), address, phone and e-mail — masked unless ``personal_data``."""
    decree = details.legal_entity_decree if details is not None else ""
    address = details.address if details is not None else ""
    if personal_data:
        return {
            "name": ticket.applicant_name,
            "nik": ticket.applicant_nik or decree,
            "address": address,
            "phone": ticket.applicant_phone,
            "email": ticket.applicant_email,
        }
    return {
        "name": mask_name(ticket.applicant_name),
        "nik": mask_nik(ticket.applicant_nik) or decree,
        "address": HIDDEN if address else "",
        "phone": mask_phone(ticket.applicant_phone),
        "email": mask_email(ticket.applicant_email),
    }


def _steps(tickets, actions) -> dict:
    """``{(ticket pk, action): latest step}`` of ``actions`` on ``tickets`` (one query)."""
    steps = {}
    entries = TimelineEntry.objects.filter(ticket__in=[t.pk for t in tickets], action__in=actions)
    for entry in entries.select_related("actor").order_by("at", "pk"):
        steps[(entry.ticket_id, entry.action)] = entry
    return steps


def _documents(tickets, kind: str) -> dict:
    """``{ticket pk: first issued document of kind}`` (one query)."""
    found = {}
    for record in IssuedDocument.objects.filter(ticket__in=[t.pk for t in tickets], kind=kind).order_by("pk"):
        found.setdefault(record.ticket_id, record)
    return found


def _held(outcome: str) -> str:
    if not outcome:
        return ""
    if outcome == Outcome.NOT_HELD:
        return gettext("no")
    if outcome == Outcome.NOT_YET_DOCUMENTED:
        return gettext("not yet documented")
    return gettext("yes")


def _table(columns, records: list[dict]) -> tuple[list[str], list[list]]:
    zone = {"tz": timezones.label()}  # date columns name the institution's zone: "(WIB)", "(WITA)", "(WIT)"
    headers = [str(label) % zone if "%(tz)s" in str(label) else str(label) for _key, label in columns]
    return headers, [[record.get(key, "") for key, _label in columns] for record in records]


def request_register(queryset, *, personal_data: bool = False) -> tuple[list[str], list[list]]:
    """``(headers, rows)`` of the register of requests (:data:`REQUEST_COLUMNS`) for the requests of
    ``queryset``, oldest first."""
    tickets = list(queryset.select_related("unit", "ppid").order_by("received_at", "pk"))
    steps = _steps(tickets, ("decide", "deliver"))
    notices = _documents(tickets, NOTICE)
    objections = {}
    for objection in ObjectionDetails.objects.filter(request__in=[t.pk for t in tickets]).select_related("ticket"):
        objections.setdefault(objection.request_id, []).append(objection)
    records = []
    for row, ticket in enumerate(tickets, start=1):
        d = getattr(ticket, "ppid", None)
        decided = steps.get((ticket.pk, "decide"))
        delivered = steps.get((ticket.pk, "deliver"))
        notice = notices.get(ticket.pk)
        record = {
            "row": row,
            "number": ticket.tracking_number,
            "received": _when(ticket.received_at),
            "channel": ticket.get_channel_display(),
            "unit": ticket.unit.name if ticket.unit_id else "",
            "due": ticket.due_date,
            "extended": _yes(ticket.extended),
            "status": ticket.status_label,
            "officer": decided.actor_display if decided is not None else "",
            "notice": notice.number if notice is not None else "",
            "notice_date": _when(notice.issued_at) if notice is not None else None,
            "response": "; ".join(
                gettext("objection %(number)s: %(reason)s")
                % {"number": o.ticket.tracking_number, "reason": o.get_reason_display()}
                for o in objections.get(ticket.pk, [])
            )
            or (gettext("no objection") if d is not None and d.outcome else ""),
            **_identity(ticket, d, personal_data),
        }
        if d is not None:
            delivered_at = getattr(d, "delivered_at", None) or (delivered.at if delivered is not None else None)
            record |= {
                "applicant_type": d.get_applicant_type_display(),
                "occupation": d.occupation,
                "proxy": _yes(d.is_proxy),
                "information": d.information_requested,
                "purpose": d.purpose,
                "obtain": d.get_obtain_method_display(),
                "receive": d.get_delivery_method_display(),
                "held": _held(d.outcome),
                "holding_body": d.holding_body,
                "decision": d.get_outcome_display() if d.outcome else "",
                "ground": d.get_exemption_ground_display() if d.exemption_ground else "",
                "reason": d.outcome_reason,
                "format": d.get_information_format_display() if d.information_format else "",
                "delivery": d.get_notice_delivery_display() if d.notice_delivery else "",
                "time_needed": d.time_needed_days,
                "delivered": _when(delivered_at),
                "cost": int(d.cost) if d.cost is not None else None,
                "payment": d.payment_method,
            }
        records.append(record)
    return _table(REQUEST_COLUMNS, records)


def objection_register(queryset, *, personal_data: bool = False) -> tuple[list[str], list[list]]:
    """``(headers, rows)`` of the register of objections (:data:`OBJECTION_COLUMNS`) for the objections of
    ``queryset``, oldest first. An objection on reason (b) has no request: its request columns stay empty."""
    tickets = list(queryset.select_related("objection__request__ppid", "ki_dispute").order_by("received_at", "pk"))
    steps = _steps(tickets, ("answer", "settle"))
    answers = _documents(tickets, OBJECTION_ANSWER)
    records = []
    for row, ticket in enumerate(tickets, start=1):
        d = getattr(ticket, "objection", None)
        request = d.request if d is not None else None
        request_details = getattr(request, "ppid", None) if request is not None else None
        answered = steps.get((ticket.pk, "answer")) or steps.get((ticket.pk, "settle"))
        answer = answers.get(ticket.pk)
        record = {
            "row": row,
            "number": ticket.tracking_number,
            "received": _when(ticket.received_at),
            "channel": ticket.get_channel_display(),
            "description": ticket.description,
            "due": ticket.due_date,
            "status": ticket.status_label,
            "officer": answered.actor_display if answered is not None else "",
            "answer": answer.number if answer is not None else "",
            "answered": _when(ticket.responded_at),
            "response": _objection_response(ticket, d),
            **_identity(ticket, request_details, personal_data),
        }
        if request is not None:
            record |= {"request": request.tracking_number, "request_received": _when(request.received_at)}
        if request_details is not None:
            record |= {
                "occupation": request_details.occupation,
                "information": request_details.information_requested,
                "purpose": request_details.purpose,
            }
        if d is not None:
            record |= {
                "reason": d.get_reason_display(),
                "decision": d.get_decision_display() if d.decision else "",
                "ground": d.answer_ground,
                "follow_up": d.answer_follow_up,
                "komisi_informasi": d.komisi_informasi_deadline,
            }
        records.append(record)
    return _table(OBJECTION_COLUMNS, records)


def _objection_response(ticket, details) -> str:
    """What the applicant did after the answer: a Komisi Informasi dispute (filed on, outcome), or nothing yet."""
    if details is None:
        return ""
    if details.dispute_filed_on is not None:
        text = gettext("dispute filed with the Komisi Informasi on %(date)s") % {
            "date": details.dispute_filed_on.strftime("%d/%m/%Y")
        }
        dispute = getattr(ticket, "ki_dispute", None)
        if dispute is not None:
            text += f" — {dispute.get_outcome_display()}"
        return text
    if ticket.status == "settled":
        return gettext("settled by agreement")
    return gettext("no dispute filed") if details.decision else ""


REGISTERS = {
    "ppid_register": Register(
        "ppid_register", _("Register of information requests"), requests_queryset, request_register
    ),
    "objection_register": Register(
        "objection_register", _("Register of objections"), objections_queryset, objection_register
    ),
}
