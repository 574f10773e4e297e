"""The quality loop (issue 16): figures per agent and team, the review scorecard,
review samples and coaching back into practice."""
