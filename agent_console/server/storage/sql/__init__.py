"""The SQL both engines share: the area mixins (areas.py gathers them), written once
with `?` placeholders against SqlCore (core.py); each engine's dialect (dialect.py)
says where the engines differ."""
