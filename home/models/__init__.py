"""Models of the home app.

- ``organisation.py``: the organisation: ``OrganisationSettings`` (+ ``SocialMediaAccount``), ``Unit`` and
  ``UnitMembership`` (the operators of a unit);
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
from .organisation import OrganisationSettings, SocialMediaAccount, Unit, UnitMembership
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
    "UnitMembership",
]
