"""The rich editing surface (the default editor) and its parts: building
and writing the document (build), formats, tables, links, pasting,
spelling, and the switch to the Markdown source (views)."""
