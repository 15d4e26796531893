"""Models of the service desk. ``calendar.py``: holidays and calendar settings; ``tickets.py``: tickets."""

from .calendar import *  # noqa: F403
from .tickets import *  # noqa: F403
