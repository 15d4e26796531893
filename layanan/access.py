"""Who sees which tickets: roles (Django groups), their permissions and the ONE queryset-scoping function.

Roles (groups created idempotently after ``migrate`` by :func:`ensure_role_groups`):

- **PPID Utama**: every PPID request and objection; registers walk-in/phone/post submissions; sees NIK.
- **Operator Unit** (PPID Pelaksana): only tickets disposed to the unit(s) they belong to
  (``UnitMembership``), PPID requests and LAPOR reports.
- **Atasan PPID**: objections (decides them, UU 14/2008 Pasal 36(2)); sees NIK.
- **Admin LAPOR**: every SP4N-LAPOR report; registers submissions; sees NIK.

Every list, inspect view and action calls :func:`tickets_visible_to`; a ticket outside it is "not found".
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

__all__ = [
    "RESTRICTED_SERVICES",
    "ROLE_GROUPS",
    "SERVICE_PERMISSIONS",
    "UNIT_SCOPED_SERVICES",
    "applicant_identity_visible",
    "ensure_role_groups",
    "tickets_visible_to",
    "unit_ids_of",
]

#: Permissions (``layanan.<codename>``) that open every ticket of a service.
SERVICE_PERMISSIONS: dict[str, tuple[str, ...]] = {
    "ppid_request": ("handle_ppid",),
    "objection": ("handle_ppid", "decide_objection"),
    "lapor": ("handle_lapor",),
}
#: Services whose tickets a unit operator sees when disposed to their unit (``handle_unit_tickets``).
UNIT_SCOPED_SERVICES: tuple[str, ...] = ("ppid_request", "lapor")
#: Services a superuser does NOT see merely by being superuser (needs an explicit group/user permission).
RESTRICTED_SERVICES: set[str] = set()

ROLE_GROUPS: dict[str, tuple[str, ...]] = {
    "PPID Utama": ("handle_ppid", "register_submission", "view_personal_data"),
    "Operator Unit": ("handle_unit_tickets",),
    "Atasan PPID": ("decide_objection", "view_personal_data"),
    "Admin LAPOR": ("handle_lapor", "register_submission", "view_personal_data"),
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
}


def _explicit_perm(user, codename: str) -> bool:
    """The permission held through the user's own or group permissions (superuser status not enough)."""
    return f"layanan.{codename}" in user.get_all_permissions()


def unit_ids_of(user) -> list[int]:
    """IDs of the units ``user`` belongs to (``UnitMembership``)."""
    from .models import UnitMembership

    if user is None or not user.is_authenticated:
        return []
    return list(UnitMembership.objects.filter(user=user).values_list("unit_id", flat=True))


def tickets_visible_to(user, service: str | None = None, queryset: QuerySet | None = None) -> QuerySet:
    """Tickets ``user`` may open (optionally of one ``service``): THE scoping rule of the operator desk.

    - service-wide permission (``SERVICE_PERMISSIONS``) -> every ticket of that service; superusers too,
      except for ``RESTRICTED_SERVICES`` which need the permission explicitly;
    - ``handle_unit_tickets`` -> tickets of ``UNIT_SCOPED_SERVICES`` whose ``unit`` is one of the user's units;
    - anonymous or inactive users -> nothing.

    ``queryset`` narrows a given queryset (e.g. a proxy model's) instead of ``Ticket.objects.all()``.
    """
    from .models import Ticket

    queryset = Ticket.objects.all() if queryset is None else queryset
    if service:
        queryset = queryset.filter(service=service)
    if user is None or not user.is_authenticated or not user.is_active:
        return queryset.none()
    condition = Q(pk__in=[])
    for svc, codenames in SERVICE_PERMISSIONS.items():
        if svc in RESTRICTED_SERVICES:
            allowed = any(_explicit_perm(user, c) for c in codenames)
        else:
            allowed = any(user.has_perm(f"layanan.{c}") for c in codenames)
        if allowed:
            condition |= Q(service=svc)
    if user.has_perm("layanan.handle_unit_tickets"):
        units = unit_ids_of(user)
        if units:
            condition |= Q(service__in=UNIT_SCOPED_SERVICES, unit_id__in=units)
    return queryset.filter(condition)


def applicant_identity_visible(ticket, user) -> bool:
    """False for an *anonim* LAPOR report seen by someone without ``handle_lapor`` (e.g. the unit handling it)."""
    if ticket.service == "lapor":
        details = getattr(ticket, "lapor", None)
        if details is not None and details.anonymous and not user.has_perm("layanan.handle_lapor"):
            return False
    return True


def ensure_role_groups(**kwargs) -> None:
    """Create or complete the role groups with their permissions (idempotent; a ``post_migrate`` handler).

    Also grants Wagtail admin access. Permissions an admin added by hand are kept.
    """
    from django.contrib.auth.models import Group, Permission

    admin_access = Permission.objects.filter(content_type__app_label="wagtailadmin", codename="access_admin")
    for name, codenames in ROLE_GROUPS.items():
        group, _created = Group.objects.get_or_create(name=name)
        wanted = set(codenames) | set(ROLE_MODEL_PERMISSIONS.get(name, ()))
        perms = Permission.objects.filter(content_type__app_label="layanan", codename__in=wanted)
        group.permissions.add(*perms, *admin_access)
