"""Filters of ``GET /api/v2/news/`` (django-filter)."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from berita.models import NewsPage


class NewsFilter(django_filters.FilterSet):
    """``category`` (slug; comma-separated = any of), ``tag`` (name, case-insensitive), ``date_from`` /
    ``date_to`` (dates, inclusive, WIB), ``search`` (title and lead), ``ordering`` (``date``, ``-date``,
    ``title``, ``-title``; default ``-date``)."""

    category = django_filters.CharFilter(method="filter_category", label=_("Category slug(s), comma-separated"))
    tag = django_filters.CharFilter(field_name="tags__name", lookup_expr="iexact", label=_("Tag"))
    date_from = django_filters.DateFilter(field_name="date", lookup_expr="date__gte", label=_("From date (WIB)"))
    date_to = django_filters.DateFilter(field_name="date", lookup_expr="date__lte", label=_("Until date (WIB)"))
    search = django_filters.CharFilter(method="filter_search", label=_("Search title and lead"))
    ordering = django_filters.OrderingFilter(fields=(("date", "date"), ("title", "title")), label=_("Ordering"))

    class Meta:
        model = NewsPage
        fields = ["category", "tag", "date_from", "date_to", "search"]

    def filter_category(self, queryset, name, value):
        slugs = [s.strip() for s in value.split(",") if s.strip()]
        return queryset.filter(categories__slug__in=slugs).distinct() if slugs else queryset

    def filter_search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(Q(title__icontains=value) | Q(lead__icontains=value)) if value else queryset
