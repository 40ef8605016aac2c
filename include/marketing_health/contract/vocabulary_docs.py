"""The vocabulary part of ``docs/landing-contract.md``: which names the platform and post-format
columns accept, and the yes/no words of the true / false columns, written from the packaged
vocabulary files so the page lists exactly what the loader accepts.

Only the packaged files are listed: a team's additions in ``config/vocabularies/`` are its own
and do not change the page.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from marketing_health.catalogue.vocabularies import (
    FULLWIDTH_HASH,
    Vocabularies,
    load_package_vocabularies,
    normalise_term,
)
from marketing_health.contract.schema import Column, Contract

#: Where the vocabulary files are, seen from docs/.
FILES_LINK = "../include/marketing_health/catalogue/vocabularies"
#: In-page anchor of each column vocabulary's table.
ANCHORS = {"platforms": "#platforms", "post_formats": "#post-formats"}
LANGUAGE_NAMES = {
    "en": "English",
    "zh-Hans": "Chinese",
    "de": "German",
    "fr": "French",
    "es": "Spanish",
}

_INTRO = """\
## Names in your language: vocabularies

Some columns hold names, not free text: the platform of a post, ad or creator, the format of a
post, and the true / false columns. They are read through the **vocabularies**, YAML files in
[`include/marketing_health/catalogue/vocabularies/`]({files}/), the same files every tool
export reader and every dbt model reads:

- Names are compared ignoring upper/lower case, with spaces and hyphens read as `_`
  (`YouTube Shorts` = `youtube-shorts` = `youtube_shorts`); Chinese names as written.
- **A known name loads as its id**, in any language the file knows: `抖音` and `Ocean Engine`
  load as `douyin`, `小红书` and `RED` as `xiaohongshu`, `短视频` and `Reel` as `short_video`.
- **An unknown name is loaded, never quarantined**: as written, in lower case with spaces and
  hyphens as `_` (`Dewu App` loads as `dewu_app`). The night lists every unknown name with its
  file, column and campaigns in the ops digest and the health report (`marts.fct_unknown_terms`),
  and a guard that depends on it says it *cannot tell* instead of passing or failing the
  campaign. Add the name to the vocabulary and the next night reads it.
- **A platform outside its channel** (an ad platform such as `baidu` in `social_posts`, a
  social network in `paid_ads`) is loaded as the file says: `channels` in
  [`platforms.yaml`]({files}/platforms.yaml) says where a platform normally appears, but tools
  differ and the file is the record. The night's checks read the rows as that platform (an
  ad platform offers no post formats). Such a row usually means an export dropped in the
  wrong folder; if the platform really is used there, add the channel to it (below).
- **Your team's names**: a file of the same name and shape in the config folder
  `config/vocabularies/` (or the folder in `MH_VOCABULARIES_DIR`) adds names; a name that
  already means something else is refused, naming both files. For example:

  ```yaml
  # config/vocabularies/platforms.yaml
  platforms:
    dewu:
      label: Dewu
      channels: [social, influencer]
      formats: [image, short_video]
      links: []   # its posts carry no outside link
      names: {{en: [dewu, poizon], zh-Hans: [得物]}}
    xiaohongshu:
      names: {{en: [little red book app]}}
  post_formats:
    short_video: {{de: [kurzclip]}}
  ```

- **Where a link is possible**: `links` in [`platforms.yaml`]({files}/platforms.yaml) names
  the channels whose activity on the platform can carry a tracked link (`social`: the
  brand's posts, `influencer`: creator posts, `paid`: its ads); `[]` when none can, as on
  Douyin, Xiaohongshu or in Instagram and TikTok posts. Only there, and in every e-mail, does
  activity without a `utm_campaign` count as untracked (P09). A team's `links` replaces the
  packaged list (Ocean Engine ads that land on the brand's own site: `douyin` with
  `links: [paid]`); a platform no file gives `links` is read like an unknown one.
- **Disclosure markers** (`#ad`, `#werbung`, `#广告`, `paid partnership` ...) are read from
  [`disclosure_markers.yaml`]({files}/disclosure_markers.yaml) by every export that reads a
  caption (see [Exports from marketing tools](#exports-from-marketing-tools)): a hashtag
  counts as a whole tag (`#ad` is not `#adidas`; the full-width `{fullwidth_hash}` of Chinese
  keyboards counts), a label (a platform's paid-partnership label, a phrase such as
  `in Kooperation mit`) anywhere in the text; a platform's own markers count on that platform
  only, the platform-independent ones everywhere.

The columns read this way:

{columns}

### Platforms

From [`platforms.yaml`]({files}/platforms.yaml). Each platform's id is accepted too.

{platforms}

### Post formats

From [`platforms.yaml`]({files}/platforms.yaml) (`post_formats`).

{formats}

### Yes and no

The true / false columns ({booleans}) accept `true` / `false`, `yes` / `no`, `y` / `n`,
`t` / `f` and `1` / `0`, and the words of [`yes_no.yaml`]({files}/yes_no.yaml). Anything else
is not a true / false value: the row is quarantined, naming file, row and column.

{yes_no}
"""


def _cell(text: str) -> str:
    return " ".join(text.replace("|", "\\|").split())


def _table(headers: tuple[str, ...], rows: Iterable[tuple[str, ...]]) -> str:
    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    lines += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def _names(identifier: str, by_language: Mapping[str, tuple[str, ...]]) -> str:
    """Names per language, without repeating the id (always accepted)."""
    parts = []
    for lang, names in by_language.items():
        shown = [f"`{n}`" for n in names if normalise_term(n) != identifier]
        if shown:
            parts.append(f"{LANGUAGE_NAMES.get(lang, lang)}: {', '.join(shown)}")
    return "; ".join(parts)


def accepted_values(col: Column) -> str:
    """The "Allowed values" cell of a vocabulary column: a link to its table."""
    title = "platforms" if col.vocabulary == "platforms" else "post formats"
    link = ANCHORS[col.vocabulary or ""]
    return f"names of the [{title} vocabulary]({link}); an unknown name loads as written"


def render_vocabularies_md(contract: Contract, vocab: Vocabularies | None = None) -> str:
    vocab = vocab or load_package_vocabularies()
    columns = _table(
        ("Folder", "Column", "Vocabulary"),
        (
            (f"`{s.name}`", f"`{c.name}`", f"[{c.vocabulary}]({ANCHORS[c.vocabulary]})")
            for s in contract
            for c in s.columns
            if c.vocabulary
        ),
    )
    platforms = _table(
        ("Id", "Platform", "Channels", "Formats", "Links possible in", "Also written"),
        (
            (
                f"`{p.platform}`",
                p.label,
                ", ".join(p.channels),
                ", ".join(p.formats) or "none (ads)",
                "not declared" if p.links is None else ", ".join(p.links) or "none",
                _names(p.platform, p.names),
            )
            for p in vocab.platforms.values()
        ),
    )
    formats = _table(
        ("Id", "Also written"),
        ((f"`{f}`", _names(f, names)) for f, names in vocab.post_formats.items()),
    )
    yes_no = _table(
        ("Language", "true", "false"),
        (
            (
                LANGUAGE_NAMES.get(lang, lang),
                ", ".join(f"`{w}`" for w in vocab.yes_no.get("true", {}).get(lang, ())),
                ", ".join(f"`{w}`" for w in vocab.yes_no.get("false", {}).get(lang, ())),
            )
            for lang in dict.fromkeys(lang for answer in vocab.yes_no.values() for lang in answer)
        ),
    )
    booleans = ", ".join(
        dict.fromkeys(f"`{c.name}`" for s in contract for c in s.columns if c.type == "boolean")
    )
    return _INTRO.format(
        files=FILES_LINK,
        fullwidth_hash=FULLWIDTH_HASH,
        columns=columns,
        platforms=platforms,
        formats=formats,
        yes_no=yes_no,
        booleans=booleans,
    )
