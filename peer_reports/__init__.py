"""Peer-reported incidents (issue 19, part 3): a community body (a drug users' union)
files what police did near the site on behalf of someone who told it; the reporter keeps
a follow-up code of random words that shows only the report's status."""
