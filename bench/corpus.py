"""A reproducible corpus of realistic county-level notices in .txt, .docx and .pdf.

Each notice has a title, addressees, numbered sections mixing burdensome demands
(the kind the rules look for) with ordinary administrative sentences, sometimes a
contact table, and a signature with a date: 1,400–5,200 characters (3,400 on
average), like real notices. The same seed always gives the same corpus.
"""

from __future__ import annotations

import random
import textwrap
from dataclasses import dataclass
from pathlib import Path

COUNTIES = ["云溪县", "青石县", "临川县", "白河县", "东岭县", "南湖区"]
TOPICS = ["农村人居环境整治", "秸秆禁烧", "森林防火", "乡村振兴示范创建", "文明城市创建", "安全生产大检查",
          "人口普查入户登记", "河长制落实", "网格化服务管理", "耕地保护专项整治"]
ACTIONS = ["开展", "做好", "加强", "深入推进", "扎实开展"]
ADDRESSEES = ["各乡镇人民政府、街道办事处，县直各有关单位：", "各乡镇（街道）党（工）委，县委各部委办：",
              "各乡镇人民政府，县直有关单位："]
SECTIONS = ["加强组织领导", "严格过程管理", "压实工作责任", "强化督导考核", "做好宣传报道", "加强要素保障",
            "健全长效机制"]
NEUTRAL = [
    "为深入贯彻落实上级决策部署，进一步提升工作质效，经研究，决定在全县范围内{action}{topic}工作。",
    "各地要坚持问题导向，突出工作重点，统筹推进各项任务落地见效。",
    "县{topic}工作领导小组办公室设在县农业农村局，负责日常协调工作。",
    "要坚持实事求是，因地制宜，分类施策，切实提高工作的针对性和实效性。",
    "各有关部门要加强协作配合，形成工作合力，确保各项措施落到实处。",
    "本次工作自{month}月{day}日开始，至{month2}月底结束，分为动员部署、集中攻坚、总结提升三个阶段。",
    "要充分利用现有信息系统和共享数据，避免重复采集和多头填报。",
    "县财政按照有关规定统筹安排工作经费，专款专用。",
    "对工作中发现的问题，要建立清单，明确责任，限期整改到位。",
    "要注重发挥村民主体作用，引导群众积极参与，共建共享美好家园。",
    "各乡镇要结合实际，细化工作措施，明确时间节点和责任人。",
    "工作中遇到的重大问题，请及时向县领导小组办公室报告。",
    "要严格落实中央八项规定精神，厉行节约，反对铺张浪费。",
    "联系人：县{topic}办公室，联系电话：0731-8{phone}。",
]
DEMANDS = [
    "各乡镇收到本通知后要立即召开党委会专题传达，并逐级召开动员部署会，一直开到村民小组。",
    "攻坚期间，县领导小组办公室每周一上午召开工作调度会，各乡镇分管领导和各村党组织书记须参加。",
    "各村每天要对房前屋后保洁情况进行拍照，照片上传至工作群，并建立一户一档的纸质台账。",
    "全体村组干部须下载政务APP，每日登录打卡不少于两次，打卡情况纳入月度积分排名。",
    "各乡镇每日17时前报送当日工作进展表，每周五报送周工作小结，所有报表须同时报送纸质版和电子版。",
    "县直各部门在职责范围内的巡查任务，按照属地管理原则交由各乡镇和村（社区）具体承担。",
    "各乡镇抽调2名以上业务骨干到县专班集中办公，抽调时间不少于3个月。",
    "县领导小组组织督查组每周下乡开展暗访检查，每半月通报一次排名。",
    "对工作推进不力、考核排名后三位的乡镇，年度综合考核实行一票否决。",
    "各乡镇要与所辖各村层层签订目标责任书，并将责任书扫描件报县领导小组办公室。",
    "各乡镇每月至少报送3篇工作信息，在市级以上媒体刊发宣传报道的篇数纳入年终考核。",
    "请各乡镇于{month}月{day}日前报送本乡镇任务清单，逾期未报的予以通报。",
    "各村要建立工作台账，做到一事一档，佐证材料齐全，以备检查。",
    "各乡镇要在2小时内将辖区情况汇总上报，并附现场照片。",
    "各村（社区）须每周填报入户走访记录表，并上传走访照片。",
]
CLOSINGS = ["特此通知。", "请认真贯彻执行。", "特此通知，请遵照执行。"]
ROLES = ["分管领导", "联络员", "信息员"]
NAMES = ["张伟", "王芳", "李强", "刘洋", "陈静", "杨磊", "赵敏", "黄涛"]


@dataclass(frozen=True)
class Notice:
    """One generated notice: title, addressees, sections of paragraphs, optional table."""

    name: str
    title: str
    addressee: str
    sections: list[tuple[str, list[str]]]
    table: list[list[str]] | None
    signature: list[str]

    def lines(self) -> list[str]:
        """The notice as plain lines (tables as tab-separated rows)."""
        out = [self.title, "", self.addressee]
        for heading, paragraphs in self.sections:
            out.append(heading)
            out.extend(paragraphs)
        if self.table:
            out.append("附件：工作联络员名单")
            out.extend("\t".join(row) for row in self.table)
        return out + [""] + self.signature


def notice(rng: random.Random, index: int) -> Notice:
    """A random but plausible notice."""
    county, topic = rng.choice(COUNTIES), rng.choice(TOPICS)
    fill = {
        "topic": topic, "action": rng.choice(ACTIONS), "month": rng.randint(1, 11), "day": rng.randint(1, 28),
        "month2": rng.randint(2, 12), "phone": rng.randint(1000000, 9999999),
    }
    sections = []
    numerals = "一二三四五六七八九"
    for number, heading in enumerate(rng.sample(SECTIONS, rng.randint(4, 7))):
        paragraphs = [
            "".join(
                (rng.choice(DEMANDS) if rng.random() < 0.3 else rng.choice(NEUTRAL)).format(**fill)
                for _ in range(rng.randint(1, 4))
            )
            for _ in range(rng.randint(4, 10))
        ]
        sections.append((f"{numerals[number]}、{heading}", paragraphs))
    table = None
    if rng.random() < 0.5:
        table = [["单位", "姓名", "职务", "联系电话"]] + [
            [f"{rng.choice('东西南北')}{rng.choice('山河湖岭')}镇", rng.choice(NAMES), rng.choice(ROLES),
             f"13{rng.randint(100000000, 999999999)}"]
            for _ in range(rng.randint(3, 8))
        ]
    signature = [f"{county}{topic}工作领导小组办公室", f"2025年{fill['month']}月{fill['day']}日"]
    title = f"{county}关于{fill['action']}{topic}工作的通知"
    return Notice(f"{index:04d}", title, rng.choice(ADDRESSEES), sections, table, signature)


def write_txt(item: Notice, folder: Path, encoding: str) -> Path:
    path = folder / f"{item.name}.txt"
    path.write_bytes("\n".join(item.lines()).encode(encoding))
    return path


def write_docx(item: Notice, folder: Path) -> Path:
    import docx

    word = docx.Document()
    word.add_paragraph(item.title)
    word.add_paragraph(item.addressee)
    for heading, paragraphs in item.sections:
        word.add_paragraph(heading)
        for paragraph in paragraphs:
            word.add_paragraph(paragraph)
    if item.table:
        word.add_paragraph("附件：工作联络员名单")
        table = word.add_table(rows=len(item.table), cols=len(item.table[0]))
        for row, values in zip(table.rows, item.table):
            for cell, value in zip(row.cells, values):
                cell.text = value
    for line in item.signature:
        word.add_paragraph(line)
    path = folder / f"{item.name}.docx"
    word.save(str(path))
    return path


_FONT: str | None = None
_CJK_TTF = ("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")


def pdf_font() -> str:
    """An embedded TrueType CJK font when one is installed (as in real notices), else
    reportlab's built-in STSong-Light, which PDF readers must substitute."""
    global _FONT
    if _FONT is None:
        from reportlab.pdfbase import pdfmetrics

        for candidate in _CJK_TTF:
            if Path(candidate).is_file():
                from reportlab.pdfbase.ttfonts import TTFont

                pdfmetrics.registerFont(TTFont("NoticeSong", candidate, subfontIndex=0))
                _FONT = "NoticeSong"
                break
        else:
            from reportlab.pdfbase.cidfonts import UnicodeCIDFont

            pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
            _FONT = "STSong-Light"
    return _FONT


def write_pdf(item: Notice, folder: Path) -> tuple[Path, int]:
    """The notice on A4 pages, 33 characters a line, 28 lines a page; returns the page count."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    font = pdf_font()
    path = folder / f"{item.name}.pdf"
    pdf = canvas.Canvas(str(path), pagesize=A4)
    _, height = A4
    lines = [wrapped for line in item.lines() for wrapped in (textwrap.wrap(line, 33) or [""])]
    pages = 0
    for start in range(0, len(lines), 28):
        pdf.setFont(font, 14)
        y = height - 72
        for line in lines[start : start + 28]:
            pdf.drawString(64, y, line)
            y -= 25
        pdf.drawCentredString(A4[0] / 2, 40, f"— {start // 28 + 1} —")
        pdf.showPage()
        pages += 1
    pdf.save()
    return path, pages


def build(folder: Path, count: int, seed: int = 20250609) -> dict[str, object]:
    """Write ``count`` notices (40% txt, a quarter of them GBK; 35% docx; 25% pdf)."""
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    pdf_pages = 0
    for index in range(count):
        item = notice(rng, index)
        kind = index % 20
        if kind < 8:
            write_txt(item, folder, "gbk" if kind < 2 else "utf-8")
        elif kind < 15:
            write_docx(item, folder)
        else:
            pdf_pages += write_pdf(item, folder)[1]
    return {"folder": str(folder), "documents": count, "pdf_pages": pdf_pages, "pdf_font": pdf_font()}
