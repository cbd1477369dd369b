"""A site's records as one JSON file: validated import (all or nothing) and export."""
