"""The desktop app: the only part of the package that imports Qt."""
