"""The OpenAPI schema produces a working typed TypeScript client (issue 19).

Against a live test server: the served schema (``/api/schema/?format=json``) goes through openapi-typescript,
a small client (``tools/ts-client/check.mts``, openapi-fetch) is type-checked with ``tsc --noEmit`` (strict) and
then compiled and run with node: it lists pages, fetches one, reads the menu and a DRF listing.

The npm packages come from ``npm ci`` in ``tools/ts-client`` (``make install-dev``, ``.ci/run``), made beforehand:
tests never reach the network. Outside CI the test skips when node or that install is missing; in CI
(``CI=true``) it fails instead.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import urllib.request
from pathlib import Path

import pytest

from tests.browser.conftest import _clean_state  # noqa: F401 - root page, locale, site after other flushes
from tests.home.factories import make_site, make_standard

TS_DIR = Path(__file__).resolve().parent.parent / "tools" / "ts-client"
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


def _missing(reason: str):
    if IN_CI:
        pytest.fail(f"{reason} (CI must run the typed-client test: see .ci/run)")
    pytest.skip(reason)


@pytest.fixture
def node() -> str:
    path = shutil.which("node")
    if path is None:
        _missing("node is not installed: the typed TypeScript client check needs Node.js 18 or later")
    if not (TS_DIR / "node_modules" / "openapi-typescript").is_dir():
        _missing("tools/ts-client/node_modules is missing: run `make install-dev` (npm ci in tools/ts-client)")
    return path


def _run(*args, cwd: Path) -> str:
    result = subprocess.run(args, cwd=cwd, capture_output=True, text=True, timeout=180, check=False)
    assert result.returncode == 0, f"{' '.join(map(str, args))}\n{result.stdout}\n{result.stderr}"
    return result.stdout


@pytest.mark.django_db(transaction=True)
def test_schema_gives_a_typed_client_that_works_against_the_server(node, live_server, tmp_path):
    home = make_site()
    make_standard(home, title="Tentang Kami", slug="tentang", show_in_menus=True)
    make_standard(home, title="Kontak", slug="kontak")

    work = tmp_path / "client"
    work.mkdir()
    (work / "node_modules").symlink_to(TS_DIR / "node_modules", target_is_directory=True)
    shutil.copy(TS_DIR / "check.mts", work)
    shutil.copy(TS_DIR / "tsconfig.json", work)
    with urllib.request.urlopen(f"{live_server.url}/api/schema/?format=json", timeout=60) as response:  # noqa: S310
        (work / "schema.json").write_bytes(response.read())

    modules = TS_DIR / "node_modules"
    _run(node, modules / "openapi-typescript" / "bin" / "cli.js", "schema.json", "-o", "api.d.ts", cwd=work)
    assert "export interface paths" in (work / "api.d.ts").read_text()
    tsc = modules / "typescript" / "bin" / "tsc"
    _run(node, tsc, "--noEmit", "-p", "tsconfig.json", cwd=work)  # the schema's types compile, strict
    _run(node, tsc, "-p", "tsconfig.json", cwd=work)
    result = json.loads(_run(node, work / "out" / "check.mjs", live_server.url, cwd=work))

    assert result["total"] == result["count"] == 3
    assert result["titles"] == ["Kementerian Contoh", "Kontak", "Tentang Kami"]
    assert result["page"]["title"] == result["titles"][0]  # the detail of the first listed page
    assert [item["title"] for item in result["menu"]][:2] == ["Beranda", "Tentang Kami"]
    assert all(item["url"].startswith("http") for item in result["menu"])
    assert result["regulations"] == {"count": 0, "total": 0}
