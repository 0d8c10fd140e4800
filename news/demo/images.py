"""Pictures for the demo site, drawn with Pillow: no downloads, no stock photos.

Every picture is deterministic (seeded by its title), so rebuilding the demo
gives the same files. Illustrations are a gradient, a motif made of simple
shapes, and sometimes a short label; portraits are initials on a coloured
background.
"""

import io
import math
import random
import zlib

from PIL import Image, ImageDraw, ImageFont

ILLUSTRATION_SIZE = (1600, 900)
PORTRAIT_SIZE = 640


def _rgb(hex_colour):
    hex_colour = hex_colour.lstrip("#")
    return tuple(int(hex_colour[i : i + 2], 16) for i in (0, 2, 4))


def _mix(a, b, t):
    return tuple(round(x + (y - x) * t) for x, y in zip(a, b, strict=True))


def _font(size):
    try:
        return ImageFont.load_default(size=size)
    except (TypeError, AttributeError, ImportError, OSError):
        # Pillow without FreeType only has its small bitmap font.
        return ImageFont.load_default()


def _gradient(size, top, bottom):
    mask = Image.linear_gradient("L").resize(size)
    return Image.composite(Image.new("RGB", size, bottom), Image.new("RGB", size, top), mask)


def _jpeg(image):
    buffer = io.BytesIO()
    image.convert("RGB").save(buffer, format="JPEG", quality=86, optimize=True)
    return buffer.getvalue()


# Motifs: each draws on a transparent RGBA layer the size of the picture. ----------


def _waves(draw, w, h, rng, colours):
    dark, mid, accent, light = colours
    for k in range(7):
        base = h * 0.42 + k * h * 0.085
        amplitude = 14 + 6 * k
        phase = rng.uniform(0, math.tau)
        length = rng.uniform(280, 420)
        points = [
            (x, base + amplitude * math.sin(x / length * math.tau + phase))
            for x in range(0, w + 20, 20)
        ]
        colour = _mix(mid, light, 0.15 + k * 0.08) + (110 + k * 15,)
        draw.polygon(points + [(w, h), (0, h)], fill=colour)
    for _ in range(rng.randint(2, 5)):
        x, y = rng.uniform(0.1, 0.85) * w, h * 0.4
        draw.polygon([(x, y), (x + 110, y), (x + 90, y + 30), (x + 20, y + 30)], fill=accent)
        draw.line([(x + 55, y), (x + 55, y - 70)], fill=light, width=5)


def _rings(draw, w, h, rng, colours):
    dark, mid, accent, light = colours
    cx, cy = rng.uniform(0.3, 0.7) * w, rng.uniform(0.35, 0.65) * h
    for i, radius in enumerate(range(70, 1100, 64)):
        colour = (light if i % 2 else accent) + (max(30, 200 - i * 12),)
        draw.ellipse([cx - radius, cy - radius, cx + radius, cy + radius], outline=colour, width=7)
    draw.ellipse([cx - 42, cy - 42, cx + 42, cy + 42], fill=accent)


def _bars(draw, w, h, rng, colours):
    dark, mid, accent, light = colours
    count = rng.randint(5, 7)
    gap = w * 0.7 / count
    baseline = h * 0.86
    height = h * 0.2
    for i in range(count):
        height = min(h * 0.7, height * rng.uniform(1.0, 1.35) + h * 0.03)
        x = w * 0.12 + i * gap
        colour = (accent if i == count - 1 else light) + (230,)
        draw.rectangle([x, baseline - height, x + gap * 0.62, baseline], fill=colour)
    draw.line([(w * 0.08, baseline), (w * 0.92, baseline)], fill=light + (255,), width=6)


def _skyline(draw, w, h, rng, colours):
    dark, mid, accent, light = colours
    x = 0
    while x < w:
        width = rng.randint(90, 220)
        top = h * rng.uniform(0.3, 0.65)
        draw.rectangle([x, top, x + width - 12, h], fill=_mix(dark, light, 0.25) + (235,))
        for wy in range(int(top) + 24, h - 40, 48):
            for wx in range(x + 18, x + width - 40, 38):
                if rng.random() < 0.45:
                    draw.rectangle([wx, wy, wx + 16, wy + 22], fill=accent + (220,))
        x += width


def _columns(draw, w, h, rng, colours):
    dark, mid, accent, light = colours
    x = w * 0.06
    width, height = w * 0.075, h * 0.82
    for i in range(9):
        colour = (_mix(light, accent, i / 9)) + (235 - i * 12,)
        draw.rectangle([x, h - height, x + width, h], fill=colour)
        x += width * 1.55
        width *= 0.86
        height *= 0.9


def _grid(draw, w, h, rng, colours):
    dark, mid, accent, light = colours
    cluster_x, cluster_y = rng.uniform(0.55, 0.85) * w, rng.uniform(0.25, 0.7) * h
    for y in range(40, h, 46):
        for x in range(40, w, 46):
            near = math.hypot(x - cluster_x, y - cluster_y) < 180 + rng.uniform(-40, 40)
            colour = accent + (255,) if near else light + (90,)
            radius = 9 if near else 6
            draw.ellipse([x - radius, y - radius, x + radius, y + radius], fill=colour)


def _stars(draw, w, h, rng, colours):
    dark, mid, accent, light = colours
    for _ in range(420):
        x, y, r = rng.uniform(0, w), rng.uniform(0, h), rng.choice((1, 1, 2, 2, 3))
        draw.ellipse([x - r, y - r, x + r, y + r], fill=light + (rng.randint(90, 230),))
    sx, sy = rng.uniform(0.3, 0.7) * w, rng.uniform(0.3, 0.6) * h
    draw.ellipse([sx - 14, sy - 14, sx + 14, sy + 14], fill=accent + (255,))
    draw.ellipse([sx - 70, sy - 70, sx + 70, sy + 70], outline=accent + (220,), width=5)


def _sun(draw, w, h, rng, colours):
    dark, mid, accent, light = colours
    cx, cy, r = w * 0.7, h * 0.36, h * 0.2
    for i in range(24):
        angle = i / 24 * math.tau
        draw.line(
            [
                (cx + math.cos(angle) * r * 1.25, cy + math.sin(angle) * r * 1.25),
                (cx + math.cos(angle) * r * 1.9, cy + math.sin(angle) * r * 1.9),
            ],
            fill=accent + (200,),
            width=8,
        )
    draw.ellipse([cx - r, cy - r, cx + r, cy + r], fill=accent + (255,))
    _hills(draw, w, h, rng, colours, layers=3, start=0.68)


def _hills(draw, w, h, rng, colours, layers=4, start=0.45):
    dark, mid, accent, light = colours
    for k in range(layers):
        base = h * (start + k * 0.1)
        phase, length = rng.uniform(0, math.tau), rng.uniform(500, 900)
        points = [
            (x, base - 60 * math.sin(x / length * math.tau + phase) - 25 * math.sin(x / 170))
            for x in range(0, w + 20, 20)
        ]
        colour = _mix(accent, dark, 0.35 + k * 0.18) + (255,)
        draw.polygon(points + [(w, h), (0, h)], fill=colour)


def _rain(draw, w, h, rng, colours):
    dark, mid, accent, light = colours
    for _ in range(260):
        x, y = rng.uniform(-200, w), rng.uniform(-100, h)
        length = rng.uniform(60, 140)
        draw.line([(x, y), (x + length * 0.45, y + length)], fill=light + (80,), width=3)
    _waves(draw, w, h, rng, (dark, dark, mid, mid))


def _route(draw, w, h, rng, colours):
    dark, mid, accent, light = colours
    points, x, y = [], w * 0.05, h * rng.uniform(0.3, 0.7)
    while x < w * 0.95:
        points.append((x, y))
        x += rng.uniform(90, 170)
        y = min(h * 0.85, max(h * 0.15, y + rng.uniform(-140, 140)))
    draw.line(points, fill=accent + (255,), width=16, joint="curve")
    for px, py in points:
        draw.ellipse([px - 20, py - 20, px + 20, py + 20], fill=light + (255,))
        draw.ellipse([px - 9, py - 9, px + 9, py + 9], fill=dark + (255,))


def _pages(draw, w, h, rng, colours):
    dark, mid, accent, light = colours
    for i in range(5):
        cx, cy = w * (0.3 + i * 0.1), h * (0.5 + rng.uniform(-0.08, 0.08))
        pw, ph, angle = w * 0.22, h * 0.62, math.radians(rng.uniform(-14, 14))
        corners = [(-pw / 2, -ph / 2), (pw / 2, -ph / 2), (pw / 2, ph / 2), (-pw / 2, ph / 2)]

        def turn(px, py, angle=angle, cx=cx, cy=cy):
            return (
                cx + px * math.cos(angle) - py * math.sin(angle),
                cy + px * math.sin(angle) + py * math.cos(angle),
            )

        draw.polygon([turn(*c) for c in corners], fill=_mix(light, accent, i * 0.08) + (245,))
        for line in range(9):
            ly = -ph / 2 + 50 + line * 44
            draw.line([turn(-pw / 2 + 30, ly), turn(pw / 2 - 30, ly)], fill=mid + (120,), width=4)


def _stage(draw, w, h, rng, colours):
    dark, mid, accent, light = colours
    for i in range(6):
        x = w * (0.15 + i * 0.14)
        spread = rng.uniform(140, 260)
        top = rng.uniform(-0.3, 0.1) * w
        colour = (accent if i % 2 else light) + (70,)
        draw.polygon(
            [(x - 18, h * 0.8), (x + 18, h * 0.8), (x + top + spread, 0), (x + top, 0)], fill=colour
        )
    draw.rectangle([0, h * 0.8, w, h], fill=_mix(dark, accent, 0.2) + (255,))


def _seagrass(draw, w, h, rng, colours):
    dark, mid, accent, light = colours
    for _ in range(70):
        x0, height = rng.uniform(0, w), h * rng.uniform(0.35, 0.85)
        sway, phase = rng.uniform(15, 45), rng.uniform(0, math.tau)
        points = [
            (x0 + sway * math.sin(t / 40 * math.pi + phase) * t / 40, h - height * t / 40)
            for t in range(41)
        ]
        colour = _mix(mid, accent, rng.uniform(0, 0.6)) + (rng.randint(150, 230),)
        draw.line(points, fill=colour, width=rng.randint(5, 10), joint="curve")


MOTIFS = {
    "waves": _waves,
    "rings": _rings,
    "bars": _bars,
    "skyline": _skyline,
    "columns": _columns,
    "grid": _grid,
    "stars": _stars,
    "sun": _sun,
    "hills": _hills,
    "rain": _rain,
    "route": _route,
    "pages": _pages,
    "stage": _stage,
    "seagrass": _seagrass,
}


def illustration(*, title, motif, palette, label="", size=None):
    """A JPEG (bytes): a gradient in the first two colours of `palette` with `motif`
    drawn over it, and `label` in large type when given.

    Labels should stick to ASCII: the built-in font has no £ or ×.
    """
    size = size or ILLUSTRATION_SIZE
    colours = [_rgb(c) for c in palette]
    w, h = size
    rng = random.Random(zlib.crc32(title.encode()))
    picture = _gradient(size, colours[0], colours[1]).convert("RGBA")
    layer = Image.new("RGBA", size, (0, 0, 0, 0))
    MOTIFS[motif](ImageDraw.Draw(layer), w, h, rng, colours)
    picture = Image.alpha_composite(picture, layer)
    if label:
        draw = ImageDraw.Draw(picture)
        font = _font(int(h * 0.2))
        x, y = w * 0.06, h * 0.06
        draw.text((x + 6, y + 6), label, font=font, fill=colours[0] + (200,))
        draw.text((x, y), label, font=font, fill=colours[3] + (255,))
    return _jpeg(picture)


def initials(name):
    words = [word for word in name.replace("-", " ").split() if word[:1].isalpha()]
    return "".join(word[0] for word in (words[:1] + words[-1:] if words else [])).upper()


def portrait(*, name, colour, size=None):
    """A square JPEG (bytes): the author's initials on rings of their colour."""
    size = size or PORTRAIT_SIZE
    base = _rgb(colour)
    picture = _gradient(
        (size, size), _mix(base, (255, 255, 255), 0.25), _mix(base, (0, 0, 0), 0.35)
    )
    draw = ImageDraw.Draw(picture)
    centre = size / 2
    for i, radius in enumerate(range(size // 10, size, size // 10)):
        tint = _mix(base, (255, 255, 255), 0.1 + 0.05 * (i % 2))
        draw.ellipse(
            [centre - radius, centre - radius, centre + radius, centre + radius],
            outline=tint,
            width=max(2, size // 160),
        )
    text = initials(name)
    font = _font(int(size * 0.38))
    left, top, right, bottom = draw.textbbox((0, 0), text, font=font)
    position = (centre - (left + right) / 2, centre - (top + bottom) / 2)
    draw.text(position, text, font=font, fill=(255, 255, 255))
    return _jpeg(picture)
