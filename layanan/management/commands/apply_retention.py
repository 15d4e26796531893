"""``manage.py apply_retention [--date YYYY-MM-DD]``: the retention run now (notices, anonymisation or deletion
at the end of each service's period, housekeeping). The cluster runs it daily; see ``layanan.core.retention``."""

from __future__ import annotations

import datetime

from django.core.management.base import BaseCommand

from layanan.core.retention import run


class Command(BaseCommand):
    help = "Jalankan retensi data sekarang: pemberitahuan, lalu penghapusan data pribadi yang masa simpannya habis."

    def add_arguments(self, parser):
        parser.add_argument(
            "--date", type=datetime.date.fromisoformat, help="Tanggal (WIB) yang dipakai; bawaan hari ini."
        )

    def handle(self, *args, date=None, **options):
        report = run(date)
        self.stdout.write(
            f"Retensi: {report.noticed} diberitahukan, {report.anonymised} dianonimkan, {report.deleted} dihapus, "
            f"{len(report.held)} ditahan (keberatan/sengketa), {report.housekeeping} baris kedaluwarsa dibersihkan."
        )
