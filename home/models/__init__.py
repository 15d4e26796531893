"""Models of the home app. Page types live in ``pages.py``; organisation data in ``organisation.py``."""

from .organisation import OrganisationSettings, SocialMediaAccount, Unit
from .pages import HomePage

__all__ = ["HomePage", "OrganisationSettings", "SocialMediaAccount", "Unit"]
