"""The ranking profiles the app can serve: packaged ones, tuned versions, and which is live.

The served profile is the newest activation's (``ranking_activations``); until
a profile was ever activated it is ``MATCHMAKER_RANKING_PROFILE`` (a packaged
name or a ``.toml`` path, ``default`` unless set). Stored profiles are never
edited: tuning writes a new one, activation and rollback only point at one, so
what ranked a request yesterday can always be read back.
"""
from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import select

from ..extensions import db
from ..models import RankingActivation, RankingProfileVersion
from .profile import PROFILES, ProfileError, RankingProfile, load_profile, parse_profile, profile_toml

NAME = re.compile(r"^[a-z0-9][a-z0-9._-]{0,79}$")


class RegistryError(ValueError):
    """A profile cannot be saved, found or activated (the message says why)."""


@dataclass(frozen=True)
class Entry:
    """One profile as ``matchmaker ranking list`` shows it."""

    name: str
    source: str  # packaged, tune, file
    stored: RankingProfileVersion | None
    live: bool


def packaged_names() -> list[str]:
    """The profiles that ship with the code (``matching/profiles/*.toml``)."""
    return sorted(path.stem for path in PROFILES.glob("*.toml"))


def configured_name() -> str:
    """The profile served while none was activated (``MATCHMAKER_RANKING_PROFILE``)."""
    return current_app.config.get("RANKING_PROFILE") or "default"


def latest_activation() -> RankingActivation | None:
    """The activation that decides the served profile, if any was made."""
    return db.session.scalars(select(RankingActivation)
                              .order_by(RankingActivation.activated_at.desc(), RankingActivation.id.desc())
                              .limit(1)).first()


def history() -> list[RankingActivation]:
    """Every activation, oldest first (what was live when)."""
    return list(db.session.scalars(select(RankingActivation)
                                   .order_by(RankingActivation.activated_at, RankingActivation.id)))


def stored(name: str) -> RankingProfileVersion | None:
    return db.session.scalar(select(RankingProfileVersion).where(RankingProfileVersion.name == name))


def parse_stored(row: RankingProfileVersion) -> RankingProfile:
    """The profile a stored row holds."""
    return _parse_body(row.body, row.name)


_parsed: dict[tuple[str, str], RankingProfile] = {}


def _parse_body(body: str, name: str) -> RankingProfile:
    key = (name, body)
    if key not in _parsed:
        _parsed[key] = parse_profile(tomllib.loads(body), name)
    return _parsed[key]


def live_name() -> str:
    """The name of the served profile."""
    activation = latest_activation()
    return activation.profile.name if activation else load_profile(configured_name()).name


def live_profile() -> RankingProfile:
    """The served profile: the newest activation's, else the configured one."""
    activation = latest_activation()
    if activation is None:
        return load_profile(configured_name())
    return parse_stored(activation.profile)


def resolve(name: str) -> RankingProfile:
    """A profile by name: stored versions first, then packaged profiles or a ``.toml`` path."""
    row = stored(name)
    if row is not None:
        return parse_stored(row)
    try:
        return load_profile(name)
    except ProfileError as exc:
        raise RegistryError(f"no ranking profile {name!r}: see `matchmaker ranking list`") from exc


def entries() -> list[Entry]:
    """Stored versions (newest first), then packaged profiles not stored yet; the live one marked."""
    live = live_name()
    rows = list(db.session.scalars(select(RankingProfileVersion).order_by(RankingProfileVersion.created_at.desc(),
                                                                           RankingProfileVersion.id.desc())))
    names = {row.name for row in rows}
    listed = [Entry(row.name, row.source, row, row.name == live) for row in rows]
    listed += [Entry(name, "packaged", None, name == live) for name in packaged_names() if name not in names]
    return listed


def save(profile: RankingProfile, *, source: str, parent: str | None = None, figures: dict | None = None,
         actor=None) -> RankingProfileVersion:
    """Store ``profile`` under its name (which must be new); not activated."""
    if not NAME.match(profile.name):
        raise RegistryError(f"profile name {profile.name!r}: use lower-case letters, digits, '.', '_' or '-'")
    if stored(profile.name) is not None:
        raise RegistryError(f"a ranking profile named {profile.name!r} exists already; profiles are never replaced")
    body = profile_toml(profile)
    parse_profile(tomllib.loads(body), profile.name)  # what is stored must read back
    row = RankingProfileVersion(name=profile.name, body=body, source=source, parent=parent, figures=figures,
                                created_by_id=getattr(actor, "id", None))
    db.session.add(row)
    db.session.flush()
    return row


def next_name(prefix: str = "tuned") -> str:
    """``tuned-1``, ``tuned-2``...: the first free name with this prefix."""
    taken = set(db.session.scalars(select(RankingProfileVersion.name)
                                   .where(RankingProfileVersion.name.like(f"{prefix}-%"))))
    number = 1
    while f"{prefix}-{number}" in taken:
        number += 1
    return f"{prefix}-{number}"


def _stored_or_packaged(name: str) -> RankingProfileVersion:
    row = stored(name)
    if row is not None:
        return row
    if name not in packaged_names():
        raise RegistryError(f"no ranking profile {name!r}: see `matchmaker ranking list`")
    return save(load_profile(name), source="packaged")


def activate(name: str, *, actor=None, note: str | None = None) -> RankingActivation:
    """Make ``name`` the served profile (a packaged one is stored first, so it is frozen too)."""
    row = _stored_or_packaged(name)
    latest = latest_activation()
    if latest is not None and latest.profile_id == row.id:
        raise RegistryError(f"{name!r} is live already")
    if latest is None:
        # The first activation: remember what was served before, so rollback can return to it.
        before = load_profile(configured_name())
        if before.name != row.name:
            first = _stored_or_packaged(before.name) if before.name in packaged_names() else None
            if first is not None:
                db.session.add(RankingActivation(profile_id=first.id, actor_id=getattr(actor, "id", None),
                                                 note="served before the first activation"))
                db.session.flush()
    activation = RankingActivation(profile_id=row.id, actor_id=getattr(actor, "id", None), note=note)
    db.session.add(activation)
    db.session.flush()
    return activation


def rollback(*, actor=None) -> RankingActivation:
    """Serve again the profile that was live before the current one."""
    activations = list(reversed(history()))
    if not activations:
        raise RegistryError("no profile was ever activated: nothing to roll back to")
    current = activations[0].profile
    earlier = next((a for a in activations[1:] if a.profile_id != current.id), None)
    if earlier is None:
        raise RegistryError(f"{current.name!r} is the only profile ever served: nothing to roll back to")
    return activate(earlier.profile.name, actor=actor, note=f"rollback from {current.name}")
