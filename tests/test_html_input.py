"""Web pages (.html/.htm) and Markdown (.md) notices as input."""

from __future__ import annotations

from pathlib import Path

import pytest

from jianfu_audit.errors import InputError
from jianfu_audit.extract import extract
from jianfu_audit.settings import Settings

ARTICLE = [
    "各乡镇人民政府，县直各单位：",
    "为切实减轻基层负担，现将有关事项通知如下。",
    "一、各村（社区）每周报送工作台账，实行一票否决。",
    "二、各乡镇要在3日内完成自查，并将材料报县委办。",
    "某某县人民政府办公室",
]


def government_page(charset_tag: str) -> str:
    """A page as county government sites publish notices: menus, breadcrumbs, article, footer."""
    paragraphs = "".join(f"<p>{line}</p>" for line in ARTICLE)
    return f"""<!DOCTYPE html><html><head>{charset_tag}
<title>关于做好基层减负工作的通知_某某县人民政府</title>
<style>.nav {{ color: red }}</style><script>var notice = "工作群每日打卡";</script></head><body>
<div class="header"><a href="/">首页</a> | <a href="/zwgk">政务公开</a> | <a href="/hd">互动交流</a></div>
<div class="nav"><ul><li><a href="/">网站首页</a></li><li><a href="/a">机构概况</a></li>
<li><a href="/b">政策文件</a></li><li><a href="/c">通知公告</a></li></ul></div>
<div class="position">当前位置：<a href="/">首页</a> &gt; <a href="/tzgg">通知公告</a></div>
<div class="article"><h1>关于做好基层减负工作的通知</h1>
<div class="TRS_Editor">{paragraphs}
<table><tr><td>单位</td><td>联系人</td></tr><tr><td>县委办</td><td>张三</td></tr></table></div></div>
<div class="footer">版权所有：某某县人民政府 主办：县政府办公室 网站标识码：1234 ICP备案号：12345</div>
</body></html>"""


@pytest.mark.parametrize(
    ("charset_tag", "encoding"),
    [
        ('<meta http-equiv="Content-Type" content="text/html; charset=gb2312">', "gbk"),
        ('<meta charset="GBK">', "gbk"),
        ("", "gb18030"),  # nothing declared: detected
        ('<meta charset="utf-8">', "utf-8"),
    ],
)
def test_article_text_is_kept_and_chrome_dropped(tmp_path: Path, charset_tag: str, encoding: str) -> None:
    path = tmp_path / "notice.html"
    path.write_bytes(government_page(charset_tag).encode(encoding))
    document = extract(path, Settings())
    lines = document.text.split("\n")
    assert lines[0] == "关于做好基层减负工作的通知"
    for line in ARTICLE:
        assert line in lines
    assert "县委办" in document.text  # tables are kept
    for chrome in ("网站首页", "机构概况", "版权所有", "当前位置", "每日打卡", "color"):
        assert chrome not in document.text
    assert document.format == "html"


def test_declared_gb2312_is_read_as_gb18030(tmp_path: Path) -> None:
    # 镕 is outside GB2312; sites that declare gb2312 still use such characters
    page = government_page('<meta charset="gb2312">').replace("某某县人民政府办公室", "朱镕基同志题写")
    path = tmp_path / "notice.htm"
    path.write_bytes(page.encode("gb18030"))
    document = extract(path, Settings())
    assert "朱镕基同志题写" in document.text
    assert "encoding=gb18030" in document.notes


def test_check_finds_burden_in_web_page(tmp_path: Path) -> None:
    from jianfu_audit.pipeline import check_input
    from jianfu_audit.rules.loader import load_rules

    path = tmp_path / "notice.html"
    path.write_bytes(government_page('<meta charset="utf-8">').encode("utf-8"))
    result = check_input(str(path), load_rules(()), Settings())
    assert result.error is None and result.format == "html"
    assert "veto-one-vote" in {f.rule for f in result.findings}


def test_page_without_text_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "empty.html"
    path.write_text("<html><head><title></title></head><body><img src='a.png'></body></html>", encoding="utf-8")
    with pytest.raises(InputError, match="没有找到正文"):
        extract(path, Settings())


MARKDOWN = """# 关于规范村级报表的通知

各乡镇：
各村**每周**报送[工作台账](http://example.invalid/a)，
实行`一票否决`。

- 第一条 不得层层加码
- 第二条 取消重复填报

| 单位 | 要求 |
|---|---|
| 村 | 工作群每日打卡 |

<div class="note">附件：报表模板</div>
"""


def test_markdown_markup_is_stripped(tmp_path: Path) -> None:
    path = tmp_path / "notice.md"
    path.write_bytes(MARKDOWN.encode("gb18030"))
    document = extract(path, Settings())
    assert document.format == "markdown"
    assert document.text.split("\n") == [
        "关于规范村级报表的通知",
        "各乡镇：各村每周报送工作台账，实行一票否决。",
        "第一条 不得层层加码",
        "第二条 取消重复填报",
        "单位",
        "要求",
        "村",
        "工作群每日打卡",
        "附件：报表模板",
    ]
    cell = document.locate(document.text.index("每日打卡"))
    assert (cell.part, cell.table, cell.row, cell.cell) == ("table", 1, 2, 2)
    assert document.locate(document.text.index("一票否决")).paragraph == 2
