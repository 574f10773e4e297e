"""Step 12: the quality loop: reviews and coaching."""

from __future__ import annotations

from agent_console.server.storage.schema_steps.parts import both

PARTS = (
    both("""
        -- Issue 16, the quality loop: closed tickets sampled for review (a ticket is
        -- sampled once: the unique key says so on both engines), scored per scorecard
        -- item (scores: JSON object item -> points), and the practice scenario a
        -- supervisor assigns from a weak item, linked to the practice result that ran it.
        CREATE TABLE reviews (
            id          {ID},
            agent_id    TEXT NOT NULL REFERENCES agents(id),
            ticket_id   INTEGER NOT NULL UNIQUE REFERENCES tickets(id),
            status      TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open','scored')),
            scores      TEXT NOT NULL DEFAULT '{}',
            comment     TEXT NOT NULL DEFAULT '',
            sampled_by  TEXT NOT NULL,
            sampled_at  TEXT NOT NULL,
            reviewer_id TEXT,
            scored_at   TEXT
        );
        CREATE INDEX reviews_agent ON reviews(agent_id, status, id);
        CREATE TABLE coaching (
            id             {ID},
            review_id      INTEGER NOT NULL REFERENCES reviews(id),
            agent_id       TEXT NOT NULL REFERENCES agents(id),
            item           TEXT NOT NULL,
            scenario_id    TEXT NOT NULL,
            scenario_title TEXT NOT NULL DEFAULT '',
            assigned_by    TEXT NOT NULL,
            assigned_at    TEXT NOT NULL,
            result_id      INTEGER REFERENCES practice_results(id)
        );
        CREATE INDEX coaching_agent ON coaching(agent_id, scenario_id, result_id);
        CREATE INDEX coaching_review ON coaching(review_id, id);
        -- The figures read a date range of calls, state changes and tickets.
        CREATE INDEX quality_calls_answered ON calls(answered_at);
        CREATE INDEX quality_tickets_created ON tickets(area, created_at);
        """),
)
