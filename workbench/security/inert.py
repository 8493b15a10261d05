"""Showing stored text inert in a terminal or a plain-text field.

Data is stored verbatim, hostile or not; this is for the moment it is
shown. HTML needs escaping by its renderer (Jinja2 autoescape, Streamlit
text); a terminal needs control characters neutralised, because neither
rich nor a plain ``print`` stops an escape sequence in data from recolouring,
retitling or rewriting the screen, and a right-to-left override from
turning ``gnp.exe`` into what looks like ``exe.png``.
"""

from __future__ import annotations

import unicodedata

# Bidirectional controls: embeddings, overrides, isolates and marks.
BIDI = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c")
JOINERS = frozenset("\u200c\u200d")  # needed to spell Persian, Dari and emoji correctly
MAX_SHOWN = 500


def _visible(c: str) -> str:
    if c in "\n\t" or c in JOINERS:
        return c
    if c in BIDI or unicodedata.category(c) in ("Cc", "Cf", "Co", "Cs"):
        return f"<U+{ord(c):04X}>"
    return c


def display_text(value: object, *, limit: int | None = MAX_SHOWN, oneline: bool = False) -> str:
    """``value`` as text that cannot act on the terminal: controls shown as ``<U+XXXX>``.

    Very long text is cut at ``limit`` characters with a note of how much
    more there is; ``oneline`` also shows line breaks as ``⏎``.

    >>> display_text("\\u202egnp.exe")
    '<U+202E>gnp.exe'
    >>> display_text("a\\x1b[31mred")
    'a<U+001B>[31mred'
    >>> display_text("x" * 12, limit=5)
    'xxxxx… (7 more characters)'
    >>> display_text("two\\nlines", oneline=True)
    'two⏎lines'
    """
    text = "" if value is None else str(value)
    extra = 0
    if limit is not None and len(text) > limit:
        text, extra = text[:limit], len(text) - limit
    if oneline:
        text = text.replace("\r\n", "\n")
    shown = "".join(_visible(c) for c in text)
    if oneline:
        shown = shown.replace("\n", "⏎").replace("\t", " ")
    return shown + (f"… ({extra} more characters)" if extra else "")
