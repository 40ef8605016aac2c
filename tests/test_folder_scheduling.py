"""The order test folders are handed out in under xdist (tests/conftest.py).

Whole folders go to one worker each, in collection order. A folder holding a ``schedule_first``
test (a long one that must not start last) comes first, one holding a ``schedule_last`` test
(the compose stack test, which needs the images scripts/test.sh builds in the background) comes
last whatever its size, and the rest come largest first. Checked on a small suite that uses the
project's own conftest.
"""

from __future__ import annotations

from pathlib import Path

import pytest

pytest_plugins = ["pytester"]

CONFTEST = Path(__file__).parent / "conftest.py"


def _test_file(marker: str, tests: int) -> str:
    head = f"import pytest\n\npytestmark = pytest.mark.{marker}\n\n" if marker else ""
    return head + "".join(f"\ndef test_{n}():\n    pass\n" for n in range(tests))


def _folders_in_collection_order(pytester: pytest.Pytester) -> list[str]:
    result = pytester.runpytest_subprocess("--collect-only", "-q", "-p", "no:cacheprovider")
    assert result.ret == 0, result.outlines
    folders: list[str] = []
    for line in result.outlines:
        if line.startswith("tests/") and "::" in line:
            folder = line.split("/")[1]
            if not folders or folders[-1] != folder:
                folders.append(folder)
    return folders


def test_a_schedule_last_folder_is_handed_out_last_and_a_schedule_first_one_first(
    pytester: pytest.Pytester,
) -> None:
    pytester.makeconftest(CONFTEST.read_text(encoding="utf-8"))
    layout = {
        "stack": ("schedule_last", 5),  # the largest, yet last
        "small": ("", 1),
        "large": ("", 3),
        "week": ("schedule_first", 1),  # the smallest, yet first
    }
    for folder, (marker, tests) in layout.items():
        path = pytester.path / "tests" / folder
        path.mkdir(parents=True)
        (path / f"test_{folder}.py").write_text(_test_file(marker, tests), encoding="utf-8")

    assert _folders_in_collection_order(pytester) == ["week", "large", "small", "stack"]
