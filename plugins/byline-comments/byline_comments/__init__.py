"""Reader comments for Byline, a first-party plugin written against cms.plugins only."""
