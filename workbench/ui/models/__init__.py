"""Qt item models: ids plus cached display rows, refreshed from Changes."""
