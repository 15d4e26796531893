"""django-q2 entry points of the news app (logic lives in ``berita.services``)."""

from berita.models import ImportSource
from berita.services import run_import


def import_source(source_id: int) -> str:
    """Scheduled import of one source; returns the run summary. A missing/disabled source is a no-op."""
    source = ImportSource.objects.filter(pk=source_id).first()
    if source is None:
        return f"source {source_id} no longer exists"
    if not source.enabled:
        return f"source {source.name} is disabled"
    run = run_import(source, trigger="schedule")
    return f"{source.name}: {run.status} {run.summary()} {run.error}".strip()
