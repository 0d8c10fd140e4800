"""Verdicts of the comment spam pipeline, and the pipeline runner."""

import enum
import logging
from dataclasses import dataclass

from .registries import comment_checks

logger = logging.getLogger("byline.plugins")


class Verdict(enum.IntEnum):
    """What a check thinks of a comment; a higher value is stricter."""

    ACCEPT = 0
    HOLD = 1
    SPAM = 2


@dataclass(frozen=True)
class CheckResult:
    verdict: Verdict
    reason: str = ""

    def __post_init__(self):
        if not isinstance(self.verdict, Verdict):
            raise TypeError(f"verdict must be a Verdict, not {self.verdict!r}")


@dataclass(frozen=True)
class CheckOutcome:
    """One check's result on one comment, as stored for moderators."""

    check: str
    verdict: Verdict
    reason: str

    def as_dict(self):
        return {"check": self.check, "verdict": self.verdict.name.lower(), "reason": self.reason}


def run_comment_checks(comment, request=None):
    """Run every registered check; return (strictest verdict, outcomes in order)."""
    outcomes = []
    for check in comment_checks.checks():
        try:
            result = check.check(comment, request)
            if not isinstance(result, CheckResult):
                raise TypeError(f"returned {result!r} instead of a CheckResult")
        except Exception as exc:  # a broken check holds the comment for a person to judge
            logger.exception("Comment check %r failed", check.name)
            result = CheckResult(Verdict.HOLD, f"check failed: {type(exc).__name__}: {exc}")
        outcomes.append(CheckOutcome(check.name, result.verdict, result.reason))
    verdict = max((outcome.verdict for outcome in outcomes), default=Verdict.ACCEPT)
    return verdict, outcomes
