"""The site's URLs plus ``/bench/floor/``: the cheapest Django answer, the benchmark's floor."""

from django.http import HttpResponse
from django.urls import path

from cms.urls import handler500
from cms.urls import urlpatterns as site_urlpatterns

__all__ = ["handler500", "urlpatterns"]


def floor(request):
    return HttpResponse(b"ok", content_type="text/plain")


urlpatterns = [path("bench/floor/", floor, name="bench_floor"), *site_urlpatterns]
