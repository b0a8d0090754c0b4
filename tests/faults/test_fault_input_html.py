"""Hostile content in a document: scripts, event handlers, frames, remote
loads and links with dangerous schemes never reach an exported HTML page,
Word document or redline; the words around them stay."""

from __future__ import annotations

import re
import struct
import zipfile
import zlib

import docx
import lxml.html
from test_fault_input_support import make_doc, run_cli

from guidelines_app.core.document import Document
from guidelines_app.publishing.export import export, source_from_workspace
from guidelines_app.review import diff as diffmod
from guidelines_app.review import redline

HOSTILE = """\
---
title: Hostile Policy
version: "1.0"
status: draft
---
# Posting rules

<script>alert('script')</script>

<img src="x.png" onerror="alert('onerror')">

<p onclick="alert('click')" onmouseover="alert('over')">Be kind online.</p>

Read [the script link](javascript:alert('js')), [the data link](data:text/html;base64,PHNjcmlwdD4=),
[the vb link](vbscript:msgbox), [the file link](file:///etc/passwd), [the sneaky link]( JaVa&#09;ScRiPt:alert(1))
and [the good link](https://example.org/rules) or [write to us](mailto:team@example.org), [see below](#posting-rules).

<iframe src="https://evil.example/frame"></iframe>
<object data="https://evil.example/x.swf"></object>
<embed src="https://evil.example/y.swf">
<link rel="stylesheet" href="https://evil.example/style.css">
<style>@import url("https://evil.example/more.css"); body { color: red; }</style>

![a remote picture](https://evil.example/pixel.png)

<a href="javascript:alert('raw')" onclick="alert('raw click')">the raw link</a>
"""

BAD_SCHEMES = ("javascript:", "data:", "vbscript:", "file:")
KEPT_WORDS = ("Be kind online.", "the script link", "the data link", "the vb link", "the file link",
              "the sneaky link", "the good link", "write to us", "the raw link")


def _check_page(html_text: str) -> None:
    page = lxml.html.document_fromstring(html_text)
    csp = page.xpath('//head/meta[@http-equiv="Content-Security-Policy"]/@content')
    assert csp and "default-src 'none'" in csp[0] and "script-src" not in csp[0]
    for tag in ("script", "iframe", "object", "embed", "frame", "form"):
        assert not page.xpath(f"//{tag}"), tag
    assert not page.xpath("//body//link") and not page.xpath("//body//style") and not page.xpath("//body//meta")
    for el in page.iter():
        if not isinstance(el.tag, str):
            continue
        for name, value in el.attrib.items():
            assert not name.lower().startswith("on"), (el.tag, name)
            if name in ("href", "src"):
                squeezed = re.sub(r"[\x00-\x20]", "", value).lower()
                assert not squeezed.startswith(BAD_SCHEMES) or (el.tag == "img" and squeezed.startswith("data:image/")), value
    for img in page.xpath("//img"):
        assert img.get("src", "").startswith("data:image/") or ":" not in img.get("src", ""), img.get("src")
    assert "@import" not in html_text and "evil.example/more.css" not in html_text
    text = page.text_content()
    for words in KEPT_WORDS:
        assert words in text, words
    assert page.xpath('//a[@href="https://example.org/rules"]') and page.xpath('//a[@href="mailto:team@example.org"]')
    # The remote picture is a link to it, as in the Word export, not a load.
    assert page.xpath('//a[@href="https://evil.example/pixel.png"]')
    assert not page.xpath('//img[contains(@src, "evil.example")]')


def _check_docx(path) -> None:
    with zipfile.ZipFile(path) as z:
        rels = "".join(z.read(n).decode("utf-8") for n in z.namelist() if n.endswith(".rels"))
    targets = re.findall(r'Target="([^"]*)"[^>]*TargetMode="External"', rels)
    assert "https://example.org/rules" in targets and "mailto:team@example.org" in targets
    for target in targets:
        assert not re.sub(r"\s", "", target).lower().startswith(BAD_SCHEMES), target
    text = "\n".join(p.text for p in docx.Document(str(path)).paragraphs)
    for words in KEPT_WORDS:
        assert words in text, words


def test_html_export_through_the_core_keeps_nothing_hostile(workspace, author, tmp_path):
    (workspace.root / "guidelines" / "x.png").write_bytes(_PNG)
    slug = make_doc(workspace, author, HOSTILE)
    out = export(source_from_workspace(workspace, slug), "html", tmp_path / "p.html")
    html_text = out.read_text(encoding="utf-8")
    _check_page(html_text)
    # The local picture is still embedded, as before.
    assert 'src="data:image/png;base64,' in html_text


def test_word_export_through_the_core_keeps_only_safe_links(workspace, author, tmp_path):
    (workspace.root / "guidelines" / "x.png").write_bytes(_PNG)
    slug = make_doc(workspace, author, HOSTILE)
    _check_docx(export(source_from_workspace(workspace, slug), "docx", tmp_path / "p.docx"))


def test_html_and_word_exports_through_the_cli(workspace, author, tmp_path):
    (workspace.root / "guidelines" / "x.png").write_bytes(_PNG)
    slug = make_doc(workspace, author, HOSTILE)
    for fmt in ("html", "docx"):
        out = tmp_path / f"p.{fmt}"
        proc = run_cli(workspace.root, "export", slug, "-o", str(out))
        assert proc.returncode == 0 and proc.stderr == "", proc.stderr
        if fmt == "html":
            _check_page(out.read_text(encoding="utf-8"))
        else:
            _check_docx(out)


def test_redlines_keep_only_safe_links(tmp_path):
    old = Document.parse("---\ntitle: T\n---\n# Rules\n\nBe kind.\n").body
    new = Document.parse(HOSTILE).body
    result = diffmod.diff_texts(old, new)
    page = redline.render_html(result, redline.Labels("Hostile Policy", "old", "new", "Tester"))
    tree = lxml.html.document_fromstring(page)
    assert tree.xpath('//head/meta[@http-equiv="Content-Security-Policy"]')
    assert not tree.xpath("//script|//iframe|//object|//embed|//body//link|//body//style")
    hrefs = tree.xpath("//a/@href")
    assert "https://example.org/rules" in hrefs
    assert not [h for h in hrefs if re.sub(r"\s", "", h).lower().startswith(BAD_SCHEMES)], hrefs
    assert "the script link" in tree.text_content() and "the raw link" in tree.text_content()
    path = redline.write_docx_redline(result, tmp_path / "r.docx", redline.Labels("Hostile Policy", "old", "new", "Tester"))
    with zipfile.ZipFile(path) as z:
        rels = "".join(z.read(n).decode("utf-8") for n in z.namelist() if n.endswith(".rels"))
    targets = re.findall(r'Target="([^"]*)"[^>]*TargetMode="External"', rels)
    assert "https://example.org/rules" in targets
    assert not [t for t in targets if re.sub(r"\s", "", t).lower().startswith(BAD_SCHEMES)], targets
    with zipfile.ZipFile(path) as z:
        body = z.read("word/document.xml").decode("utf-8")
    assert "the script link" in body and "the data link" in body


def _png() -> bytes:
    """A 1x1 white PNG, made here."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\x00\xff\xff\xff")) + chunk(b"IEND", b"")


_PNG = _png()
