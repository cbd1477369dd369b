"""Private files (signed protocol PDFs, finished network reports) kept in the database,
so that every app server behind the load balancer reads what any other one wrote, and
no web server can serve them: the views that check access stream them (docs/decisions.md)."""
