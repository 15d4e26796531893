"""WBS endpoints (mounted under ``/api/v2/`` via ``layanan/api/urls.py``; all scrubbed by
``layanan.wbs.privacy.WbsPrivacyMiddleware``).

- ``POST /api/v2/wbs/reports/``: file a report -> receipt code (once)
- ``POST /api/v2/wbs/access/``: status, timeline and thread with the code
- ``POST /api/v2/wbs/messages/``: the reporter's message
- ``POST /api/v2/wbs/files/<id>/``: download a file of the thread
- ``GET /api/v2/wbs/violation-types/``
"""

from django.urls import path

from layanan.api.wbs_views import (
    WbsAccessView,
    WbsFileView,
    WbsMessageCreateView,
    WbsReportCreateView,
    WbsViolationTypeListView,
)

urlpatterns: list = [
    path("wbs/reports/", WbsReportCreateView.as_view(), name="layanan-wbs-report-create"),
    path("wbs/access/", WbsAccessView.as_view(), name="layanan-wbs-access"),
    path("wbs/messages/", WbsMessageCreateView.as_view(), name="layanan-wbs-message-create"),
    path("wbs/files/<int:file_id>/", WbsFileView.as_view(), name="layanan-wbs-file"),
    path("wbs/violation-types/", WbsViolationTypeListView.as_view(), name="layanan-wbs-violation-types"),
]
