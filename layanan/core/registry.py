"""The service registry: what a service of the desk is, described once.

A service (PPID request, objection/keberatan, SP4N-LAPOR report, WBS report, social-media message, or one an
install adds) is one :class:`ServiceDefinition`, registered by its own package in its ``service`` module
(``layanan.ppid.service``, ``layanan.lapor.service``, ...). ``LayananConfig.ready()`` imports every
``layanan.<package>.service`` module it finds, so adding a service is one new package with one
:func:`register` call; nothing else in the desk, the API, the site, the reports or the tasks names it.

Everything that used to be a service-keyed dictionary asks the registry instead: the tracking-number prefix
(``layanan.core.numbering``), the permissions that open a service (``layanan.core.access``), the state
machine (``layanan.core.workflow.machine_for``), the detail relation and the public-status details
(``layanan.core.public``), the desk's proxy model and registration (``layanan.desk``).

This module imports nothing of ``layanan``: it sits at the bottom of the core, below the models.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:  # pragma: no cover - annotations only
    from layanan.core.workflow import Machine

__all__ = [
    "EVENT_LABELS",
    "DeskOptions",
    "ServiceDefinition",
    "action_label",
    "by_prefix",
    "find",
    "UnknownService",
    "all_services",
    "get",
    "machines",
    "register",
    "unregister",
]


class UnknownService(KeyError):
    """No service is registered under this code (``KeyError`` subclass, so ``dict``-style callers keep working)."""


#: The standard middle columns of a desk list (between the tracking number and the received/due columns).
STANDARD_COLUMNS = ("subject", "applicant", "status", "channel", "unit")
#: The standard middle filters of a desk list (between the status filter and the year/deadline filters).
STANDARD_FILTERS = ("unit", "channel")


@dataclass(frozen=True)
class DeskOptions:
    """How the operators' desk (``layanan.desk``) lists a service; plain data, so a service package needs nothing
    of the desk.

    - ``menu_label``: the list's entry in the admin menu "Layanan" (lazy gettext); ``menu_icon``: a Wagtail icon.
    - ``columns``: the middle columns: the names in :data:`STANDARD_COLUMNS` or callables ``(ticket) -> str``
      with a ``short_description`` (the service's own columns, e.g. the social platform). The tracking number
      comes first and the received and due dates last, always.
    - ``filters``: the middle filters: ``"unit"``, ``"channel"`` or a lookup on the detail model
      (``"social__platform"``); the status filter comes first and the year and deadline filters last.
    - ``search_fields``: ORM lookups the list's search box matches.
    - ``select_related``: relations the columns read, loaded with the rows (the detail relation).
    - ``applicant_display``: ``(ticket) -> str | None`` — a replacement for the applicant's name in the list
      (an anonymous LAPOR report, a WBS report), or None to show the name.
    - ``search_handler``: ``(request, search_fields) -> handler | None`` — a Wagtail search handler replacing
      the standard one for this request (LAPOR: never match an anonymous reporter by name), or None.
    """

    menu_label: Any
    menu_icon: str = "form"
    columns: tuple = STANDARD_COLUMNS
    filters: tuple[str, ...] = STANDARD_FILTERS
    search_fields: tuple[str, ...] = ("tracking_number", "applicant_name", "subject")
    select_related: tuple[str, ...] = ()
    applicant_display: Callable | None = None
    search_handler: Callable | None = None


@dataclass(frozen=True)
class ServiceDefinition:
    """One service of the desk.

    - ``code``: the ``Ticket.service`` value (``"ppid_request"``); ``label``: its name for people (lazy gettext).
    - ``prefix``: the tracking-number prefix (``"PPID"`` → ``PPID-2026-000123``), 2–10 capital letters.
    - ``machine``: its :class:`layanan.core.workflow.Machine` (states, transitions, who may take them).
    - ``permissions``: codenames of ``layanan.<codename>`` permissions that open every ticket of the service.
    - ``unit_scoped``: a unit operator (``handle_unit_tickets``) sees the tickets disposed to their unit.
    - ``restricted``: superuser status alone does not open it (WBS: an explicit permission is needed, and the
      permissions in ``restricted_permissions`` count only when held explicitly).
    - ``audited``: every opening in the admin is written to the ticket's events (WBS).
    - ``ratable``: the applicant may rate a closed ticket of the service (the satisfaction survey of PermenPANRB
      14/2017, ``layanan.core.ratings``); "closed" is a ``final`` state of its machine. Default False.
    - ``detail_relation``: the one-to-one detail model's related name on ``Ticket`` (``"ppid"``), or ``""``.
    - ``public_select_related``: relations the public status lookup loads with the ticket.
    - ``proxy_model``: model name (lower case) of the proxy model of its desk list (``"ppidrequestticket"``).
    - ``submit``: ``submit(data, *, files=(), channel=..., registered_by=...) -> Submission`` — the one
      registration function of the service (the desk's "register" form and the API call it).
    - ``identity_visible``: ``(ticket, user) -> bool``, False when ``user`` may not see the applicant's identity
      on a ticket the user can open (an anonymous LAPOR report seen by its unit; ``user`` None: a notice to the
      unit's address); None: always visible.
    - ``public_details``: ``(ticket) -> dict`` of the service's details the applicant sees on the status page
      and ``GET /api/v2/tickets/<number>/`` (``details``; loaded by ``public_select_related``).
    - ``receipt_details``: ``(ticket) -> list[(label, value)]`` — the submission as the applicant filed it
      (what was asked or reported, and how), printed on the proof of filing (tanda bukti penerimaan,
      ``layanan.core.receipt_document``); empty values are left out. None: the subject and the description.
    - ``legal_basis``: the regulation the service is provided under, printed on the proof of filing
      (``"UU 14/2008 tentang Keterbukaan Informasi Publik"``); the due date's own article is the deadline rule's
      ``legal_source`` (``layanan.calendar.conf``), snapshotted on the ticket.
    - ``notify_step``: ``(entry) -> int`` sends the service's own notices of a timeline entry instead of the
      standard e-mails (WBS: content-free notices only); returns the number of e-mails sent.
    - ``notify_transferred``: ``(ticket, kind) -> int`` tells the reporter of a ticket that left this service
      for another (WBS → LAPOR) about a step on it, in this service's own way.
    - ``register_form``: the desk's registration form class (a Django form whose ``cleaned_data`` ``submit``
      takes, with ``attachments`` and ``channel``), or None: no registration at the desk.
    - ``desk``: :class:`DeskOptions` of its list in the operators' desk, or None: no desk list.
    - ``public_statistics``: ``(year, as_of) -> dict`` — the service's own block of the public statistics
      (``GET /api/v2/statistics/``, under ``statistics_key``), with no personal data; None: the service appears
      only in the statistics' per-service totals. ``statistics_key``: its key there (default: ``code``).
    - ``anonymise``: ``(ticket) -> None`` removes the service's own personal data from its detail model when
      the retention period ends (``layanan.core.retention``; the ticket's columns, steps, messages and files
      are done by the core). ``retention_hold``: ``(ticket) -> bool``, True while the ticket must be kept
      whole (an objection or a Komisi Informasi dispute about it still open).
    - ``recompute_dates``: ``(years, calendar) -> int`` — re-derives the service's own stored dates beside the
      ticket's due date when holidays change (``years``: the years touched or None; ``calendar``: the
      ``WorkCalendar`` to use), after the open tickets' due dates; returns how many dates moved. Objections:
      the filing window and the Komisi Informasi date. None: nothing of its own.
    - ``citizen_options``: ``(ticket, today=None) -> list[dict]`` — what the applicant can do next when an answer
      is refused, late or missing (objection, Komisi Informasi, Ombudsman): ``{"code", "label", "explanation",
      "until"}`` (``until``: last WIB date or None); shown as ``next_steps`` on the status page and in the public
      API. None: nothing to offer.
    - ``access_recovery``: the applicant can ask for a new access link with the tracking number and the
      contact on file ("forgot my access", ``layanan.core.recovery``); False for a service with its own
      credential and no contact on file (WBS: the receipt code).
    - ``order``: position in menus, counters and reports (smaller first).
    - ``extra``: anything else a package wants to attach (documented by that package).
    """

    code: str
    label: Any
    prefix: str
    machine: Machine
    permissions: tuple[str, ...]
    proxy_model: str
    detail_relation: str = ""
    public_select_related: tuple[str, ...] = ()
    unit_scoped: bool = False
    restricted: bool = False
    restricted_permissions: tuple[str, ...] = ()
    audited: bool = False
    ratable: bool = False
    submit: Callable | None = None
    identity_visible: Callable | None = None
    notify_step: Callable | None = None
    public_details: Callable | None = None
    receipt_details: Callable | None = None
    legal_basis: str = ""
    notify_transferred: Callable | None = None
    register_form: Callable | None = None
    desk: DeskOptions | None = None
    public_statistics: Callable | None = None
    statistics_key: str = ""
    anonymise: Callable | None = None
    retention_hold: Callable | None = None
    citizen_options: Callable | None = None
    recompute_dates: Callable | None = None
    access_recovery: bool = True
    order: int = 100
    extra: dict = field(default_factory=dict)


_SERVICES: dict[str, ServiceDefinition] = {}


def register(definition: ServiceDefinition) -> ServiceDefinition:
    """Register (or replace) ``definition`` under its ``code``; returns it. ``ValueError`` on a prefix already
    taken by another service (tracking numbers must stay unique across services)."""
    for other in _SERVICES.values():
        if other.code != definition.code and other.prefix == definition.prefix:
            raise ValueError(f"prefix {definition.prefix!r} is already used by service {other.code!r}")
    if definition.machine.service != definition.code:
        raise ValueError(f"machine of {definition.machine.service!r} registered for {definition.code!r}")
    _SERVICES[definition.code] = definition
    return definition


def unregister(code: str) -> None:
    """Remove the service ``code`` (tests that register a throwaway service)."""
    _SERVICES.pop(code, None)


def get(code: str) -> ServiceDefinition:
    """The definition of ``code``; :class:`UnknownService` when none is registered."""
    try:
        return _SERVICES[code]
    except KeyError:
        raise UnknownService(code) from None


def find(code: str) -> ServiceDefinition | None:
    """The definition of ``code``, or None when no service is registered under it (callers with a default)."""
    return _SERVICES.get(code)


def by_prefix(prefix: str) -> ServiceDefinition | None:
    """The service whose tracking numbers carry ``prefix`` (``"PPID"``), or None."""
    return next((s for s in _SERVICES.values() if s.prefix == prefix), None)


def all_services() -> Iterator[ServiceDefinition]:
    """Every registered service, by ``order`` (then code)."""
    return iter(sorted(_SERVICES.values(), key=lambda s: (s.order, s.code)))


def machines() -> dict[str, Machine]:
    """``{code: machine}`` of every registered service (a fresh dict)."""
    return {s.code: s.machine for s in all_services()}


#: Labels of steps that are not transitions (recorded by intake and system tasks).
EVENT_LABELS = {
    "received": _("Received"),
    "deadline_recomputed": _("Due date recomputed"),
    "registered": _("Registered by an officer"),
    "reporter_message": _("Message from the reporter"),
    "applicant_message": _("Message from the applicant"),  # unasked, e.g. by e-mail or WhatsApp (issue 18)
    "transferred_in": _("Transferred in"),
    "triaged_in": _("Created from another ticket"),  # triage of a social-media message, LAPOR → PPID
    "origin_history": _("History carried over from the origin"),
    "anonymised": _("Personal data removed (retention)"),
    "viewed": _("Opened in the admin"),
    "file_downloaded": _("File downloaded in the admin"),
    "access_renewed": _("New access link sent to the applicant (forgot my access)"),
}


def action_label(service: str, action: str) -> str | Promise:
    """Label of an action or event code of ``service`` (falls back to the code)."""
    if action in EVENT_LABELS:
        return EVENT_LABELS[action]
    machine = machines().get(service)
    transition = machine.transition(action) if machine else None
    return transition.label if transition else action
