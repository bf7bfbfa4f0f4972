"""Curation: edits that analysts make to the graph, planned as pure functions."""
