"""Tillit: software for a Swedish municipality's social services."""
