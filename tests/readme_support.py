"""Reading README.md's examples for tests/test_readme.py.

Nothing here knows what the README says: it finds fenced blocks (with the
heading they sit under), inline code spans, shell command lines, `curl`
requests, `make` targets and `manage.py` commands wherever they are, so a
section added or rewritten is tested as it stands.
"""

import re
import shlex
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
MAKEFILE = ROOT / "Makefile"

SHELL_LANGUAGES = {"sh", "bash", "shell", "console", "zsh"}
_OPENING_FENCE = re.compile(r"^ {0,3}(?P<fence>`{3,}|~{3,})(?P<info>[^`]*)$")
_HEADING = re.compile(r"^ {0,3}#{1,6}\s+(?P<title>.*?)(?:\s+#+)?\s*$")
_CODE_SPAN = re.compile(r"(?<!`)`(?!`)([^`]+)`(?!`)")
_MANAGE_COMMAND = re.compile(r"manage\.py\s+([a-z_][a-z0-9_]*)")
_MAKE_TARGET = re.compile(r"^([A-Za-z0-9][A-Za-z0-9_.-]*)\s*:(?!=)", re.MULTILINE)


def read_readme(path=None):
    return (path or README).read_text(encoding="utf-8")


# Markdown ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Block:
    """A fenced code block: its language, first content line (1-based), text and heading."""

    language: str
    line: int
    text: str
    section: str


def fenced_blocks(text):
    blocks = []
    lines = text.splitlines()
    section = ""
    index = 0
    while index < len(lines):
        opening = _OPENING_FENCE.match(lines[index])
        if not opening:
            heading = _HEADING.match(lines[index])
            if heading:
                section = heading["title"]
            index += 1
            continue
        fence = opening["fence"]
        closing = re.compile(rf"^ {{0,3}}{re.escape(fence[0])}{{{len(fence)},}}\s*$")
        info = opening["info"].split()
        start = index + 1
        index = start
        while index < len(lines) and not closing.match(lines[index]):
            index += 1
        body = "\n".join(lines[start:index])
        blocks.append(Block(info[0].lower() if info else "", start + 1, body, section))
        index += 1  # past the closing fence
    return blocks


def prose(text):
    """The README without its fenced blocks (their lines left empty)."""
    lines = text.splitlines()
    for block in fenced_blocks(text):
        first = block.line - 2  # the opening fence
        last = block.line - 1 + len(block.text.splitlines())  # the closing fence
        for index in range(first, min(last + 1, len(lines))):
            lines[index] = ""
    return "\n".join(lines)


def code_spans(text):
    """Inline code, whitespace collapsed (a span may run over a line break)."""
    return [" ".join(span.split()) for span in _CODE_SPAN.findall(prose(text))]


# Shell commands -------------------------------------------------------------------


@dataclass(frozen=True)
class Command:
    """One logical command line of a shell block (continuation lines joined)."""

    line: int
    text: str
    words: tuple

    @property
    def program(self):
        return self.words[0] if self.words else ""


def shell_commands(text):
    commands = []
    for block in fenced_blocks(text):
        if block.language not in SHELL_LANGUAGES:
            continue
        pending, first = [], None
        for offset, raw in enumerate(block.text.splitlines()):
            stripped = raw.strip()
            if not pending:
                if not stripped or stripped.startswith("#"):
                    continue
                first = block.line + offset
                stripped = stripped.removeprefix("$ ")
            if stripped.endswith("\\"):
                pending.append(stripped[:-1].strip())
                continue
            pending.append(stripped)
            source = " ".join(part for part in pending if part)
            words = tuple(shlex.split(source, comments=True))
            if words:
                commands.append(Command(first, _without_comment(source), words))
            pending = []
    return commands


def _without_comment(source):
    """The command as written, without a trailing `# comment` (quotes respected)."""
    quote = None
    for index, char in enumerate(source):
        if quote:
            quote = None if char == quote else quote
        elif char in "'\"":
            quote = char
        elif char == "#" and (index == 0 or source[index - 1].isspace()):
            return source[:index].rstrip()
    return source


# curl -----------------------------------------------------------------------------


class UnsupportedCurl(ValueError):
    """The README uses a curl option this reader does not know: teach it, do not skip it."""


@dataclass
class CurlRequest:
    url: str
    method: str = "GET"
    headers: list = field(default_factory=list)  # (name, value) pairs
    data: str | None = None
    follow: bool = False


_CURL_FLAGS = {  # options without a value: what they mean here
    "-L": "follow",
    "--location": "follow",
    "-G": "get",
    "--get": "get",
    **dict.fromkeys(
        [
            "-s",
            "--silent",
            "-S",
            "--show-error",
            "-i",
            "--include",
            "-f",
            "--fail",
            "--fail-with-body",
            "-v",
            "--verbose",
            "-g",
            "--globoff",
            "--compressed",
        ]
    ),
}
_CURL_OPTIONS = {  # options with a value
    "-X": "method",
    "--request": "method",
    "-H": "header",
    "--header": "header",
    "-d": "data",
    "--data": "data",
    "--data-raw": "data",
    "--data-binary": "data",
    "--data-ascii": "data",
    "--json": "json",
}


def parse_curl(words):
    """A curl command's words (`shlex.split`) as a CurlRequest."""
    if not words or words[0] != "curl":
        raise UnsupportedCurl(f"not a curl command: {words!r}")
    options, urls = [], []
    rest = list(words[1:])
    while rest:
        word = rest.pop(0)
        if word.startswith("--"):
            name, has_value, value = word.partition("=")
            if name in _CURL_FLAGS and not has_value:
                options.append((_CURL_FLAGS[name], None))
            elif name in _CURL_OPTIONS:
                if not has_value:
                    if not rest:
                        raise UnsupportedCurl(f"{name} needs a value")
                    value = rest.pop(0)
                options.append((_CURL_OPTIONS[name], value))
            else:
                raise UnsupportedCurl(f"unknown curl option {word}")
        elif word.startswith("-") and len(word) > 1:
            letters = word[1:]
            for position, letter in enumerate(letters):
                flag = f"-{letter}"
                if flag in _CURL_FLAGS:
                    options.append((_CURL_FLAGS[flag], None))
                elif flag in _CURL_OPTIONS:
                    value = letters[position + 1 :]
                    if not value:
                        if not rest:
                            raise UnsupportedCurl(f"{flag} needs a value")
                        value = rest.pop(0)
                    options.append((_CURL_OPTIONS[flag], value))
                    break
                else:
                    raise UnsupportedCurl(f"unknown curl option {flag} in {word}")
        else:
            urls.append(word)
    if len(urls) != 1:
        raise UnsupportedCurl(f"expected one URL, found {urls!r}")

    request = CurlRequest(url=urls[0])
    data, method, as_query = [], None, False
    for kind, value in options:
        if kind == "follow":
            request.follow = True
        elif kind == "get":
            as_query = True
        elif kind == "method":
            method = value.upper()
        elif kind == "header":
            name, _, header_value = value.partition(":")
            request.headers.append((name.strip(), header_value.strip()))
        elif kind in ("data", "json"):
            data.append(value)
            if kind == "json":
                request.headers += [
                    ("Content-Type", "application/json"),
                    ("Accept", "application/json"),
                ]
    if data and as_query:
        joiner = "&" if "?" in request.url else "?"
        request.url += joiner + "&".join(data)
    elif data:
        request.data = "&".join(data)
    request.method = method or ("POST" if request.data is not None else "GET")
    return request


def curl_commands(text):
    return [command for command in shell_commands(text) if command.program == "curl"]


# make and manage.py -----------------------------------------------------------------


def make_targets_mentioned(text):
    """`make <target>` in shell blocks and inline code: {target: the README's words}."""
    mentions = [
        (command.words, command.text)
        for command in shell_commands(text)
        if command.program == "make"
    ]
    mentions += [(shlex.split(span), span) for span in code_spans(text) if span.startswith("make ")]
    targets = {}
    for words, source in mentions:
        names = [word for word in words[1:] if "=" not in word and not word.startswith("-")]
        for name in names:
            targets.setdefault(name, source)
    return targets


def makefile_targets(path=None):
    return set(_MAKE_TARGET.findall((path or MAKEFILE).read_text(encoding="utf-8")))


def manage_commands_mentioned(text):
    """`manage.py <command>` anywhere in the README: {command: first mention}."""
    commands = {}
    for match in _MANAGE_COMMAND.finditer(" ".join(text.split())):
        commands.setdefault(match[1], match[0])
    return commands
