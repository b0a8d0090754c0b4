"""The Word (.docx) writer: exports, and (as a mode of the same writer)
redlines with tracked changes.  See ``writer`` for what a reader gets."""

from guidelines_app.publishing.docx.details import (
    ExportDetails,
    ExportError,
    ImageError,
    Progress,
    ReferenceDocxError,
)
from guidelines_app.publishing.docx.oxml import W_NS
from guidelines_app.publishing.docx.package import LinkedTarget, check_writable, link_target, output_file, write_output
from guidelines_app.publishing.docx.writer import (
    DocxWriter,
    build_docx,
    build_form_docx,
    export_docx,
)

__all__ = [
    "W_NS", "DocxWriter", "ExportDetails", "ExportError", "ImageError", "Progress", "ReferenceDocxError",
    "build_docx", "build_form_docx", "export_docx", "write_output",
    "LinkedTarget", "check_writable", "link_target", "output_file",
]
