"""News API views: thin read-only views over live, public NewsPages."""

from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import generics

from berita.models import NewsCategory, NewsPage
from berita.models.pages import news_prefetches
from home.api.pagination import PublicLimitOffsetPagination
from home.api.views import PublicRetrieveAPIView, StoredListAPIView
from home.privacy import public
from pesan_cms.patterns import date_pattern

from .filters import NewsFilter
from .serializers import CategorySerializer, NewsDetailSerializer, NewsListSerializer

#: ``date_from`` / ``date_to``: an ISO date (the filter reads other spellings too; these are the documented ones),
#: or empty (no bound).
_DATE = {"type": "string", "pattern": date_pattern(1, 9999, blank=True)}


def _published_news(request):
    """Live news pages under no view restriction (:func:`home.privacy.public`), newest first, listing relations
    prefetched."""
    return public(NewsPage.objects.live(), request).prefetch_related(*news_prefetches()).order_by("-date", "-pk")


@extend_schema_view(
    get=extend_schema(
        tags=["news"],
        summary="List published news",
        parameters=[
            OpenApiParameter("category", str, description="Category slug; several comma-separated match any."),
            OpenApiParameter("tag", str, description="Tag name (case-insensitive)."),
            OpenApiParameter("date_from", _DATE, description="YYYY-MM-DD, inclusive, WIB."),
            OpenApiParameter("date_to", _DATE, description="YYYY-MM-DD, inclusive, WIB."),
            OpenApiParameter("search", str, description="Words in the title or lead."),
            OpenApiParameter(
                "ordering", str, enum=["date", "-date", "title", "-title", ""], description="Default -date."
            ),
        ],
    )
)
class NewsListView(StoredListAPIView):
    """``GET /api/v2/news/``: published news, newest first, paginated (``limit``/``offset``).

    Each item: id, title, slug, url, date (ISO 8601, +07:00), lead, image (640×360 rendition or null),
    categories [{id, name, slug}], tags [names], source_name, source_url. Invalid filter values (e.g. a
    malformed date or an unknown ordering) answer 400 with per-field messages (Indonesian by default).
    """

    serializer_class = NewsListSerializer
    filterset_class = NewsFilter
    pagination_class = PublicLimitOffsetPagination

    def get_queryset(self):
        return _published_news(self.request)


@extend_schema(tags=["news"], summary="One published news item")
class NewsDetailView(PublicRetrieveAPIView):
    """``GET /api/v2/news/<id>/``: one published news page with ``body_html``; 404 when not live."""

    serializer_class = NewsDetailSerializer

    def get_queryset(self):
        return _published_news(self.request)


@extend_schema(tags=["news"], summary="News categories")
class NewsCategoryListView(generics.ListAPIView):
    """``GET /api/v2/news/categories/``: all news categories ``[{id, name, slug}]`` in their set order."""

    serializer_class = CategorySerializer
    queryset = NewsCategory.objects.all()
    pagination_class = None
    filter_backends: list = []
