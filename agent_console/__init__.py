"""agent-console: a keyboard-driven terminal console for hotline agents.

Kept empty on purpose: importing the package must stay cheap, because the
console's start-up time is something agents feel every shift.
"""

__version__ = "0.1.0"
