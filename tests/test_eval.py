"""``jianfu-audit eval``: corpus reading, scoring arithmetic and the command."""

from __future__ import annotations

import json

import pytest

from jianfu_audit.errors import UsageError
from jianfu_audit.evaluate import Item, Prediction, load_corpus, score


def item(id_: str, *labels: str, text: str = "") -> Item:
    return Item(id_, frozenset(labels), text or id_)


def predicted(*categories: str) -> Prediction:
    return Prediction(frozenset(categories), {c: ("r-" + c,) for c in categories}, {c: "" for c in categories}, len(categories))


def test_scores_per_category_micro_and_false_alarm_rate():
    results = [
        (item("a", "meeting"), predicted("meeting")),  # tp meeting
        (item("b", "meeting", "trace"), predicted("meeting")),  # tp meeting, fn trace
        (item("c", "trace"), predicted("trace", "app")),  # tp trace, fp app
        (item("d"), predicted()),  # clean unlabelled
        (item("e"), predicted("app")),  # false alarm on an unlabelled item
        (item("f"), predicted()),
        (item("g"), predicted()),
    ]
    report = score("mem", results, ["meeting", "trace", "app"])
    meeting, trace, app = (report.categories[n] for n in ("meeting", "trace", "app"))
    assert (meeting.tp, meeting.fp, meeting.fn) == (2, 0, 0) and meeting.f1 == 1.0
    assert (trace.tp, trace.fn) == (1, 1) and trace.precision == 1.0 and trace.recall == 0.5
    assert trace.f1 == pytest.approx(2 / 3)
    assert (app.tp, app.fp) == (0, 2) and app.precision == 0.0 and app.recall is None and app.f1 is None
    assert (report.micro.tp, report.micro.fp, report.micro.fn) == (3, 2, 1)
    assert report.micro.precision == pytest.approx(3 / 5) and report.micro.recall == pytest.approx(3 / 4)
    assert (report.unlabelled, report.unlabelled_flagged) == (4, 1) and report.false_alarm_rate == 0.25
    assert [(e.id, e.category) for e in report.misses] == [("b", "trace")]
    assert [(e.id, e.category, e.rules) for e in report.false_alarms] == [("c", "app", ("r-app",)), ("e", "app", ("r-app",))]


def test_json_report_keeps_its_keys():
    report = score("mem", [(item("a", "veto"), predicted("veto"))], ["veto"])
    data = report.to_json()
    assert set(data) >= {"corpus", "items", "categories", "micro", "unlabelled", "unlabelled_flagged",
                         "false_alarm_rate", "misses", "false_alarms"}
    assert data["categories"]["veto"] == {"tp": 1, "fp": 0, "fn": 0, "support": 1, "precision": 1.0, "recall": 1.0, "f1": 1.0}
    assert data["false_alarm_rate"] is None  # no unlabelled items


def test_loads_json_lines(tmp_path):
    path = tmp_path / "c.jsonl"
    path.write_text(
        '{"id": "x1", "text": "甲", "labels": ["app"], "kind": "demand"}\n\n{"id": "x2", "text": "乙", "labels": []}\n',
        encoding="utf-8",
    )
    assert load_corpus(path) == [Item("x1", frozenset({"app"}), "甲", "demand"), Item("x2", frozenset(), "乙", "")]


def test_loads_a_folder_of_notices(tmp_path):
    (tmp_path / "n1.txt").write_text("通知。\n", encoding="utf-8")
    (tmp_path / "labels.json").write_text(json.dumps({"n1.txt": {"categories": ["veto"], "demands": 2}}), encoding="utf-8")
    [notice] = load_corpus(tmp_path)
    assert (notice.id, notice.labels, notice.path, notice.demands) == ("n1.txt", frozenset({"veto"}), tmp_path / "n1.txt", 2)


@pytest.mark.parametrize(
    ("name", "content"),
    [("c.jsonl", '{"id": "x1", "labels": []}\n'), ("c.jsonl", "not json\n"), ("missing.jsonl", None)],
)
def test_bad_corpus_is_a_usage_error(tmp_path, name, content):
    path = tmp_path / name
    if content is not None:
        path.write_text(content, encoding="utf-8")
    with pytest.raises(UsageError):
        load_corpus(path)


def test_folder_without_labels_is_a_usage_error(tmp_path):
    with pytest.raises(UsageError, match="labels.json"):
        load_corpus(tmp_path)


CORPUS = [
    {"id": "p1", "text": "各村每周五前报送巡查台账。", "labels": ["reporting", "trace"], "kind": "demand"},
    {"id": "p2", "text": "各乡镇要与县政府签订目标责任状。", "labels": ["veto"], "kind": "demand"},
    {"id": "n1", "text": "不得要求各村每周报送巡查台账。", "labels": [], "kind": "prohibition"},
    {"id": "n2", "text": "县图书馆每周六上午开放。", "labels": [], "kind": "neutral"},
]


@pytest.fixture
def corpus(tmp_path):
    path = tmp_path / "mini.jsonl"
    path.write_text("\n".join(json.dumps(x, ensure_ascii=False) for x in CORPUS) + "\n", encoding="utf-8")
    return path


def test_eval_command_json(cli, corpus):
    result = cli("eval", corpus, "--format", "json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["items"] == 4 and data["unlabelled"] == 2
    assert data["micro"]["tp"] + data["micro"]["fn"] == 3
    assert set(data["categories"]) >= {"reporting", "trace", "veto"}
    for entry in data["misses"] + data["false_alarms"]:
        assert {"id", "category", "text"} <= set(entry)


def test_eval_command_text_lists_the_table_and_errors(cli, corpus, tmp_path):
    extra = tmp_path / "rules"
    extra.mkdir()
    (extra / "x.yaml").write_text(
        "rules:\n"
        "  - id: x-library\n    category: campaign\n    severity: warning\n    message: 测试。\n    suggestion: 测试。\n"
        "    citation: [CS-2022-01]\n    pattern: {terms: [图书馆]}\n"
        "    examples: {positive: [县图书馆开放。, 图书馆。], negative: [县馆开放。, 书店。]}\n",
        encoding="utf-8",
    )
    result = cli("eval", corpus, "--rules", extra)
    assert result.exit_code == 0, result.stderr
    assert "合计（micro）" in result.stdout and "精确率" in result.stdout
    assert "误报" in result.stdout and "n2" in result.stdout and "x-library" in result.stdout  # the planted false alarm
    assert "误报率 50.0%" in result.stdout


def test_eval_command_reads_a_notice_folder(cli, tmp_path):
    (tmp_path / "a.txt").write_text("关于做好春耕的通知\n\n各乡镇：\n请各村每周五报送春耕进度表。\n", encoding="utf-8")
    (tmp_path / "labels.json").write_text(json.dumps({"a.txt": {"categories": ["reporting"], "demands": 1}}), encoding="utf-8")
    result = cli("eval", tmp_path, "--format", "json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["categories"]["reporting"]["tp"] == 1
    assert data["demands"] == [{"id": "a.txt", "labelled": 1, "found": 1}]


def test_eval_command_bad_input_exits_2(cli, tmp_path):
    path = tmp_path / "bad.jsonl"
    path.write_text("{oops\n", encoding="utf-8")
    result = cli("eval", path)
    assert result.exit_code == 2 and "第 1 行" in result.stderr
    assert cli("eval", tmp_path / "c.jsonl", "--format", "xml").exit_code == 2
