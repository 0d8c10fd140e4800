"""Old WordPress addresses → their new homes, as Wagtail redirects (301)."""

from urllib.parse import urlsplit

from wagtail.contrib.redirects.models import Redirect

# WordPress's query-string addresses. The front page answers "/" itself, so
# Wagtail's redirect middleware (404s only) never sees them: a page hook asks
# for their Redirect rows (wagtail_hooks.py).
QUERY_KEYS = ("p", "page_id", "attachment_id", "cat", "tag", "author")


def path_of(url):
    """The path (and query) of an address in the export, '' for the site's root."""
    parts = urlsplit(url or "")
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    return path if path not in {"", "/"} else ""


def point(old_path, *, page=None, link=""):
    """Create or update the 301 from `old_path`; returns True when something changed."""
    if not old_path or len(old_path) > 255:
        return False
    normalised = Redirect.normalise_path(old_path)
    if normalised == "/":
        return False
    target_path = page.url if page is not None else link
    if target_path and Redirect.normalise_path(target_path) == normalised:
        return False  # the old address is the new one (/feed/, /2024/05/)
    redirect = Redirect.objects.filter(old_path=normalised, site=None).first()
    if redirect is None:
        redirect = Redirect(old_path=normalised, site=None, is_permanent=True)
    elif redirect.redirect_page_id == (page.pk if page else None) and (
        redirect.redirect_link == ("" if page else link)
    ):
        return False
    redirect.redirect_page = page
    redirect.redirect_link = "" if page else link
    redirect.is_permanent = True
    redirect.save()
    return True


def article_paths(item, publication_date):
    """Every address WordPress served a post or page at."""
    paths = [path_of(item.link)]
    if item.post_type == "page":
        paths.append(f"/?page_id={item.post_id}")
    else:
        paths.append(f"/?p={item.post_id}")
        if item.slug and publication_date is not None:
            day = publication_date
            paths.append(f"/{day:%Y}/{day:%m}/{day:%d}/{item.slug}/")
            paths.append(f"/{day:%Y}/{day:%m}/{item.slug}/")
            paths.append(f"/{day:%Y}/{day:%m}/{day:%d}/{item.slug}/feed/")
    return [path for path in paths if path]
