"""WSGI entry point (gunicorn pesan_cms.wsgi). DJANGO_SETTINGS_MODULE defaults to production."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pesan_cms.settings.production")

application = get_wsgi_application()
