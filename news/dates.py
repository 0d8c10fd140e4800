"""How Byline writes dates and times for readers."""

from django.utils import timezone
from django.utils.dateformat import format as date_format


def format_publication_datetime(value):
    """'7 February 2023 at 8:04 pm' in the site's time zone."""
    if value is None:
        return ""
    local = timezone.localtime(value)
    meridiem = "am" if local.hour < 12 else "pm"
    return f"{date_format(local, 'j F Y')} at {date_format(local, 'g:i')} {meridiem}"


def machine_datetime(value):
    """ISO 8601 to the second ('2023-02-07T20:04:00+00:00'), for <time datetime> and metadata.

    HTML allows at most three digits of fractions of a second, and readers'
    tools gain nothing from them.
    """
    if value is None:
        return ""
    return value.replace(microsecond=0).isoformat()
