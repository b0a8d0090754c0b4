"""The banner above the editor when the open document's review is overdue or
due soon (``history.review_state`` decides)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton

from guidelines_app.review import history
from guidelines_app.ui import appearance


class ReviewBanner(QFrame):
    """*on_review* runs when the reader chooses "Review and publish…"."""

    def __init__(self, on_review: Callable[[], object]):
        super().__init__()
        self.setObjectName("review-banner")
        appearance.follow(self, lambda c: self.setStyleSheet(
            f"#review-banner {{ background: {c.banner_background}; border-bottom: 1px solid {c.banner_border}; }} "
            f"QLabel {{ color: {c.banner}; }}"))
        self.label = QLabel()
        self.label.setWordWrap(True)
        action = QPushButton(self.tr("Review and Publish…"))
        action.clicked.connect(on_review)
        close = QPushButton(self.tr("Dismiss"))
        close.clicked.connect(self.hide)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 4, 10, 4)
        layout.addWidget(self.label, 1)
        layout.addWidget(action)
        layout.addWidget(close)
        self.hide()

    def update_for(self, doc) -> None:
        state = history.review_state(doc) if doc is not None else None
        if state is not None and (state.overdue or state.due_soon):
            self.label.setText(("⚠ " if state.overdue else "") + state.message())
            self.show()
        else:
            self.hide()
