"""What followed an objection, recorded at the desk for the annual report (Perki 1/2021; UU 14/2008 Pasal 36–50):

- whether the Atasan PPID's answer was carried out (an upheld objection obliges the PPID to act):
  :func:`record_answer_carried_out`;
- whether the Komisi Informasi's decision was carried out (a mediation agreement, or an adjudication granting
  the petition in full or in part): :func:`record_ki_decision_carried_out`;
- court challenges of an adjudication decision and their outcomes (PTUN or PN, Pasal 47–49; cassation at the
  Supreme Court, Pasal 50) and whether the body carried the court's decision out: :func:`record_court_challenge`;
- the narrative sections of the annual report (:func:`save_annual_narrative`).

Every function takes the acting user, checks the permission (the Atasan PPID and the PPID Utama, as for the
Komisi Informasi outcome: :func:`layanan.ppid.disputes.can_record_dispute_outcome`; the narrative: the PPID
Utama), works in one transaction with the objection row locked and writes an internal timeline entry. Dates
are WIB dates, not in the future. Errors: ``PermissionDenied``, or ``ValidationError({field: message})`` with
nothing stored.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import formats
from django.utils.translation import gettext

from layanan.calendar.workdays import to_local
from layanan.core.access import tickets_visible_to
from layanan.core.deadlines import today_wib
from layanan.core.events import record_event
from layanan.core.models.tickets import Ticket
from layanan.ppid.disputes import can_record_dispute_outcome
from layanan.ppid.models import AnnualReportNarrative, CourtChallenge, KomisiInformasiDispute, ObjectionDetails

__all__ = [
    "ADJUDICATION_OUTCOMES",
    "KI_OUTCOMES_TO_CARRY_OUT",
    "can_edit_annual_narrative",
    "record_answer_carried_out",
    "record_court_challenge",
    "record_ki_decision_carried_out",
    "save_annual_narrative",
]

_KI = KomisiInformasiDispute.Outcome
#: Komisi Informasi outcomes that oblige the body to act: a mediation agreement (final and binding, Pasal 39) and
#: an adjudication granting the petition in full or in part.
KI_OUTCOMES_TO_CARRY_OUT = (_KI.MEDIATION, _KI.GRANTED, _KI.GRANTED_PART)
#: Adjudication decisions, the only ones a court challenge can be brought against (Pasal 47–48; mediation is final).
ADJUDICATION_OUTCOMES = (_KI.GRANTED, _KI.GRANTED_PART, _KI.REJECTED)
#: Court decisions the body may have to carry out (its own challenge lost, or the applicant's granted).


def _locked_objection(objection, user) -> Ticket:
    if not can_record_dispute_outcome(user):
        raise PermissionDenied
    ticket = tickets_visible_to(user, "objection").select_for_update().filter(pk=objection.pk).first()
    if ticket is None:
        raise PermissionDenied
    return Ticket.objects.select_related("objection").get(pk=ticket.pk)


def _date_errors(errors: dict, field: str, value, not_before, before_label: str) -> None:
    """Add an error for ``value`` (a date) in the future or before ``not_before`` (when given)."""
    if value is None or field in errors:
        return
    if value > today_wib():
        errors[field] = gettext("The date cannot be in the future.")
    elif not_before is not None and value < not_before:
        errors[field] = gettext("The date cannot be before %(what)s (%(date)s).") % {
            "what": before_label,
            "date": formats.date_format(not_before, "j F Y"),
        }


def record_answer_carried_out(objection, user, *, carried_out_on: datetime.date | None, note: str = ""):
    """Record that the PPID carried out the Atasan PPID's answer on ``objection`` (or clear it: ``None``).

    Only an upheld objection has something to carry out; the date is on or after the answer (WIB) and not in the
    future. Returns the ``ObjectionDetails``."""
    with transaction.atomic():
        ticket = _locked_objection(objection, user)
        details: ObjectionDetails = ticket.objection
        errors = {}
        if details.decision != ObjectionDetails.Decision.UPHELD:
            errors["carried_out_on"] = gettext("Only an upheld objection has an answer to carry out.")
        answered_on = to_local(details.answered_at).date() if details.answered_at else None
        _date_errors(errors, "carried_out_on", carried_out_on, answered_on, gettext("the answer"))
        if errors:
            raise ValidationError(errors)
        details.answer_carried_out_on = carried_out_on
        details.save(update_fields=["answer_carried_out_on"])
        _event(ticket, user, "answer_carried_out", carried_out_on, note)
    return details


def record_ki_decision_carried_out(objection, user, *, carried_out_on: datetime.date | None, note: str = ""):
    """Record that the body carried out the Komisi Informasi's decision on ``objection``'s dispute (or clear it).

    The dispute's outcome must oblige the body (:data:`KI_OUTCOMES_TO_CARRY_OUT`); the date is on or after the
    outcome date and not in the future. Returns the ``KomisiInformasiDispute``."""
    with transaction.atomic():
        ticket = _locked_objection(objection, user)
        dispute = KomisiInformasiDispute.objects.filter(objection=ticket).first()
        errors = {}
        if dispute is None or dispute.outcome not in KI_OUTCOMES_TO_CARRY_OUT:
            errors["carried_out_on"] = gettext(
                "Only a mediation agreement or a decision granting the petition has to be carried out."
            )
        else:
            _date_errors(errors, "carried_out_on", carried_out_on, dispute.outcome_date, gettext("the decision"))
        if errors:
            raise ValidationError(errors)
        dispute.carried_out_on = carried_out_on
        dispute.recorded_by = user
        dispute.save(update_fields=["carried_out_on", "recorded_by", "updated_at"])
        _event(ticket, user, "ki_decision_carried_out", carried_out_on, note)
    return dispute


def record_court_challenge(
    objection,
    user,
    *,
    challenge: CourtChallenge | None = None,
    court: str,
    filed_by: str,
    filed_on: datetime.date,
    case_number: str = "",
    outcome: str = CourtChallenge.Outcome.PENDING,
    outcome_date: datetime.date | None = None,
    carried_out_on: datetime.date | None = None,
    note: str = "",
) -> CourtChallenge:
    """Record a new court challenge on ``objection`` (or correct ``challenge``, one of its own).

    Rules (UU 14/2008 Pasal 47–50): the objection's Komisi Informasi dispute ended in an adjudication decision
    (granted, granted in part, rejected — a mediation agreement is final) and the challenge is filed on or after
    that decision; a cassation (``ma``) follows a first-instance challenge (PTUN/PN) of the same objection that
    was decided, and is filed on or after that decision; a final ``outcome`` needs its ``outcome_date`` (on or
    after filing); ``carried_out_on`` needs a final outcome and is on or after it. No date in the future.
    Returns the ``CourtChallenge``.
    """
    courts, outcomes = CourtChallenge.Court, CourtChallenge.Outcome
    with transaction.atomic():
        ticket = _locked_objection(objection, user)
        if challenge is not None and challenge.objection_id != ticket.pk:
            raise PermissionDenied
        errors: dict[str, str] = {}
        if court not in courts.values:
            errors["court"] = gettext("Select a valid choice.")
        if filed_by not in CourtChallenge.FiledBy.values:
            errors["filed_by"] = gettext("Select a valid choice.")
        if outcome not in outcomes.values:
            errors["outcome"] = gettext("Select a valid choice.")
        dispute = KomisiInformasiDispute.objects.filter(objection=ticket).first()
        if dispute is None or dispute.outcome not in ADJUDICATION_OUTCOMES:
            errors["court"] = gettext(
                "A court challenge is brought against a Komisi Informasi adjudication decision: record that "
                "decision first (UU 14/2008 Pasal 47–48)."
            )
        elif court == courts.MA:
            first = (
                CourtChallenge.objects.filter(objection=ticket, court__in=(courts.PTUN, courts.PN))
                .exclude(outcome=outcomes.PENDING)
                .exclude(pk=challenge.pk if challenge is not None else None)
                .order_by("-outcome_date")
                .first()
            )
            if first is None:
                errors["court"] = gettext(
                    "A cassation follows a decided challenge at the PTUN or the district court (Pasal 50)."
                )
            else:
                _date_errors(errors, "filed_on", filed_on, first.outcome_date, gettext("the first-instance decision"))
        else:
            _date_errors(errors, "filed_on", filed_on, dispute.outcome_date, gettext("the Komisi Informasi decision"))
        if outcome != outcomes.PENDING and outcome_date is None and "outcome" not in errors:
            errors["outcome_date"] = gettext("Give the date of the court's decision.")
        _date_errors(errors, "outcome_date", outcome_date, filed_on, gettext("the filing"))
        if carried_out_on is not None and outcome == outcomes.PENDING:
            errors["carried_out_on"] = gettext("A decision can be carried out only once it is given.")
        _date_errors(errors, "carried_out_on", carried_out_on, outcome_date, gettext("the decision"))
        if errors:
            raise ValidationError(errors)
        challenge = challenge or CourtChallenge(objection=ticket)
        challenge.court, challenge.filed_by, challenge.filed_on = court, filed_by, filed_on
        challenge.case_number = (case_number or "").strip()
        challenge.outcome = outcome
        challenge.outcome_date = outcome_date if outcome != outcomes.PENDING else None
        challenge.carried_out_on = carried_out_on
        challenge.note = note or ""
        challenge.recorded_by = user
        challenge.save()
        record_event(
            ticket,
            "court_challenge",
            note=note or f"{challenge.get_court_display()}: {challenge.get_outcome_display()}",
            actor=user,
            visible_to_applicant=False,
            from_status=ticket.status,
            data={
                "court": court,
                "filed_on": filed_on.isoformat(),
                "case_number": challenge.case_number,
                "outcome": outcome,
                "outcome_date": outcome_date.isoformat() if challenge.outcome_date else None,
                "carried_out_on": carried_out_on.isoformat() if carried_out_on else None,
            },
        )
    return challenge


def _event(ticket, user, action: str, on: datetime.date | None, note: str) -> None:
    record_event(
        ticket,
        action,
        note=note or (gettext("Carried out on %(date)s.") % {"date": on.isoformat()} if on else gettext("Cleared.")),
        actor=user,
        visible_to_applicant=False,
        from_status=ticket.status,
        data={"carried_out_on": on.isoformat() if on else None},
    )


# --- the narrative of the annual report --------------------------------------------------------------------------
def can_edit_annual_narrative(user) -> bool:
    """The PPID Utama (``handle_ppid``) and superusers write the annual report's narrative."""
    return bool(user is not None and user.is_active and (user.is_superuser or user.has_perm("layanan.handle_ppid")))


def save_annual_narrative(year: int, user, **sections: str) -> AnnualReportNarrative:
    """Create or update the narrative of ``year`` with ``sections`` (``AnnualReportNarrative.SECTIONS`` names;
    others raise ``ValidationError``). Raises ``PermissionDenied`` unless :func:`can_edit_annual_narrative`."""
    if not can_edit_annual_narrative(user):
        raise PermissionDenied
    unknown = set(sections) - set(AnnualReportNarrative.SECTIONS)
    if unknown:
        raise ValidationError({name: gettext("Unknown section.") for name in sorted(unknown)})
    with transaction.atomic():
        narrative, _created = AnnualReportNarrative.objects.select_for_update().get_or_create(year=year)
        for name, text in sections.items():
            setattr(narrative, name, (text or "").strip())
        narrative.updated_by = user
        narrative.save()
    return narrative
