"""Generate the bundled binary samples (GBK text, Word, PDF) from text held here.

Run from anywhere:  python tests/samples/make_samples.py [OUTPUT_DIR]
(default: this folder). The generated files are committed; ``tests/test_samples.py``
regenerates them into a temporary folder and checks that the committed files
still extract to the same text.

All places, units and people in these notices are fictitious.
Needs python-docx and reportlab (``pip install -e ".[test]"``).
"""

from __future__ import annotations

import sys
from pathlib import Path

SAMPLES = Path(__file__).resolve().parents[2] / "samples"

# --------------------------------------------------------------------------- GBK
GBK_NAME = "02-burden-inspection-gbk.txt"
GBK_TEXT = """桐坪镇人民政府
关于全力做好省级卫生镇复审迎检工作的通知

各村（社区）、镇直各单位：
省爱卫会将于近期对我镇开展省级卫生镇复审。为确保顺利通过复审，现就迎检工作通知如下。
一、各村（社区）要按照复审标准逐项准备迎检资料，每项工作均须附照片、会议记录和签到表等佐证材料，装订成册备查。
二、自即日起，各村（社区）每日下午4点前向镇爱卫办报送迎检准备情况日报表。
三、镇里将组织三轮模拟检查，检查结果在全镇通报，并与各村年终考核挂钩。
四、迎检期间，镇里每周三晚上召开迎检工作推进会，各村书记、主任必须参加，不得请假。
五、各村（社区）书记为第一责任人，须与镇政府签订迎检工作责任状。
六、各村同步开展“卫生村”创建活动，年内创建达标率达到100%。
七、请各村（社区）于明天上午9点前将迎检联络员名单报镇爱卫办。
八、背街小巷的环境卫生日常管护，由所在村（社区）自行组织人员并承担全部费用。

桐坪镇人民政府
2025年5月12日
"""

# ---------------------------------------------------------------------- Word
DOCX_NAME = "03-burden-table.docx"
DOCX_HEADER = "云溪县乡村振兴局"
DOCX_FOOTER = "云溪县乡村振兴局办公室　　2025年6月3日印发"
DOCX_TITLE = "关于做好防止返贫动态监测集中排查工作的通知"
DOCX_OPENING = [
    "各乡镇人民政府：",
    "为扎实做好2025年度防止返贫动态监测集中排查工作，现将有关事项通知如下。",
]
# Auto-numbered paragraphs (Word numbering "一、二、三、", not typed text).
DOCX_NUMBERED = [
    "提高思想认识。各乡镇收到通知后要召开党委会专题研究，并组织全体村干部召开专题培训会，培训会议须全程录像。",
    "压实工作责任。各乡镇要结合实际制定配套工作方案，逐级发文部署到村。",
    "强化考核问效。排查工作纳入乡镇年度绩效考核，出现漏评错评的，年度考核实行“一票否决”。",
    "具体任务分工见下表。",
]
DOCX_TABLE = [
    ["序号", "工作任务", "责任单位", "完成时限", "工作要求"],
    ["1", "入户排查", "各村（社区）", "6月30日前",
     "排查覆盖率达到100%，每户须拍摄入户照片（含户主正面照和门牌号），作为排查到位的佐证。"],
    ["2", "进度报送", "各乡镇", "每周五",
     "每周五前报送排查进度周报表，纸质版加盖公章后同时报送县局。"],
    ["3", "督导检查", "县乡村振兴局", "7月",
     "县局每周随机抽取2个乡镇开展实地检查，检查结果全县通报排名。"],
    ["4", "人员保障", "各乡镇", "排查期间",
     "各乡镇抽调1名熟悉业务的干部到县局集中办公，借调期间不承担原单位工作。"],
    ["5", "信息宣传", "各乡镇", "全年",
     "每月至少向县局报送2篇工作信息，被市级以上媒体采用的篇数纳入年度考核。"],
    ["6", "系统录入", "各村（社区）", "6月30日前",
     "全体村干部须下载“云溪帮扶”APP，每日在线时长不少于2小时。"],
]
DOCX_CLOSING = [
    "请各乡镇于6月4日前将排查工作联络员名单报县乡村振兴局。",
    "云溪县乡村振兴局",
    "2025年6月3日",
]

# ----------------------------------------------------------------------- PDF
PDF_NAME = "04-burden-grid.pdf"
# One list of (style, text) per page; "title" lines are centred, "body" lines wrap.
PDF_PAGES = [
    [
        ("title", "青岚市基层治理工作领导小组"),
        ("title", "关于开展网格化服务管理提质增效专项行动的通知"),
        ("plain", "各县（市、区）委、人民政府，市直有关单位："),
        ("body", "为进一步夯实基层治理基础，市基层治理工作领导小组决定，2025年6月至12月在全市开展网格化服务管理提质增效专项行动。现将有关要求通知如下。"),
        ("plain", "一、抓好部署发动"),
        ("body", "各县（市、区）要在本月内召开专项行动动员大会，并逐级召开到乡镇（街道）和村（社区），各级会议均须邀请上级部门领导出席指导。"),
        ("body", "各县（市、区）、乡镇（街道）要分别制定实施方案和配套细则，逐级发文部署，做到一级抓一级。"),
    ],
    [
        ("plain", "二、规范信息报送"),
        ("body", "网格员每日须填报网格巡查日志，乡镇（街道）每周汇总后报县级网格中心，同一数据还须在市网格平台和纸质台账中再报一遍。"),
        ("plain", "三、严格考核奖惩"),
        ("body", "网格化工作纳入乡镇（街道）年度综合考核，对网格事件办结率低于95%的乡镇（街道）实行一票否决。"),
        ("body", "市专项行动办每月组织一次交叉检查，每季度开展一次综合考评，考评结果在全市通报并排名，排名靠后的约谈主要负责同志。"),
    ],
    [
        ("plain", "四、用好信息平台"),
        ("body", "全体网格员须关注“青岚网格”公众号并下载“青岚网格通”，每天在线时长不少于4小时，平台按在线时长自动生成积分排名。"),
        ("plain", "五、加强宣传推广"),
        ("body", "各县（市、区）每周至少报送1期工作简报，每月至少在省级以上媒体刊发1篇宣传报道，完成情况纳入年度考核。"),
        ("body", "请各县（市、区）接通知后24小时内将专项行动联络员名单报市专项行动办。"),
        ("plain", "青岚市基层治理工作领导小组"),
        ("plain", "2025年6月16日"),
    ],
    [
        ("plain", "附件"),
        ("title", "专项行动联络员名单"),
        ("plain", "填报单位：　　　　　　　　　　　　填报日期："),
        ("plain", "姓名　　　　职务　　　　办公电话　　　　手机号码"),
    ],
]


def write_gbk(folder: Path) -> Path:
    """The GBK-encoded notice (legacy encoding still common in county offices)."""
    path = folder / GBK_NAME
    path.write_bytes(GBK_TEXT.encode("gbk"))
    return path


def _add_chinese_numbering(word) -> int:
    """Add a single-level "一、二、三、" list definition; return its numId."""
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls, qn

    numbering = word.part.numbering_part.element
    abstract = parse_xml(
        f'<w:abstractNum {nsdecls("w")} w:abstractNumId="90">'
        '<w:multiLevelType w:val="singleLevel"/>'
        '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/>'
        '<w:lvlText w:val="%1、"/><w:lvlJc w:val="left"/>'
        '<w:pPr><w:ind w:left="0" w:firstLine="640"/></w:pPr></w:lvl>'
        "</w:abstractNum>"
    )
    first_num = numbering.find(qn("w:num"))
    if first_num is not None:  # schema order: every abstractNum before any num
        first_num.addprevious(abstract)
    else:
        numbering.append(abstract)
    numbering.append(parse_xml(f'<w:num {nsdecls("w")} w:numId="90"><w:abstractNumId w:val="90"/></w:num>'))
    return 90


def _number(paragraph, num_id: int, level: int = 0) -> None:
    num_pr = paragraph._p.get_or_add_pPr().get_or_add_numPr()
    num_pr.get_or_add_ilvl().val = level
    num_pr.get_or_add_numId().val = num_id


def write_docx(folder: Path) -> Path:
    """A Word notice: header, footer, auto-numbered paragraphs and a task table."""
    import datetime

    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn

    word = docx.Document()
    style = word.styles["Normal"]
    style.font.name = "FangSong"
    style.element.rPr.rFonts.set(qn("w:eastAsia"), "仿宋")
    # Fixed metadata so regenerating gives the same file contents.
    word.core_properties.author = "jianfu-audit samples"
    word.core_properties.created = datetime.datetime(2025, 6, 3, 9, 0, 0)
    word.core_properties.modified = datetime.datetime(2025, 6, 3, 9, 0, 0)
    word.core_properties.last_modified_by = "jianfu-audit samples"
    word.core_properties.revision = 1

    section = word.sections[0]
    section.header.paragraphs[0].text = DOCX_HEADER
    section.header.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    section.footer.paragraphs[0].text = DOCX_FOOTER

    title = word.add_paragraph(DOCX_TITLE)
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for text in DOCX_OPENING:
        word.add_paragraph(text)
    num_id = _add_chinese_numbering(word)
    for text in DOCX_NUMBERED:
        _number(word.add_paragraph(text), num_id)
    table = word.add_table(rows=len(DOCX_TABLE), cols=len(DOCX_TABLE[0]))
    table.style = "Table Grid"
    for row, values in zip(table.rows, DOCX_TABLE):
        for cell, value in zip(row.cells, values):
            cell.text = value
    for text in DOCX_CLOSING:
        word.add_paragraph(text)
    path = folder / DOCX_NAME
    word.save(str(path))
    return path


def _wrap(text: str, font: str, size: float, width: float) -> list[str]:
    """Break ``text`` into lines no wider than ``width`` points (CJK: any character)."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    lines: list[str] = []
    current = ""
    for char in text:
        if current and stringWidth(current + char, font, size) > width:
            lines.append(current)
            current = ""
        current += char
    if current:
        lines.append(current)
    return lines


def write_pdf(folder: Path) -> Path:
    """A four-page PDF with a real (CID font) text layer and wrapped paragraphs."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    font = "STSong-Light"
    pdfmetrics.registerFont(UnicodeCIDFont(font))
    path = folder / PDF_NAME
    page_width, page_height = A4
    margin = 72
    size = 14
    leading = 26
    pdf = canvas.Canvas(str(path), pagesize=A4, invariant=1)
    pdf.setTitle("网格化服务管理提质增效专项行动（示例）")
    for number, page in enumerate(PDF_PAGES, start=1):
        y = page_height - margin
        for kind, text in page:
            if kind == "title":
                pdf.setFont(font, 18)
                pdf.drawCentredString(page_width / 2, y, text)
                y -= leading + 6
                continue
            pdf.setFont(font, size)
            if kind == "plain":
                pdf.drawString(margin, y, text)
                y -= leading
                continue
            indent = 2 * size  # two-character first-line indent, as in official documents
            lines = _wrap(text, font, size, page_width - 2 * margin - indent)
            first, rest = lines[0], "".join(lines[1:])
            pdf.drawString(margin + indent, y, first)
            y -= leading
            for line in _wrap(rest, font, size, page_width - 2 * margin):
                pdf.drawString(margin, y, line)
                y -= leading
            if y < margin + 2 * leading:
                raise ValueError(f"page {number} overflows; move a paragraph to the next page")
        pdf.setFont(font, 10)
        pdf.drawCentredString(page_width / 2, margin / 2, f"— {number} —")
        pdf.showPage()
    pdf.save()
    return path


def generate(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    return [write_gbk(folder), write_docx(folder), write_pdf(folder)]


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else SAMPLES
    for written in generate(target):
        print(written)
