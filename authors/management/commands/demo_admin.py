"""Create (or refresh) the demo admin account and print how to sign in."""

import secrets
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse

from cms.public_address import public_url

CREDENTIALS_FILE = Path(settings.BASE_DIR) / ".demo-admin"


class Command(BaseCommand):
    help = "Create a demo superuser (username 'admin' by default) and print its credentials."

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
        password = self._stored_password(username)
        user = User.objects.filter(username=username).first()
        if user is None:
            password = password or secrets.token_urlsafe(12)
            User.objects.create_superuser(username=username, email=email, password=password)
            state = "created"
        elif password and user.check_password(password):
            state = "kept"
        else:
            password = secrets.token_urlsafe(12)
            user.set_password(password)
            user.save(update_fields=["password"])
            state = "password reset"
        CREDENTIALS_FILE.write_text(f"{username}\n{password}\n")
        CREDENTIALS_FILE.chmod(0o600)
        self.stdout.write(self.style.SUCCESS(f"Demo admin account ({state}):"))
        self.stdout.write(f"  admin:    {public_url(reverse('wagtailadmin_home'))}")
        self.stdout.write(f"  username: {username}")
        self.stdout.write(f"  password: {password}")

    def _stored_password(self, username):
        try:
            stored_username, password = CREDENTIALS_FILE.read_text().split("\n")[:2]
        except (FileNotFoundError, ValueError):
            return None
        return password if stored_username == username else None
