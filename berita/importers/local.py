"""A requests transport that answers from local files: used by the demo seed (no network) and by tests.

``session.mount("https://maritim.go.id/", LocalFileAdapter(routes))`` where ``routes`` maps a URL path
(exact, e.g. ``/feed/rss/``) or a path prefix ending in ``/`` with ``*`` (e.g. ``/konten/unggahan/*``) to a
file or directory. Unknown paths answer 404.
"""

import mimetypes
from io import BytesIO
from pathlib import Path
from urllib.parse import urlsplit

from requests import PreparedRequest, Response
from requests.adapters import BaseAdapter
from requests.structures import CaseInsensitiveDict


class LocalFileAdapter(BaseAdapter):
    """Serve ``routes`` (path → file, or ``prefix*`` → directory, looked up by the file's base name)."""

    def __init__(self, routes: dict[str, Path]):
        super().__init__()
        self.routes = {k: Path(v) for k, v in routes.items()}

    def resolve(self, path: str) -> Path | None:
        if path in self.routes:
            return self.routes[path]
        for prefix, target in self.routes.items():
            if prefix.endswith("*") and path.startswith(prefix[:-1]):
                candidate = target / Path(path).name
                return candidate if candidate.is_file() else None
        return None

    def send(self, request: PreparedRequest, **kwargs) -> Response:
        path = urlsplit(request.url).path or "/"
        target = self.resolve(path)
        resp = Response()
        resp.url = request.url
        resp.request = request
        resp.encoding = None
        if target is None or not target.is_file():
            resp.status_code = 404
            body = b"Not found"
            content_type = "text/plain"
        else:
            resp.status_code = 200
            body = target.read_bytes()
            content_type = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
        resp.headers = CaseInsensitiveDict({"Content-Type": content_type, "Content-Length": str(len(body))})
        resp.raw = BytesIO(body)
        return resp

    def close(self):
        pass
