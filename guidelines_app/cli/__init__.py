"""The ``guidelines`` command line: one module per command group."""
