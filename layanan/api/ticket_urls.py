"""Ticket endpoints (mounted under ``/api/v2/`` via ``layanan/api/urls.py``).

- ``POST /api/v2/ppid/requests/``, ``POST /api/v2/ppid/objections/``, ``POST /api/v2/lapor/reports/``
- ``GET /api/v2/tickets/<tracking_number>/`` and ``.../files/<id>/`` (access token required)
- ``POST /api/v2/tickets/<tracking_number>/messages/`` (the applicant's reply or completion; token required)
- ``GET /api/v2/tickets/<tracking_number>/receipt/`` (the proof of filing as a PDF; token required)
- ``POST /api/v2/tickets/<tracking_number>/rating/`` (the applicant rates a closed ticket; token required)
- ``POST /api/v2/tickets/access-recovery/`` ("forgot my access": a new access link to the contact on file)
- ``GET /api/v2/lapor/categories/``
"""

from django.urls import path

from layanan.api.rating_views import TicketRatingView
from layanan.api.receipt_views import TicketReceiptView
from layanan.api.recovery_views import AccessRecoveryView
from layanan.api.ticket_views import (
    LaporCategoryListView,
    LaporReportCreateView,
    ObjectionCreateView,
    PPIDRequestCreateView,
    TicketFileView,
    TicketMessageView,
    TicketStatusView,
)

urlpatterns: list = [
    path("ppid/requests/", PPIDRequestCreateView.as_view(), name="layanan-ppid-request-create"),
    path("ppid/objections/", ObjectionCreateView.as_view(), name="layanan-objection-create"),
    path("lapor/reports/", LaporReportCreateView.as_view(), name="layanan-lapor-report-create"),
    path("lapor/categories/", LaporCategoryListView.as_view(), name="layanan-lapor-categories"),
    path("tickets/access-recovery/", AccessRecoveryView.as_view(), name="layanan-ticket-access-recovery"),
    path("tickets/<str:tracking_number>/", TicketStatusView.as_view(), name="layanan-ticket-status"),
    path("tickets/<str:tracking_number>/files/<int:file_id>/", TicketFileView.as_view(), name="layanan-ticket-file"),
    path("tickets/<str:tracking_number>/messages/", TicketMessageView.as_view(), name="layanan-ticket-messages"),
    path("tickets/<str:tracking_number>/receipt/", TicketReceiptView.as_view(), name="layanan-ticket-receipt"),
    path("tickets/<str:tracking_number>/rating/", TicketRatingView.as_view(), name="layanan-ticket-rating"),
]
