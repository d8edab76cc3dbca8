"""The report's prose: access to ``resources/report_text.yaml``, section headings and the table of contents.

Every sentence a manager reads comes from that file, in Dutch (nl-BE) or English: :func:`text` looks up a
dotted key under the language and fills its ``{placeholders}``.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml

LANGS = ("nl", "en")

@lru_cache(maxsize=1)
def report_text() -> dict[str, Any]:
    """The parsed ``resources/report_text.yaml``: one mapping per language."""
    raw = resources.files("feedback_analysis").joinpath("resources/report_text.yaml").read_text("utf-8")
    return yaml.safe_load(raw)


def _check_lang(lang: str) -> str:
    if lang not in LANGS:
        raise ValueError(f"report language must be 'nl' or 'en', got {lang!r}")
    return lang


def text(key: str, lang: str = "nl", **values: Any) -> Any:
    """The report text at dotted ``key`` in ``lang``, with ``{placeholders}`` filled from ``values``.

    Returns the raw value (a list or mapping) when ``key`` points to one.
    """
    node: Any = report_text()[_check_lang(lang)]
    for part in key.split("."):
        node = node[part]
    return node.format(**values) if isinstance(node, str) and values else node


# The report's sections in the order the notebook shows them (the table of contents follows it).
SECTIONS = ("findings", "shares", "trend", "topics", "consensus", "compliments", "flagged", "method")


def section_id(name: str) -> str:
    """The HTML id of a section's heading, the same in every language: ``section-compliments``."""
    return f"section-{name}"


def section(name: str, lang: str = "nl") -> str:
    """Heading and introduction of a report section (``sections.<name>`` in the texts), as Markdown.

    The heading is an HTML ``<h2>`` with the id of :func:`section_id` (and class ``fa-section``, where the
    printed report starts a new page), so that the table of contents can link to it."""
    parts = text(f"sections.{name}", lang)
    body = [value.strip() for key, value in parts.items() if key != "title"]
    title = html.escape(parts["title"], quote=False)
    return "\n\n".join([f'<h2 id="{section_id(name)}" class="fa-section">{title}</h2>', *body])


def contents_html(lang: str = "nl", sections: Iterable[str] = SECTIONS) -> str:
    """A short table of contents: a list of links to the sections' headings (:func:`section`)."""
    items = "".join(f'<li><a href="#{section_id(name)}">{html.escape(text(f"sections.{name}.title", lang), quote=False)}'
                    f"</a></li>" for name in sections)
    label = html.escape(text("contents", lang), quote=False)
    return f'<nav class="fa-contents" aria-label="{label}"><p class="fa-contents-title">{label}</p><ol>{items}</ol></nav>'


def escape_markdown(value: object) -> str:
    """``value`` as literal Markdown text: HTML and Markdown syntax in posts cannot change the report."""
    escaped = html.escape(str(value), quote=False)
    return re.sub(r"([\\`*_\[\]#|~])", r"\\\1", escaped)



def _source_name(source: str, lang: str) -> str:
    return text("sources", lang).get(source, source)
