"""Shipped keymaps (data files), read from this package's folder (agent_console/keymap.py
SHIPPED): installed as a plain folder, and importlib.resources costs start-up time."""
