"""A static SVG step chart (no script, no external font): visibility weeks over the dates the
facts were observed on the prefecture's site.

A value holds from the day it was observed until the next observation (a step function), and
the latest one holds to the right edge. The chart is drawn small (400 units wide) so that its
labels stay readable when it is scaled down to a phone's width; date labels that would overlap
are left out (the ticks show every observation), and none is drawn past an edge. Series with
the same values would hide one another: each is drawn a little apart (within ±0.3 week).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

PALETTE = (
    "#000091",
    "#e1000f",
    "#18753c",
    "#b34000",
    "#6e445a",
    "#0063cb",
    "#716043",
    "#a558a0",
    "#009081",
    "#3a3a3a",
)
FONT = 13
#: the width of a character of a date label, in font sizes (digits are about 0.56 em wide)
CHAR_WIDTH = 0.6
TEXT = f'font-size="{FONT}" font-family="sans-serif"'


@dataclass
class Series:
    label: str
    points: dict[int, int]  # release index -> weeks
    color: str = ""


def _label(day: dt.date) -> str:
    return day.strftime("%d/%m/%Y")


def _chosen_labels(xs: list[float], width: float, gap: float = 8) -> list[int]:
    """The indexes of the dates to label: the latest, the first, then the others in order, each
    when it does not overlap one already chosen."""
    order = list(dict.fromkeys([len(xs) - 1, 0, *range(1, len(xs) - 1)]))
    spans: list[tuple[float, float]] = []
    chosen = []
    for i in order:
        left, right = xs[i] - width / 2, xs[i] + width / 2
        if all(right + gap <= a or left >= b + gap for a, b in spans):
            spans.append((left, right))
            chosen.append(i)
    return sorted(chosen)


def step_chart(series: list[Series], days: list[str], width: int = 400, height: int = 240) -> str:
    """``days[i]``: the day (YYYY-MM-DD) release ``i`` was observed; series points by release."""
    left, right, top, bottom = 30, 8, 10, 34
    dates = [dt.date.fromisoformat(d) for d in days]
    order = sorted(range(len(dates)), key=lambda i: (dates[i], i))
    first = min(dates).toordinal() if dates else 0
    last = max(dates).toordinal() if dates else 1
    end = last + max(1, (last - first) // 8)  # room for the latest value to show it holds
    top_value = max([w for s in series for w in s.points.values()] + [1]) + 1

    def x(day: dt.date) -> float:
        return left + (width - left - right) * (day.toordinal() - first) / (end - first)

    def y(value: float) -> float:
        return top + (height - top - bottom) * (1 - value / top_value)

    axis = height - bottom
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="Visibilité des créneaux en semaines, selon la date de relevé">'
    ]
    for value in range(0, top_value + 1, max(1, top_value // 5)):
        parts.append(
            f'<line x1="{left}" x2="{width - right}" y1="{y(value):.1f}" '
            f'y2="{y(value):.1f}" stroke="#ddd"/>'
        )
        parts.append(
            f'<text x="{left - 5}" y="{y(value) + 4:.1f}" text-anchor="end" {TEXT}>{value}</text>'
        )
    distinct = sorted(set(dates))
    xs = [x(d) for d in distinct]
    label_width = CHAR_WIDTH * FONT * len("00/00/0000")
    for i in range(len(distinct)):
        parts.append(
            f'<line class="tick" x1="{xs[i]:.1f}" x2="{xs[i]:.1f}" y1="{axis}" '
            f'y2="{axis + 4}" stroke="#555"/>'
        )
    for i in _chosen_labels(xs, label_width):
        centre = min(max(xs[i], label_width / 2 + 1), width - label_width / 2 - 1)
        parts.append(
            f'<text class="date" x="{centre:.1f}" y="{axis + 18}" text-anchor="middle" '
            f"{TEXT}>{_label(distinct[i])}</text>"
        )
    week = (height - top - bottom) / top_value
    apart = min(2.2, week * 0.6 / max(len(series) - 1, 1))
    for number, line in enumerate(series):
        line.color = PALETTE[number % len(PALETTE)]
        shift = (number - (len(series) - 1) / 2) * apart
        runs: list[list[tuple[float, float]]] = []
        dots = []
        for step, index in enumerate(order):
            weeks = line.points.get(index)
            if weeks is None:
                continue
            start = x(dates[index])
            stop = x(dates[order[step + 1]]) if step + 1 < len(order) else width - right
            previous = order[step - 1] if step else None
            if previous is None or line.points.get(previous) is None or not runs:
                runs.append([])
            runs[-1] += [(start, y(weeks) + shift), (stop, y(weeks) + shift)]
            dots.append((start, y(weeks) + shift))
        for run in runs:
            points = " ".join(f"{px:.1f},{py:.1f}" for px, py in run)
            parts.append(
                f'<polyline fill="none" stroke="{line.color}" stroke-width="2" points="{points}"/>'
            )
        for px, py in dots:
            parts.append(f'<circle cx="{px:.1f}" cy="{py:.1f}" r="3" fill="{line.color}"/>')
    parts.append("</svg>")
    return "".join(parts)
