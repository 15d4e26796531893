"""Core models: the ticket, its timeline and attachments, tracking counters, unit memberships, audit logs."""

from layanan.core.models.audit import *  # noqa: F403
from layanan.core.models.messages import *  # noqa: F403
from layanan.core.models.reminders import *  # noqa: F403
from layanan.core.models.tickets import *  # noqa: F403
from layanan.core.models.units import *  # noqa: F403
