"""Shipped keymaps (data files); read through importlib.resources, never by path."""
