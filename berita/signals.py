"""Signal handlers: keep each source's django-q2 schedule in step with the source."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from berita.models import ImportSource
from berita.scheduling import remove_schedule, sync_schedule

STATUS_ONLY = {"last_run_at", "last_success_at", "last_error", "last_published_at"}


@receiver(post_save, sender=ImportSource, dispatch_uid="berita_source_schedule_save")
def source_saved(sender, instance, update_fields=None, raw=False, **kwargs):
    if raw or (update_fields and set(update_fields) <= STATUS_ONLY):
        return
    sync_schedule(instance)


@receiver(post_delete, sender=ImportSource, dispatch_uid="berita_source_schedule_delete")
def source_deleted(sender, instance, **kwargs):
    remove_schedule(instance)
