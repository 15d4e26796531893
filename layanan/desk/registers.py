"""Admin screen of the PPID registers (Perki 1/2021: register of requests, register of objections): a page per
user with a download form per register (year, CSV or XLSX, personal data when allowed), the download itself,
and its admin menu item ("PPID registers"). Thin: the rows come from ``layanan.ppid.registers``, the files and
the audit row from ``layanan.reports.registers.export_register``. Registers its URLs and menu item itself
(imported by ``layanan/wagtail_hooks.py``).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse, HttpResponseBadRequest
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from layanan.core.report_access import can_export_personal_data
from layanan.core.reporting import earliest_year, parse_year
from layanan.ppid.registers import OBJECTION_COLUMNS, REGISTERS, REQUEST_COLUMNS
from layanan.reports.registers import export_register, registers_for

__all__ = ["register_export_view", "registers_view"]

COLUMNS = {"ppid_register": REQUEST_COLUMNS, "objection_register": OBJECTION_COLUMNS}


def registers_view(request):
    """``/admin/layanan-registers/`` — the registers ``request.user`` may export, each with its columns and a
    download form (GET to :func:`register_export_view`). 403 for a user who may export none."""
    codes = registers_for(request.user)
    if not codes:
        raise PermissionDenied
    current = timezone.localdate().year
    registers = [
        {
            "code": code,
            "label": REGISTERS[code].label,
            "columns": [str(label) for _key, label in COLUMNS[code]],
            "url": reverse("layanan_registers_export", args=[code]),
            "personal_data": can_export_personal_data(request.user, code),
        }
        for code in codes
    ]
    return TemplateResponse(
        request,
        "layanan/reports/registers.html",
        {"registers": registers, "years": list(range(current, max(earliest_year(), current - 8) - 1, -1))},
    )


def register_export_view(request, code: str):
    """``/admin/layanan-registers/<code>/export/?year=…&format=csv|xlsx[&personal_data=1]`` — the register as a
    download (``no-store``), audited. 400 with the message for a bad year, format or register; 403 when the user
    may not export it or may not take the personal-data option."""
    if code not in REGISTERS:
        return HttpResponseBadRequest("Unknown register.", content_type="text/plain; charset=utf-8")
    try:
        year = parse_year(request.GET.get("year") or timezone.localdate().year)
        result = export_register(
            code,
            year,
            request.user,
            request.GET.get("format", "csv"),
            personal_data=request.GET.get("personal_data") in ("1", "on", "true"),
        )
    except ValidationError as exc:
        messages = [m for values in exc.message_dict.values() for m in values]
        return HttpResponseBadRequest(" ".join(messages), content_type="text/plain; charset=utf-8")
    response = HttpResponse(result.content, content_type=result.content_type)
    response["Content-Disposition"] = f'attachment; filename="{result.filename}"'
    response["Cache-Control"] = "no-store"
    return response


@hooks.register("register_admin_urls")
def register_register_urls():
    return [
        path("layanan-registers/", registers_view, name="layanan_registers"),
        path("layanan-registers/<slug:code>/export/", register_export_view, name="layanan_registers_export"),
    ]


class RegistersMenuItem(MenuItem):
    """Shown to officers who may export a PPID register (PPID Utama, Atasan PPID, superusers)."""

    def is_shown(self, request):
        return bool(registers_for(request.user))


@hooks.register("register_admin_menu_item")
def register_registers_menu_item():
    return RegistersMenuItem(
        _("PPID registers"), reverse("layanan_registers"), name="ppid-registers", icon_name="list-ul", order=265
    )
