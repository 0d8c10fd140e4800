"""``/api/v3/site/``: the site data (``home.api.site``) in API v3, typed for OpenAPI."""

from ninja import Router

from cms.api.v3.schemas import reject_unknown_parameters

from .site import SiteAPIValue, site_data

router = Router(tags=["site"])


@router.get(
    "/",
    response=SiteAPIValue,
    url_name="site",
    summary="Site data",
    description="The site's name, logo, newsroom time zone and language, public address, "
    "menu sections, the front page's tagline and lead story, and the site-wide feeds: what "
    "every server-rendered page shows. Public; no token needed.",
    operation_id="site_detail",
)
def get_site(request):
    reject_unknown_parameters(request)
    return site_data(request)
