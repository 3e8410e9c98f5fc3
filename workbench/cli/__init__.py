"""The ``workbench`` command line: the same services the GUI uses, headless."""
