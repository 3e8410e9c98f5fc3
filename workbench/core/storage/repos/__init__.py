"""Repositories, one per aggregate; each method is one committed transaction."""
