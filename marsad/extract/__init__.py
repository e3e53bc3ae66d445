"""Extractors: pure functions of (Analysis, KnowledgeBase) → items with original offsets.  No I/O."""
