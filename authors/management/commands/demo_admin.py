"""Create the demo admin account if it is missing and print how to sign in.

An existing account is left exactly as it is: `make run` runs this every time,
and a password the editor set in the admin must survive it.
"""

import secrets
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse

from cms.public_address import public_url

CREDENTIALS_FILE = Path(settings.BASE_DIR) / ".demo-admin"

# Wagtail's account page saves all its panels in one form, and its name panel
# requires both names: without them the editor cannot even change the password.
DEMO_FIRST_NAME = "Demo"
DEMO_LAST_NAME = "Editor"


class Command(BaseCommand):
    help = (
        "Create a demo superuser (username 'admin' by default) if there is none and print its "
        "credentials; an existing account is never changed."
    )

    def add_arguments(self, parser):
        parser.add_argument("--username", default="admin")
        parser.add_argument("--email", default="admin@example.com")

    def handle(self, *args, username, email, **options):
        if not settings.DEBUG:
            # A known password on a production site is a hole; the dev settings are for demos.
            raise CommandError(
                "demo_admin only runs with DEBUG on (the dev settings). "
                "On a real site use `manage.py createsuperuser`."
            )
        User = get_user_model()
        admin_link = public_url(reverse("wagtailadmin_home"))
        if User.objects.filter(username=username).exists():
            self.stdout.write(self.style.SUCCESS(f"Demo admin account '{username}' exists:"))
            self.stdout.write(f"  admin:    {admin_link}")
            self.stdout.write(f"  username: {username}")
            self.stdout.write(
                "  password: unchanged (the one printed when it was created, or the one you set "
                f"since). To set a new one: python manage.py changepassword {username}"
            )
            return
        password = secrets.token_urlsafe(12)
        User.objects.create_superuser(
            username=username,
            email=email,
            password=password,
            first_name=DEMO_FIRST_NAME,
            last_name=DEMO_LAST_NAME,
        )
        CREDENTIALS_FILE.write_text(f"{username}\n{password}\n")
        CREDENTIALS_FILE.chmod(0o600)
        self.stdout.write(self.style.SUCCESS("Demo admin account created:"))
        self.stdout.write(f"  admin:    {admin_link}")
        self.stdout.write(f"  username: {username}")
        self.stdout.write(f"  password: {password}")
        self.stdout.write(f"  (also written to {CREDENTIALS_FILE.name}, readable only by you)")
