"""Data shown as text: escaping for the few places Streamlit reads Markdown.

Widget labels, page links and headers are Markdown in Streamlit. Anything
from the data goes through :func:`md` there, so ``<script>``, links,
colour directives and emphasis in a record show as the characters they are.
Everywhere else data goes to ``st.text``, ``st.code`` or tables, which never
interpret it.

>>> md("<img src=x onerror=alert(1)>")
'\\\\<img src\\\\=x onerror\\\\=alert\\\\(1\\\\)\\\\>'
>>> md(":red[x] *y*")
'\\\\:red\\\\[x\\\\] \\\\*y\\\\*'
>>> short("a" * 50, 10)
'aaaaaaaaa…'
>>> cell(None), cell("None")
('—', 'None')
"""

from __future__ import annotations

import re
from typing import Any

_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~:$=&\"'])")


def md(text: str) -> str:
    """``text`` with every Markdown-significant character escaped, on one line."""
    return _SPECIAL.sub(r"\\\1", " ".join(str(text).split()))


def short(text: str, limit: int = 80) -> str:
    """At most ``limit`` characters, with an ellipsis when cut."""
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


ABSENT = "—"


def cell(value: Any) -> Any:
    """A table cell: a value that was not recorded shows as a dash, not as the word None.

    A stored text "None" stays "None", so the two can be told apart.
    """
    return ABSENT if value is None else value
