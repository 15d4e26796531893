"""``TimelineEntry.actor_name``: the officer's name kept on each step (issue 15), filled for existing steps from
their officer's account (full name, else username)."""

from django.conf import settings
from django.db import migrations, models


def fill_actor_names(apps, schema_editor):
    TimelineEntry = apps.get_model("layanan", "TimelineEntry")
    User = apps.get_model(settings.AUTH_USER_MODEL)
    actors = TimelineEntry.objects.filter(actor__isnull=False).values_list("actor", flat=True).distinct()
    for user in User.objects.filter(pk__in=actors).iterator():
        full = f"{getattr(user, 'first_name', '')} {getattr(user, 'last_name', '')}".strip()
        name = full or getattr(user, User.USERNAME_FIELD, "")
        TimelineEntry.objects.filter(actor=user.pk).update(actor_name=name[:255])


class Migration(migrations.Migration):
    dependencies = [
        ("layanan", "0005_outbox"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="timelineentry",
            name="actor_name",
            field=models.CharField(blank=True, max_length=255, verbose_name="officer's name"),
        ),
        migrations.RunPython(fill_actor_names, migrations.RunPython.noop),
    ]
