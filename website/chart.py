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

from core.i18n import _, numeric_date

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
    return numeric_date(day)


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


@dataclass(frozen=True)
class _Frame:
    """The drawing: its size, its margins, and the scales from days and weeks to coordinates."""

    width: int
    height: int
    first: int  # the first day observed, as an ordinal: the left of the plot
    end: int  # the ordinal at the right of the plot
    top_value: int  # the number of weeks at the top of the plot
    left: int = 30
    right: int = 8
    top: int = 10
    bottom: int = 34

    def x(self, day: dt.date) -> float:
        span = self.width - self.left - self.right
        return self.left + span * (day.toordinal() - self.first) / (self.end - self.first)

    def y(self, value: float) -> float:
        return self.top + (self.height - self.top - self.bottom) * (1 - value / self.top_value)

    @property
    def axis(self) -> int:
        return self.height - self.bottom


def _frame(series: list[Series], dates: list[dt.date], width: int, height: int) -> _Frame:
    """Days from the first observation to a little past the last one (room for the latest value
    to show it holds); weeks from 0 to one above the highest value."""
    first = min(dates).toordinal() if dates else 0
    last = max(dates).toordinal() if dates else 1
    end = last + max(1, (last - first) // 8)
    top_value = max([w for s in series for w in s.points.values()] + [1]) + 1
    return _Frame(width, height, first, end, top_value)


def step_chart(series: list[Series], days: list[str], width: int = 400, height: int = 240) -> str:
    """``days[i]``: the day (YYYY-MM-DD) release ``i`` was observed; series points by release.
    Gives each series its colour (``Series.color``), for the legend beside the chart."""
    dates = [dt.date.fromisoformat(d) for d in days]
    frame = _frame(series, dates, width, height)
    said = _("Visibilité des créneaux en semaines, selon la date de relevé")
    return "".join(
        [
            f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" '
            f'aria-label="{said}">',
            *_value_grid(frame),
            *_date_axis(frame, sorted(set(dates))),
            *_lines(frame, series, dates),
            "</svg>",
        ]
    )


def _value_grid(frame: _Frame) -> list[str]:
    """A horizontal line and a label at every few weeks (about five)."""
    parts = []
    for value in range(0, frame.top_value + 1, max(1, frame.top_value // 5)):
        y = frame.y(value)
        parts.append(
            f'<line x1="{frame.left}" x2="{frame.width - frame.right}" y1="{y:.1f}" '
            f'y2="{y:.1f}" stroke="#ddd"/>'
        )
        parts.append(
            f'<text x="{frame.left - 5}" y="{y + 4:.1f}" text-anchor="end" {TEXT}>{value}</text>'
        )
    return parts


def _date_axis(frame: _Frame, distinct: list[dt.date]) -> list[str]:
    """A tick at every day observed, and the date under those whose labels do not overlap."""
    axis = frame.axis
    xs = [frame.x(d) for d in distinct]
    label_width = CHAR_WIDTH * FONT * len("00/00/0000")
    parts = [
        f'<line class="tick" x1="{x:.1f}" x2="{x:.1f}" y1="{axis}" y2="{axis + 4}" stroke="#555"/>'
        for x in xs
    ]
    for i in _chosen_labels(xs, label_width):
        centre = min(max(xs[i], label_width / 2 + 1), frame.width - label_width / 2 - 1)
        parts.append(
            f'<text class="date" x="{centre:.1f}" y="{axis + 18}" text-anchor="middle" '
            f"{TEXT}>{_label(distinct[i])}</text>"
        )
    return parts


def _lines(frame: _Frame, series: list[Series], dates: list[dt.date]) -> list[str]:
    """Each series in its colour, drawn a little apart from the others (within ±0.3 week)."""
    steps = _steps(frame, dates)
    week = (frame.height - frame.top - frame.bottom) / frame.top_value
    apart = min(2.2, week * 0.6 / max(len(series) - 1, 1))
    parts = []
    for number, line in enumerate(series):
        line.color = PALETTE[number % len(PALETTE)]
        shift = (number - (len(series) - 1) / 2) * apart
        parts += _series_lines(frame, line, steps, shift)
    return parts


def _steps(frame: _Frame, dates: list[dt.date]) -> list[tuple[int, float, float]]:
    """The releases in the order they were observed: each one's index, the x where its value
    starts, and the x where the next observation starts (the right edge for the latest)."""
    order = sorted(range(len(dates)), key=lambda i: (dates[i], i))
    starts = [frame.x(dates[i]) for i in order]
    stops = [*starts[1:], frame.width - frame.right]
    return list(zip(order, starts, stops, strict=True))


def _series_lines(
    frame: _Frame, line: Series, steps: list[tuple[int, float, float]], shift: float
) -> list[str]:
    """A series as polylines, one per run of observations that have a value, then a dot where
    each value was observed."""
    runs = _runs(frame, line.points, steps, shift)
    parts = []
    for run in runs:
        points = " ".join(f"{px:.1f},{py:.1f}" for px, py in run)
        parts.append(
            f'<polyline fill="none" stroke="{line.color}" stroke-width="2" points="{points}"/>'
        )
    for px, py in (point for run in runs for point in run[::2]):  # where each step starts
        parts.append(f'<circle cx="{px:.1f}" cy="{py:.1f}" r="3" fill="{line.color}"/>')
    return parts


def _runs(
    frame: _Frame, points: dict[int, int], steps: list[tuple[int, float, float]], shift: float
) -> list[list[tuple[float, float]]]:
    """The points of each run of consecutive observations that have a value: two per
    observation, where its value starts and where it ends. A release without a value breaks the
    line."""
    runs: list[list[tuple[float, float]]] = []
    previous_has_value = False
    for index, start, stop in steps:
        weeks = points.get(index)
        if weeks is not None:
            if not previous_has_value:
                runs.append([])
            runs[-1] += [(start, frame.y(weeks) + shift), (stop, frame.y(weeks) + shift)]
        previous_has_value = weeks is not None
    return runs
