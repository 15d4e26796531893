"""Regressions found by hostile-input review of the read API: absurd limit/offset, NUL in query parameters."""

import pytest

from .factories import make_entry

pytestmark = pytest.mark.django_db

HUGE = "99999999999999999999"


@pytest.mark.parametrize("endpoint", ["pages", "images", "documents"])
def test_wagtail_offset_past_the_end_or_beyond_64_bits_is_an_empty_page(client, home, endpoint):
    for offset in (HUGE, "9223372036854775808", "100000"):
        response = client.get(f"/api/v2/{endpoint}/?offset={offset}")
        assert response.status_code == 200, response.content
        assert response.json()["items"] == []


def test_wagtail_offset_inside_the_listing_still_pages(client, home):
    total = client.get("/api/v2/pages/").json()["meta"]["total_count"]
    assert total >= 1
    response = client.get(f"/api/v2/pages/?offset={total - 1}")
    assert response.status_code == 200
    assert len(response.json()["items"]) == 1


@pytest.mark.parametrize("endpoint", ["pages", "images", "documents"])
def test_wagtail_nul_in_a_query_parameter_is_a_400_in_indonesian(client, home, endpoint):
    response = client.get(f"/api/v2/{endpoint}/", {"search": "a\x00b"})
    assert response.status_code == 400, response.content
    assert response.json() == {"message": "Permintaan berisi karakter null (U+0000), yang tidak diizinkan."}


def test_public_information_absurd_limit_is_never_a_500(client, dip_index, units):
    for i in range(3):
        make_entry(dip_index, units["SES"], title=f"Laporan {i}", year=2024)
    for limit in (HUGE, "9223372036854775808", "1000"):
        response = client.get(f"/api/v2/public-information/?limit={limit}")
        assert response.status_code == 200, response.content
        assert response.json()["count"] == 3
        assert len(response.json()["results"]) == 3
