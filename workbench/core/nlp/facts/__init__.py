"""Structured facts found inside a claim: quantities, dates, quotes, attributions."""
