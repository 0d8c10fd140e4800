"""What an outbound request may do: which addresses it may reach, how long and how much.

Each caller (a plugin, a core feature) owns its limits, usually as settings
under its own prefix, and hands a `Limits` to every `fetch`. Building the
`Limits` from settings on each call (`Limits.from_settings`) keeps
`override_settings` working in tests.
"""

from dataclasses import dataclass

from django.conf import settings

# The kinds of address a caller may allow. Private, link-local, shared,
# reserved, multicast and unspecified addresses can never be allowed: nothing
# a stranger (or an editor's typo) names should make this server talk to the
# network it sits in.
ADDRESS_KINDS = frozenset({"global", "loopback"})

# Setting-name suffixes and the Limits field each one fills.
SETTING_SUFFIXES = {
    "ALLOWED_ADDRESSES": "allowed_addresses",
    "CONNECT_TIMEOUT": "connect_timeout",
    "READ_TIMEOUT": "read_timeout",
    "TOTAL_TIMEOUT": "total_timeout",
    "MAX_BYTES": "max_bytes",
    "MAX_REDIRECTS": "max_redirects",
    "USER_AGENT": "user_agent",
}


@dataclass(frozen=True)
class Limits:
    # "global" (the public internet) and/or "loopback" (this machine: tests and
    # local development).
    allowed_addresses: frozenset = frozenset({"global"})
    connect_timeout: float = 3.0  # seconds to connect
    read_timeout: float = 5.0  # seconds between two reads
    total_timeout: float = 10.0  # seconds for everything: DNS, connect, headers, body, redirects
    max_bytes: int = 1024 * 1024  # of the (decompressed) body
    max_redirects: int = 3
    user_agent: str = "Byline"
    # The setting an operator changes to allow more address kinds, named in refusals.
    allowed_addresses_setting: str = ""

    def __post_init__(self):
        object.__setattr__(self, "allowed_addresses", frozenset(self.allowed_addresses))

    @classmethod
    def from_settings(cls, prefix, defaults=None):
        """Limits from the settings `<prefix>_ALLOWED_ADDRESSES`, `<prefix>_CONNECT_TIMEOUT`, ...

        A setting that is not set takes its value from `defaults` (a dict keyed
        by full setting name), else the field's default.
        """
        defaults = defaults or {}
        values = {"allowed_addresses_setting": f"{prefix}_ALLOWED_ADDRESSES"}
        for suffix, field_name in SETTING_SUFFIXES.items():
            name = f"{prefix}_{suffix}"
            fallback = defaults.get(name, getattr(cls, field_name))
            values[field_name] = getattr(settings, name, fallback)
        return cls(**values)
