"""Importers of open data (IATI, 360Giving), tested on the real sample files in shared/data."""
