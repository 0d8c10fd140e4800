"""Each extension point of cms.plugins: what it accepts, rejects, orders and survives."""

import contextlib
import importlib
import logging

import pytest
from bs4 import BeautifulSoup
from django.conf import settings
from django.core import checks
from django.http import HttpResponse
from django.urls import clear_url_caches, path
from django.utils.html import format_html
from wagtail import blocks
from wagtail.admin.menu import MenuItem, admin_menu

from cms.plugins import CheckResult, PluginRegistrationError, Verdict, emit, run_comment_checks
from cms.plugins.registries import (
    article_body_blocks,
    comment_checks,
    plugin_urls,
    template_slots,
)
from news.models import ArticlePage
from tests.factories import make_article
from tests.plugin_support import as_plugin_module, plugin_switched_off, temporary_hooks


class CalloutBlock(blocks.StructBlock):
    text = blocks.CharBlock()

    class Meta:
        template = None

    def render_basic(self, value, context=None):
        return format_html('<p class="callout">{}</p>', value["text"])

    def get_api_representation(self, value, context=None):
        return {"text": value["text"], "kind": "callout"}


# register_article_body_blocks --------------------------------------------------


@pytest.mark.extension_point("register_article_body_blocks")
@pytest.mark.django_db
def test_body_block_from_a_hook_is_part_of_the_article_body(client):
    def add(registry):
        registry.register("callout", CalloutBlock())

    with temporary_hooks(("register_article_body_blocks", add)):
        body_block = ArticlePage._meta.get_field("body").stream_block
        assert "callout" in body_block.child_blocks
        article = make_article(title="Callout story", body=[("callout", {"text": "Mind the gap"})])
        html = client.get(article.url).content.decode()
        assert '<p class="callout">Mind the gap</p>' in html
        api = body_block.get_api_representation(article.body)
        assert api[0]["type"] == "callout"
        assert api[0]["value"] == {"text": "Mind the gap", "kind": "callout"}


@pytest.mark.extension_point("register_article_body_blocks")
@pytest.mark.parametrize(
    ("name", "block", "message"),
    [
        ("Bad Name", CalloutBlock(), "lower-case letters"),
        ("paragraph", CalloutBlock(), "already registered by 'core'"),
        ("unavailable_block", CalloutBlock(), "reserved by the core"),
        ("callout", CalloutBlock, "must be a wagtail Block instance"),
        ("callout", "not a block", "must be a wagtail Block instance"),
    ],
)
def test_body_block_registry_rejects_bad_registrations(name, block, message):
    errors = []

    def add(registry):
        try:
            registry.register(name, block)
        except PluginRegistrationError as exc:
            errors.append(str(exc))
            raise

    with temporary_hooks(("register_article_body_blocks", add)):
        names = [name for name, _ in article_body_blocks.blocks()]
        assert "callout" not in names or name != "callout"
        assert errors and message in errors[0]
        assert article_body_blocks.failures[0].hook == "register_article_body_blocks"


@pytest.mark.extension_point("register_article_body_blocks")
def test_duplicate_block_name_is_rejected_and_reported_without_losing_the_first():
    first = as_plugin_module(lambda registry: registry.register("callout", CalloutBlock()))
    second = lambda registry: registry.register("callout", CalloutBlock())  # noqa: E731

    with temporary_hooks(
        ("register_article_body_blocks", first), ("register_article_body_blocks", second)
    ):
        names = [name for name, _ in article_body_blocks.blocks()]
        assert names.count("callout") == 1
        assert "fact_check" in names  # the installed plugin is unaffected
        (failure,) = [f for f in article_body_blocks.failures if "callout" in f.error]
        assert "'callout' is already registered by 'factcheck'" in failure.error


@pytest.mark.extension_point("register_article_body_blocks")
def test_hook_that_raises_is_isolated_and_reported_by_system_check(caplog):
    def explode(registry):
        raise RuntimeError("plugin bug")

    as_plugin_module(explode)
    with temporary_hooks(("register_article_body_blocks", explode)):
        names = [name for name, _ in article_body_blocks.blocks()]
        assert "fact_check" in names
        messages = checks.run_checks(tags=["byline"])
        (warning,) = [m for m in messages if m.id == "byline.plugins.W002"]
        assert "Plugin 'factcheck' failed in hook 'register_article_body_blocks'" in warning.msg
        assert "RuntimeError: plugin bug" in warning.msg
    assert "failed in hook 'register_article_body_blocks'" in caplog.text


@pytest.mark.extension_point("register_article_body_blocks")
def test_blocks_follow_order_then_registration_order():
    def add(registry):
        registry.register("late", CalloutBlock(), order=500)
        registry.register("early", CalloutBlock(), order=1)
        registry.register("middle_a", CalloutBlock())
        registry.register("middle_b", CalloutBlock())

    with temporary_hooks(("register_article_body_blocks", add)):
        names = [name for name, _ in article_body_blocks.blocks()]
        assert names.index("early") < names.index("middle_a") < names.index("middle_b")
        assert names[-1] == "late"
        body_names = list(ArticlePage._meta.get_field("body").stream_block.child_blocks)
        assert body_names[:2] == ["paragraph", "heading"]
        assert body_names[-1] == "unavailable_block"


# register_template_slots ------------------------------------------------------------


@pytest.mark.extension_point("register_template_slots")
@pytest.mark.django_db
def test_slots_render_in_their_places_in_order_and_a_failing_one_is_skipped(client, caplog):
    def add(registry):
        registry.register("article_after_body", render=lambda ctx: '<p id="second">2</p>')
        registry.register(
            "article_after_body",
            render=lambda ctx: f'<p id="first">{ctx["page"].title}</p>',
            order=1,
        )
        registry.register("head", render=lambda ctx: '<meta name="plugin-head" content="yes">')
        registry.register("article_sidebar", render=lambda ctx: '<p id="side">side</p>')

    def broken(registry):
        def fail(ctx):
            raise ValueError("slot bug")

        registry.register("article_after_body", render=fail, order=0)

    with temporary_hooks(("register_template_slots", add), ("register_template_slots", broken)):
        article = make_article(title="Slots story")
        response = client.get(article.url)
        assert response.status_code == 200
        soup = BeautifulSoup(response.content, "html.parser")
        after = soup.select_one("#after-article")
        ours = [p["id"] for p in after.select("p[id]") if p["id"] in {"first", "second"}]
        assert ours == ["first", "second"]
        assert after.select_one("#first").text == "Slots story"
        assert soup.head.select_one('meta[name="plugin-head"]')["content"] == "yes"
        assert soup.select_one("aside.article__sidebar #side").text == "side"
    assert "failed to render slot 'article_after_body'" in caplog.text


@pytest.mark.extension_point("register_template_slots")
@pytest.mark.django_db
def test_the_slot_after_the_body_is_rendered_for_each_request_the_others_kept(client):
    """The article page is kept for every reader with its head and sidebar; the slot
    after its body is rendered for each request (cms.plugins.slots.PER_REQUEST_SLOTS)."""
    calls = {"after": 0, "side": 0}

    def count(slot, tag):
        def render(ctx):
            calls[slot] += 1
            return f'<p id="{slot}-count">{calls[slot]}</p>' if tag else ""

        return render

    def add(registry):
        registry.register("article_after_body", render=count("after", True))
        registry.register("article_sidebar", render=count("side", True))

    with temporary_hooks(("register_template_slots", add)):
        article = make_article(title="Counted story")
        seen = []
        for _ in range(3):
            soup = BeautifulSoup(client.get(article.url).content, "html.parser")
            seen.append((soup.select_one("#after-count").text, soup.select_one("#side-count").text))
    assert seen == [("1", "1"), ("2", "1"), ("3", "1")]
    assert "byline-kept-" not in str(soup)


@pytest.mark.extension_point("register_template_slots")
@pytest.mark.django_db
def test_slot_template_contribution_gets_the_page_context(client, tmp_path, settings):
    templates = tmp_path / "templates" / "slotplugin"
    templates.mkdir(parents=True)
    (templates / "note.html").write_text('<p class="note">About {{ page.title }}</p>')
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [*settings.TEMPLATES[0]["DIRS"], tmp_path / "templates"]}
    ]

    with temporary_hooks(
        (
            "register_template_slots",
            lambda registry: registry.register(
                "article_after_body", template="slotplugin/note.html"
            ),
        )
    ):
        article = make_article(title="Template slot")
        soup = BeautifulSoup(client.get(article.url).content, "html.parser")
        assert soup.select_one("#after-article p.note").text == "About Template slot"


@pytest.mark.extension_point("register_template_slots")
@pytest.mark.parametrize(
    ("args", "kwargs", "message"),
    [
        (("footer",), {"render": str}, "unknown template slot 'footer'"),
        (("head",), {}, "exactly one of template= or render="),
        (("head",), {"render": "x", "template": "y"}, "exactly one of template= or render="),
        (("head",), {"render": 42}, "render must be callable"),
        (("head",), {"render": str, "order": "1"}, "order must be an integer"),
    ],
)
def test_slot_registry_rejects_bad_registrations(args, kwargs, message):
    with temporary_hooks(
        ("register_template_slots", lambda registry: registry.register(*args, **kwargs))
    ):
        template_slots.entries()
        assert any(message in failure.error for failure in template_slots.failures)


# register_comment_checks -----------------------------------------------------------


def only_test_checks():
    """Switch off installed plugins that add comment checks, so only the test's own run."""
    stack = contextlib.ExitStack()
    for plugin in settings.BYLINE_PLUGINS:
        if plugin.enabled:
            stack.enter_context(plugin_switched_off(plugin.name))
    return stack


class FixedCheck:
    def __init__(self, name, verdict, reason=""):
        self.name, self.verdict, self.reason = name, verdict, reason
        self.seen = []

    def check(self, comment, request):
        self.seen.append(comment)
        return CheckResult(self.verdict, self.reason)


@pytest.mark.extension_point("register_comment_checks")
def test_comment_checks_run_in_order_and_the_strictest_verdict_wins():
    accept = FixedCheck("accept-all", Verdict.ACCEPT, "looks fine")
    spam = FixedCheck("spammy-words", Verdict.SPAM, "contains 'cheap pills'")
    hold = FixedCheck("first-time", Verdict.HOLD, "first comment")

    def add(registry):
        registry.register(spam, order=200)
        registry.register(accept, order=10)
        registry.register(hold)

    with only_test_checks(), temporary_hooks(("register_comment_checks", add)):
        verdict, outcomes = run_comment_checks("a comment")
    assert verdict is Verdict.SPAM
    assert [o.check for o in outcomes] == ["accept-all", "first-time", "spammy-words"]
    assert outcomes[2].as_dict() == {
        "check": "spammy-words",
        "verdict": "spam",
        "reason": "contains 'cheap pills'",
    }
    assert accept.seen == hold.seen == spam.seen == ["a comment"]


@pytest.mark.extension_point("register_comment_checks")
def test_a_failing_check_holds_the_comment_instead_of_passing_it():
    class Broken:
        name = "broken"

        def check(self, comment, request):
            raise ConnectionError("service down")

    class WrongReturn:
        name = "wrong-return"

        def check(self, comment, request):
            return "spam"

    def add(registry):
        registry.register(FixedCheck("ok", Verdict.ACCEPT))
        registry.register(Broken())
        registry.register(WrongReturn())

    with only_test_checks(), temporary_hooks(("register_comment_checks", add)):
        verdict, outcomes = run_comment_checks("text")
    assert verdict is Verdict.HOLD
    assert outcomes[1].reason == "check failed: ConnectionError: service down"
    assert "instead of a CheckResult" in outcomes[2].reason


@pytest.mark.extension_point("register_comment_checks")
def test_comment_check_registry_rejects_nameless_duplicate_and_methodless_checks():
    class NoMethod:
        name = "no-method"

    def add(registry):
        for check in (object(), NoMethod(), FixedCheck("dup", Verdict.ACCEPT)):
            with contextlib.suppress(PluginRegistrationError):
                registry.register(check)
        registry.register(FixedCheck("dup", Verdict.SPAM))

    with only_test_checks(), temporary_hooks(("register_comment_checks", add)):
        assert [check.name for check in comment_checks.checks()] == ["dup"]
        assert "'dup' is already registered" in comment_checks.failures[0].error
    with pytest.raises(TypeError):
        CheckResult("spam", "verdict must be an enum member")


# events ---------------------------------------------------------------------------


@pytest.mark.extension_point("after_article_publish")
@pytest.mark.extension_point("after_article_unpublish")
@pytest.mark.extension_point("after_article_delete")
@pytest.mark.django_db
def test_article_events_reach_listeners_and_a_failing_listener_does_not_stop_others(
    django_capture_on_commit_callbacks, caplog
):
    received = []

    def broken(article, **kwargs):
        raise RuntimeError("listener bug")

    listeners = [
        ("after_article_publish", broken),
        ("after_article_publish", lambda article, **kw: received.append(("pub", article.title))),
        ("after_article_unpublish", lambda article, **kw: received.append(("unpub", article.pk))),
        ("after_article_delete", lambda article, **kw: received.append(("del", article.title))),
    ]
    with temporary_hooks(*listeners):
        with django_capture_on_commit_callbacks(execute=True):
            article = make_article(title="Evented")
        assert ("pub", "Evented") in received
        with django_capture_on_commit_callbacks(execute=True):
            article.unpublish()
        assert ("unpub", article.pk) in received
        with django_capture_on_commit_callbacks(execute=True):
            article.delete()
        assert received[-1] == ("del", "Evented")
    assert "failed while handling 'after_article_publish'" in caplog.text


@pytest.mark.extension_point("after_comment_create")
@pytest.mark.extension_point("after_comment_moderate")
@pytest.mark.django_db
def test_comment_events_are_delivered_after_commit(django_capture_on_commit_callbacks):
    received = []
    with temporary_hooks(
        (
            "after_comment_create",
            lambda comment, verdict, **kw: received.append((comment, verdict)),
        ),
        ("after_comment_moderate", lambda comment, old_status, **kw: received.append(old_status)),
    ):
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            emit("after_comment_create", comment="c1", verdict=Verdict.HOLD)
            emit("after_comment_moderate", comment="c1", old_status="pending")
        assert received == []  # nothing before the commit
        for callback in callbacks:
            callback()
    assert received == [("c1", Verdict.HOLD), "pending"]
    with pytest.raises(ValueError, match="unknown event 'after_lunch'"):
        emit("after_lunch")


# register_plugin_urls -----------------------------------------------------------


@pytest.mark.extension_point("register_plugin_urls")
@pytest.mark.django_db
def test_plugin_urls_are_served_before_page_routing(client):
    import cms.urls

    def hello(request):
        return HttpResponse("hello from a plugin", content_type="text/plain")

    def add(registry):
        registry.register(path("plugin-hello/", hello, name="plugin_hello"))

    try:
        with temporary_hooks(("register_plugin_urls", add)):
            importlib.reload(cms.urls)
            clear_url_caches()
            response = client.get("/plugin-hello/")
            assert response.content == b"hello from a plugin"
            with pytest.raises(PluginRegistrationError, match="is not a URL pattern"):
                plugin_urls.register("/not-a-pattern/")
    finally:
        importlib.reload(cms.urls)
        clear_url_caches()
    assert client.get("/plugin-hello/").status_code == 404


# register_api_v3_routers --------------------------------------------------------


def polls_router():
    from ninja import Router

    router = Router(tags=["polls"])

    @router.get("/{poll_id}/", response=dict, operation_id="polls_detail", url_name="polls_detail")
    def poll(request, poll_id: int):
        return {"id": poll_id, "question": "Tea or coffee?"}

    return router


@contextlib.contextmanager
def served(api, settings):
    """Serve `api` at /api/v3/ as the whole URLconf, for one block."""
    import sys
    import types

    urlconf = types.ModuleType("plugin_api_v3_urls")
    urlconf.urlpatterns = [path("api/v3/", api.urls)]
    sys.modules[urlconf.__name__] = urlconf
    settings.ROOT_URLCONF = urlconf.__name__
    try:
        yield
    finally:
        del sys.modules[urlconf.__name__]


@pytest.fixture
def fresh_core_prefixes():
    # A test API's prefixes join the registry's known core prefixes: forget them after.
    from cms.plugins.registries import api_v3_routers

    known = api_v3_routers.core_prefixes
    yield
    api_v3_routers.core_prefixes = known


@pytest.mark.extension_point("register_api_v3_routers")
@pytest.mark.django_db
def test_api_v3_router_joins_the_api_and_its_document(client, settings, fresh_core_prefixes):
    from cms.api.v3.api import build_api

    router = polls_router()
    api = build_api(title="Test API", version="1")

    def add(registry):
        registry.register("polls/", router)

    with temporary_hooks(("register_api_v3_routers", add)), served(api, settings):
        assert client.get("/api/v3/polls/7/").json() == {"id": 7, "question": "Tea or coffee?"}
        refused = client.get("/api/v3/polls/seven/")
        assert refused.status_code == 400
        assert refused["Content-Type"] == "application/problem+json"
        assert "poll_id" in refused.json()["detail"]
        assert client.get("/api/v3/polls/7/?q=%00").status_code == 400  # the core's checks
        document = client.get("/api/v3/openapi.json").json()
    operation = document["paths"]["/api/v3/polls/{poll_id}/"]["get"]
    assert set(operation["responses"]) == {"200", "400", "404"}
    assert operation["tags"] == ["polls"]
    assert "/api/v3/comments/" in document["paths"]  # the installed plugin's router too


@pytest.mark.extension_point("register_api_v3_routers")
@pytest.mark.parametrize(
    ("prefix", "router", "message"),
    [
        ("pages/", "router", "is used by the core"),
        ("openapi.json", "router", "one path segment"),
        ("docs", "router", "is used by the core"),
        ("Polls", "router", "one path segment"),
        ("polls/v2/", "router", "one path segment"),
        ("polls/", "not a router", "must be a ninja.Router instance"),
        ("comments/", "router", "'comments/' is already registered by 'comments'"),
    ],
)
def test_api_v3_router_registry_rejects_bad_registrations(prefix, router, message):
    from cms.api.v3 import api
    from cms.plugins.registries import api_v3_routers

    api.urls  # noqa: B018 - the core API is built, so its prefixes are known
    router = polls_router() if router == "router" else router

    def add(registry):
        registry.register(prefix, router)

    with temporary_hooks(("register_api_v3_routers", add)):
        assert [key for key, _ in api_v3_routers.routers()] == ["comments/"]
        (failure,) = api_v3_routers.failures
        assert message in failure.error


@pytest.mark.extension_point("register_api_v3_routers")
@pytest.mark.django_db
def test_api_v3_router_on_a_prefix_the_core_took_later_is_skipped_and_reported(
    client, settings, fresh_core_prefixes
):
    from ninja import Router

    from cms.api.v3.api import build_api
    from cms.plugins.registries import api_v3_routers

    api = build_api(title="Test API", version="1")
    api.add_router("/quizzes/", Router())
    add = as_plugin_module(lambda registry: registry.register("quizzes/", polls_router()))
    with temporary_hooks(("register_api_v3_routers", add)):
        api_v3_routers.entries()  # registered while "quizzes" was still free
        with served(api, settings):
            paths = client.get("/api/v3/openapi.json").json()["paths"]
            assert "/api/v3/quizzes/{poll_id}/" not in paths
            assert "/api/v3/comments/" in paths  # the other plugin is unaffected
        (failure,) = api_v3_routers.failures
        assert failure.owner == "factcheck"
        assert "'quizzes/' is used by the core" in failure.error
        messages = checks.run_checks(tags=["byline"])
        assert any(m.id == "byline.plugins.W002" and "quizzes" in m.msg for m in messages)


# Wagtail's own: admin menu items and settings ------------------------------------


@pytest.mark.extension_point("register_admin_menu_item")
@pytest.mark.extension_point("register_setting")
@pytest.mark.django_db
def test_plugin_admin_menu_item_and_settings_page_appear_in_the_admin(admin_client):
    dashboard = admin_client.get("/admin/").content.decode()
    assert "/admin/fact-checks/" in dashboard
    overview = admin_client.get("/admin/fact-checks/")
    assert overview.status_code == 200
    assert "No recent article rates a claim yet" in overview.content.decode()
    settings_page = admin_client.get("/admin/settings/byline_factcheck/factchecksettings/")
    assert settings_page.status_code in (200, 302)
    if settings_page.status_code == 302:
        settings_page = admin_client.get(settings_page["Location"])
    assert "show_rating_scale" in settings_page.content.decode()
    assert isinstance(
        next(i for i in admin_menu.registered_menu_items if i.label == "Fact checks"), MenuItem
    )


def test_logging_configuration_names_the_plugin_logger():
    assert logging.getLogger("byline.plugins").getEffectiveLevel() <= logging.ERROR


@pytest.mark.extension_point("register_template_slots")
@pytest.mark.django_db
def test_the_per_request_slot_gets_what_the_context_processors_add(client):
    def add(registry):
        registry.register(
            "article_after_body",
            render=lambda ctx: f'<p id="ctx">{ctx["site_name"]}|{ctx["user"].is_anonymous}</p>',
        )

    with temporary_hooks(("register_template_slots", add)):
        article = make_article(title="Context story")
        for _ in range(2):  # made, then kept
            soup = BeautifulSoup(client.get(article.url).content, "html.parser")
            assert soup.select_one("#ctx").text == "The Byline Courier|True"
