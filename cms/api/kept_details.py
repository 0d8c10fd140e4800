"""API details kept for readers by their address (API v2's and v3's alike).

A detail is kept only after its page passed the lookup with these very parameters, so
the address names it: the page id, every query parameter (filters decide whether it is
found) and the enabled plugins (they add fields). It is filed under the page, the view
restrictions and the request's site, so any change to whether it is found purges it.
"""

from cms.page_cache.keys import plugins_on, request_site_key


def detail_named(request, pk):
    """What a kept detail is named by (``depends_on`` of ``cms.kept_fragments.keep``)."""
    return ("detail", str(int(pk)), plugins_on(), repr(sorted(request.GET.lists())))


def answer_keys(request, pks):
    """What a kept answer about pages `pks` (a detail's, or a listing's) is filed under,
    besides what making it loads."""
    return ("restrictions", request_site_key(request), *(f"page:{int(pk)}" for pk in pks))
