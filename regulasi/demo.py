"""Demo regulations: ``seed(stdout)`` is called by ``manage.py seed_demo`` after ``home.demo``.

Creates, under the default site's ``HomePage``, one ``RegulationIndexPage`` ("Regulasi") and one published
``RegulationPage`` per row of ``regulasi/demo_data/regulations.csv``. Idempotent: regulations are matched by
their full title under the index, existing pages are left as editors changed them, missing ones are added.

CSV columns: ``kind`` (full name as written, e.g. "Peraturan Menteri PANRB"; mapped to a code by
``kind_from_label``), ``number``, ``year``, ``title`` (the "tentang" text), ``status``, ``issued_on``
(ISO date or empty = unknown), ``replaced_by`` ("<kind name> <number>/<year>" of another row, or empty).
"""

import csv
from datetime import date
from pathlib import Path

from regulasi.models import (
    RegulationIndexPage,
    RegulationPage,
    RegulationStatus,
    compose_title,
    default_slug,
    kind_from_label,
)

DATA_FILE = Path(__file__).resolve().parent / "demo_data" / "regulations.csv"

INDEX_TITLE = "Regulasi"
INDEX_SLUG = "regulasi"
INDEX_INTRO = (
    "<p>Peraturan perundang-undangan yang menjadi dasar hukum layanan informasi publik, pengaduan pelayanan "
    "publik, dan sistem pelaporan pelanggaran (whistleblowing).</p>"
)

# Subject tags by words in what the regulation is about (case-insensitive); a row may get several.
SUBJECT_RULES: list[tuple[tuple[str, ...], str]] = [
    (("keterbukaan informasi", "informasi publik", "layanan informasi"), "Keterbukaan Informasi"),
    (("sengketa informasi",), "Sengketa Informasi"),
    (("pelayanan publik",), "Pelayanan Publik"),
    (("pengaduan",), "Pengaduan"),
    (("data pribadi",), "Data Pribadi"),
    (("whistleblowing", "pelanggaran hukum"), "Whistleblowing"),
]


def subjects_for(about: str) -> list[str]:
    """Subject tag names for a regulation about ``about`` (see ``SUBJECT_RULES``)."""
    text = about.lower()
    return [subject for words, subject in SUBJECT_RULES if any(word in text for word in words)]


def _reference(kind_label: str, number: str, year: int | str) -> tuple[str, str, int]:
    return (kind_label.strip().lower(), number.strip(), int(year))


def _parse_reference(text: str) -> tuple[str, str, int] | None:
    """``"Peraturan Komisi Informasi 1/2021"`` → ``("peraturan komisi informasi", "1", 2021)``."""
    label, _sep, citation = text.strip().rpartition(" ")
    number, _slash, year = citation.rpartition("/")
    if not (label and number and year.isdigit()):
        return None
    return _reference(label, number, year)


def read_rows(path: Path = DATA_FILE) -> list[dict]:
    """The CSV rows, stripped."""
    with path.open(newline="", encoding="utf-8") as handle:
        return [{key: (value or "").strip() for key, value in row.items()} for row in csv.DictReader(handle)]


def seed(stdout) -> None:
    """Create the regulation index and the demo regulations (idempotent). Writes progress to ``stdout``."""
    from wagtail.models import Site

    from home.models import HomePage

    site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
    home = site.root_page.specific if site else None
    if not isinstance(home, HomePage):
        stdout.write("regulasi: the default site's root page is not a HomePage; no regulations created.")
        return

    index = RegulationIndexPage.objects.child_of(home).first()
    if index is None:
        index = RegulationIndexPage(title=INDEX_TITLE, slug=INDEX_SLUG, intro=INDEX_INTRO)
        home.add_child(instance=index)
        index.save_revision().publish()

    existing = {page.title: page for page in RegulationPage.objects.child_of(index)}
    by_reference: dict[tuple[str, str, int], RegulationPage] = {}
    pending_replacements: list[tuple[RegulationPage, str]] = []
    created = 0
    for row in read_rows():
        year = int(row["year"])
        title = compose_title(row["kind"], row["number"], year, row["title"])
        page = existing.get(title)
        if page is None:
            page = RegulationPage(
                title=title,
                slug=default_slug(kind_from_label(row["kind"]), row["number"], year, row["title"]),
                kind=kind_from_label(row["kind"]),
                number=row["number"],
                year=year,
                about=row["title"],
                issued_on=date.fromisoformat(row["issued_on"]) if row["issued_on"] else None,
                status=row["status"] or RegulationStatus.IN_FORCE,
            )
            index.add_child(instance=page)
            page.subjects.add(*subjects_for(row["title"]))
            page.save_revision().publish()
            created += 1
            if row["replaced_by"]:
                pending_replacements.append((page, row["replaced_by"]))
        by_reference[_reference(row["kind"], row["number"], year)] = page

    for page, reference in pending_replacements:
        key = _parse_reference(reference)
        target = by_reference.get(key) if key else None
        if target is None:
            stdout.write(f"regulasi: replacement {reference!r} of {page.title!r} not found; left empty.")
            continue
        page.replaced_by = target
        page.save_revision().publish()

    stdout.write(f"regulasi: {created} regulations created, {len(existing)} already present.")
