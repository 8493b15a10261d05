"""The ``workbench`` command line (Typer). See ``main.py``."""
