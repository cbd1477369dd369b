"""The mediation thread of an interaction shared with police: replies from the site's
managers and its liaisons, a status and an outcome."""
