from __future__ import annotations

from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext

from layanan.core.intake import Submission, register_submission, require_contact, require_fields
from layanan.lapor.models import LaporDetails

__all__ = ["check_lapor_report", "submit_lapor_report"]


def check_lapor_report(data: dict) -> None:
    """Required fields of an SP4N-LAPOR report: title, description, classification; the reporter's name and an
    e-mail or phone unless the report is *anonim* (SP4N-LAPOR: the reporter need not say who they are; an
    identity given anyway is hidden from the unit and shown only to the LAPOR admin)."""
    errors: dict[str, str] = {}
    require_fields(data, errors, "title", "description", "classification")
    if not data.get("anonymous"):
        require_fields(data, errors, "name")
        require_contact(data, errors)
    incident = data.get("incident_date")
    if isinstance(incident, date) and incident > timezone.localdate():
        errors["incident_date"] = gettext("The date of the incident cannot be in the future.")
    if errors:
        raise ValidationError(errors)


def submit_lapor_report(
    data: dict,
    *,
    files=(),
    channel: str = "web",
    received_at: datetime | None = None,
    registered_by=None,
    origin=None,
    validate: bool = True,
    credential: tuple[str, str] | None = None,
) -> Submission:
    """Register an SP4N-LAPOR report (aspiration, complaint or information request; Perpres 76/2013).

    ``data`` keys: title, description, classification, category (``LaporCategory`` or None), location,
    incident_date (date), anonymous, confidential, external_id, name, nik, email, phone. Due: verification
    3 WD (setting). ``origin``/``validate``/``credential``: for tickets an officer makes from another ticket
    (triage, transfer from WBS) — see :func:`submit_ppid_request` and ``_register``. Raises ``ValidationError``.
    """
    if validate:
        check_lapor_report(data)

    def make_details(ticket, entry):
        LaporDetails.objects.create(
            ticket=ticket,
            classification=data["classification"],
            category=data.get("category"),
            location=data.get("location") or "",
            incident_date=data.get("incident_date"),
            anonymous=bool(data.get("anonymous")),
            confidential=bool(data.get("confidential")),
            external_id=data.get("external_id") or "",
        )

    return register_submission(
        "lapor",
        ("lapor", "verification"),
        data,
        subject=data["title"],
        description=data["description"],
        channel=channel,
        received_at=received_at,
        registered_by=registered_by,
        files=files,
        make_details=make_details,
        origin=origin,
        credential=credential,
    )
