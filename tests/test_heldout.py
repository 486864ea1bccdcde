"""Held-out sets written for this project (tests/heldout/): sentences and whole
notices that were written and measured before the rules were changed against them
(figures in docs/eval.md). Once fixed, they guard against regressions: the
thresholds are the ones the current rule pack actually reaches, with a little room.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

import pytest

from jianfu_audit.evaluate import document_of, load_corpus, run, score
from jianfu_audit.findings import CATEGORIES
from jianfu_audit.rules.engine import check_document
from jianfu_audit.rules.loader import load_rules
from jianfu_audit.settings import Settings

HELDOUT = Path(__file__).resolve().parent / "heldout"
SETS = ["heldout_a.jsonl", "heldout_b.jsonl", "heldout_c.jsonl", "heldout_d.jsonl", "heldout_e.jsonl",
        "heldout_f.jsonl", "heldout_g.jsonl", "heldout_h.jsonl", "heldout_j.jsonl", "heldout_k.jsonl",
        "heldout_n.jsonl", "heldout_o.jsonl", "heldout_p.jsonl", "heldout_q.jsonl",
        "heldout_s.jsonl", "heldout_t.jsonl"]
# micro precision/recall each set reaches after its round, with a little room (default 0.95/0.95).
# Round J (mixed sentences: description + demand) still misses 6 of 102 labels (9 before round N); see docs/eval.md.
MICRO = {"heldout_j.jsonl": (0.98, 0.93)}
# smaller sets: round N (60 sentences aimed at three known leftovers), round O (51 sentences in the
# five thinnest categories), round P (63 sentences on schools, hospitals and enterprises), round Q
# (59 sentences on platform and online-engagement burdens, certificates and clean-up narratives), round S
# (47 sentences: deadlines with dates, meetings after meetings, back-filled records), round T (60 sentences:
# grid work, river chiefs, petitions, digital-village platforms, contests, certificates) and round G
MIN_ITEMS = {"heldout_g.jsonl": 81, "heldout_n.jsonl": 60, "heldout_o.jsonl": 51, "heldout_p.jsonl": 63, "heldout_q.jsonl": 59, "heldout_s.jsonl": 47, "heldout_t.jsonl": 60}
# round E has categories with one or two items (document, reporting): per-category F1 is
# checked there only for categories with at least 3 labelled items
FULL_CATEGORY_SETS = SETS[:4]


@lru_cache(maxsize=1)
def bundled():
    return load_rules()


@lru_cache(maxsize=8)
def report(name: str):
    return score(name, run(load_corpus(HELDOUT / name), bundled(), Settings()), CATEGORIES)


@pytest.mark.parametrize("name", SETS)
def test_heldout_file_is_well_formed(name):
    lines = (HELDOUT / name).read_text(encoding="utf-8").splitlines()
    ids = set()
    for line in lines:
        item = json.loads(line)
        assert set(item) == {"id", "text", "labels", "kind", "note"}, item
        assert item["id"] not in ids
        ids.add(item["id"])
        assert set(item["labels"]) <= set(CATEGORIES), item["id"]
        # labels are non-empty if and only if the item is a demand (corpus convention)
        assert bool(item["labels"]) == (item["kind"] == "demand"), item["id"]
    # heldout_s has 47 items, heldout_o 51, heldout_q 59, heldout_n 60, heldout_t 60, heldout_p 63, heldout_g 81, heldout_e 99, heldout_f 101, the rest 107–240 (heldout_h 136, heldout_k 107)
    assert len(lines) >= MIN_ITEMS.get(name, 99)


@pytest.mark.parametrize("name", SETS)
def test_heldout_micro_scores(name):
    result = report(name)
    precision, recall = MICRO.get(name, (0.95, 0.95))
    assert result.micro.precision >= precision, result.micro
    assert result.micro.recall >= recall, result.micro
    assert result.false_alarm_rate <= 0.03


@pytest.mark.parametrize("name", FULL_CATEGORY_SETS)
def test_heldout_every_category(name):
    for category, entry in report(name).categories.items():
        if entry.tp + entry.fn:
            assert entry.f1 >= 0.85, (category, entry)


def test_heldout_notices_get_their_categories_and_the_clean_one_stays_clean():
    results = run(load_corpus(HELDOUT / "notices"), bundled(), Settings())
    assert len(results) == 3
    for item, prediction in results:
        assert prediction.categories == item.labels, item.id
    clean = [prediction for item, prediction in results if not item.labels]
    assert len(clean) == 1 and not clean[0].categories


def test_heldout_notices_d_real_register():
    """Round D: six notices in the register of real county/township documents (实施方案,
    专项整治 with a task table, 考核办法 with 评分细则, a 减负 notice, a service notice and an
    internal meeting notice of the issuing bureau). The three clean ones must stay clean; the
    burdened ones must get no category they do not carry. notice_d2's 属地 shift (网格员上门检查
    托餐机构) is still missed, so recall is held at the level reached, not at 1."""
    results = run(load_corpus(HELDOUT / "notices_d"), bundled(), Settings())
    assert len(results) == 6
    for item, prediction in results:
        assert prediction.categories <= item.labels, item.id
        if not item.labels:
            assert not prediction.categories, item.id
    result = score("notices_d", results, CATEGORIES)
    assert result.micro.precision >= 0.95, result.micro
    assert result.micro.recall >= 0.94, result.micro


def test_heldout_e_categories_with_support():
    """Round E stressed meeting, trace, secondment and publicity wording."""
    for category, entry in report("heldout_e.jsonl").categories.items():
        if entry.tp + entry.fn >= 3:
            assert entry.f1 >= 0.9, (category, entry)
    for category in ("meeting", "trace", "secondment"):
        assert report("heldout_e.jsonl").categories[category].recall >= 0.95, category


def test_heldout_f_every_category_and_descriptive_negatives():
    """Round F mixed all 12 categories with negatives from distant-negation prohibitions, optional
    wording, commentary, neutral administrative lines, past-tense summaries with figures and
    statutory/emergency reporting. Categories have 3-12 labelled items each."""
    result = report("heldout_f.jsonl")
    for category, entry in result.categories.items():
        if entry.tp + entry.fn:
            assert entry.f1 >= 0.9, (category, entry)
    assert result.unlabelled_flagged == 0


def test_heldout_g_every_category_and_no_false_alarm():
    """Round G: 81 items (45 demands over all 12 categories, 36 negatives). After the fix every
    category reaches F1 >= 0.95 (reporting has one extra hit on 截图报送) and no negative is flagged."""
    result = report("heldout_g.jsonl")
    for category, entry in result.categories.items():
        if entry.tp + entry.fn:
            assert entry.f1 >= 0.95, (category, entry)
    assert result.micro.recall >= 0.99, result.micro
    assert result.unlabelled_flagged == 0


def test_heldout_h_every_category_and_no_false_alarm():
    """Round H: 136 items (75 demands over all 12 sentence-level categories, 61 negatives:
    prohibitions, optional wording, commentary, past-tense figures, statutory/emergency reporting,
    quoted rules, the issuing office's own work, burden-reducing lines and table fragments). After
    the fix every category reaches F1 1.000 and no negative is flagged; held with a little room."""
    result = report("heldout_h.jsonl")
    for category, entry in result.categories.items():
        if entry.tp + entry.fn:
            assert entry.f1 >= 0.95, (category, entry)
    assert result.micro.precision >= 0.99, result.micro
    assert result.micro.recall >= 0.99, result.micro
    assert result.unlabelled_flagged == 0


def test_heldout_j_mixed_sentences_no_false_alarm():
    """Round J: 136 items (75 demands, 61 negatives) written around mixed sentences: a description,
    complaint, summary figure, quoted rule or past event followed by a real demand in the same
    sentence, and the reverse (demand words inside descriptions, past events, prohibitions, optional
    wording, statutory reporting after a semicolon). After the fix no negative is flagged and every
    category keeps F1 >= 0.85; the misses left (a leading 事故/防汛 cue before a routine report, 都要/
    每季度要 after a description, a shift after a semicolon) are listed in docs/eval.md."""
    result = report("heldout_j.jsonl")
    assert result.unlabelled_flagged == 0
    for category, entry in result.categories.items():
        if entry.tp + entry.fn:
            assert entry.f1 >= 0.85, (category, entry)
    for category in ("meeting", "document", "veto", "deadline", "secondment", "publicity"):
        assert result.categories[category].recall >= 0.99, category
    assert result.categories["reporting"].precision >= 0.99


def test_heldout_k_colloquial_wording_no_false_alarm():
    """Round K: 107 items (60 demands over all 12 sentence-level categories, 47 negatives) in
    colloquial and regional wording (报过来, 交上来, 发群里, 晒一晒, 周周报, 天天打卡), Chinese numerals
    and dates, demands phrased as questions or as table column headers, passive/由-constructions,
    and negatives of the same shapes. After the fix no negative is flagged; the one miss left in
    deadline/reporting/trace is hk029 (a 防汛物资清点 with a next-day deadline, exempted by the
    leading 防汛 cue), and the two extra hits (hk035 app, hk100 reporting) are borderline."""
    result = report("heldout_k.jsonl")
    assert result.unlabelled_flagged == 0
    assert result.micro.precision >= 0.97, result.micro
    assert result.micro.recall >= 0.95, result.micro
    for category, entry in result.categories.items():
        if entry.tp + entry.fn and category != "deadline":
            assert entry.f1 >= 0.9, (category, entry)
    assert result.categories["deadline"].recall >= 0.66


def test_heldout_notices_e_clean_real_world_notices_stay_clean():
    """Round E: five clean notices of kinds real offices send (a 减负 notice that lists the
    abolished practices and quotes complaints, a 答记者问, a 工作总结 full of figures, meetings and
    inspections, a 医保缴费 public notice with hotlines, a 防汛 notice with statutory reporting)
    must produce no error/warning category at all; the four burdened ones get no category they
    do not carry, except notice_e7's 平台推送 quota, which is also read as an app demand."""
    results = run(load_corpus(HELDOUT / "notices_e"), bundled(), Settings())
    assert len(results) == 9
    clean = [item.id for item, _ in results if not item.labels]
    assert len(clean) == 5
    for item, prediction in results:
        if not item.labels:
            assert not prediction.categories, item.id
        elif item.id != "notice_e7.txt":
            assert prediction.categories <= item.labels, item.id
        assert item.labels <= prediction.categories, item.id
    result = score("notices_e", results, CATEGORIES)
    assert result.micro.precision >= 0.94, result.micro
    assert result.micro.recall >= 0.99, result.micro


def exact_notice_folder(folder: str, notices: int, clean: int, extra_demands: dict[str, int] | None = None) -> None:
    """A whole-notice round held exactly: every notice gets exactly its categories and its
    demand sentences (plus the known ``extra_demands``), and the clean ones produce no
    finding at all, not even an info one."""
    settings = Settings()
    results = run(load_corpus(HELDOUT / folder), bundled(), settings)
    assert len(results) == notices
    unlabelled = [item for item, _ in results if not item.labels]
    assert len(unlabelled) == clean
    for item, prediction in results:
        assert prediction.categories == item.labels, item.id
        assert prediction.demand_sentences == item.demands + (extra_demands or {}).get(item.id, 0), item.id
    result = score(folder, results, CATEGORIES)
    assert result.micro.precision >= 0.99, result.micro
    assert result.micro.recall >= 0.99, result.micro
    assert result.unlabelled_flagged == 0
    for item in unlabelled:
        assert not list(check_document(document_of(item, settings), bundled(), settings)), item.id


def test_heldout_notices_i_whole_notices_clean_ones_have_no_finding():
    """Round I: 13 whole notices of 600-2000 characters. Six burdened ones (人居环境攻坚, 政务平台推广,
    "庆七一"活动, 安全生产大排查, 食品安全创建迎检, 村干部管理考评) must get exactly their categories;
    three clean 减负 notices (指尖减负, 督查检查考核, 精简文件会议和借调) and four neutral genres (工作总结,
    地质灾害应急预案, 养老保险认证公告, 常务会议纪要) must produce no finding at all, not even an info one.
    Demand sentences match the labels, except that notice_i2's sub-heading "（三）坚持每日打卡。" is
    also counted (it is itself a short demand)."""
    exact_notice_folder("notices_i", notices=13, clean=7, extra_demands={"notice_i2.txt": 1})


def test_heldout_notices_l_registers_clean_ones_have_no_finding():
    """Round L: 13 whole notices in registers not covered before. Six burdened ones (卫健 体检行动
    that also states 减负 measures, 教育 工作联系单, 民政 会议通知 with an agenda, 街道 活动方案 with a
    评分细则 table in text rows, 督查反馈意见, 自然资源 田长制 notice that also states 减负 measures)
    must get no category they do not carry; three clean 减负 notices (街道 社区减负, 应急 工作提示 on
    多检合一, 县委办 on 工作联系单 and 会议通知) and four neutral genres (救助情况通报, 登革热应急处置
    with statutory reporting, 补贴政策解读, 便民服务公告) must produce no finding at all, not even an
    info one. notice_l6's 本通知印发后次日内 counts from the notice (印发后/下发后 were read as an event
    of the task at first; fixed in deadline.py after the round). notice_l4 has two more demand
    sentences than labelled: 街道决定……开展星级评定活动 and the 群众满意度 scoring row."""
    exact_notice_folder("notices_l", notices=13, clean=7, extra_demands={"notice_l4.txt": 2})


def test_heldout_notices_m_false_alarm_hunt_clean_ones_have_no_finding():
    """Round M: 10 whole notices written to hunt false alarms. Seven must be clean and produce no
    finding at all, not even an info one: a 县委办 减负 规定 listing abolished practices in detail, a
    镇 负面清单 whose items are listed line by line under 不得要求……承担下列事项：, a 情况通报 of last
    year's 督查检查考核 (past tense, figures, departments criticised for demanding duplicate ledgers),
    a 森林火灾应急预案 excerpt with statutory reporting, the 县政府办's internal schedule for its own
    科室 (本办每周一例会), a 医保 政策问答 and a 招聘公告 whose deadlines bind applicants. Three burdened
    ones phrase their burdens mildly (请……结合实际, 还望, 希望, 拟请各乡镇承担, 商请) and must get
    exactly their categories and demand sentences."""
    exact_notice_folder("notices_m", notices=10, clean=7)


def test_heldout_o_thin_categories_no_false_alarm():
    """Round O: 51 items (29 demands in veto, secondment, campaign, document and publicity, the
    categories with the fewest held-out items; 22 negatives of the same shapes: prohibitions,
    optional wording, past figures and the issuing office's own work). After the fix every category
    reaches F1 1.000 and no negative is flagged; held with a little room."""
    result = report("heldout_o.jsonl")
    assert result.unlabelled_flagged == 0
    for category, entry in result.categories.items():
        if entry.tp + entry.fn:
            assert entry.f1 >= 0.95, (category, entry)
    for category in ("veto", "secondment", "campaign", "document", "publicity"):
        assert result.categories[category].recall >= 0.99, category


def test_heldout_p_sector_units_no_false_alarm():
    """Round P: 63 items (34 demands placed on schools, township health centres, hospitals and
    enterprises, and on villages by a sector bureau; 29 negatives of the same shapes: prohibitions,
    optional wording, commentary, statutory reporting of food poisoning, epidemics and statistics, a
    school's or hospital's internal management, notices to parents and the public). After the fix
    every category reaches F1 1.000 and no negative is flagged; held with a little room."""
    result = report("heldout_p.jsonl")
    assert result.unlabelled_flagged == 0
    assert result.micro.precision >= 0.99, result.micro
    assert result.micro.recall >= 0.99, result.micro
    for category, entry in result.categories.items():
        if entry.tp + entry.fn:
            assert entry.f1 >= 0.95, (category, entry)
    for category in ("reporting", "trace", "inspection", "veto"):
        assert result.categories[category].recall >= 0.99, category


def test_heldout_q_platforms_and_clean_up_narratives_no_false_alarm():
    """Round Q: 59 items (31 demands: several platforms for the same data, watch-time and
    点赞/投票 quotas, 村级证明 with a gap before 无……证明, 示范点 campaigns; 28 negatives:
    prohibitions, optional use of an app, past figures, statutory fire and public-health reports,
    and clean-up narratives such as 对……问题开展专项清理 or 对……的做法进行了通报). After the fix no
    negative is flagged and every label is found; the one extra finding is hq012 (a ranking that
    triggers 一票否决, labelled veto only), left as it is (docs/eval.md)."""
    result = report("heldout_q.jsonl")
    assert result.unlabelled_flagged == 0
    assert result.micro.recall >= 0.99, result.micro
    assert result.micro.precision >= 0.97, result.micro
    for category in ("reporting", "app", "shifting", "secondment"):
        assert result.categories[category].f1 >= 0.99, (category, result.categories[category])


def test_heldout_notices_r_new_genres_exact():
    """Round R: six whole documents of genres not covered before. Three clean ones (a county
    government work report with its own targets, a people's congress law-enforcement report that
    describes burdens, a village's own 村规民约 with its 户主会) produce no finding at all; three
    burdened ones (a street office's 工作提示 to communities, a county joint-inspection plan that
    opens with 现制定方案如下, a township party-committee 会议纪要 with a turn to report at its
    meeting) get exactly their categories and demand sentences."""
    exact_notice_folder("notices_r", notices=6, clean=3)


def sentence_round_held_exactly(name: str, categories: tuple[str, ...]) -> None:
    """A sentence round fixed in full: every label found, no negative flagged, and the
    round's own categories at F1 ≥ 0.99."""
    result = report(name)
    assert result.micro.recall >= 0.99, result.micro
    assert result.micro.precision >= 0.99, result.micro
    assert result.unlabelled_flagged == 0
    for category in categories:
        assert result.categories[category].f1 >= 0.99, (category, result.categories[category])


def test_heldout_s_deadlines_meetings_and_back_filled_records():
    """Round S: 47 items (25 demands: same-day, next-morning and weekend deadlines with their dates,
    a meeting held again after the meeting, 补齐台账 before a check, 信息核对 then 报街道; 22 negatives:
    prohibitions, optional wording, past figures, statutory emergency reports, the issuer's own
    meetings, 期满后一律回原单位, 报送的材料只需提交电子版). After the fix every label is found and no
    negative is flagged."""
    sentence_round_held_exactly("heldout_s.jsonl", ("meeting", "trace", "inspection", "deadline"))


def test_heldout_t_grid_work_platforms_contests_and_certificates():
    """Round T: 60 items written without reading the rules (32 demands over all 12 categories: grid
    and river-chief patrol records, 防返贫 monitoring, petition screening, digital-village platforms,
    a contest's quota of programmes, certificates issued by the village after the certificate is named;
    28 negatives: a bureau's own 局务会议, a village's stamped paper copy of its own report, work a
    bureau gives to a third party with 乡镇无需……, prohibitions, optional wording, statutory reports).
    After the fix every label is found and no negative is flagged."""
    sentence_round_held_exactly("heldout_t.jsonl", ("shifting", "campaign", "meeting", "reporting"))


def test_heldout_notices_u_new_genres_exact():
    """Round U: eight whole documents written without reading the rules. Four clean ones full of
    trigger words (a township's 工作总结 with past figures, a 减负监测点 report quoting complaints and
    naming departments already criticised, a gas-accident 应急预案 with 续报 every 2 hours, a 减负
    notice found by 梳理……发现……等问题) produce no finding at all; four burdened ones (a street
    office's 工作群 notice, a 专项行动 plan with a task table, a 村级考核细则, a bureau's 迎检工作提示
    that opens with 特作如下提示) get exactly their categories and demand sentences."""
    exact_notice_folder("notices_u", notices=8, clean=4)

