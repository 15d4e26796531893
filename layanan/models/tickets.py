"""Ticket models of the unified service desk."""
