"""Models of the news app: pages (``pages.py``) and the import machinery (``importing.py``)."""

from .importing import ImportedArticle, ImportRule, ImportRun, ImportSource
from .pages import NewsCategory, NewsIndexPage, NewsPage, NewsPageTag, NewsSettings

__all__ = [
    "ImportRule",
    "ImportRun",
    "ImportSource",
    "ImportedArticle",
    "NewsCategory",
    "NewsIndexPage",
    "NewsPage",
    "NewsPageTag",
    "NewsSettings",
]
