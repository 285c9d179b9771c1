"""Column charts drawn on the server as SVG, for figures that run along time (one column per
week), where `programs.charts.grouped_bar_chart`'s horizontal rows would read top to bottom.
`matching/health/_column_chart.html` draws the geometry built here, with a table beside it
for screen readers."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.formats import number_format

CHART_WIDTH = 600
PLOT_HEIGHT = 150
TOP_MARGIN = 16  # room for the value above the tallest column
AXIS_HEIGHT = 20  # room for the labels under the columns
COLUMN_SHARE = 0.7  # of each slot's width; the rest is the gap between slots


@dataclass
class Column:
    value: float
    text: str
    css_class: str
    x: float
    width: float
    height: float
    baseline: int

    @property
    def y(self) -> float:
        return self.baseline - self.height

    @property
    def text_x(self) -> float:
        return round(self.x + self.width / 2, 1)

    @property
    def text_y(self) -> float:
        return round(self.y - 3, 1)


@dataclass
class Slot:
    label: str
    label_x: float
    columns: list[Column] = field(default_factory=list)


@dataclass
class ColumnChart:
    title: str
    series: list[tuple[str, str]]  # (label, css class)
    slots: list[Slot]
    width: int = CHART_WIDTH
    baseline: int = TOP_MARGIN + PLOT_HEIGHT

    @property
    def height(self) -> int:
        return self.baseline + AXIS_HEIGHT

    @property
    def label_y(self) -> int:
        return self.baseline + AXIS_HEIGHT - 5

    @property
    def is_empty(self) -> bool:
        return not any(column.value for slot in self.slots for column in slot.columns)


def _text(value: float) -> str:
    return number_format(value, decimal_pos=0 if float(value).is_integer() else 1)


def column_chart(
    *, title: str, series: list[tuple[str, str]], slots: list[tuple[str, list[float]]]
) -> ColumnChart:
    """Vertical columns, one slot per label (in the order given, empty ones kept so that time
    reads evenly) and one column per series in each slot, scaled to the largest value."""
    largest = max((max(values, default=0) for _label, values in slots), default=0) or 1
    slot_width = CHART_WIDTH / max(len(slots), 1)
    column_width = slot_width * COLUMN_SHARE / max(len(series), 1)
    baseline = TOP_MARGIN + PLOT_HEIGHT
    chart_slots = []
    for index, (label, values) in enumerate(slots):
        left = index * slot_width + slot_width * (1 - COLUMN_SHARE) / 2
        columns = [
            Column(
                value=value,
                text=_text(value),
                css_class=series[position][1],
                x=round(left + position * column_width, 1),
                width=round(column_width, 1),
                height=round(PLOT_HEIGHT * value / largest, 1),
                baseline=baseline,
            )
            for position, value in enumerate(values)
        ]
        chart_slots.append(Slot(label=label, label_x=round((index + 0.5) * slot_width, 1), columns=columns))
    return ColumnChart(title=title, series=series, slots=chart_slots, baseline=baseline)
