"""Charts drawn on the server as inline SVG: no JavaScript, no CDN, the same in print.

Each chart is plain shapes and text with a `<title>` and `aria-label`; the page puts the
numbers as a table beside it. Colours are few and dark enough to read in black-and-white
print; the bars carry their value as text, so the chart reads without colour at all.
"""

from __future__ import annotations

from collections.abc import Sequence

from markupsafe import Markup, escape

PALETTE = ("#1f5fa8", "#b5471b", "#2e7d32", "#6a1b9a", "#8d6e00", "#00838f")
FONT = "font-family=\"Liberation Sans, Arial, sans-serif\""


def _nice_max(value: float) -> float:
    if value <= 0:
        return 1
    step = 10 ** (len(str(int(value))) - 1)
    return (int(value / step) + 1) * step if value % step else value


def bar_chart(items: Sequence[tuple[str, float]], *, title: str, unit: str = "",
              width: int = 640, testid: str = "chart") -> Markup:
    """Horizontal bars, one per (label, value), longest label on the left."""
    items = list(items)
    bar_h, gap, label_w, top = 24, 8, 250, 30
    height = top + len(items) * (bar_h + gap) + 10
    scale_w = width - label_w - 70
    top_value = _nice_max(max((v for _, v in items), default=0))
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="report-chart" role="img" '
             f'viewBox="0 0 {width} {height}" width="100%" data-testid="{escape(testid)}" '
             f'aria-label="{escape(title)}"><title>{escape(title)}</title>',
             f'<text x="0" y="18" {FONT} font-size="16" font-weight="bold">{escape(title)}</text>']
    for index, (label, value) in enumerate(items):
        y = top + index * (bar_h + gap)
        length = 0 if top_value == 0 else scale_w * value / top_value
        short = label if len(label) <= 30 else label[:29] + "…"
        parts.append(f'<text x="{label_w - 6}" y="{y + 15}" text-anchor="end" {FONT} '
                     f'font-size="14"><title>{escape(label)}</title>{escape(short)}</text>')
        parts.append(f'<rect x="{label_w}" y="{y}" width="{length:.1f}" height="{bar_h}" '
                     f'fill="{PALETTE[0]}" data-value="{value:g}"/>')
        parts.append(f'<text x="{label_w + length + 5:.1f}" y="{y + 15}" {FONT} '
                     f'font-size="14">{value:g}{escape(unit)}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 - every text above is escaped


def line_chart(series: Sequence[tuple[str, Sequence[float]]], years: Sequence[int], *,
               title: str, width: int = 640, height: int = 260,
               testid: str = "chart") -> Markup:
    """One line per (name, values by year), with the years on the horizontal axis."""
    left, right, top, bottom = 44, 26, 32, 52 + 18 * ((len(series) + 2) // 3)
    plot_w, plot_h = width - left - right, height - top - bottom
    top_value = _nice_max(max((v for _, values in series for v in values), default=0))
    step = plot_w / max(1, len(years) - 1)

    def point(i: int, value: float) -> tuple[float, float]:
        x = left + (i * step if len(years) > 1 else plot_w / 2)
        return x, top + plot_h - plot_h * value / top_value

    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="report-chart" role="img" '
             f'viewBox="0 0 {width} {height}" width="100%" data-testid="{escape(testid)}" '
             f'aria-label="{escape(title)}"><title>{escape(title)}</title>',
             f'<text x="0" y="18" {FONT} font-size="16" font-weight="bold">{escape(title)}</text>',
             f'<line x1="{left}" y1="{top + plot_h}" x2="{left + plot_w}" y2="{top + plot_h}" '
             f'stroke="#444"/><line x1="{left}" y1="{top}" x2="{left}" y2="{top + plot_h}" '
             f'stroke="#444"/>',
             f'<text x="{left - 4}" y="{top + 4}" text-anchor="end" {FONT} font-size="13">'
             f'{top_value:g}</text>',
             f'<text x="{left - 4}" y="{top + plot_h}" text-anchor="end" {FONT} '
             f'font-size="13">0</text>']
    for i, year in enumerate(years):
        x, _ = point(i, 0)
        parts.append(f'<text x="{x:.1f}" y="{top + plot_h + 16}" text-anchor="middle" {FONT} '
                     f'font-size="13">{year}</text>')
    dashes = ("", "6 3", "2 3", "8 3 2 3", "1 2", "10 4")
    for n, (name, values) in enumerate(series):
        colour = PALETTE[n % len(PALETTE)]
        points = " ".join("{:.1f},{:.1f}".format(*point(i, v)) for i, v in enumerate(values))
        dash = f' stroke-dasharray="{dashes[n % len(dashes)]}"' if dashes[n % len(dashes)] else ""
        parts.append(f'<polyline points="{points}" fill="none" stroke="{colour}" '
                     f'stroke-width="2"{dash}/>')
        for i, value in enumerate(values):
            x, y = point(i, value)
            parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{colour}">'
                         f'<title>{escape(name)} {years[i]}: {value:g}</title></circle>')
        lx = left + (n % 3) * (plot_w / 3)
        ly = top + plot_h + 36 + 18 * (n // 3)
        short = name if len(name) <= 30 else name[:29] + "…"
        parts.append(f'<line x1="{lx:.1f}" y1="{ly - 4}" x2="{lx + 18:.1f}" y2="{ly - 4}" '
                     f'stroke="{colour}" stroke-width="2"{dash}/><text x="{lx + 22:.1f}" '
                     f'y="{ly}" {FONT} font-size="13">{escape(short)}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 - every text above is escaped
