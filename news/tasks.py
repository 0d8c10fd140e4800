"""The news app's background work (periodic jobs are scheduled in wagtail_hooks.py)."""

from django_tasks import task

from .abandoned_drafts import delete_abandoned_drafts as delete_now


@task()
def delete_abandoned_drafts():
    """Delete new pages that were never published nor edited after their first sitting."""
    return len(delete_now())


@task()
def fetch_embeds_of_article(article_id):
    """Fetch the embeds an article was published with that no provider had answered for."""
    from .embeds import fetch_article_embeds
    from .models import ArticlePage

    article = ArticlePage.objects.live().filter(pk=article_id).first()
    return len(fetch_article_embeds([article] if article else []))


@task()
def fetch_pending_embeds():
    """Retry every live article's embeds whose provider has not answered yet."""
    from .embeds import fetch_article_embeds
    from .models import ArticlePage

    # A rough filter in the database (the word in the body's JSON), the exact one in Python.
    articles = ArticlePage.objects.live().filter(body__icontains='"embed"')
    return len(fetch_article_embeds(articles.iterator(chunk_size=100)))
