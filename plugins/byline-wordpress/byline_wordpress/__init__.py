"""WordPress import for Byline, a first-party plugin written against cms.plugins only."""
