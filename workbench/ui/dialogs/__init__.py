"""Dialogs: importing articles, evidence, export, settings."""
