"""OFD reading: OFD packages are written here as zip + XML, as producers lay them out."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from jianfu_audit.errors import InputError
from jianfu_audit.extract import extract, ofd
from jianfu_audit.settings import Settings

NS = 'xmlns:ofd="http://www.ofdspec.org/2016"'

OFD_XML = f"""<?xml version="1.0" encoding="UTF-8"?>
<ofd:OFD {NS} DocType="OFD" Version="1.0"><ofd:DocBody>
<ofd:DocInfo><ofd:DocID>test</ofd:DocID></ofd:DocInfo>
<ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>"""


def document_xml(pages: int, template: bool = False) -> str:
    tpl = '<ofd:TemplatePage ID="90" BaseLoc="Tpls/Tpl_0/Content.xml"/>' if template else ""
    entries = "".join(
        f'<ofd:Page ID="{i + 1}" BaseLoc="Pages/Page_{i}/Content.xml"/>' for i in range(pages)
    )
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><ofd:Document {NS}><ofd:CommonData>'
        f"<ofd:PageArea><ofd:PhysicalBox>0 0 210 297</ofd:PhysicalBox></ofd:PageArea>{tpl}"
        f"</ofd:CommonData><ofd:Pages>{entries}</ofd:Pages></ofd:Document>"
    )


def text_object(x: float, y: float, text: str, size: float = 5.6, ctm: str = "", delta: str = "") -> str:
    """A TextObject whose boundary starts at (x, y - size); the baseline is at y."""
    extra = f' CTM="{ctm}"' if ctm else ""
    deltas = f' DeltaX="{delta}"' if delta else ""
    return (
        f'<ofd:TextObject ID="1" Boundary="{x} {y - size} 170 {size * 1.5}" Font="3" Size="{size}"{extra}>'
        f'<ofd:FillColor Value="0 0 0"/><ofd:TextCode X="0" Y="{size}"{deltas}>{text}</ofd:TextCode>'
        "</ofd:TextObject>"
    )


def page_xml(objects: list[str], template: bool = False) -> str:
    use = '<ofd:Template TemplateID="90" ZOrder="Background"/>' if template else ""
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><ofd:Page {NS}>{use}<ofd:Content>'
        f'<ofd:Layer ID="2">{"".join(objects)}</ofd:Layer></ofd:Content></ofd:Page>'
    )


def write_ofd(path: Path, pages: list[list[str]], template: list[str] | None = None, **extra: str) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("OFD.xml", OFD_XML)
        archive.writestr("Doc_0/Document.xml", document_xml(len(pages), template is not None))
        for index, objects in enumerate(pages):
            archive.writestr(f"Doc_0/Pages/Page_{index}/Content.xml", page_xml(objects, template is not None))
        if template is not None:
            archive.writestr("Doc_0/Tpls/Tpl_0/Content.xml", page_xml(template))
        for name, data in extra.items():
            archive.writestr(name, data)
    return path


def per_character(x: float, y: float, text: str, size: float = 5.6) -> list[str]:
    """One TextObject per character, as many OFD producers write body text."""
    return [text_object(x + i * size, y, ch, size) for i, ch in enumerate(text)]


def test_reading_order_lines_and_pages(tmp_path: Path) -> None:
    first = (
        # written bottom-up and out of order: the reader must sort by position
        per_character(30, 80, "实行一票否决。")[::-1]
        + [text_object(62, 40, "关于规范村级报表的通知", size=7.7)]  # centred title
        + [text_object(30, 60, "各乡镇：")]
        + per_character(41.2, 70, "各村每周报送工作台账，")
    )
    second = [text_object(30, 40, "某某县人民政府办公室")]
    path = write_ofd(tmp_path / "notice.ofd", [first, second])
    document = extract(path, Settings())
    assert document.format == "ofd"
    assert document.pages == 2
    assert document.text.split("\n") == [
        "关于规范村级报表的通知",
        "各乡镇：",
        "各村每周报送工作台账，",
        "实行一票否决。",
        "某某县人民政府办公室",
    ]
    offset = document.text.index("一票否决")
    assert document.locate(offset).page == 1
    assert document.locate(document.text.index("某某县")).page == 2


def test_wrapped_lines_join_until_an_indent(tmp_path: Path) -> None:
    full = "各村（社区）须每周报送安全生产工作台账和照片，未按时报送的实行"  # 31 characters
    indented = "二、各乡镇要在三日内完成自查并将材料报送县委办公室督查室。"  # 29 = 31 - indent
    page = [
        text_object(30, 50, full),
        text_object(30, 60, "一票否决。"),
        text_object(41.2, 70, indented),  # reaches the margin, but the next line is indented
        text_object(41.2, 80, "三、特此通知。"),
    ]
    document = extract(write_ofd(tmp_path / "wrap.ofd", [page]), Settings())
    assert document.text.split("\n") == [full + "一票否决。", indented, "三、特此通知。"]


def test_template_delta_x_rotation_and_column_gap(tmp_path: Path) -> None:
    page = [
        # "g 3 5.6" spreads four characters 5.6 mm apart
        text_object(30, 50, "报送台账", delta="g 3 5.6"),
        text_object(150, 50, "张三"),  # far right on the same baseline: a separate column
        # a rotated watermark on the body's baseline must not break into the sentence
        text_object(40, 50, "内部资料", ctm="0 1 -1 0 0 0"),
        text_object(41.2, 70, "实行一票否决"),
    ]
    header = [text_object(30, 20, "某某县人民政府文件", size=9)]
    document = extract(write_ofd(tmp_path / "tpl.ofd", [page], template=header), Settings())
    lines = document.text.split("\n")
    assert lines[0] == "某某县人民政府文件"
    assert "报送台账 张三" in lines
    assert "内部资料" in lines
    assert "实行一票否决" in lines


def test_check_finds_burden_in_ofd_with_page(tmp_path: Path) -> None:
    from jianfu_audit.pipeline import check_input
    from jianfu_audit.rules.loader import load_rules

    path = write_ofd(tmp_path / "veto.ofd", [[text_object(30, 40, "通知")], per_character(30, 50, "对此项工作实行一票否决。")])
    result = check_input(str(path), load_rules(()), Settings())
    assert result.error is None
    veto = [f for f in result.findings if f.rule == "veto-one-vote"]
    assert veto and veto[0].page == 2


def test_absolute_and_package_relative_locations(tmp_path: Path) -> None:
    path = tmp_path / "abs.ofd"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("OFD.xml", OFD_XML.replace("Doc_0/Document.xml", "/Doc_0/Document.xml"))
        archive.writestr(
            "Doc_0/Document.xml",
            document_xml(2).replace("Pages/Page_0", "/Doc_0/Pages/Page_0").replace("Pages/Page_1", "Doc_0/Pages/Page_1"),
        )
        archive.writestr("Doc_0/Pages/Page_0/Content.xml", page_xml([text_object(30, 40, "第一页")]))
        archive.writestr("Doc_0/Pages/Page_1/Content.xml", page_xml([text_object(30, 40, "第二页")]))
    assert extract(path, Settings()).text == "第一页\n第二页"


def test_ofd_without_text_is_scanned(tmp_path: Path) -> None:
    image = '<ofd:ImageObject ID="5" Boundary="0 0 210 297" ResourceID="9"/>'
    with pytest.raises(InputError) as caught:
        extract(write_ofd(tmp_path / "scan.ofd", [[image]]), Settings())
    assert caught.value.kind == "scanned"
    assert "没有文字" in str(caught.value)


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (lambda p: p.write_bytes(b"not a zip at all"), "不是 zip"),
        (lambda p: zipfile.ZipFile(p, "w").writestr("other.xml", "<a/>"), "缺少 OFD.xml"),
        (lambda p: zipfile.ZipFile(p, "w").writestr("OFD.xml", "<ofd:OFD"), "不是有效的 XML"),
        (lambda p: zipfile.ZipFile(p, "w").writestr("OFD.xml", f"<ofd:OFD {NS}/>"), "没有 DocRoot"),
        (lambda p: zipfile.ZipFile(p, "w").writestr("OFD.xml", OFD_XML), "缺少 Doc_0/Document.xml"),
    ],
)
def test_bad_packages_give_one_clear_error(tmp_path: Path, build, message: str) -> None:
    path = tmp_path / "bad.ofd"
    build(path)
    with pytest.raises(InputError) as caught:
        ofd.extract(path, Settings())  # the reader itself, behind extract()'s content sniffing
    assert message in str(caught.value)


def test_entity_expansion_is_refused(tmp_path: Path) -> None:
    bomb = (
        '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]>'
        f"<ofd:OFD {NS}><ofd:DocBody><ofd:DocRoot>&lol2;</ofd:DocRoot></ofd:DocBody></ofd:OFD>"
    )
    path = tmp_path / "bomb.ofd"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("OFD.xml", bomb)
    with pytest.raises(InputError, match="不是有效的 XML"):
        extract(path, Settings())


def test_oversized_part_is_refused_before_reading(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    page = [text_object(30, 40, "一" * 400)]
    path = write_ofd(tmp_path / "big.ofd", [page])
    monkeypatch.setattr(ofd, "MAX_PART_BYTES", 1000)
    read: list = []
    real_read = zipfile.ZipFile.read
    monkeypatch.setattr(zipfile.ZipFile, "read", lambda self, name, pwd=None: read.append(name) or real_read(self, name, pwd))
    with pytest.raises(InputError) as caught:
        ofd.extract(path, Settings())
    assert caught.value.kind == "too-large"
    assert "Page_0/Content.xml" in str(caught.value)
    assert all("Page_0" not in getattr(name, "filename", name) for name in read)


def test_input_file_is_not_modified(tmp_path: Path) -> None:
    path = write_ofd(tmp_path / "same.ofd", [[text_object(30, 40, "实行一票否决")]])
    before = path.read_bytes(), sorted(p.name for p in tmp_path.iterdir())
    extract(path, Settings())
    assert (path.read_bytes(), sorted(p.name for p in tmp_path.iterdir())) == before
