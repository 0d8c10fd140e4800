"""What names a run of listing cards kept as one fragment, for core and plugin templates.

{% load article_cards kept_fragments %}
{% keep "cards" items.object_list|cards_named variant %}
    {% for article in items.object_list %}...{% endfor %}
{% endkeep %}
"""

from django import template

from ..models.pages import cards_named as named

register = template.Library()


@register.filter
def cards_named(articles):
    """Each article, what its card shows and its card's version, or a kept listing's
    page by its ids (``news.models.pages.cards_named``)."""
    return named(articles)
