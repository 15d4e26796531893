"""A refusal that cites an entry of the list of exempt information (DIK; UU 14/2008 Pasal 17, 19, 22(7)).

The PPID's ``decide`` action takes an optional input ``dik_entry`` (the id of an exempt DIP entry,
``home.models.PublicInformationPage``). :func:`fill_from_dik_entry` then fills the decision's Pasal 17 ground
(for j the statute) and its consequence test (``outcome_reason``: the harm, citing the entry and the decision
that fixed the exemption; ``public_interest``: the weighing) from the entry — the consequence test was made
once, when the PPID fixed the exemption (SK penetapan), and a refusal cites it instead of retyping it. Only
an entry whose exemption is in force on the day of the decision (WIB date, UU 14/2008 Pasal 20) can be cited.
"""

from __future__ import annotations

from django.conf import settings
from django.db.models import Q
from django.utils import formats, timezone, translation
from django.utils.translation import gettext

from home.models import PublicInformationPage
from home.models.dip import exempt_information
from layanan.core.workflow import TransitionError
from layanan.ppid.models import PPIDRequestDetails

__all__ = ["citable_dik_entries", "dik_entry_choices", "dik_reason", "fill_from_dik_entry"]

#: Outcomes that may cite a DIK entry: a refusal, and a partial grant (the withheld parts).
CITING_OUTCOMES = (PPIDRequestDetails.Outcome.REJECTED_EXEMPT, PPIDRequestDetails.Outcome.GRANTED_PART)


def citable_dik_entries(on=None):
    """Live exempt entries whose exemption holds on ``on`` (WIB date, default today): no end date, or ending
    that day or later. Ordered by ground and title."""
    on = on or timezone.localdate()
    return exempt_information(PublicInformationPage.objects.live()).filter(
        Q(exempt_until__isnull=True) | Q(exempt_until__gte=on)
    )


def dik_entry_choices():
    """``[(id, "title — Pasal 17 huruf x (SK number)")]`` of the entries a decision may cite today."""
    return [
        (str(page.pk), f"{page.title} — {page.ground_citation} ({page.decision_number})")
        for page in citable_dik_entries()
    ]


def dik_reason(entry) -> str:
    """The decision's reason (the harm of disclosure) built from ``entry``, in the site's language (it is sent to
    the applicant): the entry and the decision that fixed it, its exemption period, then the consequence test."""
    with translation.override(settings.LANGUAGE_CODE):
        head = gettext(
            "The information is in the list of exempt information (DIK) as “%(title)s” (%(ground)s), exempted "
            "by the PPID's decision %(number)s of %(date)s for this period: %(period)s."
        ) % {
            "ground": entry.ground_citation,
            "title": entry.title,
            "number": entry.decision_number,
            "date": formats.date_format(entry.decision_date, "j F Y") if entry.decision_date else "-",
            "period": entry.exemption_period,
        }
    return f"{head}\n\n{entry.consequence_test.strip()}"


def fill_from_dik_entry(data: dict) -> None:
    """Fill a ``decide`` action's ``exemption_ground`` and ``outcome_reason`` from its ``dik_entry`` (in place).

    No ``dik_entry``: nothing changes. Otherwise the outcome must be a refusal or a partial grant, the entry a
    live exempt entry in force today, and a ground typed by the officer the entry's own; the ground is then the
    entry's, and what the officer left empty is filled: ``exemption_statute`` (ground j), ``outcome_reason``
    (:func:`dik_reason`) and ``public_interest`` (text the officer wrote is kept). Raises
    :class:`TransitionError` with the field at fault (nothing is stored then).
    """
    value = data.get("dik_entry")
    if not value:
        return
    if data.get("outcome") not in CITING_OUTCOMES:
        message = gettext("Only a refusal or a partial grant can cite exempt information.")
        raise TransitionError(message, {"dik_entry": message})
    entry = citable_dik_entries().filter(pk=int(value)).first()
    if entry is None:
        message = gettext("This entry is not exempt information in force today.")
        raise TransitionError(message, {"dik_entry": message})
    ground = data.get("exemption_ground")
    if ground and ground != entry.exemption_ground:
        message = gettext("The cited entry is exempt under Pasal 17 letter %(letter)s, not %(other)s.") % {
            "letter": entry.exemption_ground,
            "other": ground,
        }
        raise TransitionError(message, {"exemption_ground": message})
    data["exemption_ground"] = entry.exemption_ground
    if entry.ground_statute and not (data.get("exemption_statute") or "").strip():
        data["exemption_statute"] = entry.ground_statute
    if not (data.get("outcome_reason") or "").strip():
        data["outcome_reason"] = dik_reason(entry)
    if not (data.get("public_interest") or "").strip():
        data["public_interest"] = entry.public_interest_test.strip()
