"""Images in the terminal: kitty, iTerm2 and sixel graphics, else a coloured half-block preview.

``graphics_mode`` picks the protocol from the environment; ``show_image`` prints an image file that
way, always followed by its saved path. The encoders are pure functions of a PIL image.
"""

from __future__ import annotations

import base64
import io
import os
import sys
from pathlib import Path

from PIL import Image
from rich.console import Console
from rich.text import Text

MODES = ("auto", "kitty", "iterm", "sixel", "blocks", "none")


def graphics_mode(env: dict | None = None) -> str:
    """kitty, iterm, sixel or blocks, from the environment (AGENTVISION_IMAGES overrides: also none)."""
    env = os.environ if env is None else env
    forced = env.get("AGENTVISION_IMAGES", "").lower()
    if forced in ("kitty", "iterm", "sixel", "blocks", "none"):
        return forced
    term, program = env.get("TERM", ""), env.get("TERM_PROGRAM", "")
    if env.get("TMUX"):
        return "blocks"  # tmux passes no graphics by default
    if env.get("KITTY_WINDOW_ID") or "kitty" in term or program == "ghostty":
        return "kitty"
    if program in ("iTerm.app", "WezTerm"):
        return "iterm"
    if "sixel" in term or term.startswith(("mlterm", "foot", "yaft")) or program == "contour":
        return "sixel"
    return "blocks"


def show_image(console: Console, path: Path, mode: str = "auto", max_cols: int = 100, label: str = "image") -> None:
    """Print the image at ``path`` inline (``mode``: auto or one of MODES), at most ``max_cols`` cells wide,
    then its resolved path after ``label``."""
    mode = graphics_mode() if mode == "auto" else mode
    with Image.open(path) as im:
        image = im.convert("RGB")
    cols = max(20, min(console.width - 2, max_cols))
    if mode == "kitty":
        sys.stdout.write(kitty_image(image, cols))
    elif mode == "iterm":
        sys.stdout.write(iterm_image(image, cols))
    elif mode == "sixel":
        sys.stdout.write(sixel_image(image, cols * 8))
    elif mode == "blocks":
        truecolour(console).print(half_blocks(image, min(cols, 72)))
    sys.stdout.flush()
    console.print(f"[dim]{label}:[/] {Path(path).resolve()}")


def _png(image: Image.Image) -> bytes:
    buf = io.BytesIO()
    image.save(buf, format="PNG")
    return buf.getvalue()


def kitty_image(image: Image.Image, cols: int) -> str:
    """The kitty graphics protocol: PNG data in chunks of 4096, ``cols`` cells wide."""
    data = base64.standard_b64encode(_png(image)).decode()
    chunks = [data[i : i + 4096] for i in range(0, len(data), 4096)]
    out = []
    for i, chunk in enumerate(chunks):
        more = 1 if i < len(chunks) - 1 else 0
        head = f"a=T,f=100,c={cols}," if i == 0 else ""
        out.append(f"\033_G{head}m={more};{chunk}\033\\")
    return "".join(out) + "\n"


def iterm_image(image: Image.Image, cols: int) -> str:
    """iTerm2's inline image escape (OSC 1337), ``cols`` cells wide."""
    data = _png(image)
    head = f"\033]1337;File=inline=1;size={len(data)};width={cols};preserveAspectRatio=1"
    return f"{head}:{base64.b64encode(data).decode()}\a\n"


def sixel_image(image: Image.Image, width: int, colours: int = 64) -> str:
    """A DEC sixel image ``width`` pixels wide with an adaptive palette."""
    img = image.resize((width, max(1, round(image.height * width / image.width))))
    pal = img.quantize(colours)
    palette = pal.getpalette()[: 3 * colours]
    px = pal.load()
    w, h = pal.size
    out = ["\033Pq"]
    for i in range(len(palette) // 3):
        r, g, b = (round(v * 100 / 255) for v in palette[3 * i : 3 * i + 3])
        out.append(f"#{i};2;{r};{g};{b}")
    for band in range(0, h, 6):
        rows = range(band, min(band + 6, h))
        used = sorted({px[x, y] for y in rows for x in range(w)})
        for c in used:
            line = []
            for x in range(w):
                bits = sum(1 << (y - band) for y in rows if px[x, y] == c)
                line.append(chr(63 + bits))
            out.append(f"#{c}" + "".join(line) + "$")
        out.append("-")
    out.append("\033\\")
    return "".join(out) + "\n"


def truecolour(console: Console) -> Console:
    """``console`` writing 24-bit colour escapes. rich lowers colours to what it detects, and inside tmux or with
    TERM=xterm-256color that is 256 colours (muddy photos), although today's terminals and tmux show 24-bit
    colour; a console without colour (not a terminal, NO_COLOR) stays as it is."""
    if console.color_system is None or console.color_system == "truecolor":
        return console
    return Console(file=console.file, color_system="truecolor", force_terminal=True, width=console.width)


def half_blocks(image: Image.Image, cols: int) -> Text:
    """A coloured preview: each character is two pixels (upper half block, foreground over background)."""
    rows = max(1, round(image.height * cols / image.width / 2)) * 2
    small = image.resize((cols, rows), Image.Resampling.LANCZOS)
    px = small.load()
    text = Text()
    for y in range(0, rows, 2):
        for x in range(cols):
            top, bottom = px[x, y], px[x, y + 1]
            text.append("\u2580", style=f"rgb({top[0]},{top[1]},{top[2]}) on rgb({bottom[0]},{bottom[1]},{bottom[2]})")
        text.append("\n")
    return text
