"""Models of the service desk.

``calendar.py``: holidays and calendar settings; ``tickets.py``: tickets, timeline, attachments, counters;
``details.py``: service-specific ticket details, LAPOR categories and operator↔unit memberships;
``wbs.py``: whistleblowing report details; ``social.py``: social-media connectors and messages.
"""

from .calendar import *  # noqa: F403
from .details import *  # noqa: F403
from .disputes import *  # noqa: F403
from .reminders import *  # noqa: F403
from .social import *  # noqa: F403
from .tickets import *  # noqa: F403
from .wbs import *  # noqa: F403
