"""Where the shipped vocabulary is, and ICU's names for countries, regions and languages."""

from __future__ import annotations

import os
from pathlib import Path

from . import _core

__all__ = ["default_vocabulary_path", "place_name", "language_name", "region_of"]


def default_vocabulary_path() -> str:
    """The vocabulary.json installed with the package (or the repository's, in a source tree)."""
    candidates = [Path(__file__).parent / "data" / "vocabulary.json",
                  Path(__file__).resolve().parents[2] / "corpus" / "vocabulary.json"]
    for c in candidates:
        if c.is_file():
            return os.fspath(c)
    raise FileNotFoundError("jurisdex's vocabulary.json is missing from the installation")


def place_name(code: str, lang: str = "en") -> str:
    """ICU's name of a country (ISO alpha-3), a UN M49 region code, or "INT", in ``lang``."""
    return _core.place_name(code, lang)


def language_name(code: str, lang: str = "en") -> str:
    """ICU's name of a language (ISO 639-1) in ``lang``."""
    return _core.language_name(code, lang)


def region_of(country: str) -> str:
    """The UN M49 continental region code of an ISO alpha-3 country ("" for INT or unknown)."""
    return _core.region_of(country)
