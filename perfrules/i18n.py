"""The language of the messages an author meets (validate, test, check, diff, CLI errors, --help).

Chinese or English, chosen by `use()` (the CLI's `--lang zh|en`), else $PERFRULES_LANG, else the
locale ($LANGUAGE, $LC_ALL, $LC_MESSAGES, $LANG: one that starts with `zh` is Chinese), English
otherwise. Messages go through the standard gettext catalog shipped in perfrules/locale/
(docs/translating.md says how to extract and compile it). A module writes
`from .i18n import gettext as _` and `_("unknown key '{key}'").format(key=k)`: the text is looked up
whole, then filled in. Scores and findings are Chinese already and do not pass through here.
"""

from __future__ import annotations

import argparse
import os
from contextlib import contextmanager
from functools import lru_cache
from gettext import GNUTranslations, NullTranslations
from importlib import resources
from typing import Iterator, Literal, Mapping

Language = Literal["zh", "en"]
LANGUAGES: tuple[Language, ...] = ("zh", "en")
DOMAIN = "perfrules"
CATALOGS: dict[Language, str] = {"zh": "zh_CN"}  # the catalog folder under perfrules/locale/ of each language
LOCALE_VARIABLES = ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")  # gettext's own order

_chosen: Language | None = None


def parse_language(text: str) -> Language | None:
    """`zh`, `zh_CN.UTF-8`, `zh-Hans`, `ZH` -> zh; `en`, `en_US`, `C` ... -> en; None when `text` names
    neither (`fr`, ``): the caller decides whether that is an error or means "look further"."""
    word = text.strip().lower()
    if word.startswith("zh"):
        return "zh"
    if word.startswith("en") or word in ("c", "posix") or word.startswith(("c.", "posix.")):
        return "en"
    return None


def from_environment(environ: Mapping[str, str] | None = None) -> Language:
    """$PERFRULES_LANG (zh or en), else the first locale variable that is set: Chinese when it starts
    with `zh`. $LANGUAGE may list several (`zh_CN:en`): the first decides."""
    env = os.environ if environ is None else environ
    chosen = parse_language(env.get("PERFRULES_LANG", ""))
    if chosen is not None:
        return chosen
    for name in LOCALE_VARIABLES:
        value = env.get(name, "")
        if value:
            return "zh" if value.split(":")[0].strip().lower().startswith("zh") else "en"
    return "en"


def environment_problem(environ: Mapping[str, str] | None = None) -> str | None:
    """What is wrong with $PERFRULES_LANG while it is consulted (no `use()`): the command refuses a
    mistyped value rather than ignore it."""
    env = os.environ if environ is None else environ
    value = env.get("PERFRULES_LANG", "")
    if _chosen is None and value.strip() and parse_language(value) is None:
        return gettext("PERFRULES_LANG must be zh or en, not {value}").format(value=repr(value))
    return None


def language() -> Language:
    """The language messages are written in now."""
    return _chosen if _chosen is not None else from_environment()


def use(lang: str | None) -> None:
    """Write messages in `lang` (zh or en) from now on; None: follow the environment again."""
    global _chosen
    if lang is None:
        _chosen = None
        return
    parsed = parse_language(lang)
    if parsed is None or parsed != lang.strip().lower():
        raise ValueError(f"language must be one of {', '.join(LANGUAGES)}, not {lang!r}")
    _chosen = parsed


@contextmanager
def using(lang: str | None) -> Iterator[None]:
    """Messages in `lang` inside the block; the language before it afterwards."""
    global _chosen
    before = _chosen
    use(lang)
    try:
        yield
    finally:
        _chosen = before


@contextmanager
def inherited() -> Iterator[None]:
    """Inside the block, $PERFRULES_LANG says the language chosen with `use()`, so that worker
    processes (`score --jobs N`, whatever their start method) and other children write in it too."""
    before = os.environ.get("PERFRULES_LANG")
    if _chosen is not None:
        os.environ["PERFRULES_LANG"] = _chosen
    try:
        yield
    finally:
        if before is None:
            os.environ.pop("PERFRULES_LANG", None)
        else:
            os.environ["PERFRULES_LANG"] = before


@lru_cache(maxsize=None)
def translations(lang: Language) -> NullTranslations:
    """The shipped catalog of `lang`, read once; English is the messages as written, and so is a
    language whose catalog is missing from the install (tests/test_i18n.py checks that it ships)."""
    folder = CATALOGS.get(lang)
    mo = resources.files("perfrules").joinpath(f"locale/{folder}/LC_MESSAGES/{DOMAIN}.mo")
    if folder is None or not mo.is_file():
        return NullTranslations()
    with mo.open("rb") as f:
        return GNUTranslations(f)


def gettext(message: str) -> str:
    """`message` in the current language (the English text when the catalog lacks it)."""
    return translations(language()).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The singular or plural form of a message for `n`, in the current language."""
    return translations(language()).ngettext(singular, plural, n)


def N_(message: str) -> str:
    """Marks a message for extraction where it is written; `gettext()` translates it where it is shown."""
    return message


# argparse's own words, translated for --help and usage errors (argparse_words() swaps them in).
# Marked here so that extraction keeps them in the catalog.
ARGPARSE = (
    N_("usage: "), N_("positional arguments"), N_("options"), N_("show this help message and exit"),
    N_("show program's version number and exit"), N_("%(prog)s: error: %(message)s\n"),
    N_("the following arguments are required: %s"), N_("unrecognized arguments: %s"),
    N_("argument %(argument_name)s: %(message)s"), N_("invalid choice: %(value)r (choose from %(choices)s)"),
    N_("invalid %(type)s value: %(value)r"), N_("expected one argument"), N_("expected at least one argument"),
    N_("ambiguous option: %(option)s could match %(matches)s"), N_("not allowed with argument %s"),
    N_("ignored explicit argument %r"), N_("unknown parser %(parser_name)r (choices: %(choices)s)"),
)


@contextmanager
def argparse_words() -> Iterator[None]:
    """argparse's usage, headings and errors in the current language while the block builds and runs
    a parser. argparse looks its words up through its module's `_` and `ngettext` each time it needs
    one, so they are swapped there for the block and put back after it."""
    ours = {"_": gettext, "ngettext": ngettext}
    before = {name: getattr(argparse, name) for name in ours}
    for name, function in ours.items():
        setattr(argparse, name, function)
    try:
        yield
    finally:
        for name, function in before.items():
            setattr(argparse, name, function)
