"""Everything this plugin adds, through Byline's extension points only."""

from django.template.loader import render_to_string
from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from . import views
from .blocks import FactCheckBlock, FactCheckSummary, fact_check_count, fact_check_summaries
from .models import FactCheckSettings


@hooks.register("register_article_body_blocks")
def register_blocks(registry):
    registry.register("fact_check", FactCheckBlock())


@hooks.register("register_api_fields")
def register_api_fields(registry):
    from cms.plugins import ComputedField
    from news.models import ArticlePage

    registry.register(
        ArticlePage,
        ComputedField(
            "fact_checks",
            fact_check_summaries,
            list[FactCheckSummary],
            description="Claims this article rates, with their ratings.",
        ),
    )


def render_rating_scale(context):
    page = context.get("page")
    count = fact_check_count(page) if page is not None and hasattr(page, "body") else 0
    request = context.get("request")
    if not count or not FactCheckSettings.for_request(request).show_rating_scale:
        return ""
    return render_to_string("byline_factcheck/rating_scale.html", {"fact_check_count": count})


@hooks.register("register_template_slots")
def register_slots(registry):
    registry.register("article_sidebar", render=render_rating_scale)


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [path("fact-checks/", views.overview, name="factcheck_overview")]


@hooks.register("register_admin_menu_item")
def register_menu_item():
    return MenuItem(
        "Fact checks", reverse("factcheck_overview"), icon_name="tick-inverse", order=260
    )
