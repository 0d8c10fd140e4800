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
