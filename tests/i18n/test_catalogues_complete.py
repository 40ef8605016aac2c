"""Every text people read exists in every supported language, with the same placeholders."""

from __future__ import annotations

import pytest

from marketing_health.i18n.extract import languages_with_catalogues, missing_translations


@pytest.mark.parametrize("language", languages_with_catalogues())
def test_every_message_is_translated(language: str) -> None:
    gaps = missing_translations(language)
    assert not gaps, f"{len(gaps)} message(s) to translate, first ones:\n" + "\n".join(
        str(g) for g in gaps[:20]
    )
