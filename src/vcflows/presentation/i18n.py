"""The report's text layer: section titles, labels and sentence templates per language.

Text lives in ``vcflows/data/i18n/<lang>.toml``; code never holds user-facing prose. Country
names come from pycountry (English short names, Korean through its gettext catalogue) with
overrides in the TOML ``[country]`` table.
"""

from __future__ import annotations

import tomllib
from functools import cache
from importlib import resources
from typing import Any

from vcflows.display import country_in_text, country_name
from vcflows.errors import OptionError

LANGS: tuple[str, ...] = ("en", "ko")


@cache
def _load(lang: str) -> dict[str, Any]:
    if lang not in LANGS:
        raise OptionError(f"--lang: unknown language {lang!r}; choose one of {', '.join(LANGS)}")
    raw = resources.files("vcflows").joinpath("data", "i18n", f"{lang}.toml").read_bytes()
    return tomllib.loads(raw.decode("utf-8"))


class Text:
    """Look up the report's text in one language.

    Parameters
    ----------
    lang : {"en", "ko"}
        Language of the edition.
    all_sectors : bool
        The analysis counts every sector (``--sector all``): phrases such as "AI venture
        capital" become "venture capital", by the ordered ``[all_sectors]`` table of the
        language file. Sections listed there under ``keep`` (e.g. methods) are left as written.
    """

    def __init__(self, lang: str = "en", *, all_sectors: bool = False) -> None:
        self.lang = lang
        self._data = _load(lang)
        self._en = _load("en")
        table = self._data.get("all_sectors", self._en["all_sectors"]) if all_sectors else {}
        self._keep: frozenset[str] = frozenset(table.get("keep", ()))
        self._neutral: list[tuple[str, str]] = [tuple(p) for p in table.get("replace", ())]

    def _neutralize(self, section: str, text: str) -> str:
        if section in self._keep:
            return text
        for old, new in self._neutral:
            text = text.replace(old, new)
        return text

    def words(self, text: str) -> str:
        """Apply this edition's sector wording to free text (e.g. a dashboard label)."""
        return self._neutralize("", text)

    def get(self, key: str, **values: object) -> str:
        """Return the text at ``"section.name"``, formatted with ``values``.

        Falls back to English when the key is missing in this language.
        """
        section, _, name = key.partition(".")
        template = self._data.get(section, {}).get(name)
        if template is None:
            template = self._en[section][name]
        template = self._neutralize(section, str(template))
        return template.format(**values) if values else template

    def template(self, key: str) -> str:
        """Return the raw template at ``"section.name"`` (no formatting)."""
        section, _, name = key.partition(".")
        value = self._data.get(section, {}).get(name, self._en[section][name])
        return self._neutralize(section, str(value))

    def section(self, section: str) -> dict[str, str]:
        """Return every entry of a TOML table (English entries fill gaps)."""
        merged = dict(self._en.get(section, {}))
        merged.update(self._data.get(section, {}))
        return {k: self._neutralize(section, str(v)) for k, v in merged.items()}

    def country(self, iso3: str | None) -> str:
        """Return the display name of an ISO-3 country code in this language."""
        if iso3 is None or iso3 == "" or iso3 != iso3:  # None, blank or NaN
            return self.get("text.unknown")
        if iso3 == "OTHER":
            return self.get("text.other")
        return country_name(iso3, self.lang)

    def country_in_text(self, iso3: str | None) -> str:
        """Return a country's name as it reads in a sentence ("the United States")."""
        if iso3 is None or iso3 == "" or iso3 != iso3 or iso3 == "OTHER":
            return self.country(iso3)
        return country_in_text(iso3, self.lang)
