"""``UnitMembership`` now belongs to the organisation (``home`` migration 0002): removed from this app's state
only; the table ``layanan_unitmembership`` and its rows stay (the ``home`` model uses it)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("layanan", "0003_service_choices_from_registry"),
        ("home", "0002_unitmembership"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="UnitMembership")],
            database_operations=[],
        ),
    ]
