"""Charts drawn on the server as SVG: no script to load, nothing inline for the CSP to block,
and each one comes with a table for screen readers. Views build the geometry here and
`includes/_bar_chart.html` draws it."""

from __future__ import annotations

from dataclasses import dataclass, field

LABEL_WIDTH = 180
BAR_AREA = 360
BAR_HEIGHT = 14
BAR_GAP = 2
ROW_GAP = 12


@dataclass
class Bar:
    value: int
    css_class: str
    y: int
    width: int

    @property
    def text_x(self) -> int:
        return LABEL_WIDTH + self.width + 4

    @property
    def text_y(self) -> int:
        return self.y + BAR_HEIGHT - 2


# Characters of a row's label that fit left of the bars at 12 px; longer ones are shortened,
# with the whole label in a tooltip and in the table behind the chart.
LABEL_CHARACTERS = 28


@dataclass
class Row:
    label: str
    y: int
    bars: list[Bar] = field(default_factory=list)

    @property
    def short_label(self) -> str:
        label = str(self.label)
        return label if len(label) <= LABEL_CHARACTERS else label[: LABEL_CHARACTERS - 1].rstrip() + "…"


@dataclass
class BarChart:
    title: str
    series: list[tuple[str, str]]  # (label, css class)
    rows: list[Row]
    height: int
    label_width: int = LABEL_WIDTH

    @property
    def is_empty(self) -> bool:
        return not self.rows


def grouped_bar_chart(
    *, title: str, series: list[tuple[str, str]], rows: list[tuple[str, list[int]]]
) -> BarChart:
    """Horizontal bars, one group per row and one bar per series, scaled to the largest value."""
    rows = [(label, values) for label, values in rows if any(values)]
    largest = max((max(values) for _, values in rows), default=0) or 1
    group_height = len(series) * (BAR_HEIGHT + BAR_GAP) + ROW_GAP
    chart_rows = []
    for index, (label, values) in enumerate(rows):
        top = index * group_height
        bars = [
            Bar(
                value=value,
                css_class=series[position][1],
                y=top + position * (BAR_HEIGHT + BAR_GAP),
                width=round(BAR_AREA * value / largest),
            )
            for position, value in enumerate(values)
        ]
        chart_rows.append(Row(label=label, y=top + BAR_HEIGHT, bars=bars))
    return BarChart(title=title, series=series, rows=chart_rows, height=len(rows) * group_height)
