"""Readers for standard gold formats, so new gold data drops in without code."""
