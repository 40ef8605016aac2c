"""Generated documentation pages: written from the contract and the catalogue, never by hand."""

from __future__ import annotations

from pathlib import Path


def rendered_docs() -> dict[str, str]:
    """File name under docs/ -> its expected content."""
    from marketing_health.catalogue import load_catalogue
    from marketing_health.catalogue.docs import render_pitfalls_md
    from marketing_health.contract import load_contract
    from marketing_health.contract.docs import render_landing_contract_md

    return {
        "landing-contract.md": render_landing_contract_md(load_contract()),
        "pitfalls.md": render_pitfalls_md(load_catalogue()),
    }


def write_docs(docs_dir: Path) -> list[Path]:
    docs_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in rendered_docs().items():
        path = docs_dir / name
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written
