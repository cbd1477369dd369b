"""Consultation on protocol versions (issue 19, part 2): a draft or negotiating version
opened to the site's community oversight body until a closing day, its comments and the
managers' answers."""
