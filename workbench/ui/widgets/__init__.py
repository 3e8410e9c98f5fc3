"""Widgets that own behaviour: the article, the claims table, the library."""
