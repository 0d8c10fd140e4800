"""Articles, sections, tags and images in the content API (fields, filters, endpoints)."""
