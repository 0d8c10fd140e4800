from django.core.management.base import BaseCommand

from ...tasks import prune_received_log, send_due_mentions, verify_waiting_webmentions


class Command(BaseCommand):
    help = (
        "Run the pingback and webmention periodic jobs now (the clock already runs them: "
        "sends and retries and waiting webmentions every minute, log pruning daily). "
        "A manual tool; nothing depends on running it."
    )

    def handle(self, *args, **options):
        for task in (send_due_mentions, verify_waiting_webmentions, prune_received_log):
            result = task.enqueue()
            self.stdout.write(f"{task.name}: {result.status.lower()}")
