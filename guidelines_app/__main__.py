"""``python -m guidelines_app`` starts the desktop app."""

from guidelines_app.ui.app import main

raise SystemExit(main())
