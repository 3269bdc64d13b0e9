"""Reading and writing JSON Lines, with line numbers for every problem."""
from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

from .contract import FieldError


def read_lines(raw_lines: Iterable[bytes]) -> Iterator[tuple[int, Any, FieldError | None]]:
    """Yield ``(line number, decoded object, error)`` for each non-blank line.

    Exactly one of object and error is set; blank lines are skipped but still counted.
    """
    for number, raw in enumerate(raw_lines, start=1):
        if number == 1 and raw.startswith(b"\xef\xbb\xbf"):
            raw = raw[3:]  # a UTF-8 byte-order mark written by some editors
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            yield number, None, FieldError(number, "", f"is not valid UTF-8 (byte {exc.start + 1})")
            continue
        if not text.strip():
            continue
        try:
            obj = json.loads(text)
        except json.JSONDecodeError as exc:
            yield number, None, FieldError(number, "", f"is not valid JSON: {exc.msg} (column {exc.colno})")
            continue
        except ValueError as exc:  # e.g. an integer of more than 4,300 digits
            yield number, None, FieldError(number, "", f"is not valid JSON: {exc}")
            continue
        yield number, obj, None


def dumps(record: dict[str, Any]) -> str:
    """One compact JSON line, Korean kept readable."""
    return json.dumps(record, ensure_ascii=False, separators=(",", ":"))


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
