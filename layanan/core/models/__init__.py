"""Core models: the ticket, its timeline and attachments, tracking counters, audit logs, messages, reminders,
satisfaction ratings and issued documents. (Unit memberships belong to the organisation:
``home.models.UnitMembership``.)"""

from layanan.core.models.audit import *  # noqa: F403
from layanan.core.models.documents import *  # noqa: F403
from layanan.core.models.messages import *  # noqa: F403
from layanan.core.models.outbox import *  # noqa: F403
from layanan.core.models.ratings import *  # noqa: F403
from layanan.core.models.reminders import *  # noqa: F403
from layanan.core.models.retention import *  # noqa: F403
from layanan.core.models.tickets import *  # noqa: F403
