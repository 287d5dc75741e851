"""The PDF's chart as a PNG, for the Word file: Word cannot take the PDF's SVG,
and nothing here turns SVG into an image (no matplotlib, no cairo binding), so
Pillow draws the same layout (reports.charts) itself.

The picture is the SVG's size on paper (its units are CSS pixels, 96 to the
inch) drawn at DPI, in the PDF's typeface: the repository's Liberation Serif,
which has every Vietnamese letter, so the picture does not depend on the fonts
of the machine that draws it. Same figures, same bytes: no timestamp in the
file, and Pillow's basic text layout rather than Raqm, which not every machine
has and which would place the glyphs a little differently."""
import io
import logging
import unicodedata
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from reports.charts import AXIS_COLOUR, FONT_SIZE, GRID_COLOUR, LEGEND_SWATCH, TEXT_COLOUR
from reports.rendering import FONT_DIR

logger = logging.getLogger(__name__)

# Print resolution; at the SVG's 600 units (158.75 mm) the picture is 1250 pixels wide.
DPI = 200
SVG_DPI = 96
# The PDF's own typeface first; the system's copies only if a deployment lost it.
FONTS = {
    False: [FONT_DIR / "LiberationSerif-Regular.ttf",
            Path("/usr/share/fonts/truetype/liberation/LiberationSerif-Regular.ttf"),
            Path("/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf")],
    True: [FONT_DIR / "LiberationSerif-Bold.ttf",
           Path("/usr/share/fonts/truetype/liberation/LiberationSerif-Bold.ttf"),
           Path("/usr/share/fonts/truetype/dejavu/DejaVuSerif-Bold.ttf")],
}
ANCHORS = {"start": "ls", "middle": "ms", "end": "rs"}  # SVG's text-anchor, on the baseline


def font_path(bold=False):
    candidates = FONTS[bold]
    for path in candidates:
        if path.is_file():
            if path != candidates[0]:
                logger.warning("The report's font %s is missing; the Word file's chart is drawn in %s",
                               candidates[0], path)
            return path
    # Pillow's own font has no Vietnamese letters (it draws ố, ă, ớ as empty
    # boxes): better no Word file than one with such a chart.
    raise FileNotFoundError(f"No font with Vietnamese letters for the chart: tried {', '.join(map(str, candidates))}")


def pixel_size(chart, dpi=DPI):
    scale = dpi / SVG_DPI
    return round(chart.width * scale), round(chart.height * scale)


def chart_png(chart, dpi=DPI):
    """A reports.charts.BarChart as PNG bytes, `dpi` pixels to the inch."""
    scale = dpi / SVG_DPI
    image = Image.new("RGB", pixel_size(chart, dpi), "white")
    draw = ImageDraw.Draw(image)
    regular, bold = (ImageFont.truetype(str(font_path(b)), FONT_SIZE * scale, layout_engine=ImageFont.Layout.BASIC)
                     for b in (False, True))

    def box(x, y, width, height, colour):
        """A rectangle given in the chart's units, its edges on whole pixels:
        nothing at all when it rounds to no pixel (a month without sessions)."""
        left, top = round(x * scale), round(y * scale)
        right, bottom = round((x + width) * scale), round((y + height) * scale)
        if right > left and bottom > top:
            draw.rectangle((left, top, right - 1, bottom - 1), fill=colour)

    def line(x1, x2, y, stroke, colour):
        box(x1, y - stroke / 2, x2 - x1, stroke, colour)

    def text(label, font=regular):
        draw.text((label.x * scale, label.y * scale), unicodedata.normalize("NFC", label.text), font=font,
                  fill=TEXT_COLOUR, anchor=ANCHORS[label.anchor])

    # In the SVG's order, so what overlaps there overlaps here (the axis over the bars' feet).
    if chart.title:
        text(chart.title, bold)
    for x1, x2, y, label in chart.grid:
        line(x1, x2, y, 0.5, GRID_COLOUR)
        text(label)
    for label, bars in chart.groups:
        for bar in bars:
            box(bar.x, bar.y, bar.width, bar.height, bar.colour)
        text(label)
    line(*chart.axis, 1, AXIS_COLOUR)
    for swatch, name in chart.legend:
        box(swatch.x, swatch.y, LEGEND_SWATCH, LEGEND_SWATCH, swatch.colour)
        text(name)
    buffer = io.BytesIO()
    # The resolution in the file, so Word's "reset size" gives the PDF's size back.
    image.save(buffer, "PNG", dpi=(dpi, dpi))
    return buffer.getvalue()
