"""The five-factor rubric, the inputs it reads, cached scorecards, the dashboard, trends
and weights."""
