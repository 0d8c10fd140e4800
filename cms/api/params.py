"""Checks on API query strings, shared by both versions.

They run before any view touches the database, so bad input gets a 400 that
names the parameter instead of a 500 from deep inside a query: values that are
not UTF-8, contain NUL characters, are absurdly long, or are integers too big
for a 64-bit database column however they are written (SQLite raises
OverflowError, PostgreSQL a DataError), or date-times whose time-zone offset
PostgreSQL cannot store.
"""

import datetime
import re
from urllib.parse import unquote_to_bytes

from pydantic import TypeAdapter
from pydantic import ValidationError as PydanticValidationError

#: Longest accepted value of any query parameter, in characters.
MAX_PARAMETER_LENGTH = 1000
#: Most query parameters in one request.
MAX_PARAMETERS = 50
#: Largest integer a 64-bit database column holds.
MAX_INTEGER = 2**63 - 1
#: What a search the database's full-text engine cannot parse (SQLite FTS5
#: refuses an unbalanced quote, for one) answers.
SEARCH_NOT_UNDERSTOOD = "the search engine could not parse these words (check quotes)"
#: Most words in a search (see _check_search).
MAX_SEARCH_WORDS = 32
#: Largest time-zone offset PostgreSQL stores (Python and pydantic take up to 23:59).
MAX_UTC_OFFSET = datetime.timedelta(hours=15, minutes=59)
#: What may be a date-time: a date first.
DATE_LIKE = re.compile(r"\s*[0-9]{4}-[0-9]{2}-[0-9]{2}[T t_]")
#: Parameters whose digits are text, not numbers.
TEXT_PARAMETERS = frozenset({"search"})


class InvalidParameter(ValueError):
    """A query parameter that cannot be used; ``name`` says which."""

    def __init__(self, name: str, message: str):
        self.name = name
        self.message = message
        super().__init__(f"{name}: {message}")


def check_query_string(query_string: str) -> None:
    """Raise InvalidParameter for the first unusable parameter of a raw query string."""
    if not query_string:
        return
    pairs = [pair for chunk in query_string.split("&") for pair in chunk.split(";") if pair]
    if len(pairs) > MAX_PARAMETERS:
        raise InvalidParameter("query", f"no more than {MAX_PARAMETERS} parameters are accepted")
    for pair in pairs:
        raw_name, _, raw_value = pair.partition("=")
        name = _decode(raw_name, "query")
        value = _decode(raw_value, name)
        if "\x00" in name or "\x00" in value:
            raise InvalidParameter(name.replace("\x00", ""), "NUL characters are not allowed")
        if len(value) > MAX_PARAMETER_LENGTH:
            raise InvalidParameter(name, f"must be at most {MAX_PARAMETER_LENGTH} characters long")
        if name in TEXT_PARAMETERS:
            _check_search(name, value)
        else:
            _check_integers(name, value)
            _check_time_zone(name, value)


def _check_search(name: str, value: str) -> None:
    # Spaces only: Wagtail's v3 image and document search handed the empty
    # query to the SQLite backend, whose empty result has no ``.all()`` (a 500).
    if not value.strip():
        raise InvalidParameter(name, "must not be empty")
    # Wagtail's own search (images, documents, search_operator=or, token
    # holders' pages) joins one tsquery per word on PostgreSQL; Django hashes
    # that nested expression recursively, and a few hundred words raised
    # RecursionError. Articles' search already keeps 16 terms (news/search.py).
    if len(value.split()) > MAX_SEARCH_WORDS:
        raise InvalidParameter(name, f"must have at most {MAX_SEARCH_WORDS} words")


def _decode(raw: str, name: str) -> str:
    # Django decodes query strings leniently (bad bytes become U+FFFD); the
    # API refuses them instead, so a client learns its encoding is wrong.
    data = unquote_to_bytes(raw.replace("+", " "))
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise InvalidParameter(name, "is not valid UTF-8") from None


def _check_integers(name: str, value: str) -> None:
    for part in value.split(","):
        number = _as_integer(part)
        if number is not None and abs(number) > MAX_INTEGER:
            raise InvalidParameter(name, f"{part.strip()} is out of range (at most {MAX_INTEGER})")


_DATETIME = TypeAdapter(datetime.datetime)


def _check_time_zone(name: str, value: str) -> None:
    # Wagtail's v3 revision filters take any offset pydantic parses (up to
    # ±23:59); PostgreSQL refuses those beyond ±15:59 with a DataError (a 500).
    if not DATE_LIKE.match(value):
        return
    try:
        moment = _DATETIME.validate_python(value)
    except PydanticValidationError:
        return  # not a date-time: the endpoint's own validation answers
    offset = moment.utcoffset()
    if offset is not None and abs(offset) > MAX_UTC_OFFSET:
        raise InvalidParameter(name, "the time-zone offset must be between -15:59 and +15:59")


def _as_integer(text: str) -> int | None:
    """The integer a lenient parser would read from ``text``, or None.

    The parsers behind the endpoints are more lenient than plain ASCII
    digits: Python's ``int()`` (DRF, Wagtail's v2 filters) takes a sign,
    surrounding spaces, underscores (``9_223_372_036_854_775_808``) and any
    Unicode decimal digits (Arabic-Indic, fullwidth); pydantic (v3) also
    takes ``123.0``. Every spelling they would turn into a number too big
    for a 64-bit column has to be caught here, or it reaches the database.
    """
    text = text.strip()
    if not text or len(text) > MAX_PARAMETER_LENGTH:
        return None
    try:
        return int(text)
    except ValueError:
        pass
    whole, dot, fraction = text.partition(".")
    if dot and fraction.strip("0") == "" and whole:
        try:
            return int(whole)
        except ValueError:
            return None
    return None
