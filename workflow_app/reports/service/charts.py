"""Charts drawn on the server as inline SVG: no JavaScript, no CDN, the same in print.

Each chart is plain shapes and text with a `<title>` and `aria-label`; the page puts the numbers
as a table beside it. Long labels (Vietnamese award names run to 60 characters and more) wrap on
words over two lines, then end in "…" with the full text as the label's `<title>` (the tooltip);
the chart's own title wraps too, nothing is cut at the edge. Colours are few and dark enough to
read in black-and-white print; the bars carry their value as text, so the chart reads without
colour at all.
"""

from __future__ import annotations

from collections.abc import Sequence

from markupsafe import Markup, escape

PALETTE = ("#1f5fa8", "#b5471b", "#2e7d32", "#6a1b9a", "#8d6e00", "#00838f")
FONT = "font-family=\"Liberation Sans, Arial, sans-serif\""


LABEL_CHARS = 34  # about what 250 px hold at 13 px (Liberation Sans, Vietnamese text)
TITLE_CHARS = 70  # the width of a chart at 16 px bold
LEGEND_CHARS = 80


def wrap(text: str, width: int, max_lines: int = 2) -> list[str]:
    """`text` on lines of at most `width` characters, broken between words (a word longer
    than a line is cut); past `max_lines` the last line ends in "…"."""
    lines: list[str] = []
    current = ""
    for word in text.split():
        while len(word) > width:
            if current:
                lines.append(current)
                current = ""
            lines.append(word[:width])
            word = word[width:]
        longer = f"{current} {word}" if current else word
        if len(longer) <= width:
            current = longer
        else:
            lines.append(current)
            current = word
    if current or not lines:
        lines.append(current)
    if len(lines) > max_lines:
        last = lines[max_lines - 1]
        lines = [*lines[: max_lines - 1], (last if len(last) < width else last[:width - 1]) + "…"]
    return lines


def _text(x: float, y: float, lines: list[str], *, size: int, full: str = "",
          anchor: str = "", bold: bool = False) -> str:
    """An SVG text of one or more lines (tspans), with `full` as its tooltip."""
    attributes = f'x="{x:.1f}" y="{y:.1f}" {FONT} font-size="{size}"'
    if anchor:
        attributes += f' text-anchor="{anchor}"'
    if bold:
        attributes += ' font-weight="bold"'
    tip = f"<title>{escape(full)}</title>" if full else ""
    spans = "".join(f'<tspan x="{x:.1f}" dy="{0 if i == 0 else size + 2}">{escape(line)}</tspan>'
                    for i, line in enumerate(lines))
    return f"<text {attributes}>{tip}{spans}</text>"


def _nice_max(value: float) -> float:
    if value <= 0:
        return 1
    step = 10 ** (len(str(int(value))) - 1)
    return (int(value / step) + 1) * step if value % step else value


def bar_chart(items: Sequence[tuple[str, float]], *, title: str, unit: str = "",
              width: int = 640, testid: str = "chart") -> Markup:
    """Horizontal bars, one per (label, value), longest label on the left."""
    items = list(items)
    bar_h, gap, label_w = 24, 8, 250
    title_lines = wrap(title, TITLE_CHARS)
    top = 14 + 20 * len(title_lines)
    labels = [wrap(label, LABEL_CHARS) for label, _value in items]
    rows_h = [max(bar_h, 16 * len(lines)) + gap for lines in labels]
    height = top + sum(rows_h) + 10
    scale_w = width - label_w - 70
    top_value = _nice_max(max((v for _, v in items), default=0))
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="report-chart" role="img" '
             f'viewBox="0 0 {width} {height}" width="100%" data-testid="{escape(testid)}" '
             f'aria-label="{escape(title)}"><title>{escape(title)}</title>',
             _text(0, 18, title_lines, size=16, bold=True)]
    y = top
    for (label, value), lines, row_h in zip(items, labels, rows_h, strict=True):
        length = 0 if top_value == 0 else scale_w * value / top_value
        middle = y + (row_h - gap) / 2
        parts.append(_text(label_w - 6, middle + 5 - 8 * (len(lines) - 1), lines, size=13,
                           full=label, anchor="end"))
        parts.append(f'<rect x="{label_w}" y="{middle - bar_h / 2:.1f}" width="{length:.1f}" '
                     f'height="{bar_h}" fill="{PALETTE[0]}" data-value="{value:g}"/>')
        parts.append(f'<text x="{label_w + length + 5:.1f}" y="{middle + 5:.1f}" {FONT} '
                     f'font-size="14">{value:g}{escape(unit)}</text>')
        y += row_h
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 - every text above is escaped


def line_chart(series: Sequence[tuple[str, Sequence[float]]], years: Sequence[int], *,
               title: str, width: int = 640, height: int = 260,
               testid: str = "chart") -> Markup:
    """One line per (name, values by year), with the years on the horizontal axis."""
    title_lines = wrap(title, TITLE_CHARS)
    legends = [wrap(name, LEGEND_CHARS) for name, _values in series]
    left, right, top = 44, 26, 12 + 20 * len(title_lines)
    bottom = 40 + sum(16 * len(lines) + 4 for lines in legends)
    height = max(height, top + bottom + 120)
    plot_w, plot_h = width - left - right, height - top - bottom
    top_value = _nice_max(max((v for _, values in series for v in values), default=0))
    step = plot_w / max(1, len(years) - 1)

    def point(i: int, value: float) -> tuple[float, float]:
        x = left + (i * step if len(years) > 1 else plot_w / 2)
        return x, top + plot_h - plot_h * value / top_value

    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="report-chart" role="img" '
             f'viewBox="0 0 {width} {height}" width="100%" data-testid="{escape(testid)}" '
             f'aria-label="{escape(title)}"><title>{escape(title)}</title>',
             _text(0, 18, title_lines, size=16, bold=True),
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
    ly = top + plot_h + 40
    for n, ((name, values), lines) in enumerate(zip(series, legends, strict=True)):
        colour = PALETTE[n % len(PALETTE)]
        points = " ".join("{:.1f},{:.1f}".format(*point(i, v)) for i, v in enumerate(values))
        dash = f' stroke-dasharray="{dashes[n % len(dashes)]}"' if dashes[n % len(dashes)] else ""
        parts.append(f'<polyline points="{points}" fill="none" stroke="{colour}" '
                     f'stroke-width="2"{dash}/>')
        for i, value in enumerate(values):
            x, y = point(i, value)
            parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{colour}">'
                         f'<title>{escape(name)} {years[i]}: {value:g}</title></circle>')
        parts.append(f'<line x1="{left:.1f}" y1="{ly - 4}" x2="{left + 18:.1f}" y2="{ly - 4}" '
                     f'stroke="{colour}" stroke-width="2"{dash}/>')
        parts.append(_text(left + 22, ly, lines, size=13, full=name))
        ly += 16 * len(lines) + 4
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 - every text above is escaped
