"""Signals of the desk, for layers above ``core`` (dependencies point one way: core and the services send, the
channels and reports listen).

- :data:`origin_sealed` — sent when a ticket's content moved into a confidential ticket (a social-media message or
  an e-mail triaged into WBS): ``origin`` (the emptied ticket) and ``ticket`` (the WBS report). Inside the move's
  transaction. ``layanan.channels`` removes the sender's address from the channel envelopes of ``origin``
  (``docs/wbs-privacy.md``).
- :data:`ticket_anonymised` — sent when retention removed a ticket's personal data (``layanan.core.retention``):
  ``ticket``. Inside the anonymisation's transaction. ``layanan.channels`` removes the addresses from its envelopes.
"""

from __future__ import annotations

from django.dispatch import Signal

__all__ = ["origin_sealed", "ticket_anonymised"]

origin_sealed = Signal()
ticket_anonymised = Signal()
