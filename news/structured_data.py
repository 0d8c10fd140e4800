"""schema.org structured data (JSON-LD) as plain Python dicts.

Each function returns a dict ready for `json.dumps`; `news.seo` decides which
page gets which, and the `ld_json` template filter writes them out with the
same escaping as Django's `json_script`, so no value can close the script tag.
"""

import json

from django.core.serializers.json import DjangoJSONEncoder
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from .dates import machine_datetime

SCHEMA_CONTEXT = "https://schema.org"

# The characters json_script escapes: with them gone, a string value can never
# end the <script> element or open a comment inside it.
_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def to_script_tag(data):
    """`data` as a `<script type="application/ld+json">` element, safely escaped."""
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, separators=(",", ":"))
    return format_html(
        '<script type="application/ld+json">{}</script>', mark_safe(text.translate(_SCRIPT_ESCAPES))
    )


def image_object(url, width, height):
    return {"@type": "ImageObject", "url": url, "width": width, "height": height}


def organization(*, name, url, logo):
    """The publisher: `logo` is an `(url, width, height)` triple."""
    return {
        "@type": "Organization",
        "name": name,
        "url": url,
        "logo": image_object(*logo),
    }


def person(*, name, url, same_as=(), job_title=""):
    data = {"@type": "Person", "name": name, "url": url}
    if job_title:
        data["jobTitle"] = job_title
    if same_as:
        data["sameAs"] = list(same_as)
    return data


def news_article(
    *,
    url,
    headline,
    description,
    images,
    date_published,
    date_modified,
    authors,
    publisher,
    section="",
    keywords=(),
    corrections=(),
):
    """A NewsArticle. `headline` is cut to the 110 characters search engines show."""
    data = {
        "@context": SCHEMA_CONTEXT,
        "@type": "NewsArticle",
        "mainEntityOfPage": {"@type": "WebPage", "@id": url},
        "url": url,
        "headline": headline if len(headline) <= 110 else headline[:109].rstrip() + "…",
        "description": description,
        "datePublished": machine_datetime(date_published),
        "dateModified": machine_datetime(date_modified),
        "author": list(authors),
        "publisher": publisher,
    }
    if images:
        data["image"] = list(images)
    if section:
        data["articleSection"] = section
    if keywords:
        data["keywords"] = list(keywords)
    if corrections:
        data["correction"] = list(corrections)
    return data


def correction_comment(*, text, date_published, kind="correction"):
    """A schema.org CorrectionComment: one dated note of an article's corrections log.

    schema.org has no separate type for an update that corrects nothing, so both
    kinds are CorrectionComments; ``name`` tells readers' tools which it is.
    """
    return {
        "@type": "CorrectionComment",
        "name": "Update" if kind == "update" else "Correction",
        "text": text,
        "datePublished": machine_datetime(date_published),
    }


def breadcrumb_list(crumbs):
    """A BreadcrumbList from `(name, url)` pairs, outermost first."""
    return {
        "@context": SCHEMA_CONTEXT,
        "@type": "BreadcrumbList",
        "itemListElement": [
            {"@type": "ListItem", "position": position, "name": name, "item": url}
            for position, (name, url) in enumerate(crumbs, start=1)
        ],
    }


def website(*, name, url, search_url_template, publisher):
    """The site itself, with the search action that lets engines offer a search box."""
    return {
        "@context": SCHEMA_CONTEXT,
        "@type": "WebSite",
        "name": name,
        "url": url,
        "publisher": publisher,
        "potentialAction": {
            "@type": "SearchAction",
            "target": {"@type": "EntryPoint", "urlTemplate": search_url_template},
            "query-input": "required name=search_term_string",
        },
    }


def profile_page(*, url, person_data):
    return {
        "@context": SCHEMA_CONTEXT,
        "@type": "ProfilePage",
        "url": url,
        "mainEntity": person_data,
    }
