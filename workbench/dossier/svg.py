"""Small helpers for drawing SVG as text: every string placed in it is escaped here."""

from __future__ import annotations

import html
from collections.abc import Iterable

FONT = "DejaVu Sans, Liberation Sans, Arial, sans-serif"


def esc(value: object) -> str:
    """Text or attribute value, escaped for XML (quotes included).

    >>> esc('<img src=x onerror="alert(1)">')
    '&lt;img src=x onerror=&quot;alert(1)&quot;&gt;'
    """
    return html.escape(str(value), quote=True)


def clip(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` characters, with an ellipsis when cut.

    >>> clip("Abdullah Rahimi", 10), clip("Ali", 10)
    ('Abdullah …', 'Ali')
    """
    return text if len(text) <= limit else text[: limit - 1] + "…"


def num(value: float) -> str:
    """A coordinate with one decimal, without a trailing ``.0``.

    >>> num(12.0), num(3.14159)
    ('12', '3.1')
    """
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def document(width: float, height: float, label: str, parts: Iterable[str]) -> str:
    """An inline ``<svg>`` element (no external reference, no script) around ``parts``."""
    return (
        f'<svg class="figure" viewBox="0 0 {num(width)} {num(height)}" '
        f'width="{num(width)}" height="{num(height)}" role="img" aria-label="{esc(label)}" '
        f'font-family="{esc(FONT)}">' + "".join(parts) + "</svg>"
    )


def text(x: float, y: float, content: str, *, size: float, halo: bool = False, **attrs: str) -> str:
    """A text element; with ``halo``, a white outline first so it stays legible over lines."""
    extra = "".join(f' {k.replace("_", "-")}="{esc(v)}"' for k, v in attrs.items())
    body = esc(content)
    out = ""
    if halo:
        out += (
            f'<text x="{num(x)}" y="{num(y)}" font-size="{num(size)}"{extra} fill="#ffffff" '
            f'stroke="#ffffff" stroke-width="3" stroke-linejoin="round">{body}</text>'
        )
    return out + f'<text x="{num(x)}" y="{num(y)}" font-size="{num(size)}"{extra}>{body}</text>'
