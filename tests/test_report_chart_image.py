"""The report's chart as a picture, for the Word file (issue #15): the PDF's
chart of sessions by month, drawn by Pillow, read back pixel by pixel."""
import io
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation
from fontTools.ttLib import TTFont
from PIL import Image

from reports import chart_image
from reports.chart_image import chart_png, font_path, pixel_size
from reports.charts import MONTHS, sessions_by_month_chart, sessions_by_month_layout

THIS_YEAR, LAST_YEAR = (0x1F, 0x4E, 0x3D), (0x9B, 0xB7, 0xAA)  # the series' colours, as the PDF's
BLACK = (0, 0, 0)

# A year with a peak in May, two months without sessions (March, August) and
# one month (July) with sessions only last year.
SESSIONS = [12, 30, 0, 45, 125, 60, 8, 0, 22, 18, 40, 9]
PREVIOUS = [10, 25, 14, 30, 90, 55, 0, 3, 20, 0, 35, 12]


def by_month(sessions=SESSIONS, previous=PREVIOUS):
    return [{"month": n, "sessions": s, "sessions_prev": p} for n, (s, p) in enumerate(zip(sessions, previous), 1)]


def draw(sessions=SESSIONS, previous=PREVIOUS, year=2024):
    with translation.override("vi"):
        return chart_png(sessions_by_month_layout(by_month(sessions, previous), year))


def bar_heights(png):
    """{(month, colour): height in pixels} of the bars a reader sees, read from
    the picture alone: the x axis is the longest black row; its length split in
    twelve gives the months; a bar is a run of columns of a series' colour above
    the axis, as high as that colour's pixels in its middle column."""
    image = Image.open(io.BytesIO(png)).convert("RGB")
    width, height = image.size
    pixels = image.load()
    axis_y = max(range(height), key=lambda y: sum(pixels[x, y] == BLACK for x in range(width)))
    black = [x for x in range(width) if pixels[x, axis_y] == BLACK]
    left, month_w = black[0], (black[-1] + 1 - black[0]) / 12
    heights = {}
    for colour in (LAST_YEAR, THIS_YEAR):
        columns = [x for x in range(width) if any(pixels[x, y] == colour for y in range(axis_y))]
        runs = []
        for x in columns:
            if runs and runs[-1][-1] == x - 1:
                runs[-1].append(x)
            else:
                runs.append([x])
        for run in runs:
            middle = run[len(run) // 2]
            month = int((middle - left) // month_w) + 1
            assert month not in [m for m, c in heights if c == colour], f"two bars of {colour} in month {month}"
            heights[month, colour] = sum(pixels[middle, y] == colour for y in range(axis_y))
    return heights


def svg_bar_heights(svg):
    """{(month, colour): height} of the PDF's bars, in the SVG's units: twelve
    groups of two <rect>s, last year's then this year's (the legend's squares
    come after the axis and are left out)."""
    rects = re.findall(r'<rect x="[\d.]+" y="[\d.]+" width="[\d.]+" height="([\d.]+)" fill="#(\w+)"/>', svg)
    colours = {"9bb7aa": LAST_YEAR, "1f4e3d": THIS_YEAR}
    return {(index // 2 + 1, colours[fill]): float(h) for index, (h, fill) in enumerate(rects[:24])}


def test_the_picture_is_the_pdfs_chart_at_print_resolution():
    # given / when
    image = Image.open(io.BytesIO(draw()))
    # then: the SVG's 600 × 230 units (158.75 mm wide, as the PDF prints it) at 200 dpi
    assert image.format == "PNG" and image.size == (1250, 479)
    assert [round(d) for d in image.info["dpi"]] == [200, 200]
    with translation.override("vi"):
        assert pixel_size(sessions_by_month_layout(by_month(), 2024)) == (1250, 479)


def test_the_tallest_bar_is_the_month_with_the_most_sessions():
    heights = bar_heights(draw())
    this_year = {month: h for (month, colour), h in heights.items() if colour == THIS_YEAR}
    assert max(this_year, key=this_year.get) == 5  # May: 125 sessions
    last_year = {month: h for (month, colour), h in heights.items() if colour == LAST_YEAR}
    assert max(last_year, key=last_year.get) == 5  # May: 90
    # the axis goes to 200: May's 125 fills five eighths of the 168 units' plot (the
    # axis line, drawn over the bars' feet as in the PDF, hides a pixel or two)
    assert this_year[5] == pytest.approx(168 * 125 / 200 * 200 / 96, abs=2)


def test_a_month_without_sessions_has_no_bar():
    heights = bar_heights(draw())
    months = {colour: sorted(month for month, c in heights if c == colour) for colour in (THIS_YEAR, LAST_YEAR)}
    assert months[THIS_YEAR] == [1, 2, 4, 5, 6, 7, 9, 10, 11, 12]  # none in March and August
    assert months[LAST_YEAR] == [1, 2, 3, 4, 5, 6, 8, 9, 11, 12]  # none in July and October


def test_the_pictures_bars_are_the_pdfs():
    # given: the PDF's chart and the picture, from the same figures
    with translation.override("vi"):
        svg = sessions_by_month_chart(by_month(), 2024)
    # when
    heights = bar_heights(draw())
    # then: every bar of the PDF is in the picture, as high at 200 dpi (less what
    # the axis line hides), and no other
    expected = {key: h * 200 / 96 for key, h in svg_bar_heights(svg).items() if h}
    assert heights.keys() == expected.keys()
    for key, h in expected.items():
        assert heights[key] == pytest.approx(h, abs=2), key


def test_the_same_figures_draw_the_same_bytes():
    assert draw() == draw()
    assert draw() != draw(sessions=[*SESSIONS[:-1], 50])


def test_the_title_legend_and_labels_are_drawn_in_the_shipped_font_that_has_every_vietnamese_letter():
    # the PDF's own typeface, from the repository rather than the machine
    fonts = Path(settings.BASE_DIR) / "static" / "fonts"
    assert font_path() == fonts / "LiberationSerif-Regular.ttf"
    assert font_path(bold=True) == fonts / "LiberationSerif-Bold.ttf"
    with translation.override("vi"):
        chart = sessions_by_month_layout(by_month(), 2024)
    texts = [chart.title.text, *(name.text for _swatch, name in chart.legend),
             *(label.text for label, _bars in chart.groups), *(label.text for *_line, label in chart.grid)]
    assert chart.title.text == "Số buổi tuyên truyền theo tháng, năm 2024 so với năm 2023"
    assert [name.text for _swatch, name in chart.legend] == ["Năm 2023", "Năm 2024"]
    assert [label.text for label, _bars in chart.groups] == MONTHS
    assert [label.text for *_line, label in chart.grid] == ["0", "50", "100", "150", "200"]
    for path in (font_path(), font_path(bold=True)):
        covered = TTFont(path).getBestCmap()
        assert not {c for text in texts for c in text if ord(c) not in covered}, path


def test_the_title_is_drawn_across_the_top():
    image = Image.open(io.BytesIO(draw())).convert("L")
    title = image.crop((0, 0, image.width, 40))
    ink = [x for x in range(title.width) if any(title.getpixel((x, y)) < 128 for y in range(title.height))]
    # centred: as much white on either side, within a few pixels
    assert ink and abs(ink[0] - (title.width - 1 - ink[-1])) <= 4
    assert 500 < ink[-1] - ink[0] < 1100


def test_without_the_shipped_font_the_chart_says_which_font_it_used(monkeypatch, tmp_path, caplog):
    # given: a deployment that lost static/fonts, on a machine with a font of its own
    system = tmp_path / "LiberationSerif-Regular.ttf"
    system.write_bytes((Path(settings.BASE_DIR) / "static" / "fonts" / "LiberationSerif-Regular.ttf").read_bytes())
    monkeypatch.setitem(chart_image.FONTS, False, [tmp_path / "missing.ttf", system])
    # when
    path = font_path()
    # then
    assert path == system
    assert "missing.ttf is missing" in caplog.text and str(system) in caplog.text


def test_without_any_font_with_vietnamese_letters_no_chart_is_drawn(monkeypatch, tmp_path):
    monkeypatch.setitem(chart_image.FONTS, False, [tmp_path / "missing.ttf"])
    with pytest.raises(FileNotFoundError, match="No font with Vietnamese letters"):
        draw()


def test_a_sample_of_the_chart_to_look_at(screenshots):
    """var/screenshots/docx-chart.png, for a person to look at."""
    (screenshots / "docx-chart.png").write_bytes(draw())
