from __future__ import annotations

from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.utils import formats, timezone
from django.utils.translation import gettext

from layanan.calendar.conf import get_deadline_rule
from layanan.calendar.workdays import compute_deadline, extend_deadline
from layanan.core.crypto import keyed_hash, normalise_nik
from layanan.core.intake import (
    Submission,
    register_submission,
    require_contact,
    require_fields,
    store_attachments,
    validate_uploads,
)
from layanan.core.models.tickets import Ticket
from layanan.core.numbering import normalise
from layanan.ppid.models import OBJECTION_REASONS, ObjectionDetails, PPIDRequestDetails

__all__ = ["check_objection", "check_ppid_request", "objection_window", "submit_objection", "submit_ppid_request"]


def check_ppid_request(data: dict) -> None:
    """Cross-field rules of the SLIP form: a person gives a NIK, a legal entity its decree number; a proxy
    attaches a power of attorney; e-mail or phone is given. Raises ``ValidationError({field: message})``."""
    errors: dict[str, str] = {}
    require_fields(
        data, errors, "name", "address", "information_requested", "purpose", "obtain_method", "delivery_method"
    )
    if data.get("applicant_type", "person") == "legal_entity":
        require_fields(data, errors, "legal_entity_decree")
    else:
        require_fields(data, errors, "nik")
    if data.get("is_proxy") and not data.get("power_of_attorney"):
        errors["power_of_attorney"] = gettext("A request filed by a proxy needs the power of attorney.")
    if data.get("delivery_method") == "email" and not data.get("email"):
        errors["email"] = gettext("An e-mail address is needed to receive the information by e-mail.")
    require_contact(data, errors)
    if errors:
        raise ValidationError(errors)


def _fmt(d: date) -> str:
    return f"{formats.date_format(d, 'j F Y')} ({d.isoformat()})"


def objection_window(request_ticket) -> tuple[date, date, str]:
    """The 30-WD filing window of an objection against ``request_ticket`` (UU 14/2008 Pasal 36(1)).

    Our rule for "when the reason arose": the date of the written decision (``responded_at``) when the request
    was answered (reasons a, d–g: the decision is what is objected to); otherwise the request's due date (its
    extension included) — an unanswered request (reason c) gives cause the day the answer was due.
    Returns ``(day 0, last allowed date, basis label)`` in WIB dates.
    """

    rule = get_deadline_rule("objection", "filing_window")
    if request_ticket.responded_at:
        deadline = compute_deadline(request_ticket.responded_at, rule.days, unit=rule.unit)
        return deadline.counting_from, deadline.due_date, gettext("the decision on the request")
    deadline = extend_deadline(request_ticket.due_date, rule.days, unit=rule.unit)
    return deadline.counting_from, deadline.due_date, gettext("the due date of the unanswered request")


def check_objection(data: dict, received_at: datetime | None = None):
    """Find the request objected to and check the objection may be filed. Returns ``(request, day0, last)``.

    - ``request_tracking_number`` must name a PPID request of the SAME applicant (same NIK keyed hash, or
      same e-mail address); an unknown number and another applicant's number get the same message.
    - it must be filed (WIB date of ``received_at``, default now) no later than the last day of the 30-WD
      window (:func:`objection_window`); the message names that date.
    - ``reason`` is one of Pasal 35(1) a–g.
    Raises ``ValidationError({field: message})``.
    """

    errors: dict[str, str] = {}
    require_fields(data, errors, "name", "request_tracking_number", "reason", "description")
    if data.get("reason") and data["reason"] not in OBJECTION_REASONS.values:
        errors["reason"] = gettext("Choose one of the reasons a–g of UU 14/2008 Pasal 35(1).")
    if not (data.get("nik") or data.get("email")):
        errors.setdefault("nik", gettext("Give the NIK or the e-mail address used for the request."))
    if errors:
        raise ValidationError(errors)
    number = normalise(data["request_tracking_number"])
    candidate = Ticket.objects.filter(tracking_number=number, service="ppid_request").first()
    same = False
    if candidate is not None:
        nik = normalise_nik(data.get("nik"))
        if nik and candidate.applicant_nik_hash and keyed_hash(nik) == candidate.applicant_nik_hash:
            same = True
        email = (data.get("email") or "").strip().lower()
        if email and candidate.applicant_email and email == candidate.applicant_email.strip().lower():
            same = True
    if not same:
        raise ValidationError(
            {
                "request_tracking_number": gettext(
                    "No request with this registration number was found for this applicant "
                    "(check the number and use the NIK or e-mail given in the request)."
                )
            }
        )
    day0, last, basis = objection_window(candidate)
    filed_on = timezone.localdate(received_at or timezone.now())
    if filed_on > last:
        raise ValidationError(
            {
                "request_tracking_number": gettext(
                    "The objection period has passed: an objection had to be filed by %(date)s at the latest "
                    "(30 working days from %(basis)s, UU 14/2008 Pasal 36(1))."
                )
                % {"date": _fmt(last), "basis": basis}
            }
        )
    return candidate, day0, last


def submit_ppid_request(
    data: dict,
    *,
    files=(),
    channel: str = "web",
    received_at: datetime | None = None,
    registered_by=None,
    origin=None,
    validate: bool = True,
) -> Submission:
    """Register a public-information request (SLIP; UU 14/2008 Pasal 22). Due: 10 WD (Pasal 22(7)).

    ``data`` keys: name, applicant_type (person|legal_entity), nik, legal_entity_decree, address, phone, email,
    occupation, is_proxy, power_of_attorney (upload), information_requested, purpose, obtain_method,
    delivery_method. ``files``: further uploads. ``channel``: web, api, email, walk_in, phone, post,
    social_media. ``received_at``: aware datetime (default now). ``registered_by``: the officer for
    walk-in/phone/post. ``origin``: the ticket it was made from (a triaged social-media message).
    ``validate`` False (an officer's triage): the SLIP completeness checks are skipped — what is missing is
    asked of the applicant through the workflow (``request_completion``). Raises ``ValidationError``.
    """
    if validate:
        check_ppid_request(data)
    poa = [data["power_of_attorney"]] if data.get("is_proxy") and data.get("power_of_attorney") else []
    poa = validate_uploads(poa) if poa else []

    def make_details(ticket, entry):
        poa_attachment = None
        if poa:
            poa_attachment = store_attachments(
                ticket,
                poa,
                uploaded_by=registered_by,
                visible_to_applicant=True,
                entry=entry,
                purpose="power_of_attorney",
            )[0]
        PPIDRequestDetails.objects.create(
            ticket=ticket,
            applicant_type=data.get("applicant_type") or "person",
            legal_entity_decree=data.get("legal_entity_decree") or "",
            address=data.get("address") or "",
            occupation=data.get("occupation") or "",
            is_proxy=bool(data.get("is_proxy")),
            power_of_attorney=poa_attachment,
            information_requested=data["information_requested"],
            purpose=data.get("purpose") or "",
            obtain_method=data.get("obtain_method") or "",
            delivery_method=data.get("delivery_method") or "",
        )

    info = data["information_requested"].strip()
    return register_submission(
        "ppid_request",
        ("ppid", "answer"),
        data,
        subject=info.splitlines()[0][:120] if info else "",
        description=info,
        channel=channel,
        received_at=received_at,
        registered_by=registered_by,
        files=files,
        make_details=make_details,
        origin=origin,
    )


def submit_objection(
    data: dict, *, files=(), channel: str = "web", received_at: datetime | None = None, registered_by=None
) -> Submission:
    """Register an objection (keberatan, UU 14/2008 Pasal 35–36) against one of the applicant's requests.

    ``data`` keys: request_tracking_number, reason (a–g), description, name, nik, email, phone. Checked by
    :func:`check_objection`. Due: 30 WD for the Atasan PPID's answer (Pasal 36(2)). Raises ``ValidationError``.
    """
    request_ticket, day0, last = check_objection(data, received_at)
    reason_label = OBJECTION_REASONS(data["reason"]).label

    def make_details(ticket, entry):
        ObjectionDetails.objects.create(
            ticket=ticket, request=request_ticket, reason=data["reason"], window_start=day0, window_last_date=last
        )

    return register_submission(
        "objection",
        ("objection", "answer"),
        data,
        subject=f"{request_ticket.tracking_number}: {reason_label}",
        description=data["description"],
        channel=channel,
        received_at=received_at,
        registered_by=registered_by,
        files=files,
        make_details=make_details,
    )
