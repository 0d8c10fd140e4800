from django.core.management.base import BaseCommand

from ...tasks import prune_received_log, requeue_stale_webmentions, send_due_mentions


class Command(BaseCommand):
    help = (
        "Pingbacks and webmentions upkeep (run from cron every few minutes): resend due "
        "retries, queue again verifications and sends a dead worker lost, and delete "
        "old received-mention log entries."
    )

    def handle(self, *args, **options):
        for task in (send_due_mentions, requeue_stale_webmentions, prune_received_log):
            result = task.enqueue()
            self.stdout.write(f"{task.name}: queued ({result.status.lower()})")
