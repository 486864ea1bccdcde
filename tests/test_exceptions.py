"""Precision machinery: the shared exceptions in rules/exceptions.yaml, evaluated
once by the engine (rules/model.py), on the bundled pack and on tiny test rules.

Every sentence here was written for these tests."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pytest

from jianfu_audit.document import document_from_text
from jianfu_audit.findings import Severity
from jianfu_audit.rules.engine import check_document
from jianfu_audit.rules.loader import load_rules
from jianfu_audit.rules.patterns import compile_regex, fold_regex
from jianfu_audit.settings import Settings


@lru_cache(maxsize=1)
def bundled():
    return load_rules()


def categories(text: str) -> set[str]:
    """Categories flagged at warning or above (what ``eval`` counts)."""
    findings = check_document(document_from_text(text, "<test>"), bundled(), Settings())
    return {f.category for f in findings if f.severity >= Severity.warning} - {"deadline", "length"}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # prohibitions, also far from the burden words and over lists
        ("不得要求基层拍照、截图、录像来证明工作。", set()),
        ("不得以掌握进展为由，要求村干部每天在工作群里发送现场截图和定位。", set()),
        ("严禁要求村级组织填报各类报表、提供各类台账、参加各类会议。", set()),
        ("政务APP由干部自愿使用，不拿在线时长来考评干部。", set()),
        ("检查结果只反馈给被检查单位，不排名、不通报。", set()),
        ("投稿采用多少不与考评挂钩。", set()),
        # a demand after a prohibition clause is a demand again
        ("不得随意增加报表，但各村仍须每月10日前报送资金使用情况表。", {"reporting"}),
        ("取消季度考评，改为每周随机暗访并按月通报。", {"inspection"}),
        ("一般不再开部署会；确有必要开的，各村须派人到会并交会议纪要。", {"meeting", "reporting"}),
        ("村书记要本人到会，不得委托，到会人员名单请于会前报镇党政办。", {"meeting", "reporting"}),
        # negations that are demands (double negatives)
        ("任何单位不得以人手不足为由不报、迟报月度统计数据。", {"reporting"}),
        ("没有一项工作可以不留痕迹，每个环节都要有照片为证。", {"trace"}),
        ("没有签订责任状的村，年底一律不能参加评先评优。", {"veto"}),
        ("各村必须全员参与，不得缺项、漏项。", set()),
        # optional wording
        ("各村可视情况开展一次专题学习会。", set()),
        ("有条件的村可以打造特色示范点，不作硬性要求。", set()),
        ("鼓励干部使用学习平台，但不得强制下载。", set()),
        ("乡镇可根据实际自主决定是否制定实施方案。", set()),
        # commentary and quoted speech
        ("有的部门把属地管理当成挡箭牌，乡镇苦不堪言。", set()),
        ("某街道要求社区每月报送信息不少于5篇，被市委巡察指出问题。", set()),
        ("一名网格员说：“每天要打卡两次，还要在群里接龙。”", set()),
        ("基层干部吐槽，考核里“一票否决”的事项太多。", set()),
        # statutory and emergency reporting
        ("发生生产安全事故后，事发单位须在1小时内报告并报送现场照片。", set()),
        ("汛期遇有险情，各村须第一时间报告并上传现场视频。", set()),
        ("统计调查对象应依照《统计法》按时报送统计报表。", set()),
        # but an incident is no excuse for a veto
        ("对发生生产安全事故的乡镇，年度考核实行一票否决。", {"veto"}),
        # abolished practices, self-inspection checklists, headings, titles, labels
        ("对“天天报”“周周报”这类要求，没有依据的一律取消。", set()),
        ("重点查看是否存在借调基层干部，开展创建评比，摊派信息简报等问题。", set()),
        ("六、规范借调和评比。\n严禁借调乡镇干部。", set()),
        ("关于做好年度考核迎检工作的通知", set()),
        ("进度报送\n各乡镇\n每周五前报送进度周报表。", {"reporting"}),
    ],
)
def test_precision_cases(text, expected):
    assert categories(text) == expected


@pytest.mark.parametrize("points", ["3", "３", "三", "叁"])
@pytest.mark.parametrize("comma", ["，", ","])
def test_numerals_and_punctuation_width_do_not_change_the_result(points, comma):
    assert categories(f"结果与评优挂钩{comma}排查不到位的{comma}每户扣{points}分。") == {"inspection"}
    assert categories(f"该项工作不扣分{comma}也不排名。") == set()


# ----------------------------------------------------------------- engine

RULES = """
exceptions:
  - id: no
    scope: sentence
    position: before
    any:
      - terms: [不得]
      - regex: '不(排名|通报)'
      - regex: '不统一(名单|进展)'
    breakers: [但, 请]
  - id: only-news
    scope: sentence
    position: any
    regex: '简报'
    breakers: [和]
  - id: own-staff
    scope: sentence
    position: any
    regex: '本校教师'
    breakers_before: [上级]
defaults: [no]
rules:
  - id: t-rank
    category: inspection
    severity: warning
    message: 排名。
    suggestion: 不排名。
    citation: [RG-2024-Q2]
    pattern: {terms: [排名]}
    unless: [own-staff]
    examples: {positive: [每月排名。, 季度排名。], negative: [不得排名。, 不排名。]}
  - id: t-report
    category: reporting
    severity: warning
    message: 报送。
    suggestion: 少报。
    citation: [RG-2024-08b]
    pattern: {regex: '(名单|进展){~}{0,12}报县'}
    unless: [only-news]
    examples: {positive: [名单报县里。, 进展报县里。], negative: [不得把名单报县里。, 简报进展报县里。]}
"""


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    folder = tmp_path_factory.mktemp("rules")
    (folder / "t.yaml").write_text(RULES, encoding="utf-8")
    return load_rules([folder], bundled=False)


def ids(ruleset, text: str) -> list[str]:
    return [f.rule for f in check_document(document_from_text(text, "<t>"), ruleset, Settings())]


def test_negation_that_runs_into_the_match_negates_it(tiny):
    # the occurrence 不排名 starts before the match 排名 and overlaps it
    assert ids(tiny, "结果不排名。") == []
    assert ids(tiny, "结果按月排名。") == ["t-rank"]


def test_breaker_inside_the_match_ends_the_prohibition(tiny):
    # 请 lies inside the matched span 名单请于……报县
    assert ids(tiny, "不得委托他人，名单请于周五报县里。") == ["t-report"]
    assert ids(tiny, "不得委托他人，名单于周五报县里。") == []


def test_breaker_after_a_negation_that_runs_into_the_match(tiny):
    # 不统一名单 overlaps the start of the match 名单……报县; the 请 after it starts a demand
    assert ids(tiny, "不统一名单，请各村进展报县里。") == ["t-report"]
    assert ids(tiny, "不统一名单报县里。") == []


def test_breakers_apply_to_exceptions_found_after_the_match(tiny):
    assert ids(tiny, "进展报县里，另附简报。") == []
    assert ids(tiny, "进展报县里和简报。") == ["t-report"]


def test_breakers_before_end_an_exception_from_earlier_in_its_scope(tiny):
    assert ids(tiny, "本校教师每月排名。") == []
    assert ids(tiny, "根据上级要求，本校教师每月排名。") == ["t-rank"]
    # only before the occurrence, and only in its scope
    assert ids(tiny, "本校教师每月排名，报上级。") == []
    assert ids(tiny, "上级来了。本校教师每月排名。") == []
    own = next(e for e in tiny.rules[0].exceptions if e.id == "own-staff")
    assert not own.unit_local  # the one-unit shortcut would skip the breakers


def test_the_gap_macro_never_spans_a_negation():
    pattern = compile_regex("材料{~}{0,10}报送")
    assert pattern.search("材料于周五前报送")
    assert pattern.search("材料不少于三份报送")
    assert not pattern.search("材料无需报送")
    assert not pattern.search("材料不得报送")


def test_number_macro_reads_every_notation():
    pattern = compile_regex("不少于{NUM}篇")
    for text in ("不少于3篇", "不少于三篇", "不少于叁篇", "不少于12篇", "不少于两篇"):
        assert pattern.search(text), text
    assert compile_regex("扣{NUM}?分").search("扣分")  # the macro is a group: ? makes it optional


def test_full_width_marks_in_a_pattern_are_literal():
    assert fold_regex("村（社区）") == r"村\(社区\)"
    assert compile_regex("村（社区）须").search("各村(社区)须报送")


def test_shared_exceptions_are_declared_once_and_described():
    ruleset = bundled()
    assert set(ruleset.defaults) <= set(ruleset.exceptions)
    for name, condition in ruleset.exceptions.items():
        assert condition.description.strip(), name
    assert Path(next(r.source for r in ruleset.rules)).parent.name == "rules"
