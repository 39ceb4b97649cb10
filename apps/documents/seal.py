"""The round red electronic seal drawn with Pillow (DOMAIN A16), cached per department name."""

from __future__ import annotations

import io
import math
from functools import lru_cache

from django.conf import settings
from PIL import Image, ImageDraw, ImageFont

SEAL_SIZE = 600  # pixels; printed at about 42 mm, so ~360 dpi
SEAL_RED = (214, 24, 24, 235)


def _star(cx: float, cy: float, outer: float) -> list[tuple[float, float]]:
    inner = outer * 0.382
    points = []
    for i in range(10):
        radius = outer if i % 2 == 0 else inner
        angle = math.radians(-90 + i * 36)
        points.append((cx + radius * math.cos(angle), cy + radius * math.sin(angle)))
    return points


@lru_cache(maxsize=256)
def seal_png(department_name: str) -> bytes:
    """PNG bytes (transparent background) of the seal: ring, name around the top arc, star.

    The lower half is left empty: the signature and date sit there (GB/T 9704 §7.3.5).
    """
    size, c = SEAL_SIZE, SEAL_SIZE / 2
    image = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    ring = 16
    draw.ellipse((ring, ring, size - ring, size - ring), outline=SEAL_RED, width=ring)
    draw.polygon(_star(c, c, size * 0.15), fill=SEAL_RED)

    chars = list(department_name) or [" "]
    n = len(chars)
    span = min(220.0, 24.0 * n + 40.0)  # degrees of arc the name takes, centred on the top
    inner_edge = c - ring * 2 - 6  # keep a small gap between the glyphs and the ring
    per_char_arc = (inner_edge - size * 0.075) * math.radians(span / n)
    font_size = int(min(size * 0.15, per_char_arc * 0.92))
    # Long names get smaller glyphs; keep them close to the ring as real seals do.
    text_radius = inner_edge - font_size * 0.55
    font = ImageFont.truetype(str(settings.PDF_FONT_PATH), font_size)
    for i, char in enumerate(chars):
        theta = -span / 2 + span * (i + 0.5) / n  # clockwise from the top
        glyph = Image.new("RGBA", (font_size * 2, font_size * 2), (0, 0, 0, 0))
        ImageDraw.Draw(glyph).text(
            (font_size, font_size), char, font=font, fill=SEAL_RED, anchor="mm"
        )
        glyph = glyph.rotate(-theta, resample=Image.Resampling.BICUBIC)
        x = c + text_radius * math.sin(math.radians(theta))
        y = c - text_radius * math.cos(math.radians(theta))
        image.alpha_composite(glyph, (int(x - font_size), int(y - font_size)))

    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def department_seal_png(department) -> bytes:
    return seal_png(department.name)
