"""Who may open which report, and who may put personal data or exact small counts into an export.

- PPID annual report: PPID Utama (``handle_ppid``) and Atasan PPID (``decide_objection``); unit operators do
  not (the annual report is the body's, UU 14/2008 Pasal 12). Superusers too.
- SP4N-LAPOR monthly report: Admin LAPOR (``handle_lapor``) and superusers.
- Satisfaction report (IKM, PermenPANRB 14/2017): whoever handles every ticket of a rated service (its
  service-wide permission: PPID Utama for PPID requests, Admin LAPOR for SP4N-LAPOR) and superusers; it shows
  only those services (:func:`satisfaction_services`). Unit operators do not: the index is the body's.
- PPID registers (register of requests, register of objections; ``ppid_register``, ``objection_register``):
  PPID Utama and Atasan PPID, as the annual report; their rows are still scoped by ``tickets_visible_to``.
- WBS report: only the Inspektorat (WBS) role — the WBS service permission held EXPLICITLY (group or user
  permission; being superuser is not enough), as for the WBS tickets themselves (``access.RESTRICTED_SERVICES``).
- Personal data in an export (names, NIK, contact data): ``view_personal_data`` AND the option ticked.
  WBS reporter identity: the WBS permission AND the option ticked. Exact WBS counts below the threshold in an
  export: WBS permission AND the option ticked (the default export suppresses them).

The report functions take ``user`` and count only ``tickets_visible_to(user)`` (``None``: every ticket). The
admin's PPID annual report counts every request (the body's report, whose figures are public statistics
anyway); its drill-down lists and exported ticket lists are always scoped by ``tickets_visible_to(user)``.
"""

from __future__ import annotations

from layanan.core import registry
from layanan.core.access import has_desk_perm, has_service_access, service_permissions

__all__ = [
    "REPORTS",
    "can_export_personal_data",
    "can_unsuppress",
    "can_view_report",
    "dashboard_visible",
    "reports_for",
    "satisfaction_services",
    "wbs_permissions",
]

#: Report code -> permissions (``layanan.<codename>``), any one of which opens it.
REPORTS: dict[str, tuple[str, ...]] = {
    "ppid_annual": ("handle_ppid", "decide_objection"),
    "lapor_monthly": ("handle_lapor",),
    # The PPID's registers (Perki 1/2021: register of requests, register of objections) are its own books.
    "ppid_register": ("handle_ppid", "decide_objection"),
    "objection_register": ("handle_ppid", "decide_objection"),
}


def wbs_permissions() -> tuple[str, ...]:
    """Codenames of the WBS service permission(s) (from the registry entry of ``wbs``, else
    ``handle_wbs``)."""
    return tuple(service_permissions().get("wbs", ("handle_wbs",)))


def _active(user) -> bool:
    return user is not None and user.is_authenticated and user.is_active


def satisfaction_services(user) -> list[str]:
    """Codes of the rated services (``ServiceDefinition.ratable``) whose satisfaction figures ``user`` may see:
    those whose every ticket they may open (a service-wide permission; superusers, except for a restricted
    service). ``None``: every rated service (the public statistics)."""
    rated = [s for s in registry.all_services() if s.ratable]
    if user is None:
        return [s.code for s in rated]
    if not _active(user):
        return []
    return [s.code for s in rated if any(has_desk_perm(user, c) for c in s.permissions)]


def can_view_report(user, report: str) -> bool:
    """Whether ``user`` may open ``report`` (``ppid_annual``, ``lapor_monthly``, ``wbs``, ``satisfaction``)."""
    if not _active(user):
        return False
    if report == "wbs":
        return any(has_desk_perm(user, c) for c in wbs_permissions())
    if report == "satisfaction":
        return bool(satisfaction_services(user))
    codenames = REPORTS.get(report)
    if codenames is None:
        return False
    return user.is_superuser or any(user.has_perm(f"layanan.{c}") for c in codenames)


def reports_for(user) -> list[str]:
    """Codes of the reports ``user`` may open, in menu order."""
    return [code for code in ("ppid_annual", "lapor_monthly", "satisfaction", "wbs") if can_view_report(user, code)]


def can_export_personal_data(user, report: str) -> bool:
    """Whether ``user`` may tick "include personal data" for ``report`` (names, NIK, contact; WBS identity)."""
    if not can_view_report(user, report) or report == "satisfaction":  # the satisfaction report lists no one
        return False
    if report == "wbs":
        return True  # the WBS permission itself; the option must still be ticked
    return user.has_perm("layanan.view_personal_data")


def can_unsuppress(user, report: str) -> bool:
    """Whether ``user`` may export exact small counts (WBS report only, Inspektorat role)."""
    return report == "wbs" and can_view_report(user, "wbs")


def dashboard_visible(user) -> bool:
    """The desk dashboard panel is for officers who handle tickets of any service (or a unit's)."""
    if not _active(user):
        return False
    return any(has_service_access(user, service) for service in service_permissions())
