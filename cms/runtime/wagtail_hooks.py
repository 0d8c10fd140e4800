from wagtail import hooks

from . import tasks


@hooks.register("register_periodic_jobs")
def register_core_jobs(registry):
    # Go-live and expiry take effect at read time; this makes the admin and
    # Wagtail's own state (live, signals, mentions) follow within a minute.
    registry.register("publish_scheduled", tasks.publish_scheduled, schedule="* * * * *")
    registry.register("requeue_orphaned_tasks", tasks.requeue_orphaned_tasks, schedule="* * * * *")
    registry.register("prune_runtime_records", tasks.prune_runtime_records, schedule="40 4 * * *")
