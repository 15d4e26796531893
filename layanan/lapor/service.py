"""Registers SP4N-LAPOR reports (complaints and aspirations; PermenPANRB 62/2018).

The machine is in :mod:`layanan.lapor.machine`, the registration function in :mod:`layanan.lapor.intake`.
"""

from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from layanan.core.registry import DeskOptions, ServiceDefinition, register
from layanan.lapor.forms import LaporRegisterForm
from layanan.lapor.intake import submit_lapor_report
from layanan.lapor.machine import LAPOR_MACHINE
from layanan.lapor.models import LaporDetails
from layanan.lapor.options import report_options
from layanan.lapor.reports import lapor_report
from layanan.lapor.search import search_handler, sees_anonymous_reporters


def identity_visible(ticket, user) -> bool:
    """An *anonim* report (PermenPANRB 62/2018: the reporter's identity is kept from the unit) shows its
    reporter only to ``handle_lapor`` (Admin LAPOR)."""
    details = getattr(ticket, "lapor", None)
    if details is None or not details.anonymous:
        return True
    return sees_anonymous_reporters(user)


def applicant_display(ticket):
    """The desk list shows "(anonymous)" instead of an *anonim* reporter's name, whoever looks."""
    details = getattr(ticket, "lapor", None)
    return _("(anonymous)") if details is not None and details.anonymous else None


def anonymise(ticket) -> None:
    """Retention: the place of the incident goes (it can point at the reporter); classification, category and
    dates stay for the reports."""
    details = getattr(ticket, "lapor", None)
    if details is not None:
        details.location = details.external_id = ""  # the national LAPOR! id leads back to the report
        details.save(update_fields=["location", "external_id"])


def public_statistics(year, as_of) -> dict:
    """The SP4N-LAPOR totals of ``year`` for the public statistics (no personal data)."""
    return lapor_report(year, None, None, as_of=as_of).as_public_dict()


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


def receipt_details(ticket) -> list:
    """The report as filed, for the proof of filing: title, description, classification, category, place and
    date of the incident, and whether the reporter asked for anonymity or confidentiality."""
    d = getattr(ticket, "lapor", None)
    rows = [(_("Title"), ticket.subject), (_("Description"), ticket.description)]
    if d is None:
        return rows
    field = LaporDetails._meta.get_field
    return rows + [
        (capfirst(field("classification").verbose_name), d.get_classification_display()),
        (capfirst(field("category").verbose_name), d.category.full_name if d.category_id else ""),
        (capfirst(field("location").verbose_name), d.location),
        (capfirst(field("incident_date").verbose_name), d.incident_date),
        (capfirst(field("anonymous").verbose_name), d.anonymous),
        (capfirst(field("confidential").verbose_name), d.confidential),
    ]


LAPOR = register(
    ServiceDefinition(
        code="lapor",
        order=30,
        ratable=True,  # the satisfaction survey of PermenPANRB 14/2017 once the report is closed
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
        citizen_options=report_options,
        receipt_details=receipt_details,
        legal_basis="UU 25/2009; Perpres 76/2013; PermenPANRB 62/2018",
        register_form=LaporRegisterForm,
        desk=DeskOptions(
            menu_label=_("SP4N-LAPOR"),
            menu_icon="mail",
            select_related=("lapor",),
            applicant_display=applicant_display,
            search_handler=search_handler,
        ),
        public_statistics=public_statistics,
        anonymise=anonymise,
    )
)
