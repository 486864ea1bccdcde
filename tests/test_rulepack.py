"""The bundled rule pack: completeness, clause coverage, every embedded example,
behaviour on sentences written for this test (not taken from any corpus), and —
when the shared dev corpus is present — the measured targets."""

from __future__ import annotations

import json
import os
import re
from functools import lru_cache
from pathlib import Path

import pytest

from jianfu_audit.document import document_from_text
from jianfu_audit.evaluate import load_corpus, run, score
from jianfu_audit.findings import CATEGORIES, Severity
from jianfu_audit.rules.engine import check_document
from jianfu_audit.rules.loader import bundled_rules_dir, load_rules
from jianfu_audit.rules.patterns import AnyOf, Regex, Sequence, Terms
from jianfu_audit.settings import Settings

CORPUS = Path(os.environ.get("JIANFU_CORPUS", Path(__file__).resolve().parents[2] / "shared" / "corpus"))
# Categories whose rules part B of issue 7 owns (deadline.yaml, length.yaml).
MEASURED_ELSEWHERE = {"deadline", "length"}


@lru_cache(maxsize=1)
def bundled():
    return load_rules()


def categories(text: str) -> set[str]:
    findings = check_document(document_from_text(text, "<test>"), bundled(), Settings())
    return {f.category for f in findings if f.severity >= Severity.warning} - MEASURED_ELSEWHERE


# ------------------------------------------------------------ completeness

def test_rules_test_command_passes(cli):
    result = cli("rules", "test")
    assert result.exit_code == 0, result.stdout
    assert re.search(r"，0 个失败", result.stdout)


def test_every_category_has_rules():
    present = {rule.category for rule in bundled().rules}
    assert set(CATEGORIES) <= present


def test_every_rule_kind_and_condition_is_used():
    kinds: set[type] = set()

    def walk(pattern) -> None:
        kinds.add(type(pattern))
        for child in getattr(pattern, "patterns", ()):
            walk(child)

    rules = bundled().rules
    for rule in rules:
        walk(rule.pattern)
    assert {Terms, Regex, Sequence, AnyOf} <= kinds
    assert any(rule.inside for rule in rules)
    assert any(rule.spec.get("unless") for rule in rules)


def test_every_rule_is_documented_in_chinese_and_cites_registered_clauses():
    ruleset = bundled()
    han = re.compile(r"[\u4e00-\u9fff]")
    for rule in ruleset.rules:
        assert rule.name and han.search(rule.message) and han.search(rule.suggestion), rule.id
        assert len(rule.examples.positive) >= 2 and len(rule.examples.negative) >= 2, rule.id
        unknown = [c for c in rule.citation if c not in ruleset.clauses]
        assert not unknown, f"{rule.id} cites unregistered clauses {unknown}"


def test_every_detectable_clause_is_covered():
    ruleset = bundled()
    cited = {c for rule in ruleset.rules for c in rule.citation}
    uncovered = [c.id for c in ruleset.clauses.values() if c.detectable and c.id not in cited]
    assert not uncovered, f"detectable clauses without a rule: {uncovered}"
    for clause in ruleset.clauses.values():
        assert clause.detectable or clause.reason, clause.id


def test_clause_registry_lives_in_the_shipped_rule_pack():
    assert (bundled_rules_dir() / "clauses.yaml").is_file()
    assert len(bundled().clauses) >= 80


# ------------------------------------------------- sentences written here

CASES = [
    # meeting
    ("各镇（街道）每周五上午召开一次环境整治调度会，镇村干部全员参会。", {"meeting"}),
    ("县委会议结束后，各乡镇要于当晚召开党委会议，传达学习会议精神，做到传达不过夜。", {"meeting"}),
    ("请各村党支部书记、村委会主任准时参加全县春耕生产现场会，不得请假。", {"meeting"}),
    ("各社区须每季度召开居民代表大会１次，会议记录存档备查。", {"meeting"}),
    ("可根据需要召开专题会议，形式由各乡镇自定。", set()),
    ("本次培训会不要求乡镇主要负责同志参加。", set()),
    # document
    ("各镇要结合实际，于本月20日前制定本镇贯彻落实方案并报县委办备案。", {"document", "reporting"}),
    ("请各部门参照本意见出台相应的配套实施细则。", {"document"}),
    ("各乡镇要以正式文件将落实方案报县委农办。", {"document", "reporting"}),
    ("县级层面不再另行制定配套文件，各乡镇也不需要制定实施方案。", set()),
    # reporting
    ("请各村于每月25日前将本月工作小结报送镇党政办。", {"reporting"}),
    ("各单位须按旬填报《重点项目推进情况表》，报县发改局。", {"reporting"}),
    ("同一批人口数据，请分别报送县公安局、县民政局和县卫健局。", {"reporting"}),
    ("各乡镇请将汇总材料打印装订，一式五份，于周四前报县考核办。", {"reporting"}),
    ("请各社区在“智慧社区”平台中录入辖区全部出租屋信息。", {"reporting"}),
    ("所需数据由县大数据局从共享平台调取，各乡镇不再另行填报。", set()),
    ("县统计局每月公布全县主要经济指标。", set()),
    # trace
    ("志愿服务活动结束后，请将活动照片不少于五张上传至平台。", {"trace"}),
    ("各村要建立人居环境整治工作台账，做到一户一档、有据可查。", {"trace"}),
    ("严禁以拍照、截图、录像代替实地工作。", set()),
    # app
    ("全镇党员干部须在本周内安装“学习兴村”ＡＰＰ并实名注册，注册率须达100%。", {"app"}),
    ("每名网格员每天须在“平安通”小程序打卡不少于两次。", {"app"}),
    ("请于今晚10点前在群内接龙回复“收到”。", {"app"}),
    ("请发动亲友为本镇的参赛视频线上投票，票数计入村级考核。", {"app", "inspection"}),
    ("群众可自愿选择通过APP或窗口办理业务。", set()),
    # inspection
    ("县纪委每月对各乡镇作风建设情况开展一次明察暗访，结果全县通报。", {"inspection"}),
    ("检查组到村检查时，村党组织书记须全程陪同并汇报工作。", {"inspection"}),
    ("县农业农村局、县生态环境局将分别组织对各乡镇的秸秆禁烧检查。", {"inspection"}),
    ("去年全县共开展各类督查检查12次，同比减少40%。", set()),
    ("县委办公室每季度对各部门发文情况进行统计分析。", set()),
    # veto
    ("各乡镇要与县政府签订耕地保护目标责任状，层层签订到村到户。", {"veto"}),
    ("未完成年度任务的乡镇，不得评为年度考核优秀等次。", {"veto"}),
    ("除中央和省委明确规定外，一律不再设置一票否决事项。", set()),
    # shifting
    ("将县人社局的养老保险资格认证工作下放至各村（社区）办理。", {"shifting"}),
    ("办理低保须由村委会出具家庭经济状况证明并盖章。", {"shifting"}),
    ("各村村部须挂出“XX服务点”标牌，并做到制度上墙。", {"shifting"}),
    ("不得将部门职责转嫁给村（社区），不得要求村级开具无依据的证明。", set()),
    # campaign
    ("今年全县开展“美丽乡村”示范村创建，每个乡镇至少申报2个。", {"campaign"}),
    ("各街道要对照星级标准开展创建，年底前达标率达到90%以上。", {"campaign"}),
    ("我县去年被命名为省级卫生县城。", set()),
    # secondment
    ("从各乡镇抽调业务骨干2名到县征迁指挥部工作，期限1年。", {"secondment"}),
    ("各社区安排1名网格员常驻街道指挥中心轮流值班。", {"secondment"}),
    ("严禁从村（社区）借调工作人员。", set()),
    # publicity
    ("各乡镇每月报送政务信息不少于3条，每季度报送典型案例1篇。", {"publicity"}),
    ("信息被市级以上刊物采用的，每篇加1分。", {"publicity", "inspection"}),
    ("欢迎各单位自愿投稿，不设数量指标。", set()),
    # variants: half-width punctuation, Chinese and financial numerals
    ("请各村于每周五前报送进展情况,并附照片3张.", {"reporting", "trace"}),
    ("各社区每季度报送典型案例壹个,每半年报送经验材料贰篇.", {"publicity"}),
    ("从各乡镇抽调工作人员叁名,到县专班集中办公.", {"secondment"}),
    ("实行月通报、季排名制度.", {"inspection"}),
    # one topic, many burdens (垃圾分类, 河长制)
    ("请各镇（街道）于每月3日前，将上月河长巡河记录汇总表报县河长办。", {"reporting"}),
    ("各村巡河员每周巡河不少于2次，每次须上传巡河轨迹和现场照片。", {"trace"}),
    ("各街道、社区要与辖区商户逐户签订垃圾分类承诺书。", {"veto"}),
    ("各社区要建立垃圾分类督导员队伍，督导员每天在“城管通”打卡上岗。", {"app"}),
    ("请各街道选派2名工作人员到县垃圾分类指挥部集中办公。", {"secondment"}),
    ("对群众投诉的问题，由所在社区负责整改并承担相应责任。", {"shifting"}),
    ("督导员每天上传桶边督导照片不少于10张，照片缺失的扣减当月补贴。", {"trace"}),
    ("凡要求村（社区）出具的证明，须经县司法局审核列入清单。", set()),
    ("示范创建活动按照省里统一部署执行，县里不另行组织。", set()),
    ("县城管局负责垃圾分类设施的规划建设和运行维护。", set()),
    ("有社区干部反映，垃圾分类检查“一周三查”，疲于应付。", set()),
    # neutral sentences of real notices
    ("县委常委会听取了全县安全生产工作情况汇报。", set()),
    ("本方案由县农业农村局负责解释。", set()),
    ("县委督查室将适时对本通知落实情况进行督查。", set()),
    ("请各乡镇高度重视，切实加强组织领导，确保各项任务落到实处。", set()),
]


@pytest.mark.parametrize(("text", "expected"), CASES, ids=[text[:12] for text, _ in CASES])
def test_rule_pack_on_sentences_written_for_this_test(text, expected):
    assert categories(text) == expected


# --------------------------------------------- shared corpus (when present)

needs_corpus = pytest.mark.skipif(not (CORPUS / "dev.jsonl").is_file(), reason="shared dev corpus not present")


@needs_corpus
def test_dev_corpus_targets():
    report = score("dev", run(load_corpus(CORPUS / "dev.jsonl"), bundled(), Settings()), CATEGORIES)
    assert report.micro.precision >= 0.95
    assert report.micro.recall >= 0.90
    assert report.false_alarm_rate <= 0.03
    for name, entry in report.categories.items():
        if entry.tp + entry.fn:
            assert entry.f1 >= 0.85, name


@needs_corpus
def test_whole_notices_get_their_categories_and_clean_ones_stay_clean():
    results = run(load_corpus(CORPUS / "notices"), bundled(), Settings())
    for item, prediction in results:
        assert prediction.categories == item.labels, item.id
    clean = [prediction for item, prediction in results if item.id in ("notice_01.txt", "notice_02.txt")]
    assert len(clean) == 2 and not any(p.categories for p in clean)


@needs_corpus
def test_rule_examples_are_not_copied_from_the_corpus():
    """No example of any rule shares a run of 12 characters with the dev corpus or
    the notices (examples must be written, not memorised)."""
    texts = [json.loads(line)["text"] for line in (CORPUS / "dev.jsonl").read_text(encoding="utf-8").splitlines() if line]
    texts += [p.read_text(encoding="utf-8") for p in (CORPUS / "notices").glob("*.txt")]
    corpus = "\n".join(texts)
    for rule in bundled().rules:
        for example in (*rule.examples.positive, *rule.examples.negative):
            copied = [example[i : i + 12] for i in range(len(example) - 11) if example[i : i + 12] in corpus]
            assert not copied, f"{rule.id}: example shares {copied[0]!r} with the corpus"
