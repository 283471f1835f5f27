"""The demo rally's poster, drawn with Pillow when the demo is seeded (no
picture file in the repository). It goes through the same upload path as a
person's: re-encoded, resized, with its description."""
from __future__ import annotations

import io

from PIL import Image, ImageDraw, ImageFont

POSTER_ALT = ("Poster in red and cream: 'Tenants' union solidarity rally, Parliament Square, "
              "2pm. Meet at 1pm at Westminster Station.' A row of raised fists under the words.")
_RED, _CREAM, _DARK = (176, 32, 38), (246, 238, 222), (40, 24, 24)


def rally_poster(width: int = 1200, height: int = 1600) -> bytes:
    image = Image.new("RGB", (width, height), _RED)
    draw = ImageDraw.Draw(image)
    draw.rectangle((60, 60, width - 60, height - 60), outline=_CREAM, width=12)
    big, small = ImageFont.load_default(size=110), ImageFont.load_default(size=56)
    y = 160
    for line in ("TENANTS'", "UNION", "SOLIDARITY", "RALLY"):
        draw.text((width // 2, y), line, font=big, fill=_CREAM, anchor="mt")
        y += 140
    # A row of raised fists, drawn as simple shapes.
    for index in range(5):
        x = 155 + index * 200
        draw.rectangle((x, 1000, x + 90, 1180), fill=_CREAM)
        draw.rounded_rectangle((x - 20, 900, x + 110, 1010), radius=30, fill=_CREAM)
    draw.rectangle((60, 1240, width - 60, height - 60), fill=_CREAM)
    draw.text((width // 2, 1300), "Parliament Square, 2pm", font=small, fill=_DARK, anchor="mt")
    draw.text((width // 2, 1390), "Meet 1pm, Westminster Station", font=small, fill=_DARK, anchor="mt")
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()
