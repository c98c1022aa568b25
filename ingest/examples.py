"""Cited examples: a country named as an instance of a practice, a situation, a case or a participation.

Placeholder: extracts nothing until the example extractor lands.
"""
from __future__ import annotations


class ExampleExtractor:
    @classmethod
    def default(cls) -> "ExampleExtractor":
        return cls()

    def extract(self, node, mentions, context) -> list:
        return []
