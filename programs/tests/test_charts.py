"""Server-drawn bar charts: long labels are shortened beside the bars and kept whole in a
tooltip and in the table behind the chart."""

from django.template.loader import render_to_string

from programs.charts import LABEL_CHARACTERS, grouped_bar_chart


def test_a_long_label_is_shortened_beside_the_bars_and_whole_in_the_tooltip_and_table():
    long = "Natural and applied sciences and related occupations"
    chart = grouped_bar_chart(
        title="Supply",
        series=[("Waiting", "mentee"), ("Places", "mentor")],
        rows=[(long, [4, 2]), ("Health", [1, 3])],
    )
    [first, second] = chart.rows
    assert len(first.short_label) == LABEL_CHARACTERS and first.short_label.endswith("…")
    assert second.short_label == "Health"
    html = render_to_string("includes/_bar_chart.html", {"chart": chart})
    assert f"<title>{long}</title>{first.short_label}</text>" in html
    assert f'<th scope="row">{long}</th>' in html


def test_rows_with_nothing_to_show_are_left_out_and_bars_scale_to_the_largest():
    chart = grouped_bar_chart(
        title="t", series=[("a", "mentee")], rows=[("none", [0]), ("half", [5]), ("all", [10])]
    )
    assert [row.label for row in chart.rows] == ["half", "all"]
    assert [row.bars[0].width for row in chart.rows] == [180, 360]
