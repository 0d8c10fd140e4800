"""Authors in the content API: their fields and endpoints."""
