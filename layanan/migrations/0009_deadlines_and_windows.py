"""Issue 17 (deadlines and windows): the delivery of a PPID request's information is recorded
(``delivered_at``), an objection for reason (b) needs no request (``request`` nullable), and the working
calendar takes office hours per weekday (empty: the general hours)."""

import django.db.models.deletion
from django.db import migrations, models

HELP = (
    "Leave empty to use the general office hours. A submission at or after the end time of its weekday counts "
    "from the next working day."
)


class Migration(migrations.Migration):
    dependencies = [
        ("layanan", "0008_service_ratings"),
    ]

    operations = [
        migrations.AddField(
            model_name="ppidrequestdetails",
            name="delivered_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="information delivered at"),
        ),
        migrations.AlterField(
            model_name="objectiondetails",
            name="request",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="objections",
                to="layanan.ticket",
                verbose_name="original request",
            ),
        ),
        migrations.AddField(
            model_name="workcalendarsettings",
            name="monday_start",
            field=models.TimeField(
                blank=True,
                help_text=HELP,
                null=True,
                verbose_name="Monday: start",
            ),
        ),
        migrations.AddField(
            model_name="workcalendarsettings",
            name="monday_end",
            field=models.TimeField(
                blank=True,
                help_text=HELP,
                null=True,
                verbose_name="Monday: end",
            ),
        ),
        migrations.AddField(
            model_name="workcalendarsettings",
            name="tuesday_start",
            field=models.TimeField(
                blank=True,
                help_text=HELP,
                null=True,
                verbose_name="Tuesday: start",
            ),
        ),
        migrations.AddField(
            model_name="workcalendarsettings",
            name="tuesday_end",
            field=models.TimeField(
                blank=True,
                help_text=HELP,
                null=True,
                verbose_name="Tuesday: end",
            ),
        ),
        migrations.AddField(
            model_name="workcalendarsettings",
            name="wednesday_start",
            field=models.TimeField(
                blank=True,
                help_text=HELP,
                null=True,
                verbose_name="Wednesday: start",
            ),
        ),
        migrations.AddField(
            model_name="workcalendarsettings",
            name="wednesday_end",
            field=models.TimeField(
                blank=True,
                help_text=HELP,
                null=True,
                verbose_name="Wednesday: end",
            ),
        ),
        migrations.AddField(
            model_name="workcalendarsettings",
            name="thursday_start",
            field=models.TimeField(
                blank=True,
                help_text=HELP,
                null=True,
                verbose_name="Thursday: start",
            ),
        ),
        migrations.AddField(
            model_name="workcalendarsettings",
            name="thursday_end",
            field=models.TimeField(
                blank=True,
                help_text=HELP,
                null=True,
                verbose_name="Thursday: end",
            ),
        ),
        migrations.AddField(
            model_name="workcalendarsettings",
            name="friday_start",
            field=models.TimeField(
                blank=True,
                help_text=HELP,
                null=True,
                verbose_name="Friday: start",
            ),
        ),
        migrations.AddField(
            model_name="workcalendarsettings",
            name="friday_end",
            field=models.TimeField(
                blank=True,
                help_text=HELP,
                null=True,
                verbose_name="Friday: end",
            ),
        ),
    ]
