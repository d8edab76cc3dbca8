"""The reports index (``reports/index.html``): every month with a report, newest first, in one language.

The newest month comes first with its key figures, then a small chart of the negative share per month
(inline SVG with a text alternative), then the earlier months with three figures each. All text is in
the index's language (the config's ``language``); links to a report in the other language say which
language it is. The page is rendered by a jinja2 template (:data:`TEMPLATE`), which escapes every value;
its texts are ``index`` in ``resources/report_text.yaml``.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from feedback_analysis.report.formatting import format_number, format_percent, month_title
from feedback_analysis.report.layout import LANGUAGES, MONTH, ReportPaths
from feedback_analysis.report.texts import text
from feedback_analysis.store import reports as storage

# Index labels for the figure names the report notebook publishes (``index.figures`` in the texts);
# others show their name.
FIGURE_LABELS = {lang: text("index.figures", lang) for lang in LANGUAGES}
LATEST_FIGURES = 5   # figures shown for the newest month
EARLIER_FIGURES = 3  # and for each month before it
TREND_MONTHS = 12

TEMPLATE = """{%- macro links(entry) -%}
<div class="links">
{%- for link in entry.links %}<a href="{{ link.href }}" hreflang="{{ link.lang }}">{{ link.label }}</a>{% endfor -%}
</div>
{%- endmacro -%}
{%- macro figures(entry) -%}
{%- if entry.figures %}<dl class="figures">
{%- for label, value in entry.figures %}<div><dt>{{ label }}</dt><dd>{{ value }}</dd></div>{% endfor -%}
</dl>{% endif -%}
{%- endmacro -%}
<!DOCTYPE html>
<html lang="{{ lang }}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ title }}</title>
<style>{{ css|safe }}</style>
</head>
<body>
<h1>{{ title }}</h1>
<p class="subtitle">{{ texts.subtitle }}</p>
{%- if not months %}
<p class="empty">{{ texts.empty }}</p>
{%- else %}
{%- set latest = months[0] %}
<section class="latest" aria-labelledby="latest-title">
<h2 id="latest-title">{{ texts.latest }}: <span class="month">{{ latest.title }}</span></h2>
{{ links(latest) }}
{{ figures(latest) }}
</section>
{%- if trend|length > 1 %}
<section class="trend">
<h2>{{ texts.trend }}</h2>
<svg class="bars" viewBox="0 0 {{ trend|length * 44 }} 130" width="{{ trend|length * 44 }}" height="130"
     role="img" aria-label="{{ trend_alt }}">
{%- for bar in trend %}
<g>
<rect x="{{ loop.index0 * 44 + 8 }}" y="{{ 100 - bar.height }}" width="28" height="{{ bar.height }}"
      class="{{ 'current' if loop.last else 'bar' }}"></rect>
<text x="{{ loop.index0 * 44 + 22 }}" y="{{ 94 - bar.height }}" class="value">{{ bar.value }}</text>
<text x="{{ loop.index0 * 44 + 22 }}" y="116" class="label">{{ bar.short }}</text>
</g>
{%- endfor %}
</svg>
</section>
{%- endif %}
{%- if months|length > 1 %}
<section class="earlier">
<h2>{{ texts.earlier }}</h2>
<ul class="months">
{%- for entry in months[1:] %}
<li><div class="month">{{ entry.title }}</div>{{ links(entry) }}{{ figures(entry) }}</li>
{%- endfor %}
</ul>
</section>
{%- endif %}
{%- endif %}
</body>
</html>
"""

CSS = """
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 0 auto; max-width: 48rem;
       padding: 1rem; color: #1b1b1b; background: #fff; line-height: 1.45; }
h1 { font-size: 1.6rem; margin: 0.2rem 0; }
h2 { font-size: 1.15rem; margin: 1.4rem 0 0.4rem; }
p.subtitle { color: #555; margin: 0 0 1rem; }
section.latest { border: 1px solid #cfd8e0; border-radius: 8px; padding: 0.2rem 1rem 0.8rem; background: #f6f9fb; }
ul.months { list-style: none; padding: 0; margin: 0; }
ul.months li { border-top: 1px solid #ddd; padding: 0.8rem 0; }
.month { font-size: 1.15rem; font-weight: 600; }
.links a { margin-right: 0.8rem; }
dl.figures { display: flex; flex-wrap: wrap; gap: 0.3rem 1.5rem; margin: 0.4rem 0 0; }
dl.figures div { min-width: 8rem; }
dl.figures dt { font-size: 0.85rem; color: #555; }
dl.figures dd { margin: 0; font-size: 1.1rem; font-variant-numeric: tabular-nums; }
svg.bars { max-width: 100%; height: auto; display: block; }
svg.bars rect.bar { fill: #E69F00; }
svg.bars rect.current { fill: #D55E00; }
svg.bars text { font-size: 12px; text-anchor: middle; fill: #333; }
svg.bars text.value { font-size: 11px; }
p.empty { color: #555; }
"""


def _format_figure(name: str, value: Any, lang: str) -> str:
    if isinstance(value, bool):
        return text("index.yes" if value else "index.no", lang)
    if isinstance(value, int):
        return format_number(value, lang)
    if isinstance(value, float):
        return format_percent(value, lang) if name.endswith("_share") else format_number(value, lang, 2)
    return str(value)


def headline_figures(figures: Mapping[str, Any], count: int = EARLIER_FIGURES, lang: str = "nl") -> list[tuple[str, str]]:
    """The first ``count`` plain figures as (label, formatted value) in ``lang``: the ones the index shows."""
    labels = FIGURE_LABELS[lang]
    plain = [(k, v) for k, v in figures.items() if isinstance(v, (int, float, str, bool)) and v is not None]
    return [(labels.get(name, name.replace("_", " ")), _format_figure(name, value, lang)) for name, value in plain[:count]]


def _month_entry(reports_dir: Path, month: str, lang: str, count: int) -> dict[str, Any] | None:
    """Links and figures of one month; the figures of the report in ``lang`` when there is one."""
    languages = [lang, *(other for other in LANGUAGES if other != lang)]
    names = text("index.languages", lang)
    links, figures = [], None
    for report_lang in languages:
        paths = ReportPaths.for_month(reports_dir, month, report_lang)
        if paths.html.is_file():
            links.append({"href": f"{month}/{paths.html.name}", "lang": report_lang,
                          "label": names[report_lang]})
            if paths.pdf is not None and paths.pdf.is_file():
                links.append({"href": f"{month}/{paths.pdf.name}", "lang": report_lang,
                              "label": f"PDF ({names[report_lang]})"})
            if figures is None:
                figures = (storage.read_figures_file(paths.figures) or {}).get("figures") or {}
    if not links:
        return None
    return {"month": month, "title": month_title(month, lang), "links": links, "raw": figures or {},
            "figures": headline_figures(figures or {}, count, lang)}


def _trend(entries: list[dict[str, Any]], lang: str) -> list[dict[str, Any]]:
    """Bars of the negative share, oldest first, for the months that published one."""
    shares = []
    for entry in reversed(entries[:TREND_MONTHS]):
        share = entry["raw"].get("negative_share")
        if isinstance(share, (int, float)) and not isinstance(share, bool):
            shares.append((entry, min(max(float(share), 0.0), 1.0)))
    # The highest bar fills the chart (bars start at zero, so their lengths stay comparable).
    top = max([share for _, share in shares] + [0.05])
    bars = []
    for entry, share in shares:
        year, number = entry["month"].split("-")
        bars.append({"month": entry["month"], "title": entry["title"], "value": format_percent(share, lang),
                     "height": round(80 * share / top, 1),
                     "short": f"{text('months_short', lang)[int(number) - 1]} {year[2:]}"})
    return bars


def render_index(reports_dir: Path, municipality: str, lang: str = "nl") -> str:
    """The reports index page in ``lang``: every month with a report, newest first, with links and key
    figures, and the negative share per month as a small bar chart."""
    from jinja2 import Environment, select_autoescape

    if lang not in LANGUAGES:
        raise ValueError(f"index language must be one of {', '.join(LANGUAGES)}, got {lang!r}")
    folders = storage.month_folders(reports_dir, MONTH)
    entries = []
    for month in folders:
        entry = _month_entry(Path(reports_dir), month, lang, LATEST_FIGURES if not entries else EARLIER_FIGURES)
        if entry is not None:
            entries.append(entry)
    texts = text("index", lang)
    trend = _trend(entries, lang)
    trend_alt = texts["trend_alt"].format(values=", ".join(f"{bar['title']} {bar['value']}" for bar in trend))
    environment = Environment(autoescape=select_autoescape(default=True, default_for_string=True),
                              trim_blocks=False, lstrip_blocks=False)
    template = environment.from_string(TEMPLATE)
    return template.render(lang=lang, title=texts["title"].format(municipality=municipality), texts=texts,
                           css=CSS, months=entries, trend=trend, trend_alt=trend_alt)
