"""Draw static/favicon.ico (the bridge mark of static/favicon.svg) with Pillow.

Run once when the mark changes; the .ico is committed so that no deployment needs Pillow.
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw

ROOT = Path(__file__).resolve().parent.parent
PRIMARY = "#1c4f82"
SAFFRON = "#f2a900"
WHITE = "#ffffff"


def draw(size: int) -> Image.Image:
    """The 32-unit drawing of favicon.svg, scaled to ``size`` pixels (drawn 4x, then reduced)."""
    scale = size * 4 / 32
    image = Image.new("RGBA", (size * 4, size * 4), (0, 0, 0, 0))
    pen = ImageDraw.Draw(image)

    def u(value: float) -> float:
        return value * scale

    pen.rounded_rectangle((0, 0, u(32), u(32)), radius=u(6), fill=PRIMARY)
    # The arch: the upper half of an ellipse from (4, 21) to (28, 21), rising to y = 13.5.
    pen.arc((u(4), u(13.5), u(28), u(28.5)), start=180, end=360, fill=WHITE, width=round(u(2.5)))
    for x, top in ((10, 15.5), (16, 13.5), (22, 15.5)):
        pen.line((u(x), u(top), u(x), u(22)), fill=WHITE, width=max(1, round(u(1.6))))
    pen.line((u(3), u(22.5), u(29), u(22.5)), fill=SAFFRON, width=round(u(2.6)))
    return image.resize((size, size), Image.Resampling.LANCZOS)


def main() -> None:
    sizes = [16, 32, 48]
    images = [draw(size) for size in sizes]
    target = ROOT / "static" / "favicon.ico"
    images[-1].save(target, format="ICO", sizes=[(s, s) for s in sizes], append_images=images)
    print(f"wrote {target.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
