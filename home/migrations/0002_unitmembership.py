"""``UnitMembership`` moves from the service desk (``layanan``) to the organisation (``home``), issue 14.

State only: the table ``layanan_unitmembership`` and its rows stay where they are (the model keeps the table
name). The content type ``layanan.unitmembership`` is renamed to ``home.unitmembership``, so the permissions
already granted on it (role "PPID Utama", hand-made groups) and the admin log entries follow the model.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def rename_content_type(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    db = schema_editor.connection.alias
    if ContentType.objects.using(db).filter(app_label="home", model="unitmembership").exists():
        return  # already there (created by a post_migrate run in between): nothing to carry over
    ContentType.objects.using(db).filter(app_label="layanan", model="unitmembership").update(app_label="home")


def restore_content_type(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    db = schema_editor.connection.alias
    if not ContentType.objects.using(db).filter(app_label="layanan", model="unitmembership").exists():
        ContentType.objects.using(db).filter(app_label="home", model="unitmembership").update(app_label="layanan")


class Migration(migrations.Migration):
    dependencies = [
        ("home", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("layanan", "0003_service_choices_from_registry"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="UnitMembership",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID"),
                        ),
                        (
                            "unit",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="members",
                                to="home.unit",
                                verbose_name="unit",
                            ),
                        ),
                        (
                            "user",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="unit_memberships",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="user",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "unit membership",
                        "verbose_name_plural": "unit memberships",
                        "db_table": "layanan_unitmembership",
                        "constraints": [
                            models.UniqueConstraint(fields=("user", "unit"), name="layanan_unitmembership_unique")
                        ],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(rename_content_type, restore_content_type),
    ]
