"""Renders the app icon's PNG sizes from its SVG with Qt's QSvgRenderer.

    python scripts/render_icons.py

Reads resources/icons/guideline-studio.svg and writes
resources/icons/guideline-studio-SIZE.png for every size in SIZES (the
freedesktop hicolor sizes; Windows and macOS take theirs from the same set)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ICONS = Path(__file__).resolve().parent.parent / "resources" / "icons"
SVG = ICONS / "guideline-studio.svg"
SIZES = (16, 24, 32, 48, 64, 128, 256, 512)


def render(svg: Path = SVG, folder: Path = ICONS, sizes=SIZES) -> list[Path]:
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    _app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    renderer = QSvgRenderer(str(svg))
    if not renderer.isValid():
        raise SystemExit(f"error: {svg} is not a valid SVG")
    written = []
    for size in sizes:
        image = QImage(size, size, QImage.Format.Format_ARGB32)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        renderer.render(painter)
        painter.end()
        target = folder / f"guideline-studio-{size}.png"
        if not image.save(str(target)):
            raise SystemExit(f"error: cannot write {target}")
        written.append(target)
    return written


if __name__ == "__main__":
    for path in render():
        print("wrote", path)
