"""The SQL both engines share: the area mixins, written once against SqlCore (core.py)
in SQLite's spelling, each engine's dialect (dialect.py) saying it its own way."""
