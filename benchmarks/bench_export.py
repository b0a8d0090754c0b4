"""Word export speed against pandoc, side by side in one run.

Exports a generated 40,000-word guideline (headings, paragraphs, nested
lists, tables, links) to .docx with Guideline Studio and converts the same
Markdown with ``pandoc`` (the tool users would otherwise reach for).  Target:
ours takes at most half of pandoc's time (ratio <= 0.5).  Each timed run of
ours parses the text from scratch and writes the file; only the one-time
set-up (imports, the house template, Markdown instances) is done before.

    python3 benchmarks/bench_export.py [WORDS] [REPEATS]
"""

from __future__ import annotations

import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from sample_document import generate  # noqa: E402

from guidelines_app.core.document import Document  # noqa: E402
from guidelines_app.publishing.docx import export_docx  # noqa: E402


def main() -> int:
    words = int(sys.argv[1]) if len(sys.argv) > 1 else 40_000
    repeats = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    pandoc = shutil.which("pandoc")
    if pandoc is None:
        print("pandoc is not installed (apt-get install pandoc): cannot compare")
        return 1
    text = generate(words)
    doc = Document.parse(text)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        src = folder / "guideline.md"
        src.write_text(text, encoding="utf-8")
        ours_times, pandoc_times = [], []
        export_docx(doc, folder / "warmup.docx")  # imports, template load
        for _ in range(repeats):
            # Interleaved, so machine load affects both alike.
            t = time.perf_counter()
            export_docx(Document.parse(text), folder / "ours.docx")
            ours_times.append(time.perf_counter() - t)
            t = time.perf_counter()
            subprocess.run([pandoc, "-f", "markdown", "-t", "docx", "-o", str(folder / "pandoc.docx"), str(src)], check=True)
            pandoc_times.append(time.perf_counter() - t)
        ours, theirs = statistics.median(ours_times), statistics.median(pandoc_times)
        print(f"document: {words:,} words, {len(text):,} characters; median of {repeats} runs")
        print(f"guideline studio: {ours:.3f} s  (runs {min(ours_times):.3f}-{max(ours_times):.3f} s; "
              f"{(folder / 'ours.docx').stat().st_size:,} bytes)")
        print(f"pandoc:           {theirs:.3f} s  (runs {min(pandoc_times):.3f}-{max(pandoc_times):.3f} s; "
              f"{(folder / 'pandoc.docx').stat().st_size:,} bytes)")
        ratio = ours / theirs
        print(f"ratio ours/pandoc: {ratio:.2f}  (target <= 0.50: {'met' if ratio <= 0.5 else 'NOT met'})")
        return 0 if ratio <= 0.5 else 1


if __name__ == "__main__":
    raise SystemExit(main())
