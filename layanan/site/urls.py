"""Server-rendered service-desk pages (forms, status), mounted at "" before Wagtail's catch-all.

Stable Indonesian addresses; the WBS pages live under ``/wbs/`` so the WBS privacy middleware covers them.
"""

from django.urls import path

from layanan.api.statistics import public_statistics_page
from layanan.site import challenge as site_challenge
from layanan.site import receipts as site_receipts
from layanan.site import views as site_views
from layanan.site.documents import document_print
from layanan.site.rating import rate

urlpatterns: list = [
    path("layanan/", site_views.service_index, name="layanan-site-index"),
    path("layanan/permohonan-informasi/", site_views.ppid_request, name="layanan-site-ppid-request"),
    path("layanan/keberatan/", site_views.objection, name="layanan-site-objection"),
    path("layanan/pengaduan/", site_views.lapor, name="layanan-site-lapor"),
    path("layanan/tantangan/", site_challenge.challenge_view, name="layanan-site-challenge"),
    path("layanan/terkirim/", site_views.submitted, name="layanan-site-submitted"),
    path("layanan/terkirim/akses/", site_views.access_file, name="layanan-site-access-file"),
    path("layanan/cek-status/", site_views.check_status, name="layanan-site-status"),
    path("layanan/cek-status/berkas/<int:file_id>/", site_views.download_file, name="layanan-site-file"),
    path("layanan/cek-status/balas/", site_views.reply, name="layanan-site-reply"),
    path("layanan/cek-status/tanda-bukti/", site_receipts.receipt_pdf, name="layanan-site-receipt"),
    path("layanan/cek-status/tanda-bukti/cetak/", site_receipts.receipt_print, name="layanan-site-receipt-print"),
    path("layanan/cek-status/nilai/", rate, name="layanan-site-rate"),
    path("layanan/cek-status/dokumen/<int:file_id>/cetak/", document_print, name="layanan-site-document-print"),
    path("layanan/cek-status/lupa-akses/", site_views.recover_access, name="layanan-site-recover-access"),
    path("layanan/wbs/", site_views.wbs_redirect, {"target": "layanan-site-wbs"}),
    path("layanan/wbs/akses/", site_views.wbs_redirect, {"target": "layanan-site-wbs-access"}),
    path("wbs/", site_views.wbs_report, name="layanan-site-wbs"),
    path("wbs/akses/", site_views.wbs_access, name="layanan-site-wbs-access"),
    path("wbs/tantangan/", site_challenge.challenge_view, name="layanan-site-wbs-challenge"),  # privacy middleware
    path("wbs/akses/berkas/<int:file_id>/", site_views.wbs_file, name="layanan-site-wbs-file"),
    path("wbs/tanda-bukti/", site_receipts.wbs_receipt, name="layanan-site-wbs-receipt"),
    path("statistik/", public_statistics_page, name="layanan-site-statistics"),
]
