"""Burden score: the formula, its clamps, and the ``score`` command."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jianfu_audit.findings import CATEGORIES, Finding, Severity
from jianfu_audit.score import HALF_POINTS, MAX_PER_YEAR, WEIGHTS, burden, normalise, number, per_year


def finding(severity: Severity = Severity.warning, category: str = "reporting", frequency: object = None) -> Finding:
    extra = {} if frequency is None else {"frequency": frequency}
    return Finding(
        rule="t-x", category=category, severity=severity, message="m", suggestion="s", citation=["RG-2024-1"],
        excerpt="报送", start=0, end=2, line=1, column=1, page=None, paragraph=1, extra=extra,
    )


def weekly(severity: Severity = Severity.warning, category: str = "reporting") -> Finding:
    return finding(severity, category, {"text": "每周", "per_year": 52})


def test_clean_document_scores_zero():
    result = burden([])
    assert (result.score, result.points, result.findings, result.by_category) == (0, 0, 0, {})
    assert result.annual == {"meeting": 0, "reporting": 0, "inspection": 0}


def test_points_are_severity_weight_times_annual_frequency():
    assert burden([finding(Severity.error)]).points == WEIGHTS[Severity.error] == 10
    assert burden([finding(Severity.info)]).points == 1
    assert burden([weekly(Severity.warning)]).points == 4 * 52
    assert burden([weekly(), finding(Severity.error)]).points == 4 * 52 + 10


def test_score_formula_and_rounding():
    # 100 × P / (P + 100), rounded half up
    assert burden([finding(Severity.error)]).score == 9  # 9.09
    assert burden([weekly()]).score == 68  # 67.5 → 68
    assert normalise(HALF_POINTS) == 50
    assert normalise(0) == 0
    assert normalise(10**9) == 100


def test_weekly_demand_weighs_more_than_a_one_off():
    assert burden([weekly()]).score > burden([finding()]).score


@pytest.mark.parametrize(
    ("frequency", "expected"),
    [
        (None, 1),
        ({"text": "每周", "per_year": 52}, 52),
        ({"text": "每天两次", "per_year": 730}, MAX_PER_YEAR),
        ({"text": "每两年", "per_year": 0.5}, 1),
        ({"text": "每季度", "per_year": 4.0}, 4),
        ({"text": "?", "per_year": "52"}, 1),
        ({"text": "?", "per_year": True}, 1),
        ({"text": "?", "per_year": float("nan")}, 1),
        ("每周", 1),
        ({"text": "每周"}, 1),
    ],
)
def test_frequency_is_clamped_and_defaults_to_one(frequency, expected):
    assert per_year(finding(frequency=frequency)) == expected


def test_counts_per_category_in_canonical_order_and_annual_counts():
    findings = [weekly(category="meeting"), finding(category="veto"), weekly(category="meeting"),
                finding(category="inspection", frequency={"text": "每月", "per_year": 12}), weekly(category="reporting")]
    result = burden(findings)
    assert list(result.by_category) == [c for c in CATEGORIES if c in {"meeting", "veto", "inspection", "reporting"}]
    assert result.by_category == {"meeting": 2, "reporting": 1, "inspection": 1, "veto": 1}
    assert result.annual == {"meeting": 104, "reporting": 52, "inspection": 12}
    assert result.to_json()["annual"] == {"meeting": 104, "reporting": 52, "inspection": 12}


def test_number_formatting():
    assert number(52.0) == 52 and isinstance(number(52.0), int)
    assert number(0) == 0
    assert number(31.66) == 31.7


severities = st.sampled_from(list(Severity))
frequencies = st.one_of(st.none(), st.floats(min_value=0, max_value=5000, allow_nan=False).map(lambda v: {"per_year": v}))
findings_strategy = st.lists(st.builds(finding, severities, st.sampled_from(CATEGORIES), frequencies), max_size=30)


@given(findings_strategy, st.builds(finding, severities, st.sampled_from(CATEGORIES), frequencies))
def test_score_is_bounded_and_never_drops_when_a_finding_is_added(findings, extra):
    before = burden(findings).score
    after = burden([*findings, extra]).score
    assert 0 <= before <= after <= 100


# ----------------------------------------------------------------- the command

@pytest.fixture
def folder(tmp_path: Path) -> Path:
    (tmp_path / "heavy.txt").write_text("各村每周五报送进度。\n年度考核实行一票否决。\n入户走访须拍照留痕。\n", encoding="utf-8")
    (tmp_path / "light.txt").write_text("会议在三楼召开。\n", encoding="utf-8")
    (tmp_path / "clean.txt").write_text("今天天气很好。\n", encoding="utf-8")
    return tmp_path


def score_json(cli, *args) -> tuple[int, dict]:
    result = cli("score", *args, "--format", "json")
    return result.exit_code, json.loads(result.stdout)


def test_score_command_json_sorted_with_totals(cli, folder, tiny_rules):
    code, data = score_json(cli, folder, "--rules", tiny_rules, "--select", "t-*")
    assert code == 0
    paths = [Path(d["path"]).name for d in data["documents"]]
    assert paths == ["heavy.txt", "light.txt", "clean.txt"]
    scores = [d["score"] for d in data["documents"]]
    assert scores == sorted(scores, reverse=True) and scores[-1] == 0
    heavy = data["documents"][0]
    assert heavy["by_category"] == {"reporting": 1, "trace": 1, "veto": 1}
    totals = data["totals"]
    assert totals["documents"] == 3
    assert totals["findings"] == sum(d["findings"] for d in data["documents"]) == 4
    assert totals["by_category"]["meeting"] == 1
    assert totals["max_score"] == heavy["score"]
    assert totals["mean_score"] == number(sum(scores) / 3)


def test_score_command_agrees_with_check_json(cli, folder, tiny_rules):
    _, scored = score_json(cli, folder, "--rules", tiny_rules, "--select", "t-*")
    checked = json.loads(cli("check", folder, "--rules", tiny_rules, "--select", "t-*", "-f", "json").stdout)
    by_path = {d["path"]: d["score"] for d in checked["documents"]}
    assert {d["path"]: d["score"] for d in scored["documents"]} == by_path
    assert any(by_path.values())


def test_score_command_csv_has_every_category_column_and_a_total_row(cli, folder, tiny_rules):
    result = cli("score", folder, "--rules", tiny_rules, "--select", "t-*", "--format", "csv")
    table = list(csv.DictReader(io.StringIO(result.stdout)))
    assert set(CATEGORIES) <= set(table[0])
    assert {"annual_meeting", "annual_reporting", "annual_inspection", "score", "points"} <= set(table[0])
    assert table[-1]["path"] == "合计"
    assert int(table[-1]["findings"]) == sum(int(r["findings"]) for r in table[:-1]) == 4
    assert int(table[-1]["reporting"]) == 1


def test_score_command_table_and_max_score_exit(cli, folder, tiny_rules):
    result = cli("score", folder, "--rules", tiny_rules, "--select", "t-*")
    assert result.exit_code == 0
    assert "负担分" in result.stdout and "合计" in result.stdout and "年会议" in result.stdout
    assert result.stdout.index("heavy.txt") < result.stdout.index("light.txt") < result.stdout.index("clean.txt")
    assert cli("score", folder, "--rules", tiny_rules, "--select", "t-*", "--max-score", "99").exit_code == 0
    over = cli("score", folder, "--rules", tiny_rules, "--select", "t-*", "--max-score", "1")
    assert over.exit_code == 1 and "超过上限 1" in over.stdout


def test_score_command_bad_format_and_score_are_one_line_errors(cli, folder):
    for args in (("--format", "xml"), ("--max-score", "abc"), ("--max-score", "101")):
        result = cli("score", folder, *args)
        assert result.exit_code == 2
        assert "Traceback" not in result.stderr and result.stderr.count("\n") == 1


def test_unreadable_document_is_listed_last_and_exits_2(cli, folder, tiny_rules):
    (folder / "broken.docx").write_bytes(b"not a zip")
    code, data = score_json(cli, folder, "--rules", tiny_rules, "--select", "t-*")
    assert code == 2
    assert Path(data["documents"][-1]["path"]).name == "broken.docx"
    assert data["documents"][-1]["error"]
    assert data["totals"]["documents"] == 3


# ----------------------------------------------------------------- --date, as for check

UNDATED = "各乡镇于2025年10月9日前报送材料。\n"  # no date of issue in the text


@pytest.mark.parametrize(("date_args", "findings"), [([], 0), (["--date", "2025-10-06"], 1), (["--date", "2025-09-01"], 0)])
def test_date_option_decides_deadline_findings_as_for_check(cli, tmp_path, date_args, findings):
    """``--date`` is the reference date: 2025-10-06 (National Day holiday) leaves too few workdays."""
    (tmp_path / "通知.txt").write_text(UNDATED, encoding="utf-8")
    args = (tmp_path, "--select", "deadline-too-short", *date_args)
    code, scored = score_json(cli, *args)
    checked = json.loads(cli("check", *args, "-f", "json").stdout)["documents"][0]
    assert code == 0  # score fails only on --max-score
    assert scored["documents"][0]["findings"] == len(checked["findings"]) == findings
    assert [f["rule"] for f in checked["findings"]] == ["deadline-too-short"] * findings
    assert scored["documents"][0]["score"] == checked["score"] and scored["totals"]["by_category"] == checked["by_category"]


def test_bad_date_is_one_line_exit_2(cli, folder):
    result = cli("score", folder, "--date", "2025-13-01")
    assert result.exit_code == 2 and "--date" in result.stderr and "2025-13-01" in result.stderr
    assert "Traceback" not in result.stderr and result.stderr.count("\n") == 1
