"""Screenshots of the reader site and the admin in headless Chromium, and their comparison.

Used by `manage.py screenshots` (the README's pictures, from the demo site)
and by tests/test_visual_regression.py (every page type against committed
baselines). The browser is Debian's Chromium through Playwright, with the
flags of tests/browser_support.py; pages are shot with animations and the
caret switched off, so two runs on one machine give the same pixels, and
compared with a tolerance for antialiasing.
"""

from dataclasses import dataclass
from pathlib import Path

# Debian's Chromium and its flags, for the browser tests too (tests/browser_support.py).
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# Pictures also hide scrollbars and font hinting, which differ between runs.
SCREENSHOT_ARGS = [*CHROMIUM_ARGS, "--hide-scrollbars", "--font-render-hinting=none"]

VIEWPORTS = {"desktop": (1280, 800), "phone": (390, 844)}

# No motion, no blinking caret, no smooth scrolling: a still page to compare.
STILL_CSS = (
    "*, *::before, *::after { animation: none !important; transition: none !important;"
    " caret-color: transparent !important; scroll-behavior: auto !important; }"
)

# A pixel counts as different when a channel moves by more than this (0-255):
# antialiasing and subpixel positioning stay under it, a changed layout does not.
CHANNEL_TOLERANCE = 48
# A page fails when more than this share of its pixels differ.
DIFFERENCE_THRESHOLD = 0.005


@dataclass(frozen=True)
class Shot:
    name: str  # file name without ".png"
    path: str  # site-relative URL
    viewport: str = "desktop"
    full_page: bool = False
    admin: bool = False


# The README's pictures (docs/screenshots/).
README_SHOTS = (
    Shot("home-desktop", "/", "desktop"),
    Shot("article-desktop", "{article}", "desktop"),
    Shot("article-phone", "{article}", "phone"),
    Shot("admin-editor", "{article_edit}", "desktop", admin=True),
)


def take_readme_shots(browser, base_url, output, paths, cookies=(), say=print, routes=()):
    """The README's pictures (README_SHOTS) of the site at `base_url`, written to `output`.

    `paths` fills the shots' placeholders ({article}, {article_edit}); `cookies` sign the
    admin's picture in. Returns the files written.
    """
    written = []
    for shot in README_SHOTS:
        url = base_url + shot.path.format(**paths)
        say(f"  {shot.name}: {url}")
        written.append(
            capture(
                browser,
                url,
                Path(output) / f"{shot.name}.png",
                viewport=shot.viewport,
                full_page=shot.full_page,
                cookies=cookies if shot.admin else (),
                routes=routes,
            )
        )
    return written


def launch(playwright):
    """Debian's Chromium, never a downloaded browser."""
    return playwright.chromium.launch(executable_path=CHROMIUM, args=SCREENSHOT_ARGS)


def capture(
    browser, url, destination, *, viewport="desktop", full_page=False, cookies=(), routes=()
):
    """Load `url` in a fresh context at `viewport` and write a PNG to `destination`.

    `routes` are Playwright `(pattern, handler)` pairs (a test serving media files);
    requests to other hosts (embedded players) are refused, so nothing leaves the machine.
    """
    width, height = VIEWPORTS[viewport]
    context = browser.new_context(
        viewport={"width": width, "height": height},
        device_scale_factor=1,
        reduced_motion="reduce",
        color_scheme="light",
        locale="en-GB",
        timezone_id="Europe/London",
        # The site's CSP refuses inline styles, such as the one that stills the page.
        bypass_csp=True,
    )
    try:
        # A first view may make image renditions: slow on a busy machine.
        context.set_default_navigation_timeout(90_000)
        if cookies:
            context.add_cookies(list(cookies))
        origin = url.split("/", 3)[:3]
        context.route(
            "**/*",
            lambda route: (
                route.continue_()
                if route.request.url.split("/", 3)[:3] == origin
                else route.abort()
            ),
        )
        for pattern, handler in routes:
            context.route(pattern, handler)
        page = context.new_page()
        page.goto(url, wait_until="load")
        page.add_style_tag(content=STILL_CSS)
        # Lazy images below the fold: load them all before a full-page shot.
        if full_page:
            page.evaluate(
                "document.querySelectorAll('img[loading=lazy]').forEach(i => i.loading = 'eager')"
            )
        page.wait_for_load_state("networkidle")
        page.evaluate("document.fonts.ready")
        Path(destination).parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(destination), full_page=full_page, animations="disabled")
    finally:
        context.close()
    return Path(destination)


def difference(actual, baseline, *, tolerance=CHANNEL_TOLERANCE):
    """The share of pixels (0-1) that differ by more than `tolerance`; 1.0 if sizes differ."""
    from PIL import Image, ImageChops

    with Image.open(actual) as first, Image.open(baseline) as second:
        if first.size != second.size:
            return 1.0
        delta = ImageChops.difference(first.convert("RGB"), second.convert("RGB"))
    # The largest channel change of each pixel, then a mask of those over the tolerance.
    channels = delta.split()
    largest = ImageChops.lighter(ImageChops.lighter(channels[0], channels[1]), channels[2])
    changed = largest.point(lambda value: 255 if value > tolerance else 0)
    histogram = changed.histogram()
    total = changed.width * changed.height
    return histogram[255] / total if total else 0.0


def difference_image(actual, baseline, destination):
    """The baseline with differing pixels in red, for looking at a failure."""
    from PIL import Image, ImageChops

    with Image.open(actual) as first, Image.open(baseline) as second:
        first, second = first.convert("RGB"), second.convert("RGB")
        if first.size != second.size:
            first = first.resize(second.size)
        mask = ImageChops.difference(first, second).convert("L").point(lambda v: 255 if v else 0)
        marked = second.copy()
        marked.paste((220, 0, 0), mask=mask)
        marked.save(destination)
    return Path(destination)
