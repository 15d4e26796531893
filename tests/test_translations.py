"""Indonesian is the default language: every string of the project's ``id`` catalogues is translated, none is
left fuzzy (a fuzzy entry is not compiled, so the user would read English), and the committed ``.mo`` is the
compiled ``.po`` (``make messages`` was run after the last edit). The same holds for the hand-kept catalogue of
the admin packages' missing strings, ``pesan_cms/locale_admin`` (``django`` and ``djangojs``;
tests/test_admin_language.py checks what it covers)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
CATALOGUES = sorted(p for p in ROOT.glob("*/locale/id/LC_MESSAGES/django.po") if ".venv" not in p.parts) + sorted(
    ROOT.glob("pesan_cms/locale_admin/id/LC_MESSAGES/*.po")
)


def catalogue_id(po: Path) -> str:
    """``home``, …, ``pesan_cms``; ``pesan_cms/locale_admin/django`` and ``…/djangojs`` for the admin catalogue."""
    return po.parts[-5] if po.parts[-4] == "locale" else f"{po.parts[-5]}/{po.parts[-4]}/{po.stem}"


def entries(po: Path):
    """``(msgid, msgstrs, flags)`` of every entry of ``po`` but the header (a small reader of the PO format)."""
    entry: dict = {"msgid": "", "msgstr": [], "flags": "", "field": None}
    for raw in po.read_text(encoding="utf-8").splitlines() + [""]:
        line = raw.strip()
        if not line:
            if entry["field"] is not None and entry["msgid"]:
                yield entry["msgid"], entry["msgstr"], entry["flags"]
            entry = {"msgid": "", "msgstr": [], "flags": "", "field": None}
        elif line.startswith("#,"):
            entry["flags"] += line
        elif line.startswith("#"):
            continue
        elif line.startswith("msgid_plural"):
            entry["field"] = "plural"
        elif line.startswith("msgid "):
            entry["field"], entry["msgid"] = "msgid", line[7:-1]
        elif line.startswith("msgstr"):
            entry["field"] = "msgstr"
            entry["msgstr"].append(line.split(" ", 1)[1][1:-1])
        elif line.startswith('"'):
            if entry["field"] == "msgid":
                entry["msgid"] += line[1:-1]
            elif entry["field"] == "msgstr":
                entry["msgstr"][-1] += line[1:-1]


def test_the_catalogues_are_found():
    assert {p.parts[-5] for p in CATALOGUES} >= {"home", "layanan", "berita", "regulasi", "pesan_cms"}
    assert {catalogue_id(p) for p in CATALOGUES} >= {"pesan_cms/locale_admin/django", "pesan_cms/locale_admin/djangojs"}


@pytest.mark.parametrize("po", CATALOGUES, ids=catalogue_id)
def test_every_indonesian_string_is_translated(po):
    missing = [msgid for msgid, msgstrs, flags in entries(po) if not all(msgstrs) or "fuzzy" in flags]
    assert missing == [], f"untranslated or fuzzy in {po.relative_to(ROOT)}: {missing[:10]}"


@pytest.mark.parametrize("po", CATALOGUES, ids=catalogue_id)
def test_the_committed_mo_is_the_compiled_po(po, tmp_path):
    compiled = tmp_path / "django.mo"
    subprocess.run(["msgfmt", "-o", str(compiled), str(po)], check=True)
    assert compiled.read_bytes() == po.with_suffix(".mo").read_bytes(), "run `make messages`"
