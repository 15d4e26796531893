"""Registers SP4N-LAPOR reports (complaints and aspirations; PermenPANRB 62/2018).

The machine is in :mod:`layanan.lapor.machine`, the registration function in :mod:`layanan.lapor.intake`.
"""

from django.utils.translation import gettext_lazy as _

from layanan.core.registry import ServiceDefinition, register
from layanan.lapor.forms import LaporRegisterForm
from layanan.lapor.intake import submit_lapor_report
from layanan.lapor.machine import LAPOR_MACHINE


def identity_visible(ticket, user) -> bool:
    """An *anonim* report (PermenPANRB 62/2018: the reporter's identity is kept from the unit) shows its
    reporter only to ``handle_lapor`` (Admin LAPOR)."""
    details = getattr(ticket, "lapor", None)
    if details is None or not details.anonymous:
        return True
    return user is not None and user.has_perm("layanan.handle_lapor")


def public_details(ticket) -> dict:
    """What the reporter sees of a report: classification, category, place and date, anonymity."""
    d = getattr(ticket, "lapor", None)
    if d is None:
        return {}
    return {
        "classification": d.classification,
        "classification_label": d.get_classification_display(),
        "category": d.category.full_name if d.category_id else "",
        "location": d.location,
        "incident_date": d.incident_date.isoformat() if d.incident_date else None,
        "anonymous": d.anonymous,
        "confidential": d.confidential,
    }


LAPOR = register(
    ServiceDefinition(
        code="lapor",
        order=30,
        label=_("SP4N-LAPOR report"),
        prefix="LAPOR",
        machine=LAPOR_MACHINE,
        permissions=("handle_lapor",),
        proxy_model="laporticket",
        detail_relation="lapor",
        public_select_related=("lapor__category__parent",),  # ``full_name`` walks up to the parent category
        unit_scoped=True,
        submit=submit_lapor_report,
        identity_visible=identity_visible,
        public_details=public_details,
        register_form=LaporRegisterForm,
    )
)
