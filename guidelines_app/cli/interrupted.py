"""What a command says when Ctrl+C stops it (``cli.entry`` while its
modules load, ``cli.main`` after): one line, and nothing half-written."""

MESSAGE = "error: interrupted; nothing was half-written\n"
