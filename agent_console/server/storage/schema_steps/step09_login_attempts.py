"""Step 9: sign-in attempts, for throttling."""

from __future__ import annotations

from agent_console.server.storage.schema_steps.parts import both

PARTS = (
    both("""
        -- Issue 14: the sign-in throttle. One row per password checked, reserved before
        -- the check inside the write lock, so guesses sent at once (to any worker)
        -- cannot all slip under the limit; counted per agent number and client address
        -- (a stranger cannot lock an agent out at their own seat) and per address.
        CREATE TABLE login_attempts (
            id       {ID},
            at       TEXT NOT NULL,
            agent_id TEXT NOT NULL,
            address  TEXT NOT NULL,
            outcome  TEXT NOT NULL DEFAULT 'pending'
                     CHECK (outcome IN ('pending','failed','unknown','ok','cleared'))
        );
        CREATE INDEX login_attempts_seat ON login_attempts(agent_id, address, at);
        CREATE INDEX login_attempts_address ON login_attempts(address, at);
        CREATE INDEX login_attempts_at ON login_attempts(at);
        """),
)
