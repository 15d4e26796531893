"""Models of the home app.

- ``organisation.py``: ``OrganisationSettings`` (+ ``SocialMediaAccount``) and ``Unit``;
- ``pages.py``: ``HomePage`` (+ ``HomePageSlide``), ``StandardPage``;
- ``profile.py``: ``PPIDProfilePage`` (+ ``PPIDOfficial``);
- ``dip.py``: the public-information list (DIP): ``PublicInformationIndexPage``, ``PublicInformationPage`` and the
  ``InformationClass`` / ``Pasal17Ground`` / ``InformationFormat`` choices.
"""

from .dip import (
    InformationClass,
    InformationFormat,
    Pasal17Ground,
    PublicInformationIndexPage,
    PublicInformationPage,
)
from .organisation import OrganisationSettings, SocialMediaAccount, Unit
from .pages import HomePage, HomePageSlide, StandardPage
from .profile import PPIDOfficial, PPIDProfilePage

__all__ = [
    "HomePage",
    "HomePageSlide",
    "InformationClass",
    "InformationFormat",
    "OrganisationSettings",
    "PPIDOfficial",
    "PPIDProfilePage",
    "Pasal17Ground",
    "PublicInformationIndexPage",
    "PublicInformationPage",
    "SocialMediaAccount",
    "StandardPage",
    "Unit",
]
