from .corrections import ArticleCorrection
from .images import NewsImage, NewsRendition
from .pages import ArticleAuthor, ArticlePage, ArticlePageTag, NewsIndexPage
from .related import ArticleRelatedLink

__all__ = [
    "ArticleAuthor",
    "ArticleCorrection",
    "ArticlePage",
    "ArticlePageTag",
    "ArticleRelatedLink",
    "NewsImage",
    "NewsIndexPage",
    "NewsRendition",
]
