"""PDF editions, CSV exports, transparency tables and the network report made in the background."""
