"""RSS 2.0, Atom 1.0 and JSON Feed 1.1 for the site, each section, author and tag.

- `entries`: articles turned into format-neutral feed entries, bodies and all,
  in a fixed number of queries;
- `rss`, `atom`, `json_feed`: one generator per format, each a
  `django.utils.feedgenerator.SyndicationFeed`;
- `views`: the four scopes as `django.contrib.syndication` feeds;
- `links`: the feeds a page advertises with `<link rel="alternate">`;
- `urls`: `<scope>/feed/`, `<scope>/feed/atom/`, `<scope>/feed/json/`.
"""
