"""Everything people read, in their language: gettext catalogues and locale formats via Babel.

English is the source language: every message is written in English in the code or the
catalogue and translated by the ``locales/<language>/LC_MESSAGES/<domain>.po`` files. A
language is supported when it has a folder there; adding one is adding its ``.po`` files
(``marketing-health i18n update --add fr`` writes them from the templates), no code.
"""

from marketing_health.i18n.translator import (
    DEFAULT_LANGUAGE,
    Translator,
    UnknownLanguageError,
    supported_languages,
    translator,
)

__all__ = [
    "DEFAULT_LANGUAGE",
    "Translator",
    "UnknownLanguageError",
    "supported_languages",
    "translator",
]
