"""The spam checks this plugin registers on `register_comment_checks`, in order."""

from .akismet import AkismetCheck
from .basic import (
    BlocklistCheck,
    DuplicateCheck,
    HoneypotCheck,
    LinkCountCheck,
    MinimumFillTimeCheck,
    RateLimitCheck,
)

# (check, order): cheap local checks first, the network call last.
CHECKS = [
    (HoneypotCheck(), 10),
    (MinimumFillTimeCheck(), 20),
    (BlocklistCheck(), 30),
    (LinkCountCheck(), 40),
    (DuplicateCheck(), 50),
    (RateLimitCheck(), 60),
    (AkismetCheck(), 90),
]

__all__ = [
    "CHECKS",
    "AkismetCheck",
    "BlocklistCheck",
    "DuplicateCheck",
    "HoneypotCheck",
    "LinkCountCheck",
    "MinimumFillTimeCheck",
    "RateLimitCheck",
]
