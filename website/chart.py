"""A static SVG line chart (no script, no external font): visibility weeks over releases."""

from __future__ import annotations

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


@dataclass
class Series:
    label: str
    points: dict[int, int]  # release index -> weeks
    color: str = ""


def line_chart(
    series: list[Series], releases: list[str], width: int = 640, height: int = 280
) -> str:
    left, right, top, bottom = 40, 16, 12, 40
    top_value = max([w for s in series for w in s.points.values()] + [1]) + 1
    steps = max(len(releases) - 1, 1)

    def x(index: int) -> float:
        return left + (width - left - right) * (index / steps if len(releases) > 1 else 0.5)

    def y(value: float) -> float:
        return top + (height - top - bottom) * (1 - value / top_value)

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'role="img" aria-label="Visibilité des créneaux en semaines, par version">'
    ]
    for value in range(0, top_value + 1, max(1, top_value // 5)):
        parts.append(
            f'<line x1="{left}" x2="{width - right}" y1="{y(value):.1f}" '
            f'y2="{y(value):.1f}" stroke="#ddd"/>'
        )
        parts.append(
            f'<text x="{left - 6}" y="{y(value) + 4:.1f}" text-anchor="end" '
            f'font-size="11" font-family="sans-serif">{value}</text>'
        )
    for index, version in enumerate(releases):
        parts.append(
            f'<text x="{x(index):.1f}" y="{height - bottom + 16}" text-anchor="middle" '
            f'font-size="11" font-family="sans-serif">{version}</text>'
        )
    for number, line in enumerate(series):
        line.color = PALETTE[number % len(PALETTE)]
        points = " ".join(f"{x(i):.1f},{y(w):.1f}" for i, w in sorted(line.points.items()))
        parts.append(
            f'<polyline fill="none" stroke="{line.color}" stroke-width="2" points="{points}"/>'
        )
        for i, w in sorted(line.points.items()):
            parts.append(f'<circle cx="{x(i):.1f}" cy="{y(w):.1f}" r="3" fill="{line.color}"/>')
    parts.append("</svg>")
    return "".join(parts)
