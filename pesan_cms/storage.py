"""Static files storage for production: whitenoise's compressed manifest storage with memoised URLs.

``{% static %}`` (and Wagtail's ``versioned_static``) resolve a name through the manifest on every call:
``stored_name`` + ``urljoin``/``quote`` — about 70 calls on an admin page, a few milliseconds of CPU per request
(issue 9). The manifest is read once when the storage is created and does not change while the process runs
(a deploy that collects new static files restarts the workers), so a name's URL is computed once per process.
"""

from __future__ import annotations

from django.conf import settings
from whitenoise.storage import CompressedManifestStaticFilesStorage


class MemoizedManifestStaticFilesStorage(CompressedManifestStaticFilesStorage):
    """``url(name)`` as whitenoise/Django compute it, remembered per name for the life of the process.

    Not memoised: ``force=True`` calls and anything under ``DEBUG`` (Django serves unhashed names then). A
    name missing from the manifest raises ``ValueError`` every time, as the parent does (``manifest_strict``)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._url_memo: dict[str, str] = {}

    def url(self, name, force=False):
        if force or settings.DEBUG:
            return super().url(name, force)
        try:
            return self._url_memo[name]
        except KeyError:
            url = self._url_memo[name] = super().url(name, force)
            return url
