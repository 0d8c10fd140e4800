from django.core.management.base import BaseCommand

from byline_comments.services import erase_expired_personal_data
from byline_comments.tasks import erase_expired_personal_data as erase_task


class Command(BaseCommand):
    help = (
        "Erase the IP address and user agent of comments older than each site's retention "
        "period (Settings > Reader comments). The clock does this every night; run it by "
        "hand to erase at once."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--enqueue",
            action="store_true",
            help="Queue the work for the task worker instead of doing it now.",
        )

    def handle(self, *args, enqueue=False, **options):
        if enqueue:
            result = erase_task.enqueue()
            self.stdout.write(f"Queued task {result.id}.")
            return
        erased = erase_expired_personal_data()
        self.stdout.write(f"Erased the IP address and user agent of {erased} comment(s).")
