"""Every extension point is documented and tested: adding one without both fails here."""

import ast
from pathlib import Path

import pytest

from cms.plugins import EXTENSION_POINTS

ROOT = Path(__file__).resolve().parent.parent
GUIDE = (ROOT / "docs" / "plugins.md").read_text()


def _tested_extension_points():
    """Names given to @pytest.mark.extension_point(...) anywhere in the test suite."""
    names = set()
    for module in Path(__file__).parent.glob("test_*.py"):
        for node in ast.walk(ast.parse(module.read_text())):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "extension_point"
                and node.args
                and isinstance(node.args[0], ast.Constant)
            ):
                names.add(node.args[0].value)
    return names


TESTED = _tested_extension_points()


def test_there_are_extension_points_for_everything_the_contract_names():
    assert set(EXTENSION_POINTS) >= {
        "register_article_body_blocks",
        "register_api_fields",
        "register_template_slots",
        "register_comment_checks",
        "register_plugin_urls",
        "register_periodic_jobs",
        "register_api_v3_routers",
        "after_article_publish",
        "after_article_unpublish",
        "after_article_delete",
        "after_comment_create",
        "after_comment_moderate",
        "register_admin_menu_item",
        "register_setting",
    }


@pytest.mark.parametrize("name", sorted(EXTENSION_POINTS))
def test_extension_point_has_a_docstring(name):
    assert len(EXTENSION_POINTS[name].doc) > 40, f"{name} needs a docstring that explains it"


@pytest.mark.parametrize("name", sorted(EXTENSION_POINTS))
def test_extension_point_is_in_the_plugin_guide(name):
    assert f"`{name}`" in GUIDE, f"docs/plugins.md does not document {name}"


@pytest.mark.parametrize("name", sorted(EXTENSION_POINTS))
def test_extension_point_has_a_test(name):
    assert name in TESTED, f"no test is marked @pytest.mark.extension_point({name!r})"


def test_minimal_plugin_in_the_guide_is_under_30_lines():
    blocks = GUIDE.split("```")
    code = [blocks[i] for i in range(1, len(blocks), 2) if blocks[i].startswith(("toml", "python"))]
    lines = [line for block in code for line in block.splitlines()[1:] if line.strip()]
    assert 0 < len(lines) < 30


def test_minimal_plugin_from_the_guide_works(tmp_path):
    """Install the guide's plugin as a distribution on the path and ask Byline about it."""
    import os
    import subprocess
    import sys
    import tomllib

    blocks = GUIDE.split("```")
    toml_source = next(b for b in blocks if b.startswith("toml"))[len("toml") :]
    hooks_source = next(b for b in blocks if b.startswith("python"))[len("python") :]
    project = tomllib.loads(toml_source)["project"]
    entry_points = project["entry-points"]["cms.plugins"]
    ((name, module),) = entry_points.items()

    package = tmp_path / module
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "wagtail_hooks.py").write_text(hooks_source)
    dist_info = tmp_path / f"{project['name'].replace('-', '_')}-{project['version']}.dist-info"
    dist_info.mkdir()
    (dist_info / "METADATA").write_text(
        f"Metadata-Version: 2.1\nName: {project['name']}\nVersion: {project['version']}\n"
    )
    (dist_info / "entry_points.txt").write_text(f"[cms.plugins]\n{name} = {module}\n")

    env = {k: v for k, v in os.environ.items() if k != "BYLINE_DISABLED_PLUGINS"}
    env.update(DJANGO_SETTINGS_MODULE="cms.settings.test", PYTHONPATH=str(tmp_path))
    script = (
        "from news.models import ArticlePage;"
        "block = ArticlePage._meta.get_field('body').stream_block.child_blocks['shout'];"
        "print(block.render('hello'))"
    )
    run = lambda *args: subprocess.run(  # noqa: E731
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True
    )
    listing = run("plugins")
    assert "shout 0.1.0 [enabled]  shout" in listing.stdout, listing.stderr
    assert "register_article_body_blocks: 1" in listing.stdout.split("shout 0.1.0")[1]
    rendered = run("shell", "-c", script)
    assert '<p class="shout">HELLO</p>' in rendered.stdout, rendered.stderr
