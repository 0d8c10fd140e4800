"""``/api/v2/site/``: the site data (``home.api.site``) in API v2."""

from django.urls import path
from rest_framework.response import Response
from wagtail.api.v2.views import BaseAPIViewSet

from cms.api.params import InvalidParameter
from cms.api.v2.views import PublicEndpointMixin

from .site import site_data


class SiteData:
    """What the endpoint serves: no model, so Wagtail's router never links other
    objects to it (it looks endpoints up by model class)."""


class SiteAPIViewSet(PublicEndpointMixin, BaseAPIViewSet):
    """The site's name, logo, time zone, language, address, menu, lead story and feeds."""

    name = "site"
    model = SiteData
    # The browsable API's own parameter; nothing else is understood here.
    known_query_parameters = frozenset({"format"})

    def site_view(self, request):
        for name in request.GET:
            if name not in self.known_query_parameters:
                raise InvalidParameter(name, "unknown parameter")
        return Response(site_data(request))

    @classmethod
    def get_urlpatterns(cls):
        return [path("", cls.as_view({"get": "site_view"}), name="detail")]
