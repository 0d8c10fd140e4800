"""The site as a whole in the content API: ``/api/v2/site/`` and ``/api/v3/site/``."""
