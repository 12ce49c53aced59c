"""What counts as AI talent: the shipped list ``data/ai_talent.toml`` and a user's additions.

Organisations are matched by name key (:func:`vcflows.normalize.name_key`), never by
substring; degrees by name key of the degree type and of the subject (or of a part of it).
The file's header states the rule and the criterion; a user list (``--talent-list FILE``,
same format) adds organisations (an entry whose key is shipped replaces it) and degree words,
and its ``exclude = ["Naver"]`` removes listed organisations (with all their aliases).
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from vcflows.errors import InputFileError
from vcflows.normalize import name_key

#: Name keys of organisation names, cached: a store's roles repeat the same employers.
_key = lru_cache(maxsize=1 << 16)(name_key)
_KINDS = frozenset({"ai_lab", "big_tech_ai", "university", "institute"})
#: Separators of a subject's parts ("Electrical and Computer Engineering").
_PARTS = re.compile(r"\s+and\s+|\s*[&,/;|]\s*", re.IGNORECASE)
#: "PhD in Machine Learning": the degree type, then its subject.
_IN = re.compile(r"\s+in\s+", re.IGNORECASE)


@dataclass(frozen=True)
class TalentOrg:
    """One organisation whose alumni count as AI talent."""

    name: str
    kind: str
    country: str
    rationale: str
    source: str


@dataclass(frozen=True)
class TalentList:
    """The organisations (by name key) and the degrees that mark AI talent.

    Attributes
    ----------
    orgs : dict
        Name key -> :class:`TalentOrg` (the canonical name of every alias's key).
    degree_types : frozenset of str
        Name keys of the doctorate spellings.
    subjects : frozenset of str
        Name keys of the listed subjects and their neighbours.
    origins : tuple of str
        The files read, shipped first.
    """

    orgs: dict[str, TalentOrg]
    degree_types: frozenset[str]
    subjects: frozenset[str]
    origins: tuple[str, ...] = field(default=())

    def org(self, name: str | None) -> TalentOrg | None:
        """The listed organisation whose name key equals ``name``'s, if any."""
        key = _key(name) if name else ""
        return self.orgs.get(key) if key else None

    def degree(self, degree_type: str | None, subject: str | None) -> str | None:
        """The listed subject a degree matches ("PhD, Computer Science"), or None.

        A degree matches when its type's name key is a doctorate's and its subject's name key
        (or a part's, split on "and", "&", ",", "/", ";") is a listed subject. A type written
        "PhD in X" with no subject gives subject X.
        """
        kind, topic = (degree_type or "").strip(), (subject or "").strip()
        if not topic and _IN.search(kind):
            kind, topic = _IN.split(kind, maxsplit=1)
        if name_key(kind) not in self.degree_types or not topic:
            return None
        for part in (topic, *_PARTS.split(topic)):
            if name_key(part) in self.subjects:
                return f"{kind.strip()}, {topic}"
        return None


def _fail(origin: str, problem: str) -> InputFileError:
    return InputFileError(origin, problem)


def _strings(origin: str, key: str, value: object) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise _fail(origin, f"key {key!r} must be a list of non-empty strings")
    return [v.strip() for v in value]


def _orgs(origin: str, entries: object) -> dict[str, TalentOrg]:
    if not isinstance(entries, list):
        raise _fail(origin, "key 'organisations' must be an array of tables ([[organisations]])")
    out: dict[str, TalentOrg] = {}
    for k, raw in enumerate(entries, start=1):
        where = f"organisations[{k}]"
        if not isinstance(raw, dict):
            raise _fail(origin, f"{where} must be a table")
        unknown = sorted(set(raw) - {"name", "aliases", "kind", "country", "rationale", "source"})
        if unknown:
            raise _fail(origin, f"{where}: unknown key(s) {', '.join(unknown)}")
        for key in ("name", "kind", "rationale", "source"):
            if not isinstance(raw.get(key), str) or not raw[key].strip():
                raise _fail(origin, f"{where}: key {key!r} is required (a non-empty string)")
        if raw["kind"] not in _KINDS:
            raise _fail(origin, f"{where}: kind must be one of {', '.join(sorted(_KINDS))}")
        org = TalentOrg(
            raw["name"].strip(),
            raw["kind"],
            str(raw.get("country", "")).strip(),
            " ".join(raw["rationale"].split()),
            raw["source"].strip(),
        )
        for alias in (org.name, *_strings(origin, f"{where}.aliases", raw.get("aliases", []))):
            key = name_key(alias)
            if not key:
                raise _fail(origin, f"{where}: name {alias!r} has an empty name key")
            if key in out and out[key].name != org.name:
                raise _fail(
                    origin,
                    f"{where}: {alias!r} matches alike {out[key].name!r} (name key {key!r})",
                )
            out[key] = org
    return out


def _parse(origin: str, data: dict[str, Any]) -> tuple[dict[str, TalentOrg], set[str], set[str]]:
    unknown = sorted(set(data) - {"organisations", "degrees", "exclude"})
    if unknown:
        raise _fail(
            origin, f"unknown key(s) {', '.join(unknown)} (known: organisations, degrees, exclude)"
        )
    orgs = _orgs(origin, data.get("organisations", []))
    degrees = data.get("degrees", {})
    if not isinstance(degrees, dict):
        raise _fail(origin, "key 'degrees' must be a table")
    words: dict[str, set[str]] = {"types": set(), "subjects": set()}
    for key in ("types", "subjects", "neighbours"):
        target = "types" if key == "types" else "subjects"
        for word in _strings(origin, f"degrees.{key}", degrees.get(key, [])):
            words[target].add(name_key(word))
    return orgs, words["types"], words["subjects"]


def _read(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise _fail(str(path), "no such file") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise _fail(str(path), f"not valid TOML ({exc})") from None


def load_talent_list(extra: Iterable[str | Path] = ()) -> TalentList:
    """The shipped AI-talent list, extended by the user's files.

    Parameters
    ----------
    extra : iterable of path
        TOML files of the shipped format; their organisations replace shipped entries of the
        same name key, their degree words are added.

    Returns
    -------
    TalentList

    Raises
    ------
    InputFileError
        Naming the file and the entry: invalid TOML, a missing key, two names of one file
        that match alike.
    """
    shipped = resources.files("vcflows.data") / "ai_talent.toml"
    sources = [("data/ai_talent.toml", tomllib.loads(shipped.read_text(encoding="utf-8")))]
    sources += [(str(p), _read(Path(p))) for p in extra]
    orgs: dict[str, TalentOrg] = {}
    types: set[str] = set()
    subjects: set[str] = set()
    for origin, data in sources:
        o, t, s = _parse(origin, data)
        orgs.update(o)
        for name in _strings(origin, "exclude", data.get("exclude", [])):
            gone = orgs.get(name_key(name))
            if gone is None:
                raise _fail(origin, f"exclude: {name!r} is not a listed organisation")
            orgs = {k: v for k, v in orgs.items() if v.name != gone.name}
        types |= t
        subjects |= s
    return TalentList(orgs, frozenset(types), frozenset(subjects), tuple(o for o, _ in sources))
