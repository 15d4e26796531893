"""Every model of the ``layanan`` app, gathered for Django's model loading (the app label stays ``layanan``).

The models live with their package: ``layanan.core.models`` (ticket, timeline, attachments, counters),
``layanan.calendar.models``, ``layanan.channels.models`` (issue 18), and one ``models`` module per service
(``ppid``, ``lapor``, ``wbs``, ``social``).
Code inside ``layanan`` imports from those modules, not from here.
"""

from layanan.calendar.models import *  # noqa: F403
from layanan.channels.models import *  # noqa: F403
from layanan.core.models import *  # noqa: F403
from layanan.lapor.models import *  # noqa: F403
from layanan.ppid.models import *  # noqa: F403
from layanan.social.models import *  # noqa: F403
from layanan.wbs.models import *  # noqa: F403
