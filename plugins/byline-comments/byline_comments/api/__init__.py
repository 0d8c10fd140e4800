"""Reader comments in the API: v2 (Django REST framework) and v3 (django-ninja)."""
