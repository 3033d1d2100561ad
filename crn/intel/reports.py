"""Reports for strategists from the intelligence results: the influence report in html, md, csv or json, with charts."""

from __future__ import annotations

import base64
import csv
import functools
import datetime as dt
import html
import io
import json
from typing import Any

from crn.intel import IntelError
from crn.intel.influence import InfluenceReport, influence_report

__all__ = ["FORMATS", "render", "build_and_render"]

FORMATS = ("html", "md", "csv", "json")
#: fonts tried first for chart labels (names in Chinese, Japanese, Korean), when installed
CJK_FONTS = ("Noto Sans CJK SC", "Noto Sans CJK JP", "WenQuanYi Zen Hei", "Source Han Sans SC", "SimHei")


def _jsonable(value: Any) -> Any:
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, set):
        return sorted(value)
    return value


def to_dict(report: InfluenceReport) -> dict:
    """The report as plain JSON-ready data."""
    return json.loads(json.dumps({
        "scope": report.scope,
        "generated_at": report.generated_at.isoformat(),
        "parameters": report.parameters,
        "network": report.network_size,
        "people": [vars(p) for p in report.people],
        "brokers": [vars(p) for p in report.brokers],
        "single_threaded": report.single_threaded,
        "decay": report.decay,
        "coverage": report.coverage,
    }, default=_jsonable))


@functools.cache
def _font_families() -> list[str]:
    """Fonts for chart labels: a CJK font when the system has one (Chinese, Japanese, Korean names)."""
    from matplotlib import font_manager

    installed = {f.name for f in font_manager.fontManager.ttflist}
    if not any(f in installed for f in CJK_FONTS):
        for path in font_manager.findSystemFonts():
            if "CJK" in path or "wqy" in path.lower():
                try:
                    font_manager.fontManager.addfont(path)
                except (OSError, RuntimeError, ValueError):
                    continue
        installed = {f.name for f in font_manager.fontManager.ttflist}
    return [f for f in CJK_FONTS if f in installed] + ["DejaVu Sans"]


def _chart_png(draw) -> str:
    """Draw with matplotlib (headless) and return a data: URI of the PNG."""
    import matplotlib

    matplotlib.use("Agg")
    import warnings

    import matplotlib.pyplot as plt

    families = _font_families()
    with plt.rc_context({"font.family": "sans-serif", "font.sans-serif": families}), warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="Glyph .* missing from font")
        fig, ax = plt.subplots(figsize=(7.5, 3.6), dpi=100)
        try:
            draw(ax)
            fig.tight_layout()
            buffer = io.BytesIO()
            fig.savefig(buffer, format="png")
        finally:
            plt.close(fig)
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def _charts(report: InfluenceReport) -> list[tuple[str, str]]:
    charts = []
    top = report.people[:15]
    if top:
        def influencers(ax):
            rows = list(reversed(top))
            y = range(len(rows))  # positions, not names: two people may share a name
            ax.barh(y, [p.pagerank for p in rows], color="#4c72b0", label="PageRank")
            ax.barh(y, [p.betweenness for p in rows], left=[p.pagerank for p in rows], color="#dd8452",
                    label="betweenness")
            ax.set_yticks(list(y), [p.name for p in rows])
            ax.set_xlabel("scaled to the top person = 1")
            ax.legend(loc="lower right")
            ax.set_title("Key influencers")
        charts.append(("Key influencers", _chart_png(influencers)))
    coverage = sorted(report.coverage, key=lambda c: c["coverage"])[:20]
    if coverage:
        def cover(ax):
            rows = list(reversed(coverage))  # lowest at the top
            ax.barh(range(len(rows)), [c["coverage"] for c in rows], color="#55a868")
            ax.set_yticks(list(range(len(rows))), [c["name"] for c in rows])
            ax.set_xlim(0, 1)
            ax.set_xlabel("share of contacts someone of ours knows")
            ax.set_title("Relationship coverage (lowest first)")
        charts.append(("Coverage", _chart_png(cover)))
    decay = report.decay[:15]
    if decay:
        def decaying(ax):
            rows = list(reversed(decay))
            y = range(len(rows))
            ax.barh(y, [d["before"] for d in rows], color="#c4c4c4", label="before")
            ax.barh(y, [d["after"] for d in rows], color="#c44e52", label="now")
            ax.set_yticks(list(y), [f"{d['user_name']} - {d['person_name']}" for d in rows])
            ax.set_xlim(0, 1)
            ax.legend(loc="lower right")
            ax.set_title("Decaying relationships")
        charts.append(("Decay", _chart_png(decaying)))
    return charts


def _table(headers: list[str], rows: list[list[Any]]) -> str:
    head = "".join(f"<th>{html.escape(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{html.escape(str(c))}</td>" for c in r) + "</tr>" for r in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _sections(report: InfluenceReport) -> list[tuple[str, list[str], list[list[Any]]]]:
    return [
        ("Key influencers", ["person", "company", "PageRank", "betweenness", "score", "broker", "why"],
         [[p.name, p.company or "", f"{p.pagerank:.3f}", f"{p.betweenness:.3f}", f"{p.score:.3f}",
           "yes" if p.is_broker else "", p.reason] for p in report.people]),
        ("Brokers between groups", ["person", "company", "betweenness", "why"],
         [[p.name, p.company or "", f"{p.betweenness:.3f}", p.reason] for p in report.brokers]),
        ("Single-threaded accounts", ["company", "contacts known", "our users", "why"],
         [[s["name"], s["known"], s["users"], s["explanation"]] for s in report.single_threaded]),
        ("Decaying relationships", ["user", "person", "before", "now", "drop"],
         [[d["user_name"], d["person_name"], f"{d['before']:.2f}", f"{d['after']:.2f}", f"{d['drop']:.2f}"]
          for d in report.decay]),
        ("Coverage", ["company", "contacts", "known", "coverage"],
         [[c["name"], c["contacts"], c["known"], f"{c['coverage']:.0%}"] for c in report.coverage]),
    ]


def _header_lines(report: InfluenceReport) -> list[str]:
    params = ", ".join(f"{k}={v}" for k, v in report.parameters.items())
    return [f"Scope: {report.scope}", f"Generated: {report.generated_at:%Y-%m-%d %H:%M %Z}", f"Parameters: {params}",
            "Network: " + ", ".join(f"{v} {k}" for k, v in report.network_size.items())]


def render(report: InfluenceReport, fmt: str) -> str:
    """Render a report as ``html`` (with inline PNG charts), ``md``, ``csv`` or ``json``."""
    if fmt == "json":
        return json.dumps(to_dict(report), indent=2, ensure_ascii=False)
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out)
        for line in _header_lines(report):
            writer.writerow(["#", line])
        for title, headers, rows in _sections(report):
            writer.writerow([])
            writer.writerow(["section", *headers])
            for row in rows:
                writer.writerow([title, *row])
        return out.getvalue()
    if fmt == "md":
        lines = [f"# Influence report: {report.scope}", ""] + [f"- {h}" for h in _header_lines(report)]
        for title, headers, rows in _sections(report):
            lines += ["", f"## {title}", ""]
            if not rows:
                lines.append("_none_")
                continue
            lines.append("| " + " | ".join(headers) + " |")
            lines.append("|" + "---|" * len(headers))
            lines += ["| " + " | ".join(str(c).replace("|", "/") for c in row) + " |" for row in rows]
        return "\n".join(lines) + "\n"
    if fmt == "html":
        charts = "".join(f'<figure><img alt="{html.escape(t)}" src="{src}"><figcaption>{html.escape(t)}</figcaption></figure>'
                         for t, src in _charts(report))
        sections = "".join(f"<h2>{html.escape(t)}</h2>" + (_table(h, r) if r else "<p><em>none</em></p>")
                           for t, h, r in _sections(report))
        header = "".join(f"<li>{html.escape(h)}</li>" for h in _header_lines(report))
        return ("<!doctype html><html><head><meta charset='utf-8'>"
                f"<title>Influence report: {html.escape(report.scope)}</title><style>"
                "body{font-family:system-ui,sans-serif;margin:2em;max-width:1100px}"
                "table{border-collapse:collapse;margin-bottom:1em}td,th{border:1px solid #ddd;padding:4px 8px;"
                "text-align:left;font-size:14px}th{background:#f4f4f4}figure{display:inline-block;margin:0 1em 1em 0}"
                "</style></head><body>"
                f"<h1>Influence report: {html.escape(report.scope)}</h1><ul>{header}</ul>{charts}{sections}"
                "</body></html>")
    raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")


def build_and_render(scope: str, fmt: str, **options: Any) -> str | IntelError:
    """Build the influence report of ``scope`` and render it; an :class:`IntelError` for bad input."""
    if fmt not in FORMATS:
        return IntelError("invalid_format", f"format must be one of {', '.join(FORMATS)}", "format")
    report = influence_report(scope, **options)
    if isinstance(report, IntelError):
        return report
    return render(report, fmt)
