"""The archive: the backed-up files and ``manifest.json``, which lists each with its size and SHA-256.

Stored as a gzipped tar with the manifest first (``.tar.gz``/``.tgz``), or as
a plain folder (any other name). Either is written under a temporary name and
renamed when complete, readable by its owner only. Reading checks every file
against the manifest while copying it out, and refuses anything missing,
altered, truncated or not listed, naming the file.
"""
from __future__ import annotations

import gzip
import hashlib
import json
import os
import re
import secrets
import shutil
import tarfile
import time
import zlib
from pathlib import Path
from typing import BinaryIO

from search.embedded.version import sync_folder

from .instance import BackupError, CorruptArchive

FORMAT = "matchmaker-backup"
FORMAT_VERSION = 1  # bump on any change a reader of the previous format would get wrong
MANIFEST = "manifest.json"
MANIFEST_LIMIT = 16 * 1024 * 1024
SAFE_NAME = re.compile(r"[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+)*")
CHUNK = 1024 * 1024


def is_tarball(path: Path) -> bool:
    """Whether ``path`` names a gzipped tar archive (else the archive is a folder)."""
    return path.name.endswith((".tar.gz", ".tgz"))


def describe(folder: Path) -> dict[str, dict]:
    """Every file under ``folder`` by its name in the archive, with its size and SHA-256."""
    files = {}
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        digest = hashlib.sha256()
        with open(path, "rb") as handle:
            while chunk := handle.read(CHUNK):
                digest.update(chunk)
        files[path.relative_to(folder).as_posix()] = {"size": path.stat().st_size, "sha256": digest.hexdigest()}
    return files


def pack(folder: Path, manifest: dict, dest: Path) -> int:
    """Write the ``manifest`` and the files it lists from ``folder`` to ``dest``, whole or not at all.

    Returns the archive's size in bytes.
    """
    tmp = dest.with_name(f".{dest.name}.partial-{secrets.token_hex(3)}")
    raw = json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True).encode()
    try:
        if is_tarball(dest):
            _write_tar(folder, manifest, raw, tmp)
        else:
            _write_folder(folder, manifest, raw, tmp)
        os.rename(tmp, dest)
        sync_folder(dest.parent)
    except BaseException:
        if tmp.is_dir():
            shutil.rmtree(tmp, ignore_errors=True)
        else:
            tmp.unlink(missing_ok=True)
        raise
    if dest.is_file():
        return dest.stat().st_size
    return sum(p.stat().st_size for p in dest.rglob("*") if p.is_file())


def _write_tar(folder: Path, manifest: dict, raw: bytes, tmp: Path) -> None:
    descriptor = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        # Level 1: vectors are float32 and hardly compress; a higher level only costs time.
        with tarfile.open(fileobj=handle, mode="w:gz", compresslevel=1, format=tarfile.PAX_FORMAT) as tar:
            tar.addfile(_member(MANIFEST, len(raw)), _Bytes(raw))
            for name, entry in manifest["files"].items():
                with open(folder / name, "rb") as source:
                    tar.addfile(_member(name, entry["size"]), source)
        handle.flush()
        os.fsync(handle.fileno())


def _member(name: str, size: int) -> tarfile.TarInfo:
    # Built by hand: a regular file, owner-only, no owner names; never a link, whatever the disk holds.
    member = tarfile.TarInfo(name)
    member.size, member.mode, member.mtime = size, 0o600, int(time.time())
    return member


class _Bytes:
    """A minimal file object over ``bytes`` for ``TarFile.addfile``."""

    def __init__(self, data: bytes):
        self._data, self._at = data, 0

    def read(self, size: int = -1) -> bytes:
        end = len(self._data) if size < 0 else self._at + size
        chunk, self._at = self._data[self._at:end], min(end, len(self._data))
        return chunk


def _write_folder(folder: Path, manifest: dict, raw: bytes, tmp: Path) -> None:
    tmp.mkdir(mode=0o700)
    for name in manifest["files"]:
        target = tmp / name
        target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        with open(folder / name, "rb") as source:
            _write_new(target, source)
    _write_new(tmp / MANIFEST, _Bytes(raw))  # last: a folder with its manifest is complete


def _write_new(target: Path, source) -> None:
    descriptor = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        while chunk := source.read(CHUNK):
            handle.write(chunk)
        handle.flush()
        os.fsync(handle.fileno())


def unpack(archive: Path, into: Path) -> dict:
    """Copy ``archive``'s files into the new folder ``into``, each checked against the manifest; return it.

    Raises :class:`CorruptArchive` for a missing, altered, truncated, unlisted
    or unsafely named file, or a format this code does not read.
    """
    into.mkdir(mode=0o700)
    if archive.is_dir():
        return _unpack_folder(archive, into)
    try:
        return _unpack_tar(archive, into)
    except (tarfile.TarError, EOFError, zlib.error, gzip.BadGzipFile) as exc:
        raise CorruptArchive(f"{archive} is truncated or corrupt ({exc or type(exc).__name__}); "
                             "nothing was restored") from exc


def _unpack_folder(archive: Path, into: Path) -> dict:
    try:
        raw = (archive / MANIFEST).read_bytes()
    except FileNotFoundError:
        raise CorruptArchive(f"{archive} is not a Matchmaker backup: it has no {MANIFEST}") from None
    manifest = checked_manifest(raw, archive)
    for name, entry in manifest["files"].items():
        try:
            source = open(archive / name, "rb")
        except FileNotFoundError:
            raise CorruptArchive(f"{archive} is incomplete: {name} is missing; nothing was restored") from None
        with source:
            _receive(source, into / name, name, entry, archive)
    return manifest


def _unpack_tar(archive: Path, into: Path) -> dict:
    manifest, seen = None, set()
    with tarfile.open(archive, mode="r|*") as tar:  # a stream: one pass, no seeking
        for member in tar:
            if manifest is None:
                if member.name != MANIFEST or not member.isfile() or member.size > MANIFEST_LIMIT:
                    raise CorruptArchive(f"{archive} is not a Matchmaker backup: it does not start with {MANIFEST}")
                manifest = checked_manifest(tar.extractfile(member).read(), archive)
                continue
            entry = manifest["files"].get(member.name)
            if entry is None or not member.isfile() or member.name in seen:
                raise CorruptArchive(f"{archive} holds {member.name!r}, which its manifest does not list; "
                                     "nothing was restored")
            _receive(tar.extractfile(member), into / member.name, member.name, entry, archive)
            seen.add(member.name)
    if manifest is None:
        raise CorruptArchive(f"{archive} is empty: not a Matchmaker backup")
    if missing := sorted(set(manifest["files"]) - seen):
        raise CorruptArchive(f"{archive} is truncated or incomplete: {', '.join(missing[:3])}"
                             f"{' and more' if len(missing) > 3 else ''} missing; nothing was restored")
    return manifest


def _receive(source: BinaryIO, target: Path, name: str, entry: dict, archive: Path) -> None:
    """Copy one archived file out, refusing it unless its size and SHA-256 are the manifest's."""
    target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    digest, size = hashlib.sha256(), 0
    descriptor = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        while chunk := source.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
            handle.write(chunk)
        handle.flush()
        os.fsync(handle.fileno())
    if size != entry["size"] or digest.hexdigest() != entry["sha256"]:
        raise CorruptArchive(f"{archive} is corrupt: {name} does not match its checksum in the manifest "
                             f"({size:,} bytes, {entry['size']:,} expected); nothing was restored")


def checked_manifest(raw: bytes, archive: Path) -> dict:
    """The manifest in ``raw``, once it is shown to be one this code reads; else :class:`CorruptArchive`."""
    try:
        manifest = json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise CorruptArchive(f"{archive} is corrupt: its {MANIFEST} is not valid JSON ({exc})") from exc
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise CorruptArchive(f"{archive} is not a Matchmaker backup (its {MANIFEST} names no {FORMAT!r} format)")
    version = manifest.get("format_version")
    if not isinstance(version, int) or version > FORMAT_VERSION:
        raise BackupError(f"{archive} is in backup format {version!r}, made by a newer Matchmaker; this one reads "
                          f"format {FORMAT_VERSION} and older: restore it with the version that made it")
    files = manifest.get("files")
    if not isinstance(files, dict) or not isinstance(manifest.get("database"), dict) \
            or manifest["database"].get("file") not in files:
        raise CorruptArchive(f"{archive} is corrupt: its {MANIFEST} lists no database")
    for name, entry in files.items():
        parts = name.split("/")
        if not SAFE_NAME.fullmatch(name) or name == MANIFEST or {".", ".."} & set(parts) \
                or not isinstance(entry, dict) or not isinstance(entry.get("size"), int) \
                or not re.fullmatch(r"[0-9a-f]{64}", str(entry.get("sha256"))):
            raise CorruptArchive(f"{archive} is corrupt: its {MANIFEST} lists {name!r} unsafely or without a checksum")
    if manifest.get("secret_key") is not None and manifest["secret_key"] not in files:
        raise CorruptArchive(f"{archive} is corrupt: its {MANIFEST} names a secret key it does not list")
    index = manifest.get("index")
    if index is not None and not _listed_index(index, files):
        raise CorruptArchive(f"{archive} is corrupt: its {MANIFEST} describes an index it does not list")
    return manifest


def _listed_index(index, files: dict) -> bool:
    """Whether an index entry names one safe version folder whose files the manifest lists, and its size."""
    if not isinstance(index, dict) or not isinstance(index.get("documents"), int) \
            or not isinstance(index.get("build_info"), dict):
        return False
    name, folder = str(index.get("version")), str(index.get("folder"))
    return (SAFE_NAME.fullmatch(name) is not None and "/" not in name and name not in {".", ".."}
            and folder.endswith("/" + name) and any(path.startswith(folder + "/") for path in files))
