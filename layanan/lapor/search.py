"""Search of the SP4N-LAPOR desk list that never reveals an anonymous reporter (PermenPANRB 62/2018).

Whoever may not see the identity of an *anonim* report (``identity_visible`` in :mod:`layanan.lapor.service`)
must not learn it by searching a name: for them an anonymous report matches only by tracking number or subject.
"""

from __future__ import annotations

from django.db.models import Q
from wagtail_modeladmin.helpers import DjangoORMSearchHandler

__all__ = ["AnonymousAwareSearchHandler", "search_handler", "sees_anonymous_reporters"]


def sees_anonymous_reporters(user) -> bool:
    """Only Admin LAPOR (``handle_lapor``) sees who filed an *anonim* report (PermenPANRB 62/2018); the unit
    never. The one rule of the desk list's search and the ticket's identity (``service.identity_visible``)."""
    return user is not None and user.has_perm("layanan.handle_lapor")


class AnonymousAwareSearchHandler(DjangoORMSearchHandler):
    """Matches named reports on every search field and anonymous ones on tracking number and subject only."""

    def search_queryset(self, queryset, search_term, **kwargs):
        if not search_term:
            return queryset
        named = super().search_queryset(queryset.filter(lapor__anonymous=False), search_term, **kwargs)
        unnamed = DjangoORMSearchHandler(("tracking_number", "subject")).search_queryset(queryset, search_term)
        return queryset.filter(Q(pk__in=named.values("pk")) | Q(pk__in=unnamed.values("pk")))


def search_handler(request, search_fields):
    """The desk's search handler for ``request``: None (the standard search) for Admin LAPOR
    (``handle_lapor``, who sees every reporter), :class:`AnonymousAwareSearchHandler` for everyone else."""
    if sees_anonymous_reporters(request.user):
        return None
    return AnonymousAwareSearchHandler(search_fields)
