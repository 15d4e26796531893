"""Registers the two PPID services: public-information requests and objections (keberatan).

UU 14/2008 Pasal 21–22 (requests: 10 working days, +7 once) and Pasal 35–36 (objections: 30 working days);
the machines are in :mod:`layanan.ppid.machines`, the registration functions in :mod:`layanan.ppid.intake`.
"""

from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from layanan.core.models.tickets import Ticket
from layanan.core.registry import DeskOptions, ServiceDefinition, register
from layanan.ppid.forms import ObjectionRegisterForm, PPIDRequestRegisterForm
from layanan.ppid.intake import submit_objection, submit_ppid_request
from layanan.ppid.machines import OBJECTION_MACHINE, PPID_MACHINE
from layanan.ppid.models import KomisiInformasiDispute, ObjectionDetails, PPIDRequestDetails
from layanan.ppid.options import objection_options, request_options
from layanan.ppid.reports import ppid_annual_report
from layanan.ppid.windows import delivery_deadline, recompute_dates


def public_statistics(year, as_of) -> dict:
    """The public PPID figures of ``year`` (UU 14/2008 Pasal 12; objections and Komisi Informasi disputes
    included): ``PPIDAnnualReport.as_public_dict()`` of every request, no personal data."""
    return ppid_annual_report(year, None, as_of=as_of).as_public_dict()


def anonymise_request(ticket) -> None:
    """Retention: the applicant's address, occupation and legal-entity decree go (the request's subject,
    outcome and dates stay for the annual report)."""
    details = getattr(ticket, "ppid", None)
    if details is not None:
        details.address = details.occupation = details.legal_entity_decree = ""
        details.purpose = details.outcome_reason = ""  # free text: the applicant's or the officer's words
        details.public_interest = details.material_given = details.payment_method = ""  # the notice's free text
        details.save(
            update_fields=[
                "address",
                "occupation",
                "legal_entity_decree",
                "purpose",
                "outcome_reason",
                "public_interest",
                "material_given",
                "payment_method",
            ]
        )


def anonymise_objection(ticket) -> None:
    """Retention: the free-text notes on the objection and on its Komisi Informasi dispute go (reason code,
    decision and dates stay for the annual report)."""
    details = getattr(ticket, "objection", None)
    if details is not None:
        details.dispute_note = details.answer_ground = details.answer_follow_up = ""
        details.save(update_fields=["dispute_note", "answer_ground", "answer_follow_up"])
    KomisiInformasiDispute.objects.filter(objection=ticket).update(note="")


def request_on_hold(ticket) -> bool:
    """A request whose objection is still open, or whose Komisi Informasi dispute is pending, is kept whole
    (UU 14/2008 Pasal 35–38: the record is the evidence)."""
    return any(objection_on_hold(objection) for objection in Ticket.objects.filter(objection__request=ticket))


def objection_on_hold(ticket) -> bool:
    """An objection still being answered, or under a pending Komisi Informasi dispute, is kept whole."""
    if not OBJECTION_MACHINE.state(ticket.status).final:
        return True
    return KomisiInformasiDispute.objects.filter(
        objection=ticket, outcome=KomisiInformasiDispute.Outcome.PENDING
    ).exists()


def request_details(ticket) -> dict:
    """What the applicant sees of a request: what was asked, how, and the decision (UU 14/2008 Pasal 22(7));
    once decided, the date the information is due to be delivered by (``delivery_due_date``, WIB) and when it
    was delivered (``delivered_at``, ISO datetime or None)."""
    d = getattr(ticket, "ppid", None)
    if d is None:
        return {}
    delivery = delivery_deadline(ticket) if d.decided_at else None
    return {
        "information_requested": d.information_requested,
        "obtain_method": d.obtain_method,
        "delivery_method": d.delivery_method,
        "outcome": d.outcome,
        "outcome_label": d.get_outcome_display() if d.outcome else "",
        "exemption_ground": d.exemption_ground,
        "exemption_ground_label": d.get_exemption_ground_display() if d.exemption_ground else "",
        "outcome_reason": d.outcome_reason if d.outcome else "",
        "holding_body": d.holding_body,
        "cost": str(d.cost) if d.cost is not None else None,
        "delivery_due_date": delivery.due_date.isoformat() if delivery else None,
        "delivered_at": d.delivered_at.isoformat() if d.delivered_at else None,
    }


def objection_details(ticket) -> dict:
    """What the applicant sees of an objection: its request (None for reason (b) filed without one), reason,
    decision and Komisi Informasi deadline (14 WD after the answer, or after the answer period lapsed)."""
    d = getattr(ticket, "objection", None)
    if d is None:
        return {}
    return {
        "request_tracking_number": d.request.tracking_number if d.request else None,
        "reason": d.reason,
        "reason_label": d.get_reason_display(),
        "decision": d.decision,
        "decision_label": d.get_decision_display() if d.decision else "",
        "komisi_informasi_deadline": d.komisi_informasi_deadline.isoformat() if d.komisi_informasi_deadline else None,
    }


#: The law both PPID services are provided under (printed on the proof of filing).
KIP = "UU 14/2008 tentang Keterbukaan Informasi Publik"


def _label(model, name):
    return capfirst(model._meta.get_field(name).verbose_name)


def request_receipt(ticket) -> list:
    """The request as filed, for the proof of filing: the SLIP's request part (Perki 1/2021) — applicant type,
    information requested, purpose of use, how to obtain and receive it (labels of the model fields)."""
    d = getattr(ticket, "ppid", None)
    if d is None:
        return [(_label(Ticket, "subject"), ticket.subject), (_label(Ticket, "description"), ticket.description)]
    return [
        (_label(PPIDRequestDetails, "applicant_type"), d.get_applicant_type_display()),
        (_label(PPIDRequestDetails, "legal_entity_decree"), d.legal_entity_decree),
        (_label(PPIDRequestDetails, "is_proxy"), d.is_proxy),
        (_label(PPIDRequestDetails, "information_requested"), d.information_requested),
        (_label(PPIDRequestDetails, "purpose"), d.purpose),
        (_label(PPIDRequestDetails, "obtain_method"), d.get_obtain_method_display()),
        (_label(PPIDRequestDetails, "delivery_method"), d.get_delivery_method_display()),
    ]


def objection_receipt(ticket) -> list:
    """The objection as filed (UU 14/2008 Pasal 35): the request objected to, the reason (a–g), the text."""
    d = getattr(ticket, "objection", None)
    rows = []
    if d is not None:
        rows += [
            (_label(ObjectionDetails, "request"), d.request.tracking_number if d.request else ""),
            (_label(ObjectionDetails, "reason"), d.get_reason_display()),
        ]
    return rows + [(_label(Ticket, "description"), ticket.description)]


PPID_REQUEST = register(
    ServiceDefinition(
        code="ppid_request",
        order=10,
        ratable=True,  # the satisfaction survey of PermenPANRB 14/2017 once the request is closed
        label=_("Public-information request"),
        prefix="PPID",
        machine=PPID_MACHINE,
        permissions=("handle_ppid",),
        proxy_model="ppidrequestticket",
        detail_relation="ppid",
        public_select_related=("ppid",),
        unit_scoped=True,
        submit=submit_ppid_request,
        public_details=request_details,
        citizen_options=request_options,
        receipt_details=request_receipt,
        legal_basis=KIP,
        register_form=PPIDRequestRegisterForm,
        desk=DeskOptions(menu_label=_("PPID requests"), menu_icon="doc-full"),
        public_statistics=public_statistics,
        statistics_key="ppid",
        anonymise=anonymise_request,
        retention_hold=request_on_hold,
    )
)

OBJECTION = register(
    ServiceDefinition(
        code="objection",
        order=20,
        # Not rated on its own: an objection is the applicant's complaint about how their request was handled,
        # so it is the survey's element "handling of complaints" of that request (rated there); a second survey
        # would count one applicant's experience twice and rate the Atasan PPID's quasi-judicial decision, which
        # the applicant can take to the Komisi Informasi, rather than the service.
        ratable=False,
        label=_("Objection"),
        prefix="KEB",
        machine=OBJECTION_MACHINE,
        permissions=("handle_ppid", "decide_objection"),
        proxy_model="objectionticket",
        detail_relation="objection",
        public_select_related=("objection__request",),
        submit=submit_objection,
        public_details=objection_details,
        citizen_options=objection_options,
        recompute_dates=recompute_dates,
        receipt_details=objection_receipt,
        legal_basis=KIP,
        register_form=ObjectionRegisterForm,
        desk=DeskOptions(menu_label=_("Objections"), menu_icon="warning"),
        retention_hold=objection_on_hold,
        anonymise=anonymise_objection,
    )
)
