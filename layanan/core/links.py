"""Admin links of the desk, for e-mails and screens: a ticket's inspect view and a service's list.

The desk lists are wagtail-modeladmin's, one per service's proxy model (``ServiceDefinition.proxy_model``),
so their URL names are ``layanan_<proxy model>_modeladmin_<view>``. Core builds the links by name (no import
of the desk), so the notifications of the core can point to the desk.
"""

from __future__ import annotations

from django.http import Http404
from django.urls import reverse

from layanan.core import registry

__all__ = ["index_url", "inspect_url"]


def inspect_url(ticket) -> str:
    """Admin URL of the ticket's inspect view (its service's list)."""
    definition = registry.find(ticket.service)
    if definition is None:
        raise Http404
    name = definition.proxy_model
    return reverse(f"layanan_{name}_modeladmin_inspect", args=[ticket.pk])


def index_url(service: str) -> str:
    """Admin URL of the desk list of ``service``; ``registry.UnknownService`` for an unknown service."""
    return reverse(f"layanan_{registry.get(service).proxy_model}_modeladmin_index")
