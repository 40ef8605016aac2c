"""Plurals, numbers, money and dates come from Babel's locale data, per language."""

from __future__ import annotations

import datetime as dt

import pytest

from marketing_health.i18n import UnknownLanguageError, supported_languages, translator


def test_english_and_chinese_are_supported() -> None:
    assert {"en", "zh-Hans"} <= set(supported_languages())


@pytest.mark.parametrize(
    ("tag", "n", "expected"),
    [
        ("en", 1, "1 night"),
        ("en", 2, "2 nights"),
        ("en", 0, "0 nights"),
        ("en", 1234, "1,234 nights"),
    ],
)
def test_english_plural_follows_the_count(tag: str, n: int, expected: str) -> None:
    assert translator(tag).ngettext("{n} night", "{n} nights", n) == expected


@pytest.mark.parametrize(
    ("tag", "ratio", "decimals", "expected"),
    [("en", 0.125, 1, "12.5%"), ("zh-Hans", 0.125, 1, "12.5%"), ("en", 0.5, 0, "50%")],
)
def test_percent_per_locale(tag: str, ratio: float, decimals: int, expected: str) -> None:
    assert translator(tag).percent(ratio, decimals) == expected


def test_money_takes_the_currency_from_the_data_and_never_guesses_one() -> None:
    zh = translator("zh-Hans")
    assert zh.money(1234.5, "CNY") == "¥1,234.50"
    assert translator("en").money(1234.5, "EUR") == "€1,234.50"
    assert translator("en").money(1234.5, None) == "1,234.50"


def test_dates_in_the_locale_long_form() -> None:
    day = dt.date(2026, 12, 5)
    assert translator("zh-Hans").date(day) == "2026年12月5日"
    assert translator("en").date(day) == "December 5, 2026"
    assert translator("en").date("2026-12-05", "medium") == "Dec 5, 2026"


def test_lists_join_as_the_language_does() -> None:
    assert translator("zh-Hans").list(["抖音", "小红书", "微博"]) == "抖音、小红书和微博"
    assert translator("en").list(["Douyin", "Weibo"]) == "Douyin and Weibo"


def test_values_fill_placeholders_in_the_locale_format() -> None:
    text = translator("en").gettext("{count} rows on {day}", count=12345, day=dt.date(2026, 1, 2))
    assert text == "12,345 rows on January 2, 2026"
    assert translator("en").gettext("{value}", value=None) == "n/a"


def test_a_language_without_messages_is_refused_with_the_supported_ones() -> None:
    with pytest.raises(UnknownLanguageError, match=r"supported: .*zh-Hans"):
        translator("fr")
    with pytest.raises(UnknownLanguageError, match="not a language tag"):
        translator("klingon-xx")
