"""`python manage.py plugins`: what plugins are installed and what they add."""

from django.core.management.base import BaseCommand

from ...registries import ALL_REGISTRIES
from ...state import discovered_plugins


class Command(BaseCommand):
    help = "List discovered plugins with their version, state and contributions."

    def handle(self, *args, **options):
        plugins = discovered_plugins()
        if not plugins:
            self.stdout.write(
                "No plugins installed. Install a package that declares an entry point in "
                "group 'cms.plugins' (see docs/plugins.md)."
            )
            return
        contributions = {}
        failures = {}
        for registry in ALL_REGISTRIES:
            for owner, count in registry.contributions().items():
                contributions.setdefault(owner, []).append(f"{registry.hook_name}: {count}")
            for failure in registry.failures:
                failures.setdefault(failure.owner, []).append(f"{failure.hook}: {failure.error}")
        for plugin in plugins:
            style = {"enabled": self.style.SUCCESS, "failed": self.style.ERROR}.get(
                plugin.state, self.style.WARNING
            )
            version = plugin.version or "?"
            self.stdout.write(f"{plugin.name} {version} [{style(plugin.state)}]  {plugin.app}")
            if plugin.error:
                self.stdout.write(f"    error: {plugin.error}")
            for line in contributions.get(plugin.name, []):
                self.stdout.write(f"    {line}")
            for line in failures.get(plugin.name, []):
                self.stdout.write(self.style.ERROR(f"    failed {line}"))
        enabled = sum(plugin.enabled for plugin in plugins)
        self.stdout.write(f"{len(plugins)} plugin(s): {enabled} enabled.")
