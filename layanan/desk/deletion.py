"""What the desk's records need kept: officers who acted and units that hold tickets are not deleted (issue 15).

- **Officers** (Wagtail's user delete, one or in bulk): an account that took a step on a ticket or is a
  ticket's officer is deactivated instead (it can no longer log in; the steps keep its name,
  ``TimelineEntry.actor_name``), with a message saying so. Accounts that never acted are deleted as usual.
- **Units** (the "Work units" snippet, one or in bulk): a unit that tickets were disposed to, that has
  operators or sub-units, is not deleted (the tickets must keep their unit; PPID reports count by unit); the
  officer is told to deactivate it instead. Without this the delete answered 500 (``ProtectedError``).

The checks run in Wagtail's documented hooks ``before_delete_user``, ``before_delete_snippet`` and
``before_bulk_action`` (``layanan.desk.wagtail_hooks`` registers them).
"""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Count
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from home.models import Unit
from layanan.core.models.tickets import Ticket, TimelineEntry

__all__ = ["guard_bulk_delete", "guard_user_delete", "guard_unit_delete", "officers_who_acted", "units_in_use"]


def officers_who_acted(users) -> list:
    """The users among ``users`` who took a step on a ticket or are a ticket's officer (keep their accounts)."""
    ids = [u.pk for u in users]
    acted = set(TimelineEntry.objects.filter(actor__in=ids).values_list("actor", flat=True).distinct())
    acted |= set(Ticket.objects.filter(assignee__in=ids).values_list("assignee", flat=True).distinct())
    return [u for u in users if u.pk in acted]


def units_in_use(units) -> list[tuple[Unit, int]]:
    """``[(unit, ticket count)]`` of the units among ``units`` that hold tickets, operators or sub-units."""
    ids = [u.pk for u in units]
    rows = Unit.objects.filter(pk__in=ids).annotate(
        n_tickets=Count("tickets", distinct=True),
        n_members=Count("members", distinct=True),
        n_children=Count("children", distinct=True),
    )
    return [(u, u.n_tickets) for u in rows if u.n_tickets or u.n_members or u.n_children]


def _deactivate(request, users):
    for user in users:
        if user.is_active:
            user.is_active = False
            user.save(update_fields=["is_active"])
    names = ", ".join(u.get_username() for u in users)
    messages.warning(
        request,
        ngettext(
            "%(names)s handled tickets: the account was deactivated, not deleted, so the tickets keep who acted.",
            "%(names)s handled tickets: the accounts were deactivated, not deleted, so the tickets keep who acted.",
            len(users),
        )
        % {"names": names},
    )
    return redirect(reverse("wagtailusers_users:index"))


def guard_user_delete(request, user):
    """``before_delete_user``: on the confirming POST, deactivate instead of deleting an officer who acted."""
    if request.method == "POST" and officers_who_acted([user]):
        return _deactivate(request, [user])
    return None


def _refuse_units(request, in_use, back_url):
    for unit, tickets in in_use:
        messages.error(
            request,
            _(
                "The unit %(unit)s cannot be deleted: %(tickets)s ticket(s), its operators or its sub-units refer "
                "to it. Deactivate it instead (untick “active”): it then no longer receives dispositions."
            )
            % {"unit": unit.name, "tickets": tickets},
        )
    return redirect(back_url)


def guard_unit_delete(request, instances):
    """``before_delete_snippet``: refuse to delete a unit in use (see the module)."""
    units = [obj for obj in instances if isinstance(obj, Unit)]
    if not units or request.method != "POST":
        return None
    in_use = units_in_use(units)
    if not in_use:
        return None
    return _refuse_units(request, in_use, reverse("wagtailsnippets_home_unit:edit", args=[in_use[0][0].pk]))


def guard_bulk_delete(request, action_type, objects, action):
    """``before_bulk_action``: the same rules for bulk deletes of users and units."""
    if action_type != "delete" or not objects:
        return None
    model = getattr(action, "model", None) or type(objects[0])
    if model is Unit or isinstance(objects[0], Unit):
        in_use = units_in_use(objects)
        if in_use:
            return _refuse_units(request, in_use, reverse("wagtailsnippets_home_unit:list"))
        return None
    if hasattr(objects[0], "get_username"):
        acted = officers_who_acted(objects)
        if acted:
            return _deactivate(request, acted)
    return None
