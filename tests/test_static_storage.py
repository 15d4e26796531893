"""Production static storage (``pesan_cms.storage``): memoised URLs that are the ones whitenoise computes."""

import json

import pytest
from whitenoise.storage import CompressedManifestStaticFilesStorage

from pesan_cms.storage import MemoizedManifestStaticFilesStorage


@pytest.fixture
def storage(tmp_path, settings):
    settings.DEBUG = False
    (tmp_path / "staticfiles.json").write_text(
        json.dumps({"paths": {"css/site.css": "css/site.0123abcd.css"}, "version": "1.1", "hash": "x"})
    )
    return MemoizedManifestStaticFilesStorage(location=str(tmp_path), base_url="/static/")


def test_urls_are_the_hashed_ones_and_computed_once(storage, monkeypatch):
    plain = CompressedManifestStaticFilesStorage(location=storage.location, base_url="/static/")
    calls = []
    original = CompressedManifestStaticFilesStorage.stored_name

    def counting(self, name):
        calls.append(name)
        return original(self, name)

    monkeypatch.setattr(CompressedManifestStaticFilesStorage, "stored_name", counting)
    assert storage.url("css/site.css") == plain.url("css/site.css") == "/static/css/site.0123abcd.css"
    calls.clear()
    assert [storage.url("css/site.css") for _ in range(3)] == ["/static/css/site.0123abcd.css"] * 3
    assert calls == []


def test_a_name_missing_from_the_manifest_fails_every_time(storage):
    for _ in range(2):
        with pytest.raises(ValueError, match="Missing staticfiles manifest entry"):
            storage.url("css/missing.css")
