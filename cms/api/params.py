"""Checks on API query strings, shared by both versions.

They run before any view touches the database, so bad input gets a 400 that
names the parameter instead of a 500 from deep inside a query: values that are
not UTF-8, contain NUL characters, are absurdly long, or are integers too big
for a 64-bit database column (SQLite raises OverflowError, PostgreSQL a
DataError).
"""

from urllib.parse import unquote_to_bytes

#: Longest accepted value of any query parameter, in characters.
MAX_PARAMETER_LENGTH = 1000
#: Most query parameters in one request.
MAX_PARAMETERS = 50
#: Largest integer a 64-bit database column holds.
MAX_INTEGER = 2**63 - 1
#: What a search the database's full-text engine cannot parse (SQLite FTS5
#: refuses an unbalanced quote, for one) answers.
SEARCH_NOT_UNDERSTOOD = "the search engine could not parse these words (check quotes)"
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
        if name not in TEXT_PARAMETERS:
            _check_integers(name, value)


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
        digits = part.strip().removeprefix("-")
        if (
            digits.isascii()
            and digits.isdigit()
            and len(digits) >= 19
            and int(digits) > MAX_INTEGER
        ):
            raise InvalidParameter(name, f"{part.strip()} is out of range (at most {MAX_INTEGER})")
