"""The report languages (a module of its own, so that reading a params file imports no data library)."""

LANGUAGES = ("id", "en")
