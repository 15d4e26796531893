"""Fixtures of the home tests."""

import pytest

from .factories import make_dip_index, make_site, make_units


@pytest.fixture
def home(db):
    return make_site()


@pytest.fixture
def units(db):
    return make_units()


@pytest.fixture
def dip_index(home):
    return make_dip_index(home)
