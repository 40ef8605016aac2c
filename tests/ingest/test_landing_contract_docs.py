"""docs/landing-contract.md is generated from the contract and says what the loader does."""

from __future__ import annotations

from marketing_health.contract import load_contract
from marketing_health.contract.docs import LANDING_CONTRACT_DOC, render_landing_contract_md
from marketing_health.settings import REPO_ROOT


def test_landing_contract_page_is_current():
    expected = render_landing_contract_md(load_contract())
    current = (
        LANDING_CONTRACT_DOC.read_text(encoding="utf-8") if LANDING_CONTRACT_DOC.exists() else ""
    )
    assert current == expected, (
        f"{LANDING_CONTRACT_DOC.relative_to(REPO_ROOT)} no longer matches sources.yaml: "
        "regenerate it with `marketing-health docs` and commit it"
    )


def test_page_documents_every_source_and_column():
    contract = load_contract()
    page = render_landing_contract_md(contract)
    for source in contract:
        assert f"### {source.title} (`{source.name}`)" in page
        assert f"`{source.name}/YYYY-MM-DD/`" in page
        for col in source.columns:
            assert f"| `{col.name}` |" in page
    assert "**Hashed at load**: stored as `email_hash`" in page
    assert page.count("**Redacted**") == sum(c.free_text for s in contract for c in s.columns)
    for words in ("UTF-8 with or without BOM", "`.csv.gz`", "`.parquet`", "`.jsonl`", "`.tsv`"):
        assert words in page
    for status in ("`loaded`", "`replaced`", "`duplicate`", "`rejected`"):
        assert status in page
    assert "schema drift" in page
    for words in (
        "Extra columns are **reported, not loaded**",
        "A file for an earlier day arriving late",
        "**Files cut off** during export or upload are rejected whole",
        "rows in the file = rows loaded + rows\n  quarantined",
    ):
        assert words in page
