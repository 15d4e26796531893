from __future__ import annotations

from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.utils import formats, timezone
from django.utils.translation import gettext

from layanan.calendar.workdays import to_local
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
from layanan.ppid.windows import (
    delivered_late,
    delivery_deadline,
    komisi_informasi_deadline,
    objection_window,
    refused_under_pasal_17,
)

__all__ = [
    "check_objection",
    "check_objection_fields",
    "check_ppid_request",
    "ground_error",
    "objection_window",
    "submit_objection",
    "submit_ppid_request",
]


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


#: The reason that needs no prior request: (b) periodic information (Pasal 9) not published.
REASON_WITHOUT_REQUEST = "b"


def check_objection_fields(data: dict) -> None:
    """The objection form's own cross-field rules (no database): required fields, a reason of Pasal 35(1) a–g,
    the request's registration number (except for reason (b), periodic information not published, which
    needs no request) and the NIK or the e-mail address of the request. Raises
    ``ValidationError({field: message})``."""
    errors: dict[str, str] = {}
    require_fields(data, errors, "name", "reason", "description")
    if data.get("reason") and data["reason"] not in OBJECTION_REASONS.values:
        errors["reason"] = gettext("Choose one of the reasons a–g of UU 14/2008 Pasal 35(1).")
    if data.get("reason") != REASON_WITHOUT_REQUEST and not (data.get("request_tracking_number") or "").strip():
        errors["request_tracking_number"] = gettext(
            "Give the registration number of your request (only an objection for reason (b), periodic "
            "information not published, needs none)."
        )
    if not (data.get("nik") or data.get("email")):
        errors.setdefault("nik", gettext("Give the NIK or the e-mail address used for the request."))
    if errors:
        raise ValidationError(errors)


def _applicants_request(data: dict):
    """The PPID request ``request_tracking_number`` names when it is the SAME applicant's (same NIK keyed hash,
    or same e-mail address); ``ValidationError`` on ``request_tracking_number`` otherwise — an unknown number
    and another applicant's number get the same message."""
    number = normalise(data["request_tracking_number"])
    candidate = Ticket.objects.select_related("ppid").filter(tracking_number=number, service="ppid_request").first()
    if candidate is not None:
        nik = normalise_nik(data.get("nik"))
        if nik and candidate.applicant_nik_hash and keyed_hash(nik) == candidate.applicant_nik_hash:
            return candidate
        email = (data.get("email") or "").strip().lower()
        if email and candidate.applicant_email and email == candidate.applicant_email.strip().lower():
            return candidate
    raise ValidationError(
        {
            "request_tracking_number": gettext(
                "No request with this registration number was found for this applicant "
                "(check the number and use the NIK or e-mail given in the request)."
            )
        }
    )


def ground_error(reason: str, request_ticket, filed_on: date) -> str | None:
    """Why the fact behind ``reason`` (UU 14/2008 Pasal 35(1)) is missing from ``request_ticket`` on the WIB date
    ``filed_on``, as an Indonesian sentence, or None when the ground holds:

    - (a) the request was refused under Pasal 17 (:func:`layanan.ppid.windows.refused_under_pasal_17`);
    - (c) the request's due date (its extension included) has passed — ``filed_on`` after it — and no answer
      was given by then;
    - (g) the information was delivered after its due date (:func:`layanan.ppid.windows.delivered_late`);
    - (d), (e), (f) concern the answer: the request was decided;
    - (b) needs nothing of a request.
    """
    number = request_ticket.tracking_number
    details = getattr(request_ticket, "ppid", None)
    if reason == "a" and not refused_under_pasal_17(request_ticket):
        return gettext(
            "Reason (a) is for a request refused under the exemptions of Pasal 17; request %(number)s was not "
            "refused on such a ground."
        ) % {"number": number}
    if reason == "c":
        due = request_ticket.due_date
        if due is None or filed_on <= due:
            return gettext(
                "Reason (c) applies only once the request's due date has passed without an answer; request "
                "%(number)s is due on %(date)s."
            ) % {"number": number, "date": _fmt(due) if due else "-"}
        answered = request_ticket.responded_at
        if answered is not None and to_local(answered).date() <= due:
            return gettext(
                "Request %(number)s was answered on %(answered)s, by its due date (%(date)s): reason (c) does "
                "not apply."
            ) % {"number": number, "answered": _fmt(to_local(answered).date()), "date": _fmt(due)}
    if reason == "g" and not delivered_late(request_ticket):
        if details is None or details.delivered_at is None:
            return gettext(
                "Reason (g) is for information delivered later than the law allows; no delivery of the "
                "information of request %(number)s has been recorded."
            ) % {"number": number}
        deadline = delivery_deadline(request_ticket)
        return gettext(
            "The information of request %(number)s was delivered on %(delivered)s, by its due date (%(date)s): "
            "reason (g) does not apply."
        ) % {
            "number": number,
            "delivered": _fmt(to_local(details.delivered_at).date()),
            "date": _fmt(deadline.due_date) if deadline else "-",
        }
    if reason in ("d", "e", "f") and (details is None or details.decided_at is None):
        return gettext(
            "Reasons (d), (e) and (f) concern the answer to the request; request %(number)s has not been decided yet."
        ) % {"number": number}
    return None


def check_objection(data: dict, received_at: datetime | None = None):
    """Find the request objected to and check the objection may be filed. Returns ``(request, day0, last)``
    (``request`` None, and no window, for reason (b) without a request number).

    - ``request_tracking_number`` must name a PPID request of the SAME applicant (same NIK keyed hash, or
      same e-mail address); an unknown number and another applicant's number get the same message. Reason (b)
      (periodic information not published, Pasal 9) needs no request; when a number is given it is checked
      all the same and the objection is linked to it.
    - the request must carry the fact of the reason (:func:`ground_error`, UU 14/2008 Pasal 35(1)), on
      ``reason``;
    - it must be filed (WIB date of ``received_at``, default now) no later than the last day of the 30-WD
      window (:func:`layanan.ppid.windows.objection_window`, from when the reason arose; none for (b)); the
      message names that date.
    - ``reason`` is one of Pasal 35(1) a–g (:func:`check_objection_fields`).
    Raises ``ValidationError({field: Indonesian message})``; nothing is stored.
    """

    check_objection_fields(data)
    reason = data["reason"]
    if reason == REASON_WITHOUT_REQUEST and not (data.get("request_tracking_number") or "").strip():
        return None, None, None
    candidate = _applicants_request(data)
    filed_on = to_local(received_at or timezone.now()).date()
    problem = ground_error(reason, candidate, filed_on)
    if problem:
        raise ValidationError({"reason": problem})
    if reason == REASON_WITHOUT_REQUEST:
        return candidate, None, None
    day0, last, basis = objection_window(candidate, reason)
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
    """Register an objection (keberatan, UU 14/2008 Pasal 35–36) against one of the applicant's requests, or,
    for reason (b) (periodic information not published), without one.

    ``data`` keys: request_tracking_number (optional for reason b), reason (a–g), description, name, nik, email,
    phone. Checked by :func:`check_objection`. Due: 30 WD for the Atasan PPID's answer (Pasal 36(2)); the
    Komisi Informasi date is stored from the start (14 WD after that answer period lapses, Perki 1/2013 Pasal
    13) and recomputed on the answer. Raises ``ValidationError``.
    """
    request_ticket, day0, last = check_objection(data, received_at)
    reason_label = OBJECTION_REASONS(data["reason"]).label

    def make_details(ticket, entry):
        details = ObjectionDetails(
            ticket=ticket, request=request_ticket, reason=data["reason"], window_start=day0, window_last_date=last
        )
        deadline = komisi_informasi_deadline(ticket)  # no answer yet: from the answer's due date
        details.komisi_informasi_deadline = deadline.due_date if deadline else None
        details.save(force_insert=True)

    subject = f"{request_ticket.tracking_number}: {reason_label}" if request_ticket else str(reason_label)
    return register_submission(
        "objection",
        ("objection", "answer"),
        data,
        subject=subject,
        description=data["description"],
        channel=channel,
        received_at=received_at,
        registered_by=registered_by,
        files=files,
        make_details=make_details,
    )
