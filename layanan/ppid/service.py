"""Registers the two PPID services: public-information requests and objections (keberatan).

UU 14/2008 Pasal 21–22 (requests: 10 working days, +7 once) and Pasal 35–36 (objections: 30 working days);
the machines are in :mod:`layanan.ppid.machines`, the registration functions in :mod:`layanan.ppid.intake`.
"""

from django.utils.translation import gettext_lazy as _

from layanan.core.registry import ServiceDefinition, register
from layanan.ppid.intake import submit_objection, submit_ppid_request
from layanan.ppid.machines import OBJECTION_MACHINE, PPID_MACHINE

PPID_REQUEST = register(
    ServiceDefinition(
        code="ppid_request",
        order=10,
        label=_("Public-information request"),
        prefix="PPID",
        machine=PPID_MACHINE,
        permissions=("handle_ppid",),
        proxy_model="ppidrequestticket",
        detail_relation="ppid",
        public_select_related=("ppid",),
        unit_scoped=True,
        submit=submit_ppid_request,
    )
)

OBJECTION = register(
    ServiceDefinition(
        code="objection",
        order=20,
        label=_("Objection"),
        prefix="KEB",
        machine=OBJECTION_MACHINE,
        permissions=("handle_ppid", "decide_objection"),
        proxy_model="objectionticket",
        detail_relation="objection",
        public_select_related=("objection__request",),
        submit=submit_objection,
    )
)
