"""The batch pipeline: inputs → documents → findings, one result per input."""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from fnmatch import fnmatchcase
from pathlib import Path, PurePath

from jianfu_audit.document import Document
from jianfu_audit.errors import InputError
from jianfu_audit.extract import extract, extract_stdin, format_of
from jianfu_audit.findings import Finding, Severity
from jianfu_audit.rules.engine import check_document
from jianfu_audit.rules.model import RuleSet
from jianfu_audit.settings import Settings

STDIN = "-"


@dataclass
class DocumentResult:
    """The outcome for one input: its findings, or the reason it could not be read."""

    path: str
    format: str | None
    chars: int = 0
    error: str | None = None
    error_kind: str | None = None
    findings: list[Finding] = field(default_factory=list)
    document: Document | None = None
    baselined: int = 0  # findings hidden because the baseline already records them
    suppressed: dict[str, int] = field(default_factory=dict)  # config ignore reason → findings hidden

    def fails(self, fail_on: Severity | None) -> bool:
        """Whether a finding reaches the failing severity."""
        return fail_on is not None and any(f.severity >= fail_on for f in self.findings)


@dataclass
class Inputs:
    """Files to check, and the ones found but not supported."""

    files: list[str] = field(default_factory=list)
    unsupported: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)


def _matches(path: PurePath, patterns: Iterable[str]) -> bool:
    posix = path.as_posix()
    return any(fnmatchcase(posix, p) or fnmatchcase(path.name, p) for p in patterns)


def collect(paths: Iterable[str], settings: Settings) -> Inputs:
    """Expand files and folders (recursively; hidden entries skipped) into inputs."""
    inputs = Inputs()
    for raw in paths:
        if raw == STDIN:
            inputs.files.append(STDIN)
            continue
        root = Path(raw)
        if root.is_dir():
            candidates = sorted(_walk(root))
        elif root.exists() or root.is_symlink():
            candidates = [root]
        else:
            inputs.missing.append(raw)
            continue
        for path in candidates:
            relative = path.relative_to(root) if path != root else PurePath(path.name)
            # Config globs are anchored to the config folder, so also try the absolute path.
            if settings.include and not (_matches(relative, settings.include) or _matches(Path(os.path.abspath(path)), settings.include)):
                continue
            if _matches(relative, settings.exclude) or _matches(Path(os.path.abspath(path)), settings.exclude):
                continue
            (inputs.files if format_of(path) else inputs.unsupported).append(str(path))
    return inputs


def _walk(root: Path) -> Iterator[Path]:
    for directory, folders, files in os.walk(root, followlinks=False):
        folders[:] = sorted(f for f in folders if not f.startswith("."))
        for name in files:
            if not name.startswith("."):
                yield Path(directory) / name


def check_input(path: str, ruleset: RuleSet, settings: Settings) -> DocumentResult:
    """Extract and check one input; errors become part of the result."""
    fmt = "txt" if path == STDIN else format_of(Path(path))
    try:
        document = extract_stdin() if path == STDIN else extract(Path(path), settings)
    except InputError as error:
        return DocumentResult(path, fmt, error=str(error), error_kind=error.kind)
    findings = check_document(document, ruleset, settings)
    return DocumentResult(path if path != STDIN else "<stdin>", document.format, len(document.text), findings=findings, document=document)


def run(files: Iterable[str], ruleset: RuleSet, settings: Settings) -> Iterator[DocumentResult]:
    """Check inputs one after another, streaming results in input order."""
    for path in files:
        yield check_input(path, ruleset, settings)
