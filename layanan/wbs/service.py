"""Registers whistleblowing (WBS) reports (Permenko Marves 3/2022; handled by the Inspektorat).

Restricted: a superuser does not open WBS reports merely by being superuser (``handle_wbs`` must be held
explicitly), and every opening in the admin is recorded. See docs/wbs-privacy.md.
"""

from django.utils.translation import gettext_lazy as _

from layanan.core.registry import DeskOptions, ServiceDefinition, register
from layanan.wbs.forms import WbsRegisterForm
from layanan.wbs.machine import WBS_MACHINE
from layanan.wbs.models import ViolationType
from layanan.wbs.reports import wbs_public_totals
from layanan.wbs.services import notify_step, send_reporter_notice, submit_wbs_report, transfer_lapor_to_wbs


def public_details(ticket) -> dict:
    """What the reporter sees of their report besides the thread: the violation type only."""
    d = getattr(ticket, "wbs", None)
    if d is None:
        return {}
    return {"violation_type": d.violation_type, "violation_type_label": d.get_violation_type_display()}


def applicant_display(ticket):
    """The desk list never shows a WBS reporter: "(confidential)"."""
    return _("(confidential)")


def anonymise(ticket) -> None:
    """Retention: the reporter's identity and every narrative field go; the violation type, outcome and dates
    stay for the yearly totals."""
    details = getattr(ticket, "wbs", None)
    if details is not None:
        for name in ("what", "where", "when", "who", "reported_unit", "how"):
            setattr(details, name, "")
        details.reporter_name = details.reporter_contact = details.reporter_email = ""
        details.save()


def public_statistics(year, as_of) -> dict:
    """The WBS yearly totals by violation type, counts below the threshold suppressed (no personal data)."""
    return wbs_public_totals(year)


WBS = register(
    ServiceDefinition(
        code="wbs",
        order=40,
        ratable=False,  # never: a survey answer would be one more trace linking the reporter to the report
        access_recovery=False,  # the receipt code is the only credential; no contact on file to send a new one to
        label=_("Whistleblowing report"),
        prefix="WBS",
        machine=WBS_MACHINE,
        permissions=("handle_wbs",),
        proxy_model="wbsticket",
        detail_relation="wbs",
        public_select_related=("wbs",),
        restricted=True,
        restricted_permissions=("handle_wbs",),
        audited=True,
        submit=submit_wbs_report,
        notify_step=notify_step,
        public_details=public_details,
        legal_basis="Permenko Marves 3/2022",
        register_form=WbsRegisterForm,
        notify_transferred=send_reporter_notice,
        # The Inspektorat's list shows no reporter and no narrative; search is by tracking number only (the
        # narrative is encrypted).
        desk=DeskOptions(
            menu_label=_("WBS (Inspektorat)"),
            menu_icon="lock",
            columns=("subject", "status", "channel"),
            filters=("channel",),
            search_fields=("tracking_number",),
            select_related=("wbs",),
            applicant_display=applicant_display,
        ),
        public_statistics=public_statistics,
        anonymise=anonymise,
        # Used by the LAPOR machine's "transfer to WBS" transition (corruption or staff misconduct reported
        # through SP4N-LAPOR): the violation types to choose from, and the transfer itself.
        extra={"transfer_in": transfer_lapor_to_wbs, "violation_choices": lambda: ViolationType.choices},
    )
)
