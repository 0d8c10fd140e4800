"""Fact-check ratings for Byline (an example plugin)."""
