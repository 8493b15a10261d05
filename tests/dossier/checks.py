"""What every dossier format must satisfy, shared by the planted and the corpus tests."""

from __future__ import annotations

import csv
import io
import json
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import jsonschema
from pypdf import PdfReader

SCHEMA = json.loads(
    (Path(__file__).parents[2] / "docs" / "dossier-schema.json").read_text(encoding="utf-8")
)
EXTERNAL = re.compile(
    r"""(?:\b(?:src|href|xlink:href|action|poster|data)\s*=\s*["']?\s*(?:https?:)?//)"""
    r"""|(?:url\(\s*["']?\s*(?:https?:)?//)|@import""",
    re.IGNORECASE,
)
ALLOWED_TAGS = {
    "html", "head", "meta", "title", "style", "body", "div", "span", "section", "nav", "h1",
    "h2", "h3", "p", "ol", "ul", "li", "a", "table", "colgroup", "col", "thead", "tbody", "tr",
    "th", "td", "strong", "figure", "figcaption", "br", "svg", "g", "line", "circle", "polygon",
    "text",
}  # fmt: skip


class _Page(HTMLParser):
    """Collects tags, attribute names and text of an HTML document."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: set[str] = set()
        self.attributes: set[str] = set()
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        self.attributes.update(name for name, _ in attrs)

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def words(text: str) -> str:
    """Text with every run of white space made one space (PDF lines wrap anywhere)."""
    return " ".join(text.split())


def html_page(html: str) -> _Page:
    page = _Page()
    page.feed(html)
    return page


def check_html(html: str) -> str:
    """Self-contained and inert: no script, no handler, no external URL; returns its text."""
    assert "<script" not in html.lower()
    assert not EXTERNAL.search(html), EXTERNAL.search(html)
    page = html_page(html)
    assert page.tags <= ALLOWED_TAGS, page.tags - ALLOWED_TAGS
    assert not {a for a in page.attributes if a.startswith("on")}
    return words(" ".join(page.text))


def pdf_text(content: bytes) -> tuple[int, str]:
    reader = PdfReader(io.BytesIO(content))
    return len(reader.pages), words(" ".join(p.extract_text() or "" for p in reader.pages))


def check_json(content: bytes) -> dict[str, Any]:
    doc: dict[str, Any] = json.loads(content)
    jsonschema.validate(doc, SCHEMA, cls=jsonschema.Draft202012Validator)
    return doc


def csv_rows(content: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"), newline="")))
