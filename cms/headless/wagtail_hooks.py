from wagtail.contrib.settings.models import register_setting

from .models import HeadlessSettings

# Settings → Headless frontends. Registered here rather than with the decorator
# in models.py: admin wiring lives in wagtail_hooks.py (register_setting adds
# a settings menu hook).
register_setting(HeadlessSettings, icon="globe")
