"""The site's pages: home, overview, every record's list and forms, protocols, audit and sharing."""
