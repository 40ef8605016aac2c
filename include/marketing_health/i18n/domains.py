"""Which source files feed which message catalogue (gettext domain).

One ``.po`` file per domain and language keeps each area's texts together for a translator
and lets the alert wording and the report wording change without touching each other's
files. A source file belongs to the first domain whose pattern matches it; the catalogue's
texts (pitfalls.yaml) are their own domain, read from the YAML rather than from code.
"""

from __future__ import annotations

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent.parent

# domain -> glob patterns relative to the package (include/marketing_health)
PYTHON_DOMAINS: dict[str, tuple[str, ...]] = {
    "common": ("i18n/*.py", "catalogue/*.py", "guards/evidence.py"),
    "ops": (
        "alerts/ops*.py",
        "alerts/unknown_terms.py",
        "night_summary.py",
        "contract/problems.py",
    ),
    "alerts": ("alerts/*.py", "guards/*.py"),
    "report": ("report/*.py",),
}
CATALOGUE_DOMAIN = "catalogue"
DOMAINS: tuple[str, ...] = (*PYTHON_DOMAINS, CATALOGUE_DOMAIN)

# the names whose string arguments are messages (Babel's python extractor)
KEYWORDS: dict[str, tuple[int | tuple[int, str], ...] | None] = {
    "gettext": None,
    "ngettext": (1, 2),
    "pgettext": ((1, "c"), 2),
    "npgettext": ((1, "c"), 2, 3),
    "N_": None,
}


def python_sources(domain: str) -> list[Path]:
    """The source files of a domain, each file in exactly one domain."""
    taken: set[Path] = set()
    for name, patterns in PYTHON_DOMAINS.items():
        files = sorted({p for pattern in patterns for p in PACKAGE_DIR.glob(pattern)} - taken)
        taken.update(files)
        if name == domain:
            return files
    return []


def N_(message: str) -> str:
    """Marks a constant for extraction; it is translated where it is shown."""
    return message
