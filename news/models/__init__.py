from .images import NewsImage, NewsRendition
from .pages import ArticleAuthor, ArticlePage, ArticlePageTag, NewsIndexPage

__all__ = [
    "ArticleAuthor",
    "ArticlePage",
    "ArticlePageTag",
    "NewsImage",
    "NewsIndexPage",
    "NewsRendition",
]
