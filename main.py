"""Start Guideline Studio from a checkout: ``python main.py``."""

from guidelines_app.ui.app import main

if __name__ == "__main__":
    raise SystemExit(main())
