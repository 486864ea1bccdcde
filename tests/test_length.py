"""Document-level kinds: the notice layout, body length (RG-2024-02) and the
number of forms to fill."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from jianfu_audit.document import document_from_text
from jianfu_audit.rules.engine import check_document
from jianfu_audit.rules.layout import layout
from jianfu_audit.rules.length import count_chars
from jianfu_audit.rules.loader import load_rules
from jianfu_audit.segment import fold
from jianfu_audit.settings import Settings

NOTICES = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "notices"
PARAGRAPH = "　　各村要结合实际，统筹推进村庄清洁行动，逐步建立长效管护机制，确保整治成效持续巩固。"  # 41 字


def notice(title: str, paragraphs: int, *, attachments: tuple[str, ...] = ()) -> str:
    lines = [title, "各村（社区）党组织、村（居）民委员会：", *([PARAGRAPH] * paragraphs)]
    if attachments:
        lines.append("　　附件：" + "1．" + attachments[0])
        lines += [f"　　　　　{i}．{name}" for i, name in enumerate(attachments[1:], start=2)]
    return "\n".join([*lines, "", "云溪镇人民政府", "2025年4月8日"])


@pytest.fixture(scope="module")
def ruleset():
    return load_rules()


def findings(ruleset, text: str, select: str, **settings):
    return check_document(document_from_text(text, "<test>"), ruleset, Settings(select=(select,), **settings))


# ------------------------------------------------------------ layout and counting

def test_count_chars_skips_white_space_only() -> None:
    assert count_chars("　　一、工作目标：A1 ２。\n") == 11
    # every character that \s matches, and nothing else, is left out
    every = "".join(chr(c) for c in range(0x3100) if not 0xD800 <= c < 0xE000)
    assert count_chars(every) == len(re.sub(r"\s", "", every))


def test_layout_separates_header_body_and_trailer() -> None:
    text = fold(notice("云溪镇关于开展整治行动的通知", 3, attachments=("进展情况周报表", "整治点位台账（样表）")))
    parts = layout(text)
    assert parts.title == "云溪镇关于开展整治行动的通知"
    assert [line.text for line in parts.body] == [fold(PARAGRAPH).strip()] * 3
    assert [(a.number, a.name) for a in parts.attachments] == [(1, "进展情况周报表"), (2, "整治点位台账(样表)")]


def test_text_after_the_signing_date_is_not_body() -> None:
    text = fold(notice("关于开展整治行动的通知", 2) + "\n附件1\n进展情况周报表\n村名 进展 备注")
    assert len(layout(text).body) == 2


@pytest.mark.skipif(not NOTICES.exists(), reason="shared corpus not present")
def test_corpus_notices_layout() -> None:
    for path in sorted(NOTICES.glob("*.txt")):
        text = fold(path.read_text(encoding="utf-8"))
        parts = layout(text)
        assert parts.title and "通知" in parts.title or "方案" in parts.title, path
        assert parts.body[0].text.endswith("。") or "。" in parts.body[0].text, path
        assert parts.attachments, path
        assert count_chars(text) - sum(count_chars(line.text) for line in parts.body) < 250, path


# ------------------------------------------------------------ length rule

def test_special_task_document_over_4000(ruleset) -> None:
    assert findings(ruleset, notice("云溪镇关于开展人居环境整治专项行动的通知", 97), "length") == []  # 3977 字
    text = notice("云溪镇关于开展人居环境整治专项行动的通知", 98)  # 98 × 41 = 4018 字
    (finding,) = findings(ruleset, text, "length")
    assert finding.rule == "length-over-limit" and finding.line == 3
    assert finding.extra["length"] == {"chars": 4018, "limit": 4000, "document_type": "部署专项工作或具体任务的文件"}
    assert "4018 字" in finding.message and "4000 字" in finding.message


def test_general_document_limit_is_5000(ruleset) -> None:
    assert findings(ruleset, notice("云溪镇关于加强村庄长效管护的通知", 121), "length") == []  # 4961 字
    (finding,) = findings(ruleset, notice("云溪镇关于加强村庄长效管护的通知", 122), "length")  # 5002 字
    assert finding.extra["length"]["limit"] == 5000 and finding.extra["length"]["chars"] == 5002


def test_header_and_trailer_are_not_counted(ruleset) -> None:
    text = notice("云溪镇关于开展人居环境整治专项行动的通知", 97, attachments=("进展情况周报表",) * 3)
    assert count_chars(text) > 4000  # 3977 字 of body, the rest is header and trailer
    assert findings(ruleset, text, "length") == []


def test_comprehensive_documents_are_exempt(ruleset) -> None:
    assert findings(ruleset, notice("云溪镇2025年工作要点", 120), "length") == []


@pytest.mark.skipif(not NOTICES.exists(), reason="shared corpus not present")
def test_corpus_notices_are_within_limits(ruleset) -> None:
    for path in sorted(NOTICES.glob("*.txt")):
        assert findings(ruleset, path.read_text(encoding="utf-8"), "length") == [], path


# ------------------------------------------------------------ forms rule

FORMS = ("人口信息登记表", "困难群众摸底表", "房屋安全排查台账", "工作进展情况汇总表")


def test_forms_in_the_attachment_list(ruleset) -> None:
    text = notice("关于开展入户摸底的通知", 1, attachments=FORMS)
    (finding,) = findings(ruleset, text, "reporting-many-forms")
    assert finding.extra["forms"] == {"count": 4, "limit": 3, "names": list(FORMS)}
    assert finding.excerpt.startswith("附件") and "4 张" in finding.message
    assert findings(ruleset, text, "reporting-many-forms", max_forms=4) == []


def test_only_forms_are_counted(ruleset) -> None:
    names = ("政策解读材料", "典型案例撰写模板", "人口信息登记表", "工作事务清单")
    text = notice("关于开展入户摸底的通知", 1, attachments=names)
    assert findings(ruleset, text, "reporting-many-forms") == []


def test_numbered_range_and_named_forms_in_the_body(ruleset) -> None:
    (finding,) = findings(ruleset, "请各乡镇按附件1—6格式填报并加盖公章。", "reporting-many-forms")
    assert finding.extra["forms"]["count"] == 6
    text = "请各村填写附件2、3，并报送《项目进度表》和《资金拨付表》。"
    (finding,) = findings(ruleset, text, "reporting-many-forms")
    assert finding.extra["forms"]["names"] == ["附件2", "附件3", "项目进度表", "资金拨付表"]
    assert findings(ruleset, "请各单位参阅附件1—5中的政策文件。", "reporting-many-forms") == []
