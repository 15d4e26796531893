#!/usr/bin/env python
"""Django's command-line utility. Defaults to the development settings (embedded SQLite)."""

import os
import sys

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pesan_cms.settings.dev")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
