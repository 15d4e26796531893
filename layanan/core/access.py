"""Who sees which tickets: roles (Django groups), their permissions and the ONE queryset-scoping function.

Roles (groups created idempotently after ``migrate`` by :func:`ensure_role_groups`):

- **PPID Utama**: every PPID request and objection; registers walk-in/phone/post submissions; sees NIK.
- **Operator Unit** (PPID Pelaksana): only tickets disposed to the unit(s) they belong to
  (``UnitMembership``), PPID requests and LAPOR reports.
- **Atasan PPID**: objections (decides them, UU 14/2008 Pasal 36(2)); sees NIK.
- **Admin LAPOR**: every SP4N-LAPOR report; registers submissions; sees NIK.
- **Inspektorat (WBS)**: every whistleblowing report and nothing else; registers reports received in person.
  WBS is a *restricted* service: a superuser does NOT see WBS reports (lists, inspect, search, exports,
  actions) unless their account or one of their groups holds ``handle_wbs`` explicitly.
- **Admin Media Sosial**: every social-media message (triage into PPID / LAPOR / WBS, or dismissal), the
  social-media connectors; enters messages by hand.

Every list, inspect view and action calls :func:`tickets_visible_to`; a ticket outside it is "not found".
Every opening of a ticket of an audited service (WBS) in the admin is written to its timeline by
:func:`record_confidential_access`.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q, QuerySet

from home.models import UnitMembership
from layanan.core import registry
from layanan.core.events import record_event
from layanan.core.models.tickets import Ticket

__all__ = [
    "DeskScope",
    "desk_scope",
    "restricted_permissions",
    "service_permissions",
    "unit_scoped_services",
    "ROLE_GROUPS",
    "applicant_identity_visible",
    "ensure_role_groups",
    "has_desk_perm",
    "has_service_access",
    "may_manage_connectors",
    "may_view_export_log",
    "record_confidential_access",
    "tickets_visible_to",
    "unit_ids_of",
]


def service_permissions() -> dict[str, tuple[str, ...]]:
    """``{service: codenames}``: the permissions (``layanan.<codename>``) that open every ticket of a service
    (from the service registry, ``ServiceDefinition.permissions``)."""
    return {s.code: s.permissions for s in registry.all_services()}


def unit_scoped_services() -> tuple[str, ...]:
    """Services whose tickets a unit operator sees when disposed to their unit (``handle_unit_tickets``)."""
    return tuple(s.code for s in registry.all_services() if s.unit_scoped)


def restricted_permissions() -> set[str]:
    """Permissions that count only when held explicitly (own or group permission), never through superuser
    status (the ``restricted_permissions`` of restricted services such as WBS)."""
    return {p for s in registry.all_services() for p in s.restricted_permissions}


def _is_restricted(service: str) -> bool:
    """A superuser does NOT see ``service`` merely by being superuser (needs an explicit permission)."""
    definition = registry.find(service)
    return definition is not None and definition.restricted


ROLE_GROUPS: dict[str, tuple[str, ...]] = {
    "PPID Utama": ("handle_ppid", "register_submission", "view_personal_data"),
    "Operator Unit": ("handle_unit_tickets",),
    "Atasan PPID": ("decide_objection", "view_personal_data"),
    "Admin LAPOR": ("handle_lapor", "register_submission", "view_personal_data"),
    "Inspektorat (WBS)": ("handle_wbs", "register_submission"),
    "Admin Media Sosial": ("handle_social", "register_submission"),
}
#: Model permissions each role gets on the desk's proxy models (so the menu items appear).
ROLE_MODEL_PERMISSIONS: dict[str, tuple[str, ...]] = {
    "PPID Utama": (
        "view_ppidrequestticket",
        "add_ppidrequestticket",
        "view_objectionticket",
        "add_objectionticket",
        # PPID Utama appoints the unit operators (PPID Pelaksana)
        "view_unitmembership",
        "add_unitmembership",
        "change_unitmembership",
        "delete_unitmembership",
    ),
    "Operator Unit": ("view_ppidrequestticket", "view_laporticket"),
    "Atasan PPID": ("view_objectionticket",),
    "Admin LAPOR": (
        "view_laporticket",
        "add_laporticket",
        "view_laporcategory",
        "add_laporcategory",
        "change_laporcategory",
    ),
    "Inspektorat (WBS)": ("view_wbsticket", "add_wbsticket"),
    "Admin Media Sosial": (
        "view_socialticket",
        "add_socialticket",
        "view_socialconnector",
        "add_socialconnector",
        "change_socialconnector",
    ),
}


def _explicit_perm(user, codename: str) -> bool:
    """The permission held through the user's own or group permissions (superuser status not enough).

    For a superuser ``user.get_all_permissions()`` lists every permission, so theirs are queried; for anyone
    else it is the same set (own and group permissions of an active user). Cached on the user object for the
    request.
    """
    from django.contrib.auth.models import Permission

    if user is None or not user.is_authenticated or not user.is_active:
        return False
    cache = getattr(user, "_layanan_explicit_perms", None)
    if cache is None:
        if user.is_superuser:
            cache = set(
                Permission.objects.filter(content_type__app_label="layanan")
                .filter(Q(user=user) | Q(group__user=user))
                .values_list("codename", flat=True)
            )
        else:
            # For anyone else Django's own set is exactly the user's and groups' permissions, and the admin has
            # usually loaded it already for this request (its cache on the user object): no query of our own.
            cache = {perm.split(".", 1)[1] for perm in user.get_all_permissions() if perm.startswith("layanan.")}
        user._layanan_explicit_perms = cache
    return codename in cache


def has_desk_perm(user, codename: str) -> bool:
    """``user`` holds ``layanan.<codename>``; a restricted permission (``restricted_permissions()``) counts only
    when held explicitly."""
    if user is None:
        return False
    if codename in restricted_permissions():
        return _explicit_perm(user, codename)
    return user.has_perm(f"layanan.{codename}")


def has_service_access(user, service: str) -> bool:
    """``user`` may open the desk list of ``service``: a service-wide permission (explicit for a restricted
    service), or — for unit-scoped services — ``handle_unit_tickets``."""
    codenames = service_permissions().get(service, ())
    if _is_restricted(service):
        if any(_explicit_perm(user, c) for c in codenames):
            return True
    elif any(has_desk_perm(user, c) for c in codenames):
        return True
    return service in unit_scoped_services() and has_desk_perm(user, "handle_unit_tickets")


def unit_ids_of(user) -> list[int]:
    """IDs of the units ``user`` belongs to (``UnitMembership``)."""
    if user is None or not user.is_authenticated:
        return []
    return list(UnitMembership.objects.filter(user=user).values_list("unit_id", flat=True))


@dataclass(frozen=True)
class DeskScope:
    """What an officer's desk covers (:func:`desk_scope`): ``services`` seen whole (codes), and ``unit_services``
    seen for the tickets of ``units`` only (unit ids, sorted). Hashable: equal scopes see the same tickets."""

    services: tuple[str, ...] = ()
    unit_services: tuple[str, ...] = ()
    units: tuple[int, ...] = ()

    @property
    def empty(self) -> bool:
        return not self.services and not (self.unit_services and self.units)

    def includes_restricted(self) -> bool:
        """True when a restricted service (WBS) is in scope: nothing derived from it may be shared or kept."""
        return any(registry.get(code).restricted for code in (*self.services, *self.unit_services))


def desk_scope(user, service: str | None = None) -> DeskScope:
    """The scope of ``user``'s desk (optionally of one ``service``), by the rule of :func:`tickets_visible_to`.

    - service-wide permission (``ServiceDefinition.permissions``) -> the whole service; superusers too, except
      for restricted services (WBS) which need the permission explicitly;
    - ``handle_unit_tickets`` -> the unit-scoped services, for the user's units;
    - anonymous or inactive users -> nothing.
    """
    if user is None or not user.is_authenticated or not user.is_active:
        return DeskScope()
    services = []
    for svc in registry.all_services():
        if service and svc.code != service:
            continue
        if svc.restricted:
            allowed = any(_explicit_perm(user, c) for c in svc.permissions)
        else:
            allowed = any(has_desk_perm(user, c) for c in svc.permissions)
        if allowed:
            services.append(svc.code)
    unit_services, units = (), ()
    if user.has_perm("layanan.handle_unit_tickets"):
        units = tuple(sorted(unit_ids_of(user)))
        unit_services = tuple(code for code in unit_scoped_services() if not service or code == service)
    return DeskScope(tuple(services), unit_services if units else (), units if unit_services else ())


def tickets_visible_to(user, service: str | None = None, queryset: QuerySet | None = None) -> QuerySet:
    """Tickets ``user`` may open (optionally of one ``service``): THE scoping rule of the operator desk, the
    :func:`desk_scope` of ``user`` as a queryset.

    ``queryset`` narrows a given queryset (e.g. a proxy model's) instead of ``Ticket.objects.all()``.
    """
    queryset = Ticket.objects.all() if queryset is None else queryset
    if service:
        queryset = queryset.filter(service=service)
    scope = desk_scope(user, service)
    if scope.empty:
        return queryset.none()
    # With ``service`` given, the other services' terms are left out of the condition: they cannot match, and
    # an OR over services makes PostgreSQL read the whole service through a BitmapOr of index scans even for a
    # LIMITed list or count (issue 20, the desk's bounded count).
    condition = Q(pk__in=[])
    for code in scope.services:
        condition |= Q(service=code)
    if scope.units:
        condition |= Q(service__in=scope.unit_services, unit_id__in=scope.units)
    return queryset.filter(condition)


def may_manage_connectors(user) -> bool:
    """``user`` may list, create, edit and renew the tokens of social-media connectors (``handle_social``)."""
    return user.is_active and (user.is_superuser or user.has_perm("layanan.handle_social"))


def may_view_export_log(user) -> bool:
    """``user`` may read the audit log of report exports (``view_exportlog``)."""
    return user.is_superuser or user.has_perm("layanan.view_exportlog")


def applicant_identity_visible(ticket, user) -> bool:
    """False when the service hides the applicant from ``user`` (``ServiceDefinition.identity_visible``; e.g. an
    *anonim* LAPOR report seen by someone without ``handle_lapor``, such as the unit handling it)."""
    definition = registry.find(ticket.service)
    rule = definition.identity_visible if definition is not None else None
    return True if rule is None else rule(ticket, user)


def record_confidential_access(ticket, user, action: str = "viewed", data: dict | None = None):
    """Audit an officer's access to a ticket of an audited service (WBS; no-op for other services).

    Writes an internal timeline entry (``action``: ``viewed`` for the inspect view, ``file_downloaded`` for an
    attachment) naming the officer and the time — never an address or user agent. Returns the entry or None.
    """
    definition = registry.find(ticket.service)
    if definition is None or not definition.audited:
        return None
    return record_event(ticket, action, actor=user, visible_to_applicant=False, data=data or {})


def ensure_role_groups(**kwargs) -> None:
    """Create or complete the role groups with their permissions (idempotent; a ``post_migrate`` handler).

    Also grants Wagtail admin access. Permissions an admin added by hand are kept.
    """
    from django.contrib.auth.models import Group, Permission

    admin_access = Permission.objects.filter(content_type__app_label="wagtailadmin", codename="access_admin")
    for name, codenames in ROLE_GROUPS.items():
        group, _created = Group.objects.get_or_create(name=name)
        wanted = set(codenames) | set(ROLE_MODEL_PERMISSIONS.get(name, ()))
        perms = Permission.objects.filter(content_type__app_label__in=("layanan", "home"), codename__in=wanted)
        group.permissions.add(*perms, *admin_access)
