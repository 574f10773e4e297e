"""Request and response shapes of the HTTP API (v1), as published in /openapi.json,
one module per area like routes/: `agents` (sign-in, roles, states, audit), `callers`
(and the directory), `tickets` (and SMS, categories, stations), `knowledge`, `scripts`,
`calls`, `practice`; `base` holds what they share (strict bodies, patches, cleaning).
"""
