"""What plugins hear about the demo site, so they can show their features in it.

Core apps never import a plugin; a plugin that wants demo data (reader
comments, pingbacks, webmentions) connects a receiver to `demo_site_built`
and adds it itself, keeping what is already there.
"""

from django.dispatch import Signal

# Sent by `DemoSiteBuilder.build()` inside its transaction, after the articles
# exist. Keyword arguments: `articles` (`{slug: ArticlePage}`, the curated
# stories), `lead_slug` (the front page's lead story), `now` (the moment
# the demo's dates count back from) and `tally` (`news.demo.tally.Tally`:
# call `tally.created(kind)` / `tally.kept(kind)` for the command's summary).
demo_site_built = Signal()
