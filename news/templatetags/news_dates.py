"""Dates as Byline writes them, for core and plugin templates alike."""

from django import template

from ..dates import format_publication_datetime, machine_datetime

register = template.Library()


@register.filter
def reader_datetime(value):
    """`{{ when|reader_datetime }}` → '7 February 2023 at 8:04 pm' in the site's time zone."""
    return format_publication_datetime(value)


@register.filter(name="machine_datetime")
def machine_datetime_filter(value):
    """`{{ when|machine_datetime }}` → ISO 8601 to the second, for <time datetime>."""
    return machine_datetime(value)
