"""Reading and writing JSON Lines, with line numbers for every problem.

Only JSON is read and written: ``NaN`` and ``Infinity`` (which Python's
``json`` accepts and writes by default) and a key given twice in one object are
refused, as are lines over :data:`~.limits.LINE_BYTES` and nesting deeper than
:data:`~.limits.DEPTH` (checked before parsing, so the parser never nears
Python's recursion limit).
"""
from __future__ import annotations

import json
import os
import re
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from itertools import accumulate
from pathlib import Path
from typing import IO, Any

from .contract import FieldError
from .limits import DEPTH, LINE_BYTES

STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)  # a JSON string, escapes included
NOT_BRACKETS = re.compile(r"[^\[\]{}]+")
CONSTANT_AFTER_KEY = re.compile(r"\s*:\s*-?(?:NaN|Infinity)\b")
STEP = {"[": 1, "{": 1, "]": -1, "}": -1}


class Refused(ValueError):
    """Valid for Python's ``json`` but not JSON, or not allowed here: the line is refused."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field


def depth(text: str) -> int:
    """How deeply lists and objects nest in the JSON ``text`` (brackets inside strings do not count)."""
    brackets = NOT_BRACKETS.sub("", STRING.sub("", text))
    return max(accumulate(map(STEP.__getitem__, brackets), initial=0))


def _unique(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    obj = dict(pairs)
    if len(obj) != len(pairs):  # dict() would keep the last value silently
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise Refused(key, "is given more than once in the same object")
            seen.add(key)
    if any("\x00" in key for key in obj):
        raise Refused("", "has a key with a NUL character")
    return obj


def decode(text: str) -> Any:
    """The JSON value of one line, or :class:`Refused` (also for what ``json.loads`` raises)."""
    if (found := depth(text)) > DEPTH:
        raise Refused("", f"nests lists and objects {found} levels deep; at most {DEPTH} allowed")

    def constant(name: str):
        # Name the key before the first NaN or Infinity, found among the line's strings.
        key = next((json.loads(m.group()) for m in STRING.finditer(text) if CONSTANT_AFTER_KEY.match(text, m.end())),
                   "")
        raise Refused(key, f"{name} is not a JSON number: numbers must be finite")
    try:
        return json.loads(text, parse_constant=constant, object_pairs_hook=_unique)
    except Refused:
        raise
    except json.JSONDecodeError as exc:
        raise Refused("", f"is not valid JSON: {exc.msg} (column {exc.colno})") from exc
    except (ValueError, RecursionError) as exc:  # an integer of more than 4,300 digits; depth is checked above
        raise Refused("", f"is not valid JSON: {exc}") from exc


def read_lines(raw_lines: Iterable[bytes]) -> Iterator[tuple[int, Any, FieldError | None]]:
    """Yield ``(line number, decoded object, error)`` for each non-blank line.

    Exactly one of object and error is set; blank lines are skipped but still counted.
    """
    for number, raw in enumerate(raw_lines, start=1):
        if number == 1 and raw.startswith(b"\xef\xbb\xbf"):
            raw = raw[3:]  # a UTF-8 byte-order mark written by some editors
        if len(raw) > LINE_BYTES:  # before decoding: the line is never read
            yield number, None, FieldError(number, "", f"is {len(raw):,} bytes long; at most {LINE_BYTES:,} allowed")
            continue
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            yield number, None, FieldError(number, "", f"is not valid UTF-8 (byte {exc.start + 1})")
            continue
        if not text.strip():
            continue
        try:
            yield number, decode(text), None
        except Refused as exc:
            yield number, None, FieldError(number, exc.field, str(exc))


def dumps(record: dict[str, Any]) -> str:
    """One compact JSON line, Korean kept readable; ``ValueError`` for a value JSON cannot hold (NaN, infinity)."""
    return json.dumps(record, ensure_ascii=False, separators=(",", ":"), allow_nan=False)


@contextmanager
def atomic_writer(path: str | os.PathLike) -> Iterator[IO[str]]:
    """Write a text file in full or not at all: a temp file renamed over the target at the end.

    ``-`` writes to standard output instead.
    """
    if str(path) == "-":
        import sys
        yield sys.stdout
        sys.stdout.flush()
        return
    target = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent or ".")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            yield handle
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
