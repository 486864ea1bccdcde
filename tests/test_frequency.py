"""Frequencies: recognition, annualised counts, the annotation every finding gets,
and the ``frequency`` pattern kind."""

from __future__ import annotations

from pathlib import Path

import pytest

from jianfu_audit.document import document_from_text
from jianfu_audit.rules.engine import check_document
from jianfu_audit.rules.frequency import annualise, find_frequencies
from jianfu_audit.rules.loader import load_rules
from jianfu_audit.settings import Settings


@pytest.mark.parametrize(
    ("text", "found", "per_year"),
    [
        ("各村每日报送排查数据", "每日", 365),
        ("每天登录一次", "每天登录一次", 365),
        ("每天组织不少于10名志愿者", "每天", 365),  # 10名 is not a count of times
        ("每个工作日17时前报送", "每个工作日", 250),
        ("各单位每周报送进展", "每周", 52),
        ("每周五下午4点前报送", "每周五", 52),
        ("请各村每周一、三、五上传巡逻截图", "每周一、三、五", 156),
        ("于每周三、周五下午5点前报送", "每周三、周五", 104),
        ("每星期五报送", "每星期五", 52),
        ("每周不少于2次开展巡查", "每周不少于2次", 104),
        ("每周一次", "每周一次", 52),
        ("每周三次", "每周三次", 156),
        ("每两周召开一次调度会", "每两周召开一次", 26),
        ("两周一次", "两周一次", 26),
        ("每半月通报一次排名", "每半月通报一次", 24),
        ("每旬报送", "每旬", 36),
        ("每月1次", "每月1次", 12),
        ("每月5日前报送上月总结", "每月5日", 12),
        ("每月5日、20日报送", "每月5日、20日", 24),
        ("各村于每月底前报送", "每月", 12),
        ("每月巡逻次数不少于12次", "每月巡逻次数不少于12次", 144),
        ("每3个月报送一次", "每3个月报送一次", 4),
        ("每季度报送典型经验材料壹篇", "每季度", 4),
        ("每半年开展一次评估", "每半年开展一次", 2),
        ("每年报送", "每年", 1),
        ("全年累计不少于六次", "全年累计不少于六次", 6),
        ("逢周一召开调度会", "逢周一", 52),
        ("逢双周通报", "逢双周", 26),
        ("逢五逢十召开例会", "逢五逢十", 72),
        ("建立一周一报告制度", "一周一报", 52),
        ("实行一月一总结", "一月一总结", 12),
        ("实行周报告制度", "周报告", 52),
        ("实行月考核", "月考核", 12),
        ("每季排名", "每季", 4),
        ("实行月度评比", "月度评比", 12),
        ("每周１次", "每周１次", 52),  # full-width digit
        ("各村仍需按月报送“三资”管理台账", "按月", 12),
        ("按季度通报排名", "按季度", 4),
    ],
)
def test_frequencies(text: str, found: str, per_year: int) -> None:
    (item,) = find_frequencies(text)
    assert (item.text, item.per_year) == (found, per_year)


@pytest.mark.parametrize(
    "text",
    [
        "请于月底前报送亮点工作材料1篇",  # a one-off deadline, not monthly
        "逢年过节走访慰问困难群众",
        "每个村至少打造1个示范点",
        "请报送上月报表和本月计划",
        "第一季度报送",
        "请于6月报送",
        "每次走访须填写记录",
    ],
)
def test_not_frequencies(text: str) -> None:
    assert find_frequencies(text) == []


def test_annualise_picks_the_frequency_nearest_the_finding() -> None:
    text = "抽调人员须每日在APP打卡，并于每周五报送个人工作日志。"
    assert annualise(text, text.index("打卡")) == {"text": "每日", "per_year": 365}
    assert annualise(text, text.index("日志")) == {"text": "每周五", "per_year": 52}
    assert annualise(text) == {"text": "每日", "per_year": 365}
    assert annualise("请各村报送工作总结。") is None


RULES = """
rules:
  - id: test-report
    category: reporting
    severity: warning
    message: 报送
    suggestion: 少报
    citation: [RG-2024-08b]
    pattern:
      terms: [报送]
    examples:
      positive: [请报送材料。, 请报送总结。]
      negative: [请阅知。, 请参阅。]
  - id: test-recurring
    category: reporting
    severity: warning
    message: 每年 {frequency.per_year} 次（{frequency.text}）
    suggestion: 降低频次
    citation: [RG-2024-08b]
    pattern:
      frequency:
        min_per_year: 52
    inside:
      - regex: 报送|填报
    examples:
      positive: [各村每周报送进展。, 各村每日填报数据。]
      negative: [各村每月报送进展。, 各村每周开展巡查。]
"""


@pytest.fixture(scope="module")
def ruleset(tmp_path_factory: pytest.TempPathFactory):
    folder: Path = tmp_path_factory.mktemp("rules")
    (folder / "test.yaml").write_text(RULES, encoding="utf-8")
    return load_rules([folder], bundled=False)


def findings(ruleset, text: str):
    return check_document(document_from_text(text, "<test>"), ruleset, Settings())


def test_every_finding_gets_the_frequency_of_its_sentence(ruleset) -> None:
    by_rule = {f.rule: f for f in findings(ruleset, "各乡镇每周一上午11时前报送上周推广情况统计表。")}
    assert by_rule["test-report"].to_json()["frequency"] == {"text": "每周一", "per_year": 52}
    (plain,) = findings(ruleset, "请各乡镇报送推广情况。")
    assert "frequency" not in plain.to_json()


def test_frequency_kind_threshold_and_message(ruleset) -> None:
    recurring = [f for f in findings(ruleset, "各村每日17时前报送当日排查数据。") if f.rule == "test-recurring"]
    assert [f.message for f in recurring] == ["每年 365 次（每日）"]
    assert not [f for f in findings(ruleset, "各村每月报送进展。") if f.rule == "test-recurring"]
