"""Plugin discovery: entry points, disabling, ordering and failures at import."""

import os
import subprocess
import sys
import textwrap
from importlib.metadata import EntryPoint
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from cms.plugins.discovery import DISABLED, ENABLED, FAILED, discover_plugins, plugin_apps

ROOT = Path(__file__).resolve().parent.parent


def entry_point(name, value):
    return EntryPoint(name=name, value=value, group="cms.plugins")


def test_installed_example_plugin_is_discovered_and_enabled():
    plugins = {plugin.name: plugin for plugin in settings.BYLINE_PLUGINS}
    factcheck = plugins["factcheck"]
    assert factcheck.state == ENABLED
    assert factcheck.distribution == "byline-factcheck"
    assert factcheck.version == "1.0.0"
    assert "byline_factcheck" in settings.INSTALLED_APPS


def test_discovery_sorts_by_name_and_builds_installed_apps():
    plugins = discover_plugins(
        entry_points=[
            entry_point("zeta", "byline_factcheck"),
            entry_point("alpha", "byline_factcheck.apps:FactCheckConfig"),
        ]
    )
    assert [plugin.name for plugin in plugins] == ["alpha", "zeta"]
    assert plugin_apps(plugins) == ["byline_factcheck.apps.FactCheckConfig", "byline_factcheck"]


def test_disabled_plugins_are_not_loaded_or_installed():
    plugins = discover_plugins(
        disabled=["broken", " factcheck "],
        entry_points=[
            entry_point("factcheck", "byline_factcheck"),
            entry_point("broken", "module_that_does_not_exist_anywhere"),
        ],
    )
    assert {plugin.name: plugin.state for plugin in plugins} == {
        "broken": DISABLED,
        "factcheck": DISABLED,
    }
    assert plugin_apps(plugins) == []


def test_plugin_that_fails_to_import_is_reported_and_left_out(caplog):
    plugins = discover_plugins(
        entry_points=[
            entry_point("broken", "module_that_does_not_exist_anywhere"),
            entry_point("factcheck", "byline_factcheck"),
        ]
    )
    broken, factcheck = plugins
    assert broken.state == FAILED
    assert "ModuleNotFoundError" in broken.error
    assert factcheck.state == ENABLED
    assert plugin_apps(plugins) == ["byline_factcheck"]
    assert "Plugin 'broken' could not be loaded" in caplog.text


def test_entry_point_naming_something_else_than_an_app_fails_cleanly():
    (plugin,) = discover_plugins(entry_points=[entry_point("odd", "os.path:sep")])
    assert plugin.state == FAILED
    assert "must name a Django app module or AppConfig class" in plugin.error


def test_duplicate_plugin_names_keep_the_first(caplog):
    plugins = discover_plugins(
        entry_points=[entry_point("dup", "byline_factcheck"), entry_point("dup", "json")]
    )
    assert len(plugins) == 1 and plugins[0].app == "byline_factcheck"
    assert "Two packages declare the plugin 'dup'" in caplog.text


def test_plugins_command_lists_version_state_and_contributions(capsys):
    call_command("plugins")
    out = capsys.readouterr().out
    sections = {}
    for line in out.splitlines():
        if not line.startswith(" ") and "[" in line:
            current = sections.setdefault(line.split()[0], [line])
        elif line.startswith("    "):
            current.append(line.strip())
    assert sections["factcheck"] == [
        "factcheck 1.0.0 [enabled]  byline_factcheck",
        "register_article_body_blocks: 1",
        "register_api_fields: 1",
        "register_template_slots: 1",
    ]
    enabled = sum(plugin.enabled for plugin in settings.BYLINE_PLUGINS)
    assert out.rstrip().endswith(f"{len(settings.BYLINE_PLUGINS)} plugin(s): {enabled} enabled.")


def _manage(*args, extra_env=None, pythonpath=None):
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DJANGO_SETTINGS_MODULE", "BYLINE_DISABLED_PLUGINS"}
    }
    env["DJANGO_SETTINGS_MODULE"] = "cms.settings.test"
    if pythonpath:
        env["PYTHONPATH"] = os.pathsep.join([str(pythonpath), env.get("PYTHONPATH", "")])
    env.update(extra_env or {})
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture
def broken_plugin_path(tmp_path):
    """A real installed distribution whose plugin module raises on import."""
    (tmp_path / "exploding_plugin.py").write_text("raise RuntimeError('boom at import')\n")
    dist_info = tmp_path / "exploding_plugin-0.1.dist-info"
    dist_info.mkdir()
    (dist_info / "METADATA").write_text(
        "Metadata-Version: 2.1\nName: exploding-plugin\nVersion: 0.1\n"
    )
    (dist_info / "entry_points.txt").write_text(
        textwrap.dedent(
            """
            [cms.plugins]
            exploding = exploding_plugin
            """
        )
    )
    return tmp_path


def test_broken_installed_plugin_is_reported_by_check_and_site_still_starts(broken_plugin_path):
    result = _manage("check", pythonpath=broken_plugin_path)
    assert result.returncode == 0, result.stderr
    output = result.stdout + result.stderr
    assert "byline.plugins.W001" in output
    assert "Plugin 'exploding' (exploding-plugin 0.1) failed to load and is off" in output
    assert "RuntimeError: boom at import" in output
    listing = _manage("plugins", pythonpath=broken_plugin_path)
    assert "exploding 0.1 [failed]" in listing.stdout
    assert "factcheck 1.0.0 [enabled]" in listing.stdout


def test_environment_variable_disables_plugins_without_migrations():
    names = [plugin.name for plugin in settings.BYLINE_PLUGINS]
    off = {"BYLINE_DISABLED_PLUGINS": ", ".join(names)}
    listing = _manage("plugins", extra_env=off)
    for plugin in settings.BYLINE_PLUGINS:
        assert f"{plugin.name} {plugin.version} [disabled]" in listing.stdout
    assert f"{len(names)} plugin(s): 0 enabled." in listing.stdout
    for env in (off, {"BYLINE_DISABLED_PLUGINS": "factcheck"}, None):
        result = _manage("makemigrations", "--check", "--dry-run", extra_env=env)
        assert result.returncode == 0, result.stdout + result.stderr
        assert "No changes detected" in result.stdout


def test_plugin_whose_hook_module_raises_is_isolated(tmp_path):
    """A plugin that imports fine but whose wagtail_hooks.py raises half-way."""
    package = tmp_path / "halfbroken_plugin"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "wagtail_hooks.py").write_text(
        textwrap.dedent(
            """
            from wagtail import blocks, hooks

            @hooks.register("register_article_body_blocks")
            def add(registry):
                registry.register("half_block", blocks.CharBlock())

            raise ImportError("a missing dependency")
            """
        )
    )
    dist_info = tmp_path / "halfbroken_plugin-2.0.dist-info"
    dist_info.mkdir()
    (dist_info / "METADATA").write_text(
        "Metadata-Version: 2.1\nName: halfbroken-plugin\nVersion: 2.0\n"
    )
    (dist_info / "entry_points.txt").write_text("[cms.plugins]\nhalfbroken = halfbroken_plugin\n")

    result = _manage("check", pythonpath=tmp_path)
    assert result.returncode == 0, result.stderr
    output = result.stdout + result.stderr
    assert "byline.plugins.W003" in output
    assert "Plugin 'halfbroken': halfbroken_plugin.wagtail_hooks failed to import" in output
    assert "ImportError: a missing dependency" in output
    listing = _manage("plugins", pythonpath=tmp_path)
    assert "halfbroken 2.0 [enabled]" in listing.stdout
    # Its half-registered block was withdrawn; the other plugins still contribute.
    assert "half_block" not in listing.stdout
    halfbroken_section = listing.stdout.split("halfbroken 2.0")[1].split("\n", 2)[1]
    assert "register_article_body_blocks" not in halfbroken_section
    assert "factcheck 1.0.0 [enabled]" in listing.stdout
