"""Every public DRF listing caps ``?limit=`` at 100, however large the number asked for."""

import pytest
from rest_framework.request import Request
from rest_framework.test import APIRequestFactory

from berita.api.views import NewsListView
from home.api.pagination import PublicLimitOffsetPagination
from home.api.views import PublicInformationListView
from regulasi.api.views import RegulationListView


@pytest.mark.parametrize("view", [NewsListView, PublicInformationListView, RegulationListView])
def test_public_listings_use_the_capped_paginator(view):
    assert view.pagination_class is PublicLimitOffsetPagination


@pytest.mark.parametrize(
    ("asked", "given"), [("1000", 100), ("99999999999999999999", 100), ("100", 100), ("7", 7), ("", 20)]
)
def test_limit_is_capped_at_100_and_defaults_to_20(asked, given):
    request = Request(APIRequestFactory().get("/api/v2/news/", {"limit": asked} if asked else {}))
    assert PublicLimitOffsetPagination().get_limit(request) == given
