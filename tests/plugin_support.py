"""Helpers for plugin tests: registering hooks for one test, simulating a disabled plugin."""

import contextlib

from wagtail import hooks

from cms.plugins.registries import reset_registries
from cms.plugins.state import owner_name
from news.fields import refresh_article_body


def reload_extension_points():
    reset_registries()
    refresh_article_body()


@contextlib.contextmanager
def temporary_hooks(*registrations):
    """Register (hook_name, fn[, order]) pairs for the duration of a block."""
    pairs = [(name, fn) for name, fn, *_ in registrations]
    orders = [rest[0] if rest else 0 for _, _, *rest in registrations]
    for (name, fn), order in zip(pairs, orders, strict=True):
        hooks.register(name, fn, order=order)
    reload_extension_points()
    try:
        yield
    finally:
        for name, fn in pairs:
            hooks._hooks[name] = [entry for entry in hooks._hooks[name] if entry[0] is not fn]
        reload_extension_points()


@contextlib.contextmanager
def plugin_switched_off(plugin_name):
    """Make every hook of `plugin_name` disappear, as if the plugin were not installed."""
    hooks.search_for_hooks()
    removed = {}
    for name, entries in hooks._hooks.items():
        removed[name] = [entry for entry in entries if owner_name(entry[0]) == plugin_name]
        hooks._hooks[name] = [entry for entry in entries if owner_name(entry[0]) != plugin_name]
    reload_extension_points()
    try:
        yield
    finally:
        for name, entries in removed.items():
            hooks._hooks[name].extend(entries)
        reload_extension_points()


def as_plugin_module(fn, module="byline_factcheck.wagtail_hooks"):
    """Make `fn` look like it was written in a plugin's module (for owner attribution)."""
    fn.__module__ = module
    return fn
