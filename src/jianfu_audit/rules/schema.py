"""JSON Schema for rule files (validated with ``jsonschema`` on load)."""

from __future__ import annotations

from typing import Any

from jianfu_audit.findings import CATEGORIES, SEVERITY_NAMES
from jianfu_audit.rules.patterns import KINDS

_PHRASES = {"type": "array", "minItems": 1, "items": {"type": "string", "minLength": 1}}

PATTERN: dict[str, Any] = {
    "type": "object",
    "minProperties": 1,
    "maxProperties": 1,
    "properties": {
        "terms": _PHRASES,
        "regex": {"type": "string", "minLength": 1},
        "sequence": {
            "oneOf": [
                {"type": "array", "minItems": 2, "items": {"$ref": "#/$defs/step"}},
                {
                    "type": "object",
                    "required": ["steps"],
                    "additionalProperties": False,
                    "properties": {
                        "steps": {"type": "array", "minItems": 2, "items": {"$ref": "#/$defs/step"}},
                        "max_gap": {"type": "integer", "minimum": 0, "maximum": 50},
                        "within": {"enum": ["clause", "sentence"]},
                    },
                },
            ]
        },
        "any": {"type": "array", "minItems": 1, "items": {"$ref": "#/$defs/pattern"}},
    },
    "additionalProperties": False,
}

EXCEPTION: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "id": {"type": "string", "pattern": "^[a-z][a-z0-9-]*$"},
        "description": {"type": "string"},
        "terms": _PHRASES,
        "regex": {"type": "string", "minLength": 1},
        "sequence": PATTERN["properties"]["sequence"],
        "any": PATTERN["properties"]["any"],
        "scope": {"enum": ["clause", "sentence", "document"]},
        "position": {"enum": ["before", "after", "any"]},
        "breakers": _PHRASES,
        "breakers_before": _PHRASES,
        "quoted": {"type": "boolean"},
        "quote_min_extra": {"type": "integer", "minimum": 0},
    },
    "anyOf": [
        {"required": ["terms"]},
        {"required": ["regex"]},
        {"required": ["sequence"]},
        {"required": ["any"]},
        {"required": ["quoted"]},
    ],
}

RULE: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "required": ["id", "category", "severity", "message", "suggestion", "citation", "pattern", "examples"],
    "properties": {
        "id": {"type": "string", "pattern": "^[a-z]+(-[a-z0-9]+)+$"},
        "category": {"enum": list(CATEGORIES)},
        "severity": {"enum": list(SEVERITY_NAMES)},
        "name": {"type": "string", "minLength": 1},
        "description": {"type": "string"},
        "message": {"type": "string", "minLength": 1},
        "suggestion": {"type": "string", "minLength": 1},
        "citation": {
            "type": "array",
            "minItems": 1,
            "items": {"type": "string", "pattern": "^[A-Z]+(-[0-9]{4})?-[0-9A-Za-z-]+$"},
        },
        "pattern": {"$ref": "#/$defs/pattern"},
        "inside": {"type": "array", "items": {"$ref": "#/$defs/condition"}},
        "unless": {"type": "array", "items": {"oneOf": [{"type": "string"}, {"$ref": "#/$defs/exception"}]}},
        "ignore_defaults": {"type": "array", "items": {"type": "string"}},
        "examples": {
            "type": "object",
            "additionalProperties": False,
            "required": ["positive", "negative"],
            "properties": {
                "positive": {"type": "array", "minItems": 2, "items": {"type": "string", "minLength": 1}},
                "negative": {"type": "array", "minItems": 2, "items": {"type": "string", "minLength": 1}},
            },
        },
    },
}

CONDITION: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        **PATTERN["properties"],
        "scope": {"enum": ["clause", "sentence", "document"]},
        "position": {"enum": ["before", "after", "any"]},
    },
    "anyOf": [{"required": [k]} for k in PATTERN["properties"]],
}

# Computed kinds (deadline, length…) declare their own fragment; they are rule patterns, not conditions.
PATTERN["properties"].update({name: kind.SCHEMA for name, kind in KINDS.items() if hasattr(kind, "SCHEMA")})

CLAUSE: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "required": ["id", "source", "category", "summary", "detectable"],
    "properties": {
        "id": RULE["properties"]["citation"]["items"],
        "source": {"type": "string", "minLength": 1},
        "category": {"enum": [*CATEGORIES, "other"]},
        "summary": {"type": "string", "minLength": 1},
        "detectable": {"type": "boolean"},
        "reason": {"type": "string", "minLength": 1},
    },
    # a clause that cannot be detected from a notice's wording must say why
    "if": {"properties": {"detectable": {"const": False}}},
    "then": {"required": ["reason"]},
}

RULE_FILE: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "rules": {"type": "array", "items": {"$ref": "#/$defs/rule"}},
        "exceptions": {"type": "array", "items": {"allOf": [{"$ref": "#/$defs/exception"}, {"required": ["id"]}]}},
        "defaults": {"type": "array", "items": {"type": "string"}},
        "sources": {"type": "object", "additionalProperties": {"type": "string", "minLength": 1}},
        "clauses": {"type": "array", "items": {"$ref": "#/$defs/clause"}},
    },
    "$defs": {
        "pattern": PATTERN,
        "step": {"oneOf": [{"type": "string", "minLength": 1}, _PHRASES]},
        "exception": EXCEPTION,
        "condition": CONDITION,
        "rule": RULE,
        "clause": CLAUSE,
    },
}
