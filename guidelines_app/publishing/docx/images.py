"""Pictures: local images embedded (from inside the workspace only), remote
ones shown as a link."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from urllib.parse import unquote, urlparse

from guidelines_app.core.links import safe_link
from guidelines_app.publishing.docx.details import ImageError
from guidelines_app.publishing.docx.opc import RT_IMAGE, Part
from guidelines_app.publishing.docx.oxml import A_NS, PIC_NS, ParaBuffer, RunFormat, esc


class ImagesMixin:
    """Images of the writer (a mixin of ``DocxWriter``)."""

    def image(self, el, fmt: RunFormat, para: ParaBuffer) -> None:
        src = (el.get("src") or "").strip()
        alt = (el.get("alt") or "").strip()
        parsed = urlparse(src)
        if parsed.scheme and len(parsed.scheme) > 1 and parsed.scheme != "file":
            # Remote images are never fetched: the reader gets a link instead.
            label = f"Image: {alt}" if alt else f"Image: {src}"
            if parsed.scheme in ("http", "https") and safe_link(src):
                self.text(label, fmt.with_(link=self.link_id(src)), para)
            else:
                self.text(label, fmt, para)
            return
        path = self._local_image(unquote(parsed.path) if parsed.scheme == "file" else src)
        try:
            rid, width, height = self._image_part(path)
        except Exception:  # noqa: BLE001 - unreadable or unsupported picture formats
            raise ImageError(f"the image {src} cannot be put in a Word document (use PNG, JPEG or GIF)") from None
        max_width = self.text_width
        if width > max_width:
            height = int(height * max_width / width)
            width = max_width
        self._bookmark += 1
        pic_id = self._bookmark
        name = esc(path.name)
        descr = esc(alt)
        para.runs.append(
            f'<w:r><w:drawing><wp:inline distT="0" distB="0" distL="0" distR="0">'
            f'<wp:extent cx="{width}" cy="{height}"/><wp:docPr id="{pic_id}" name="{name}" descr="{descr}"/>'
            f'<wp:cNvGraphicFramePr><a:graphicFrameLocks xmlns:a="{A_NS}" noChangeAspect="1"/></wp:cNvGraphicFramePr>'
            f'<a:graphic xmlns:a="{A_NS}"><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture">'
            f'<pic:pic xmlns:pic="{PIC_NS}"><pic:nvPicPr><pic:cNvPr id="{pic_id}" name="{name}" descr="{descr}"/><pic:cNvPicPr/></pic:nvPicPr>'
            f'<pic:blipFill><a:blip r:embed="{rid}"/><a:stretch><a:fillRect/></a:stretch></pic:blipFill>'
            f'<pic:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="{width}" cy="{height}"/></a:xfrm>'
            '<a:prstGeom prst="rect"><a:avLst/></a:prstGeom></pic:spPr></pic:pic>'
            "</a:graphicData></a:graphic></wp:inline></w:drawing></w:r>"
        )
        para.has_text = True

    def _image_part(self, path: Path) -> tuple[str, int, int]:
        """The relationship id of the picture's part (one part per distinct
        picture, named /word/media/imageN.<ext>) and its size in EMU."""
        # python-docx reads the picture's kind and size (PNG, JPEG, GIF, BMP,
        # TIFF); imported only for a document with pictures.
        from docx.image.image import Image

        image = Image.from_file(str(path))
        images = self.package.targets(RT_IMAGE)
        part = next((p for p in images if _digest(p) == image.sha1), None)
        if part is None:
            used = {_image_number(p.partname) for p in images}
            n = next(n for n in range(1, len(images) + 2) if n not in used)
            part = Part(f"/word/media/image{n}.{image.ext}", image.content_type, blob=image.blob)
            part.image_size = (int(image.width), int(image.height))
        width, height = getattr(part, "image_size", None) or _size_of(part)
        return self.part.relate(part, RT_IMAGE), width, height

    def _local_image(self, src: str) -> Path:
        if self.root is None:
            raise ImageError(f"the image {src} can only be exported from a document in a workspace")
        path = Path(src)
        if not path.is_absolute():
            path = self.root / "guidelines" / path
        try:
            resolved = path.resolve()
            resolved.relative_to(self.root)
        except (OSError, ValueError):
            raise ImageError(
                f"the image {src} is outside the workspace; copy it into the workspace folder "
                f"({self.root}) and link to the copy"
            ) from None
        if not resolved.is_file():
            raise ImageError(f"the image {src} does not exist (looked for {resolved})")
        return resolved


def _digest(part) -> str:
    """The SHA-1 of a picture part's bytes, worked out once per part (a
    document with many pictures compares each new one with all before it)."""
    digest = getattr(part, "_sha1_digest", None)
    if digest is None:
        digest = part._sha1_digest = hashlib.sha1(part.blob).hexdigest()
    return digest


_NUMBERED_RE = re.compile(r"([a-zA-Z]+)([1-9][0-9]*)?")


def _image_number(partname: str) -> int | None:
    m = _NUMBERED_RE.match(Path(partname).stem)
    return int(m.group(2)) if m and m.group(2) else None


def _size_of(part: Part) -> tuple[int, int]:
    from docx.image.image import Image

    image = Image.from_blob(part.blob)
    return int(image.width), int(image.height)
