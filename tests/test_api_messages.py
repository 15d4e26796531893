"""DRF's own validation messages reach API clients in Indonesian by default (DRF's catalogue lacks them)."""

import json

import pytest

pytestmark = pytest.mark.django_db

URL = "/api/v2/ppid/requests/"


def test_malformed_json_is_a_400_in_indonesian(client):
    response = client.post(URL, data="{not json", content_type="application/json")
    assert response.status_code == 400
    assert response.json()["detail"].startswith("Isi permintaan bukan JSON yang sah")
    assert response.json()["detail"].endswith("(baris 1, kolom 2).")


@pytest.mark.parametrize("body", [b"\xef\xbb\xbf{}", b'{"a": "\xff"}', b'{"a": ' + b"9" * 5000 + b"}"])
def test_unreadable_json_says_why_without_python_english(client, body):
    response = client.post(URL, data=body, content_type="application/json")
    assert response.status_code == 400
    detail = response.json()["detail"]
    assert detail.startswith("Isi permintaan bukan JSON yang sah")
    assert not any(word in detail for word in ("Unexpected", "codec", "Exceeds", "decode", "limit"))


def test_a_list_instead_of_an_object_is_a_400_in_indonesian(client):
    response = client.post(URL, data=json.dumps(["a", "b"]), content_type="application/json")
    assert response.status_code == 400
    assert "Diharapkan objek" in json.dumps(response.json(), ensure_ascii=False)


def test_english_on_request(client):
    response = client.post(URL, data=json.dumps(["a"]), content_type="application/json", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert "Expected a dictionary" in json.dumps(response.json())


def test_a_null_body_is_a_400_in_indonesian_not_drf_english(client):
    response = client.post(URL, data="null", content_type="application/json")
    assert response.status_code == 400
    body = json.dumps(response.json(), ensure_ascii=False)
    assert "No data provided" not in body and "Tidak ada data yang dikirim" in body
