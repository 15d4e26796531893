"""Operator desk screens (Wagtail admin): workflow actions, registration of desk submissions, downloads."""

from .views import attachment_download, index_url, inspect_url, register_ticket, ticket_action

__all__ = ["attachment_download", "index_url", "inspect_url", "register_ticket", "ticket_action"]
