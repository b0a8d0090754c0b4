from guidelines_app.cli.main import run

raise SystemExit(run())
