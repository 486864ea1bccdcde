"""Hostile and broken inputs: every one is named with a clear Chinese reason, the
batch goes on, the exit code is 2, nothing hangs, no traceback without --debug,
and no input file is ever modified. All hostile files are generated here."""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
import time
import zipfile
from pathlib import Path

import pytest

from conftest import TINY_RULES, build_docx, build_pdf
from jianfu_audit.errors import InputError
from jianfu_audit.extract import extract, sniff
from jianfu_audit.pipeline import check_input, collect
from jianfu_audit.settings import Settings

ONLY_TINY = ["--rules", str(TINY_RULES), "--select", "t-*"]
BURDEN = "关于做好迎检工作的通知\n各村每天拍照上传保洁情况。\n年度考核实行一票否决。\n"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def write(path: Path, data: bytes | str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


def refused(path: Path, **settings) -> InputError:
    with pytest.raises(InputError) as info:
        extract(path, Settings(**settings))
    return info.value


def check_json(cli, *args):
    result = cli("check", "--format", "json", "--jobs", "1", *ONLY_TINY, *args)
    assert "Traceback" not in result.stdout + result.stderr
    return result.exit_code, json.loads(result.stdout), result.stderr


def by_name(data: dict) -> dict[str, dict]:
    return {Path(d["path"]).name: d for d in data["documents"]}


def digests(folder: Path) -> dict[str, str]:
    """SHA-256 and mtime of every regular file under ``folder``."""
    return {
        str(p): hashlib.sha256(p.read_bytes()).hexdigest() + f"@{p.stat().st_mtime_ns}"
        for p in sorted(folder.rglob("*"))
        if p.is_file() and not p.is_symlink()
    }


# ------------------------------------------------------------------ builders

def ole_file(path: Path, stream: str = "WordDocument") -> Path:
    """An OLE2 compound file header naming ``stream`` (what old .doc/.wps/.xls look like)."""
    return write(path, OLE_MAGIC + bytes(504) + stream.encode("utf-16-le") + bytes(3000))


def rezip(source: Path, target: Path, replace: dict[str, bytes] | None = None,
          extra: dict[str, bytes] | None = None, declared: dict[str, int] | None = None) -> Path:
    """Copy the zip ``source`` to ``target`` with parts replaced or added, and the
    central directory's *declared* uncompressed sizes forged for ``declared``."""
    replace, extra, declared = replace or {}, extra or {}, declared or {}
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            new.writestr(info.filename, replace.get(info.filename, old.read(info.filename)))
        for name, data in extra.items():
            new.writestr(name, data)
        for info in new.infolist():
            if info.filename in declared:
                info.file_size = declared[info.filename]  # written to the central directory on close
    return target


def encrypted_pdf(path: Path, user_password: str) -> Path:
    from reportlab.lib.pdfencrypt import StandardEncryption
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    pdf = canvas.Canvas(str(path), encrypt=StandardEncryption(user_password, ownerPassword="owner-secret"))
    pdf.setFont("STSong-Light", 14)
    pdf.drawString(72, 720, "年度考核实行一票否决。")
    pdf.showPage()
    pdf.save()
    return path


# ------------------------------------------------------------------ empty, random, truncated

@pytest.mark.parametrize("suffix", [".txt", ".docx", ".pdf"])
def test_zero_byte_file(tmp_path, suffix):
    error = refused(write(tmp_path / f"empty{suffix}", b""))
    assert error.kind == "empty" and "空" in str(error)


@pytest.mark.parametrize("suffix", [".txt", ".docx", ".pdf"])
def test_random_bytes(tmp_path, suffix):
    data = bytes((i * 7919 + 13) % 251 for i in range(4096)) + os.urandom(4096)
    error = refused(write(tmp_path / f"junk{suffix}", data))
    assert str(error)


def test_truncated_docx_and_pdf(tmp_path):
    docx = build_docx(tmp_path / "whole.docx", body=[BURDEN] * 20).read_bytes()
    pdf = build_pdf(tmp_path / "whole.pdf", [["年度考核实行一票否决。"]] * 3).read_bytes()
    assert "zip" in str(refused(write(tmp_path / "cut.docx", docx[: len(docx) // 2])))
    assert "PDF" in str(refused(write(tmp_path / "cut.pdf", pdf[: len(pdf) // 2])))


def test_corrupt_xml_inside_docx(tmp_path):
    good = build_docx(tmp_path / "good.docx", body=[BURDEN])
    bad = rezip(good, tmp_path / "bad.docx", replace={"word/document.xml": b"<w:document><unclosed>"})
    assert "不是有效的 .docx" in str(refused(bad))


# ------------------------------------------------------------------ content versus extension

def test_old_word_named_docx(tmp_path):
    error = refused(ole_file(tmp_path / "old.docx"))
    assert "旧版 Word 格式，请另存为 .docx" in str(error)


def test_old_excel_named_docx_is_not_called_word(tmp_path):
    error = refused(ole_file(tmp_path / "sheet.docx", "Workbook"))
    assert "旧版 Word" not in str(error) and ".docx" in str(error)


def test_encrypted_word_document(tmp_path):
    error = refused(ole_file(tmp_path / "locked.docx", "EncryptedPackage"))
    assert error.kind == "encrypted" and "密码" in str(error)


def test_pdf_named_docx_is_read_as_pdf(tmp_path):
    pdf = build_pdf(tmp_path / "real.pdf", [["年度考核实行一票否决。"]])
    renamed = write(tmp_path / "notice.docx", pdf.read_bytes())
    document = extract(renamed)
    assert document.format == "pdf" and "一票否决" in document.text
    assert "read-as=pdf" in document.notes


def test_docx_named_txt_is_read_as_docx(tmp_path):
    docx = build_docx(tmp_path / "real.docx", body=["年度考核实行一票否决。"])
    document = extract(write(tmp_path / "notice.txt", docx.read_bytes()))
    assert document.format == "docx" and document.text == "年度考核实行一票否决。"


@pytest.mark.parametrize(
    ("name", "data", "words"),
    [
        ("sheet.docx", "xl/workbook.xml", "Excel"),
        ("archive.docx", "readme.txt", "zip"),
    ],
)
def test_other_zip_packages_named_docx(tmp_path, name, data, words):
    path = tmp_path / name
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(data, "x")
    assert words in str(refused(path))


def test_binary_named_txt(tmp_path):
    assert "可执行程序" in str(refused(write(tmp_path / "tool.txt", b"\x7fELF\x02\x01\x01" + bytes(200))))


def test_sniff_kinds():
    assert sniff.kind_of_head(b"%PDF-1.7\n") == "pdf"
    assert sniff.kind_of_head(b"\r\n%PDF-1.4") == "pdf"
    assert sniff.kind_of_head(b"\x00\x01junk from a mail gateway%PDF-1.4") == "pdf"
    assert sniff.kind_of_head("说明：文件头应为 %PDF-1.4".encode()) is None
    assert sniff.kind_of_head("MZ 开头的普通文本".encode()) is None
    assert sniff.kind_of_head("BM 开头的普通文本，足够长的一行".encode()) is None
    assert sniff.kind_of_head("关于印发通知".encode("gb18030")) is None


# ------------------------------------------------------------------ zip bombs and XML tricks

def test_zip_bomb_by_declared_size_is_refused_before_reading(tmp_path):
    good = build_docx(tmp_path / "good.docx", body=[BURDEN])
    bomb = rezip(good, tmp_path / "bomb.docx", extra={"word/media/huge.bin": b"x"},
                 declared={"word/media/huge.bin": 40 * 1024**3})
    error = refused(bomb)
    assert error.kind == "too-large" and "zip 炸弹" in str(error)


def test_zip_bomb_by_ratio_is_refused(tmp_path):
    good = build_docx(tmp_path / "good.docx", body=[BURDEN])
    bomb = rezip(good, tmp_path / "ratio.docx", extra={"word/media/zeros.bin": bytes(20 * 1024 * 1024)})
    assert bomb.stat().st_size < 200 * 1024  # 20 MiB of zeros packs into a few KiB
    error = refused(bomb)
    assert error.kind == "too-large" and "压缩比" in str(error)


def test_too_many_zip_entries(tmp_path, monkeypatch):
    monkeypatch.setattr(sniff, "MAX_ZIP_ENTRIES", 50)
    good = build_docx(tmp_path / "good.docx", body=[BURDEN])
    crowded = rezip(good, tmp_path / "crowded.docx", extra={f"word/media/{i}.bin": b"" for i in range(60)})
    assert "条目" in str(refused(crowded))


def test_encrypted_zip_entries(tmp_path):
    good = build_docx(tmp_path / "good.docx", body=[BURDEN])
    locked = rezip(good, tmp_path / "locked.docx")
    data = bytearray(locked.read_bytes())
    for signature, flag_offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):  # set bit 0 of every entry's flags
        position = data.find(signature)
        while position != -1:
            data[position + flag_offset] |= 1
            position = data.find(signature, position + 4)
    error = refused(write(tmp_path / "locked.docx", bytes(data)))
    assert error.kind == "encrypted" and "加密" in str(error)


def test_part_that_understates_its_size_fails_its_checksum(tmp_path):
    good = build_docx(tmp_path / "good.docx", body=[BURDEN * 50])
    liar = rezip(good, tmp_path / "liar.docx", declared={"word/document.xml": 100})
    assert "不是有效的 .docx" in str(refused(liar))


def _with_dtd(path: Path, target: Path, dtd: str, entity: str) -> Path:
    with zipfile.ZipFile(path) as archive:
        xml = archive.read("word/document.xml").decode("utf-8")
    root = xml.index("<w:document")
    body = xml[root:].replace("年度考核", "年度考核" + entity, 1)
    return rezip(path, target, replace={"word/document.xml": (xml[:root] + dtd + body).encode("utf-8")})


def test_billion_laughs_in_docx_is_not_expanded(tmp_path):
    good = build_docx(tmp_path / "good.docx", body=["年度考核实行一票否决。"])
    levels = "".join(f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, 10))
    dtd = f'<!DOCTYPE w:document [<!ENTITY l0 "哈哈哈哈哈哈哈哈哈哈">{levels}]>'
    bomb = _with_dtd(good, tmp_path / "laughs.docx", dtd, "&l9;")
    started = time.perf_counter()
    try:
        text = extract(bomb).text
    except InputError as error:
        text = str(error)
    assert time.perf_counter() - started < 10
    assert "哈哈哈哈哈" not in text


def test_external_entity_in_docx_is_not_read(tmp_path):
    secret = write(tmp_path / "secret.txt", "机密内容ABC")
    good = build_docx(tmp_path / "good.docx", body=["年度考核实行一票否决。"])
    dtd = f'<!DOCTYPE w:document [<!ENTITY xxe SYSTEM "{secret.as_uri()}">]>'
    xxe = _with_dtd(good, tmp_path / "xxe.docx", dtd, "&xxe;")
    try:
        text = extract(xxe).text
    except InputError as error:
        text = str(error)
    assert "机密内容" not in text


# ------------------------------------------------------------------ PDF: encryption and scans

def test_pdf_with_empty_user_password_is_opened(tmp_path):
    document = extract(encrypted_pdf(tmp_path / "owner-only.pdf", ""))
    assert "一票否决" in document.text


def test_pdf_with_a_real_password_says_so(tmp_path):
    error = refused(encrypted_pdf(tmp_path / "locked.pdf", "user-secret"))
    assert error.kind == "encrypted" and "密码" in str(error)


def test_scanned_pdfs_are_counted_separately(cli, tmp_path):
    build_pdf(tmp_path / "scan1.pdf", [[], []])
    build_pdf(tmp_path / "scan2.pdf", [[]])
    write(tmp_path / "broken.pdf", b"%PDF-1.4\nbroken")
    write(tmp_path / "good.txt", BURDEN)
    code, data, _ = check_json(cli, tmp_path)
    assert code == 2
    assert data["summary"]["failed"] == 3 and data["summary"]["scanned"] == 2
    assert by_name(data)["scan1.pdf"]["error_kind"] == "scanned"


# ------------------------------------------------------------------ size, long lines, other scripts

def test_size_limit(cli, tmp_path):
    big = write(tmp_path / "big.txt", BURDEN * 100)
    assert refused(big, max_bytes=1024).kind == "too-large"
    assert extract(big, Settings(max_bytes=0)).text.startswith("关于")
    code, data, _ = check_json(cli, "--max-bytes", "1K", big)
    assert code == 2 and by_name(data)["big.txt"]["error_kind"] == "too-large"
    assert "上限" in by_name(data)["big.txt"]["error"]
    code, data, _ = check_json(cli, "--max-bytes", "1M", big)
    assert by_name(data)["big.txt"]["error"] is None


@pytest.mark.parametrize("value", ["abc", "-1", "1X", "inf"])
def test_bad_max_bytes_is_a_usage_error(cli, tmp_path, value):
    result = cli("check", "--max-bytes", value, write(tmp_path / "a.txt", BURDEN))
    assert result.exit_code == 2 and "--max-bytes" in result.stderr and "Traceback" not in result.stderr


def test_extremely_long_line_is_linear(tmp_path):
    """400,000 characters with no break took 430 s in jieba's HMM step before runs were cut."""
    path = write(tmp_path / "line.txt", "的" * 200_000 + "年度考核实行一票否决。" + "村" * 200_000)
    started = time.perf_counter()
    result = check_input(str(path), _tiny_rules(), Settings())
    assert time.perf_counter() - started < 60
    assert result.error is None
    assert "t-veto" in {f.rule for f in result.findings}


def test_text_that_is_mostly_not_chinese(tmp_path):
    text = ("Lorem ipsum dolor sit amet, 1234567890. Привет мир. こんにちは。" * 200) + "\n年度考核实行一票否决。\n"
    result = check_input(str(write(tmp_path / "mixed.txt", text)), _tiny_rules(), Settings())
    assert result.error is None and "t-veto" in {f.rule for f in result.findings}


def _tiny_rules():
    from jianfu_audit.rules.loader import load_rules

    return load_rules([TINY_RULES], bundled=False)


# ------------------------------------------------------------------ folders

def test_symlink_loop_and_dangling_link(tmp_path):
    root = tmp_path / "in"
    write(root / "a.txt", BURDEN)
    write(root / "sub" / "b.txt", BURDEN)
    (root / "sub" / "loop").symlink_to(root, target_is_directory=True)
    (root / "self").symlink_to(root / "sub", target_is_directory=True)
    (root / "dangling.txt").symlink_to(root / "gone.txt")
    files = collect([str(root)], Settings()).files
    names = [Path(f).name for f in files]
    assert names.count("a.txt") == 1 and names.count("b.txt") == 1
    result = check_input(str(root / "dangling.txt"), _tiny_rules(), Settings())
    assert "不存在" in result.error


def test_fifo_is_skipped_not_read(tmp_path):
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    started = time.perf_counter()
    result = check_input(str(fifo), _tiny_rules(), Settings())
    assert time.perf_counter() - started < 5
    assert "不是普通文件" in result.error


def test_non_utf8_file_name(cli, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    raw = os.path.join(os.fsencode(folder), "测试".encode("gbk") + b".txt")
    with open(raw, "wb") as stream:
        stream.write(BURDEN.encode("utf-8"))
    code, data, _ = check_json(cli, folder)
    (document,) = data["documents"]
    assert document["path"].endswith("\\xb2\\xe2\\xca\\xd4.txt")
    assert document["error"] is None and document["findings"]
    assert code == 1


def _unprivileged(function, *args):
    """``function(*args)`` in a forked child that gave up root, so that file
    permissions apply (root reads everything); in this process when not root."""
    if os.geteuid() != 0:
        return function(*args)
    context = multiprocessing.get_context("fork")
    queue = context.Queue()

    def child() -> None:
        try:
            os.setgid(65534)
            os.setuid(65534)
            queue.put(("ok", function(*args)))
        except BaseException as error:  # report, never leave the parent waiting
            queue.put(("error", repr(error)))

    process = context.Process(target=child)
    process.start()
    status, value = queue.get(timeout=120)
    process.join(timeout=30)
    assert status == "ok", value
    return value


def _check_folder(folder: str, ruleset) -> list[tuple[str, str | None]]:
    inputs = collect([folder], Settings())
    return [(Path(r.path).name, r.error) for r in (check_input(f, ruleset, Settings()) for f in inputs.files)]


def test_unreadable_file_and_folder():
    import tempfile

    from jianfu_audit.segment import tokenizer

    ruleset = _tiny_rules()
    tokenizer(ruleset.vocabulary())  # loaded before the fork: the child reads no rules or cache
    ruleset.regex_filter()
    root = Path(tempfile.mkdtemp(prefix="jianfu-perm-", dir="/tmp" if os.path.isdir("/tmp") else None))
    try:
        os.chmod(root, 0o755)
        write(root / "a-good.txt", BURDEN)
        write(root / "b-locked.txt", BURDEN)
        write(root / "c-closed" / "inside.txt", BURDEN)
        os.chmod(root / "a-good.txt", 0o644)
        os.chmod(root / "b-locked.txt", 0o000)
        os.chmod(root / "c-closed", 0o000)
        results = dict(_unprivileged(_check_folder, str(root), ruleset))
    finally:
        os.chmod(root / "c-closed", 0o755)
        for path in sorted(root.rglob("*"), reverse=True):
            path.unlink() if not path.is_dir() else path.rmdir()
        root.rmdir()
    assert results["a-good.txt"] is None
    assert "没有读取权限" in results["b-locked.txt"]
    assert "文件夹" in results["c-closed"] and "权限" in results["c-closed"]


# ------------------------------------------------------------------ the whole batch

def _hostile_folder(root: Path) -> Path:
    write(root / "empty.txt", b"")
    write(root / "junk.pdf", os.urandom(2048))
    write(root / "junk.docx", os.urandom(2048))
    ole_file(root / "old.docx")
    build_pdf(root / "scan.pdf", [[]])
    encrypted_pdf(root / "locked.pdf", "user-secret")
    good = build_docx(root / "zz-good.docx", body=[BURDEN])
    rezip(good, root / "bomb.docx", extra={"word/media/x.bin": b"x"}, declared={"word/media/x.bin": 10**12})
    write(root / "zz-good.txt", BURDEN)
    return root


def test_batch_goes_on_and_inputs_are_untouched(cli, tmp_path):
    folder = _hostile_folder(tmp_path / "in")
    before = digests(folder)
    code, data, stderr = check_json(cli, folder)
    assert digests(folder) == before
    assert sorted(os.listdir(folder)) == sorted(Path(p).name for p in before)
    assert code == 2
    documents = by_name(data)
    assert len(documents) == 9
    failed = {name for name, d in documents.items() if d["error"]}
    assert failed == {"empty.txt", "junk.pdf", "junk.docx", "old.docx", "scan.pdf", "locked.pdf", "bomb.docx"}
    for name in failed:
        assert "\n" not in documents[name]["error"] and documents[name]["findings"] == []
    assert documents["zz-good.docx"]["findings"] and documents["zz-good.txt"]["findings"]
    assert stderr == ""


def test_unexpected_error_is_one_line_and_traceback_only_with_debug(cli, tmp_path, monkeypatch):
    from jianfu_audit.extract import docx as docx_reader

    def broken(path, settings):
        raise RuntimeError("parser bug")

    monkeypatch.setattr(docx_reader, "extract", broken)
    build_docx(tmp_path / "a.docx", body=[BURDEN])
    write(tmp_path / "b.txt", BURDEN)
    result = cli("check", "--format", "json", "--jobs", "1", *ONLY_TINY, tmp_path)
    documents = by_name(json.loads(result.stdout))
    assert documents["a.docx"]["error_kind"] == "internal" and "parser bug" in documents["a.docx"]["error"]
    assert documents["b.txt"]["findings"]
    assert result.exit_code == 2 and "Traceback" not in result.stderr
    debug = cli("check", "--format", "json", "--jobs", "1", "--debug", *ONLY_TINY, tmp_path)
    assert "Traceback" in debug.stderr and "parser bug" in debug.stderr
    assert json.loads(debug.stdout)["summary"]["documents"] == 2
    assert not os.environ.get("JIANFU_AUDIT_DEBUG")


# ------------------------------------------------------------------ PDF reading details

def _pdf_lines(path: Path, lines: list[tuple[float, float, str]]) -> Path:
    """One page with ``text`` drawn at (x, y), in the order given (the content-stream order)."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    pdf = canvas.Canvas(str(path))
    pdf.setFont("STSong-Light", 14)
    for x, y, text in lines:
        pdf.drawString(x, y, text)
    pdf.showPage()
    pdf.save()
    return path


def test_page_written_bottom_to_top_is_read_top_to_bottom(tmp_path):
    rows = ["第一行：各乡镇要每周上报。", "第二行：请于每月5日前报送。", "第三行：所有活动需拍照上传。"]
    path = _pdf_lines(tmp_path / "reversed.pdf", [(72, 700 - 30 * i, rows[i]) for i in reversed(range(3))])
    assert extract(path).text.splitlines() == rows


def test_spaces_pdfium_adds_between_spaced_out_characters_are_dropped(tmp_path):
    spaced = [(72 + 24 * i, 700, char) for i, char in enumerate("年度考核实行一票否决。")]
    path = _pdf_lines(tmp_path / "spaced.pdf", [*spaced, (72, 650, "姓名 职务 电话")])
    assert extract(path).text.splitlines() == ["年度考核实行一票否决。", "姓名 职务 电话"]


def test_too_many_pages(tmp_path, monkeypatch):
    from jianfu_audit.extract import pdf as pdf_reader

    monkeypatch.setattr(pdf_reader, "MAX_PAGES", 2)
    error = refused(build_pdf(tmp_path / "long.pdf", [["一"], ["二"], ["三"]]))
    assert error.kind == "too-large" and "3 页" in str(error)
