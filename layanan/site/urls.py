"""Server-rendered service-desk pages (forms, status), mounted at "" before Wagtail's catch-all.

Stable Indonesian addresses; the WBS pages live under ``/wbs/`` so the WBS privacy middleware covers them.
"""

from django.urls import path

from layanan.api.statistics import public_statistics_page
from layanan.site import views as site_views

urlpatterns: list = [
    path("layanan/", site_views.service_index, name="layanan-site-index"),
    path("layanan/permohonan-informasi/", site_views.ppid_request, name="layanan-site-ppid-request"),
    path("layanan/keberatan/", site_views.objection, name="layanan-site-objection"),
    path("layanan/pengaduan/", site_views.lapor, name="layanan-site-lapor"),
    path("layanan/terkirim/", site_views.submitted, name="layanan-site-submitted"),
    path("layanan/cek-status/", site_views.check_status, name="layanan-site-status"),
    path("layanan/cek-status/berkas/<int:file_id>/", site_views.download_file, name="layanan-site-file"),
    path("layanan/cek-status/balas/", site_views.reply, name="layanan-site-reply"),
    path("layanan/wbs/", site_views.wbs_redirect, {"target": "layanan-site-wbs"}),
    path("layanan/wbs/akses/", site_views.wbs_redirect, {"target": "layanan-site-wbs-access"}),
    path("wbs/", site_views.wbs_report, name="layanan-site-wbs"),
    path("wbs/akses/", site_views.wbs_access, name="layanan-site-wbs-access"),
    path("wbs/akses/berkas/<int:file_id>/", site_views.wbs_file, name="layanan-site-wbs-file"),
    path("statistik/", public_statistics_page, name="layanan-site-statistics"),
]
