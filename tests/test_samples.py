"""The bundled samples against tests/samples/expected.json, with the bundled rule pack.

Asserted at the level of *category + location* (txt line, pdf page, docx
table/row/cell or body), because rule ids change while the pack grows:

- every expected category has a finding that starts in the expected paragraph,
  line or cell (identified by a quote from it);
- no finding appears elsewhere or with a category not listed for its place;
- clean samples have no finding at all.
"""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

import pytest

from conftest import SAMPLES
from jianfu_audit.extract import extract
from jianfu_audit.pipeline import check_input
from jianfu_audit.rules.loader import load_rules
from jianfu_audit.settings import Settings

HERE = Path(__file__).resolve().parent / "samples"
EXPECTED = json.loads((HERE / "expected.json").read_text(encoding="utf-8"))
NAMES = sorted(name for name in EXPECTED if not name.startswith("_"))
LOCATION_KEYS = ("line", "page", "part", "table", "row", "cell")


@pytest.fixture(scope="module")
def bundled():
    return load_rules()


@pytest.fixture(scope="module")
def results(bundled):
    cache = {}

    def get(name: str):
        if name not in cache:
            cache[name] = check_input(str(SAMPLES / name), bundled, Settings())
        return cache[name]

    return get


def block_key(document, offset: int) -> int:
    """Index of the block (line, paragraph or cell) containing ``offset``."""
    block = document.block_at(offset)
    return document.blocks.index(block)


def resolve(document, entry: dict) -> int:
    """The one block an expectation points at (its location keys plus its quote)."""
    candidates = []
    for index, block in enumerate(document.blocks):
        where = document.locate(block.start)
        if any(getattr(where, key) != entry[key] for key in LOCATION_KEYS if key in entry):
            continue
        if entry["quote"] in document.text[block.start : block.end]:
            candidates.append(index)
    assert len(candidates) == 1, f"expectation {entry} matches {len(candidates)} blocks"
    return candidates[0]


def describe(document, finding) -> str:
    where = document.locate(finding.start)
    place = ", ".join(f"{k}={getattr(where, k)}" for k in LOCATION_KEYS if getattr(where, k) not in (None, "body"))
    return f"{finding.category}/{finding.rule} at {place or 'body'}: {finding.context or finding.excerpt}"


def test_every_sample_is_listed_and_exists():
    on_disk = sorted(p.name for p in SAMPLES.iterdir() if p.suffix in (".txt", ".docx", ".pdf"))
    assert on_disk == NAMES
    assert len(NAMES) >= 6
    assert {Path(n).suffix for n in NAMES} >= {".txt", ".docx", ".pdf"}
    assert any(EXPECTED[n]["clean"] for n in NAMES) and any(not EXPECTED[n]["clean"] for n in NAMES)


@pytest.mark.parametrize("name", NAMES)
def test_expectations_point_at_real_places(name):
    """Independent of the rules: each quote is found exactly once at its location."""
    document = extract(SAMPLES / name)
    for entry in EXPECTED[name]["expect"]:
        resolve(document, entry)
    assert EXPECTED[name]["clean"] == (not EXPECTED[name]["expect"])


def test_burden_samples_cover_every_category():
    wanted = {"meeting", "document", "reporting", "trace", "app", "inspection", "veto",
              "deadline", "shifting", "campaign", "secondment", "publicity"}
    covered = {e["category"] for n in NAMES for e in EXPECTED[n]["expect"] if e["category"]}
    assert covered == wanted


@pytest.mark.parametrize("name", NAMES)
def test_sample_reads_without_error(results, name):
    result = results(name)
    assert result.error is None
    assert result.chars > 200


@pytest.mark.parametrize("name", [n for n in NAMES if not EXPECTED[n]["clean"]])
def test_expected_findings_are_reported(results, name):
    result = results(name)
    document = result.document
    found = {(block_key(document, f.start), f.category) for f in result.findings}
    missing = [
        f"{entry['category']} at {({k: entry[k] for k in LOCATION_KEYS if k in entry})} «{entry['quote']}»"
        for entry in EXPECTED[name]["expect"]
        if entry["category"] and (resolve(document, entry), entry["category"]) not in found
    ]
    assert not missing, f"{name}: {len(missing)} expected findings missing:\n  " + "\n  ".join(missing)


@pytest.mark.parametrize("name", NAMES)
def test_no_unexpected_findings(results, name):
    result = results(name)
    document = result.document
    allowed: dict[int, set[str]] = defaultdict(set)
    for entry in EXPECTED[name]["expect"]:
        block = resolve(document, entry)
        allowed[block].update(([entry["category"]] if entry["category"] else []) + entry.get("also", []))
    unexpected = [
        describe(document, f) for f in result.findings if f.category not in allowed.get(block_key(document, f.start), set())
    ]
    assert not unexpected, f"{name}: {len(unexpected)} unexpected findings:\n  " + "\n  ".join(unexpected)


@pytest.mark.parametrize("name", [n for n in NAMES if EXPECTED[n]["clean"]])
def test_clean_samples_have_zero_findings(results, name):
    result = results(name)
    assert [describe(result.document, f) for f in result.findings] == []


def test_findings_index_the_extracted_text(results):
    for name in NAMES:
        result = results(name)
        for finding in result.findings:
            assert result.document.text[finding.start : finding.end] == finding.excerpt


# ------------------------------------------------------------------ generator

def test_gbk_sample_is_really_gbk():
    data = (SAMPLES / "02-burden-inspection-gbk.txt").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    assert data.decode("gbk").startswith("桐坪镇人民政府")
    assert "encoding=gb18030" in extract(SAMPLES / "02-burden-inspection-gbk.txt").notes


def test_generator_reproduces_the_committed_samples(tmp_path):
    """``tests/samples/make_samples.py`` is the source of the binary samples."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("make_samples", HERE / "make_samples.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    written = module.generate(tmp_path)
    assert {p.name for p in written} == {module.GBK_NAME, module.DOCX_NAME, module.PDF_NAME}
    for path in written:
        committed = SAMPLES / path.name
        if path.suffix == ".txt":
            assert path.read_bytes() == committed.read_bytes()
        else:
            assert extract(path).text == extract(committed).text, path.name
    pdf = extract(SAMPLES / module.PDF_NAME)
    assert pdf.pages == len(module.PDF_PAGES) >= 3
