"""Curation plans (merges), checked on records built by hand and on generated ones."""
