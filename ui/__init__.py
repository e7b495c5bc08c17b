"""Thin edges: the command line and the web app."""
