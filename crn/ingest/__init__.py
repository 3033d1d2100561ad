"""Importers and exporters: file formats, column mapping, validation, error files, dedupe and merge."""
