"""Registries that plugins fill from their `wagtail_hooks.py`.

Each registry hands *itself* to every function registered for its hook name
(the convention of Wagtail's FeatureRegistry), so each addition passes
through a `register()` method that validates it. Registration order is
predictable: hook functions run in INSTALLED_APPS order (core apps first,
then plugins sorted by name); entries sort by `order` (default 100), then by
registration order. A hook function that raises is reported and skipped;
the other plugins' entries still load.
"""

import logging
import re
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.urls import URLPattern, URLResolver
from wagtail import hooks
from wagtail.blocks import Block

from .state import owner_name

logger = logging.getLogger("byline.plugins")

DEFAULT_ORDER = 100
BLOCK_NAME = re.compile(r"^[a-z][a-z0-9_]*$")


class PluginRegistrationError(ImproperlyConfigured):
    """A plugin tried to register something invalid or already taken."""


@dataclass(frozen=True)
class Entry:
    key: Any
    value: Any
    order: int
    owner: str
    sequence: int
    options: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Failure:
    owner: str
    hook: str
    error: str


class Registry:
    """Base class: loads its entries from the hook named `hook_name` once."""

    hook_name = ""

    def __init__(self):
        self.reset()

    def reset(self):
        self._entries = {}
        self._loaded = False
        self._owner = "core"
        self.failures = []

    def _load(self):
        if self._loaded:
            return
        self._loaded = True
        for func in hooks.get_hooks(self.hook_name):
            self._owner = owner_name(func)
            try:
                func(self)
            except Exception as exc:  # isolate the plugin, report it, keep the others
                error = f"{type(exc).__name__}: {exc}"
                self.failures.append(Failure(self._owner, self.hook_name, error))
                logger.error(
                    "Plugin %r failed in hook %r and was skipped: %s",
                    self._owner,
                    self.hook_name,
                    error,
                )
            finally:
                self._owner = "core"

    def _add(self, key, value, order=DEFAULT_ORDER, **options):
        if not isinstance(order, int) or isinstance(order, bool):
            raise PluginRegistrationError(f"order must be an integer, not {order!r}")
        if key in self._entries:
            raise PluginRegistrationError(
                f"{self.hook_name}: {key!r} is already registered by {self._entries[key].owner!r}"
            )
        self._entries[key] = Entry(key, value, order, self._owner, len(self._entries), options)

    def entries(self):
        """Every entry, sorted by order then registration order."""
        self._load()
        return sorted(self._entries.values(), key=lambda entry: (entry.order, entry.sequence))

    def contributions(self):
        """How many entries each owner (plugin name or 'core') contributed."""
        counts = {}
        for entry in self.entries():
            counts[entry.owner] = counts.get(entry.owner, 0) + 1
        return counts


class ArticleBodyBlockRegistry(Registry):
    """Hook `register_article_body_blocks`: add StreamField blocks to the article body.

    ::

        @hooks.register("register_article_body_blocks")
        def add_blocks(registry):
            registry.register("timeline", TimelineBlock())

    `name` is the block type stored in the body JSON (lower case, no leading
    underscore, not a name already taken: the news app registers the core
    blocks here first, with order 0); `block` is a block *instance*.
    The block's template gives its HTML and `get_api_representation` its
    JSON. Turning the plugin off later keeps stored blocks of its types: they
    render as nothing, are left out of the API, and survive an admin edit.
    """

    hook_name = "register_article_body_blocks"
    reserved_names = frozenset({"unavailable_block"})

    def register(self, name, block, *, order=DEFAULT_ORDER):
        if not isinstance(name, str) or not BLOCK_NAME.match(name):
            raise PluginRegistrationError(
                f"block name {name!r} must be lower-case letters, digits and underscores"
            )
        if name in self.reserved_names:
            raise PluginRegistrationError(f"block name {name!r} is reserved by the core")
        if not isinstance(block, Block):
            raise PluginRegistrationError(
                f"block {name!r} must be a wagtail Block instance, not {block!r}"
            )
        self._add(name, block, order)

    def blocks(self):
        return [(entry.key, entry.value) for entry in self.entries()]


class ApiFieldRegistry(Registry):
    """Hook `register_api_fields`: add computed fields to a page type's API output.

    ::

        @hooks.register("register_api_fields")
        def add_fields(registry):
            registry.register(ArticlePage, ComputedField("fact_checks", resolve, schema))

    `ComputedField(name, resolve, schema, prefetch=None)` is the field spec
    the core API uses for its own computed fields: `resolve(instance)` gives
    a JSON-ready value without depending on the request, `schema` (a type
    pydantic understands, e.g. a `typing_extensions.TypedDict`) describes it in the OpenAPI
    document, and the optional `prefetch(instances)` loads what a whole
    listing needs in a fixed number of queries. API v2 and v3 serialise it
    exactly like a core field. Names must not clash with the model's own.
    """

    hook_name = "register_api_fields"

    def register(self, model, api_field, *, order=DEFAULT_ORDER):
        from django.db.models import Model

        from cms.api.fields import ComputedField

        if not (isinstance(model, type) and issubclass(model, Model)):
            raise PluginRegistrationError(f"{model!r} is not a Django model class")
        if not isinstance(api_field, ComputedField):
            raise PluginRegistrationError(
                f"API field {api_field!r} must be a cms.plugins.ComputedField"
            )
        self._add((model, api_field.name), api_field, order)

    def fields_for(self, model):
        return [
            entry.value
            for entry in self.entries()
            if isinstance(model, type) and issubclass(model, entry.key[0])
        ]


# The article page is kept for every reader with its head and sidebar; the slot after
# its body is rendered for each request (cms.plugins.slots.PER_REQUEST_SLOTS).
SLOTS = {
    "head": "inside <head> of every page (meta, link and script tags)",
    "article_after_body": "after an article's body and author boxes (comments, mentions);"
    " rendered for each request",
    "article_sidebar": "beside an article (related material, notices)",
}


class TemplateSlotRegistry(Registry):
    """Hook `register_template_slots`: render HTML into named places of the pages.

    ::

        @hooks.register("register_template_slots")
        def add_slots(registry):
            registry.register("article_after_body", template="myplugin/box.html")

    Slots: `head`, `article_after_body`, `article_sidebar`. Give either a
    `template` (rendered with the page's context) or a `render(context)`
    callable returning HTML. A contribution that raises renders as nothing
    and is logged; the page is still served.
    """

    hook_name = "register_template_slots"

    def register(self, slot, *, template=None, render=None, order=DEFAULT_ORDER):
        if slot not in SLOTS:
            raise PluginRegistrationError(
                f"unknown template slot {slot!r}; slots are: {', '.join(sorted(SLOTS))}"
            )
        if (template is None) == (render is None):
            raise PluginRegistrationError("give exactly one of template= or render=")
        if template is not None and not isinstance(template, str):
            raise PluginRegistrationError(f"template must be a template name, not {template!r}")
        if render is not None and not callable(render):
            raise PluginRegistrationError(f"render must be callable, not {render!r}")
        key = (slot, template or render)
        self._add(key, template or render, order, slot=slot)

    def for_slot(self, slot):
        return [entry for entry in self.entries() if entry.options["slot"] == slot]


class CommentCheckRegistry(Registry):
    """Hook `register_comment_checks`: add a check to the comment spam pipeline.

    ::

        @hooks.register("register_comment_checks")
        def add_checks(registry):
            registry.register(NoShoutingCheck(), order=50)

    A check is an object with a unique `name` and a method
    `check(comment, request) -> CheckResult`, where `CheckResult(verdict,
    reason)` has verdict `Verdict.ACCEPT`, `Verdict.HOLD` (moderate) or
    `Verdict.SPAM`. Every check runs, in order; the strictest verdict wins
    and each verdict with its reason is stored for moderators. A check that
    raises counts as HOLD with the error as reason, so a broken filter never
    lets spam through or loses a comment.
    """

    hook_name = "register_comment_checks"

    def register(self, check, *, order=DEFAULT_ORDER):
        name = getattr(check, "name", None)
        if not isinstance(name, str) or not name:
            raise PluginRegistrationError(f"comment check {check!r} needs a non-empty `name`")
        if not callable(getattr(check, "check", None)):
            raise PluginRegistrationError(
                f"comment check {name!r} needs a check(comment, request) method"
            )
        self._add(name, check, order)

    def checks(self):
        return [entry.value for entry in self.entries()]


class UrlRegistry(Registry):
    """Hook `register_plugin_urls`: add public URL routes.

    ::

        @hooks.register("register_plugin_urls")
        def add_urls(registry):
            registry.register(path("xmlrpc/", views.xmlrpc, name="pingback_xmlrpc"))

    Routes are mounted at the site root, before Wagtail's page routing, so
    use a prefix of your own. Admin views use Wagtail's `register_admin_urls`.
    """

    hook_name = "register_plugin_urls"

    def register(self, *patterns, order=DEFAULT_ORDER):
        for pattern in patterns:
            if not isinstance(pattern, (URLPattern, URLResolver)):
                raise PluginRegistrationError(
                    f"{pattern!r} is not a URL pattern; use django.urls.path() or include()"
                )
            self._add(str(pattern.pattern), pattern, order)

    def urlpatterns(self):
        return [entry.value for entry in self.entries()]


class PeriodicJobRegistry(Registry):
    """Hook `register_periodic_jobs`: run a background task on a schedule.

    ::

        from django_tasks import task

        @task()
        def send_digest():
            ...

        @hooks.register("register_periodic_jobs")
        def add_jobs(registry):
            registry.register("send_digest", send_digest, schedule="0 7 * * *")

    `schedule` is a five-field crontab (minute hour day month weekday) in the
    newsroom's TIME_ZONE. The clock (`manage.py run_clock`) queues the task on
    the task framework when it is due, and only once per due time however many
    clocks run; a worker runs it. The task takes no arguments and must be safe
    to run twice (a clock that was down queues a missed run once when it is
    back, within a minute). Names are unique across plugins.
    """

    hook_name = "register_periodic_jobs"

    def register(self, name, task, *, schedule, order=DEFAULT_ORDER):
        from apscheduler.triggers.cron import CronTrigger
        from django_tasks.base import Task

        if not isinstance(name, str) or not BLOCK_NAME.match(name):
            raise PluginRegistrationError(
                f"periodic job name {name!r} must be lower-case letters, digits and underscores"
            )
        if not isinstance(task, Task):
            raise PluginRegistrationError(
                f"periodic job {name!r}: {task!r} is not a task; decorate it with @task()"
            )
        try:
            CronTrigger.from_crontab(schedule)
        except (TypeError, ValueError) as exc:
            raise PluginRegistrationError(
                f"periodic job {name!r}: {schedule!r} is not a five-field crontab ({exc})"
            ) from exc
        self._add(name, PeriodicJob(name, task, schedule), order)

    def jobs(self):
        return [entry.value for entry in self.entries()]


@dataclass(frozen=True)
class PeriodicJob:
    name: str
    task: Any
    schedule: str


API_V3_PREFIX = re.compile(r"^[a-z][a-z0-9_-]*$")
#: Paths of API v3 itself, beside its routers.
API_V3_OWN_PATHS = frozenset({"openapi.json", "docs"})


class ApiV3RouterRegistry(Registry):
    """Hook `register_api_v3_routers`: add routes to API v3, in its one OpenAPI document.

    ::

        from ninja import Router

        router = Router(tags=["polls"])

        @router.get("/", response=list[PollOut], operation_id="polls_list")
        def list_polls(request):
            ...

        @hooks.register("register_api_v3_routers")
        def add_routers(registry):
            registry.register("polls/", router)

    `prefix` is one path segment (lower-case letters, digits, `-`, `_`; the
    slashes are optional) that neither the core (`pages/`, `articles/`,
    `authors/`, ...) nor another plugin uses; `router` is a
    `ninja.Router` instance. It is mounted at `/api/v3/<prefix>/` on the
    core's API object, so its operations share the core's error handling
    (`application/problem+json`, bad query strings answered 400 naming the
    parameter), its token authentication
    (`wagtail.api.v3.auth.BearerTokenAuth`) and its OpenAPI document,
    where each operation's errors are documented for it: 400 always, 404
    when the path has parameters, 401 and 403 when a token is required;
    declare others with `response={403: cms.plugins.Problem}`. Give each
    operation an `operation_id` and a `url_name` starting with the prefix's
    name, so generated clients and `reverse("wagtailapi_v3:...")` stay
    unambiguous. Routers are mounted when the API's URLs are first built,
    at start-up: a prefix the core already uses is refused then and
    reported (`byline.plugins.W002`).
    """

    hook_name = "register_api_v3_routers"

    def reset(self):
        super().reset()
        # What the core API uses stays known: it is set once, when the API is built.
        self.core_prefixes = getattr(self, "core_prefixes", frozenset())

    @staticmethod
    def normalise(prefix):
        return prefix.strip("/") if isinstance(prefix, str) else prefix

    def register(self, prefix, router, *, order=DEFAULT_ORDER):
        from ninja import Router

        name = self.normalise(prefix)
        if not isinstance(name, str) or not API_V3_PREFIX.match(name):
            raise PluginRegistrationError(
                f"API v3 prefix {prefix!r} must be one path segment of lower-case letters, "
                "digits, '-' and '_', e.g. 'polls/'"
            )
        if name in self.core_prefixes or name in API_V3_OWN_PATHS:
            raise PluginRegistrationError(f"API v3 prefix {prefix!r} is used by the core")
        if not isinstance(router, Router):
            raise PluginRegistrationError(
                f"API v3 router for {prefix!r} must be a ninja.Router instance, not {router!r}"
            )
        self._add(f"{name}/", router, order)

    def routers(self):
        return [(entry.key, entry.value) for entry in self.entries()]

    def mount(self, api):
        """Add every registered router to `api`, a NinjaAPI whose URLs are not built yet.

        The prefixes `api` already uses become the core's: a plugin entry that
        claims one is skipped and reported like a failing hook.
        """
        self.core_prefixes = self.core_prefixes | _first_segments(api)
        for entry in self.entries():
            name = entry.key.rstrip("/")
            try:
                if name in self.core_prefixes:
                    raise PluginRegistrationError(
                        f"API v3 prefix {entry.key!r} is used by the core"
                    )
                api.add_router(f"/{entry.key}", entry.value)
            except Exception as exc:  # isolate the plugin, report it, keep the others
                error = f"{type(exc).__name__}: {exc}"
                self.failures.append(Failure(entry.owner, self.hook_name, error))
                logger.error(
                    "Plugin %r: API v3 router %r was not mounted: %s", entry.owner, entry.key, error
                )


def _first_segments(api):
    """The first path segments `api`'s routers answer (a router at "/" gives its own paths')."""
    segments = set()
    for prefix, router in api._routers:
        first = prefix.strip("/").split("/")[0]
        if first:
            segments.add(first)
            continue
        for path in router.path_operations:
            first = path.strip("/").split("/")[0]
            if first and not first.startswith("{"):
                segments.add(first)
    return frozenset(segments)


article_body_blocks = ArticleBodyBlockRegistry()
api_fields = ApiFieldRegistry()
template_slots = TemplateSlotRegistry()
comment_checks = CommentCheckRegistry()
plugin_urls = UrlRegistry()
periodic_jobs = PeriodicJobRegistry()
api_v3_routers = ApiV3RouterRegistry()

ALL_REGISTRIES = [
    article_body_blocks,
    api_fields,
    template_slots,
    comment_checks,
    plugin_urls,
    periodic_jobs,
    api_v3_routers,
]


def reset_registries():
    """Forget every loaded entry (tests use it after registering hooks temporarily)."""
    for registry in ALL_REGISTRIES:
        registry.reset()
