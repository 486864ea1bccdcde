"""The private start-up cache (jieba dictionary, parsed rule files, the built rule
set): a damaged, foreign or unwritable cache only costs speed, and an edited rule
file or changed code is read and built again."""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import clean_env, rule_yaml, run_process
from jianfu_audit import cache
from jianfu_audit.rules.loader import load_rules


@pytest.fixture
def cache_dir(tmp_path, monkeypatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("JIANFU_AUDIT_CACHE_DIR", str(folder))
    return folder


def test_remember_computes_once_and_keeps_one_entry_per_group(cache_dir):
    calls = []
    assert cache.remember("g", "k1", lambda: calls.append(1) or "one") == "one"
    assert cache.remember("g", "k1", lambda: calls.append(1) or "again") == "one"
    assert len(calls) == 1
    assert cache.remember("g", "k2", lambda: "two") == "two"
    assert [p.name.startswith("g-") for p in cache_dir.iterdir()] == [True]
    if hasattr(os, "getuid"):
        assert cache_dir.stat().st_mode & 0o077 == 0


def test_folder_keeps_the_most_recently_used_entries(cache_dir, monkeypatch):
    monkeypatch.setattr(cache, "MAX_ENTRIES", 5)
    for number in range(5):
        cache.remember(f"rules-{number}", "k", lambda number=number: number)
        os.utime(next(cache_dir.glob(f"rules-{number}-*.pickle")), ns=(number * 10**9, number * 10**9))
    assert cache.remember("rules-0", "k", lambda: "recomputed") == 0  # a hit: touched, now the newest
    for number in range(5, 8):  # rule files at new paths, one group each
        cache.remember(f"rules-{number}", "k", lambda number=number: number)
    kept = sorted(path.name.split("-")[1] for path in cache_dir.glob("*.pickle"))
    assert kept == ["0", "4", "5", "6", "7"]


def test_damaged_entry_is_recomputed(cache_dir):
    cache.remember("g", "k", lambda: "value")
    (entry,) = cache_dir.glob("g-*.pickle")
    entry.write_bytes(b"not a pickle")
    assert cache.remember("g", "k", lambda: "fresh") == "fresh"
    assert pickle.loads(entry.read_bytes()) == "fresh"


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="needs root to create a file owned by another user")
def test_entry_owned_by_another_user_is_not_unpickled(cache_dir):
    cache.remember("g", "k", lambda: "mine")
    (entry,) = cache_dir.glob("g-*.pickle")
    os.chown(entry, 65534, 65534)
    assert cache.remember("g", "k", lambda: "recomputed") == "recomputed"


def test_unwritable_cache_only_costs_speed(tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    monkeypatch.setenv("JIANFU_AUDIT_CACHE_DIR", str(blocker / "cache"))  # cannot be created
    assert cache.remember("g", "k", lambda: 42) == 42


def test_edited_rule_file_is_read_again(cache_dir, tmp_path):
    rules = tmp_path / "rules"
    rules.mkdir()
    path = rules / "r.yaml"
    path.write_text(rule_yaml("terms: [会议]", "cache-rule"), encoding="utf-8")
    assert load_rules([rules], bundled=False).rules[0].pattern.terms == ("会议",)
    path.write_text(rule_yaml("terms: [座谈会]", "cache-rule"), encoding="utf-8")
    assert load_rules([rules], bundled=False).rules[0].pattern.terms == ("座谈会",)
    assert len(list(cache_dir.glob("rules-*.pickle"))) == 1


def test_cached_rule_tree_keeps_line_numbers(cache_dir, tmp_path):
    from jianfu_audit.errors import RuleError

    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "r.yaml").write_text(rule_yaml("terms: [会议]", "cache-rule").replace("terms: [会议]", "regex: '会议(('"), encoding="utf-8")
    for _ in range(2):  # the second load reads the cached tree
        with pytest.raises(RuleError) as info:
            load_rules([rules], bundled=False)
        assert info.value.line == 8  # the line of "pattern:"
    assert len(list(cache_dir.glob("rules-*.pickle"))) == 1


def test_regex_syntax_facts_are_kept_and_match_a_fresh_parse(cache_dir, monkeypatch):
    from jianfu_audit.rules import patterns, regex_syntax
    from jianfu_audit.rules.patterns import RegexFilter
    from jianfu_audit.rules.regex_syntax import line_local

    sources = ["报送|上报", "[^。]{0,5}材料", "(?m)^附件", "(a+)+$"]
    first = RegexFilter(sources)
    assert [entry.name.startswith("regex-syntax-") for entry in cache_dir.iterdir()].count(True) == 1
    # built again from the cache, without analysing anything
    monkeypatch.setattr(regex_syntax, "_KNOWN", {})
    for name in ("line_local", "backtracking"):
        monkeypatch.setattr(patterns, name, lambda pattern: pytest.fail("analysed again"))
    monkeypatch.setattr(regex_syntax, "_parse", lambda pattern: pytest.fail("analysed again"))
    regex_syntax.backtracking.cache_clear()
    again = RegexFilter(sources)
    assert again._local == first._local == [(s, False) for s in sources if line_local(s)]
    assert again._other == [("[^。]{0,5}材料", False)]
    assert regex_syntax._KNOWN == {"报送|上报": True, "[^。]{0,5}材料": True, "(?m)^附件": False, "(a+)+$": False}
    assert regex_syntax.backtracking("报送|上报").pattern == "报送|上报"
    assert regex_syntax.backtracking("(a+)+$") is None
    regex_syntax.backtracking.cache_clear()


def test_built_rule_set_is_kept_until_a_file_or_the_code_changes(cache_dir, tmp_path, monkeypatch):
    from jianfu_audit.rules import loader

    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "r.yaml").write_text(rule_yaml("terms: [会议]", "cache-rule"), encoding="utf-8")
    built = load_rules([rules], bundled=False)
    monkeypatch.setattr(loader, "_build_rules", lambda *args: pytest.fail("rebuilt from unchanged files"))
    again = load_rules([rules], bundled=False)
    assert again.rules == built.rules and again.rules[0].pattern.terms == ("会议",)
    monkeypatch.setattr(loader, "_code_stamp", lambda: "another version of the code")
    with pytest.raises(pytest.fail.Exception):
        load_rules([rules], bundled=False)


def test_shared_exceptions_stay_shared_in_a_cached_rule_set(cache_dir):
    def named_in_use(ruleset):
        # per rule, how many of its exceptions are the very objects of the named ones
        named = {id(condition) for condition in ruleset.exceptions.values()}
        return [sum(id(e) in named for e in rule.exceptions) for rule in ruleset.rules]

    built = load_rules()
    cached = load_rules()
    assert cached is not built
    assert named_in_use(cached) == named_in_use(built)
    assert sum(named_in_use(cached)) > len(cached.rules)  # the defaults, shared by every rule


def test_unreadable_code_only_skips_the_cache(cache_dir, tmp_path, monkeypatch):
    # an installation the user cannot look into (another user's 0700 folder): no cache, same results
    from jianfu_audit.rules import loader, patterns

    def refuse(*args):
        raise PermissionError("denied")

    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "r.yaml").write_text(rule_yaml("regex: '会议|座谈'", "cache-rule"), encoding="utf-8")
    monkeypatch.setattr(loader, "_code_stamp", refuse)
    monkeypatch.setattr(patterns.Path, "read_bytes", refuse)
    ruleset = load_rules([rules], bundled=False)
    assert [name for name, probe in ruleset.regex_filter()._local if not probe] == ["会议|座谈"]
    kept = {entry.name.split("-")[0] for entry in cache_dir.iterdir()} if cache_dir.exists() else set()
    assert kept <= {"rules"}  # only the parsed file (keyed by its text), nothing keyed by the code


def test_jieba_starts_without_pkg_resources():
    """Importing the CLI leaves out pkg_resources (60 ms of start-up that jieba only
    used to open its data files)."""
    code = "import sys, jianfu_audit.cli, jianfu_audit.segment; print('pkg_resources' in sys.modules)"
    done = run_process([sys.executable, "-c", code])
    assert done.returncode == 0, done.stderr.decode()
    assert done.stdout.decode().strip() == "False"


def test_cold_start_in_a_deleted_working_folder(tmp_path):
    """With no cache at all, jieba's dictionary file is still found when the working
    folder no longer exists (jieba's own fallback asks for it)."""
    notice = tmp_path / "notice.txt"
    notice.write_text("各村每天拍照上传保洁情况。\n", encoding="utf-8")
    gone = tmp_path / "gone"
    gone.mkdir()
    script = (
        "import os, sys; sys.path.remove(''); os.chdir(sys.argv[1]); os.rmdir(sys.argv[1]);"
        "from jianfu_audit.cli import main; sys.argv = ['jianfu-audit', 'check', '-f', 'line', sys.argv[2]]; main()"
    )
    env = {**clean_env(), "TMPDIR": str(tmp_path), "JIANFU_AUDIT_CACHE_DIR": str(tmp_path / "cache")}
    done = subprocess.run([sys.executable, "-c", script, str(gone), str(notice)], capture_output=True, env=env, timeout=120)
    assert done.returncode == 1, done.stderr.decode()
    assert "trace-photo" in done.stdout.decode()
    assert (tmp_path / "jieba.cache").exists()  # jieba really started cold, from its dictionary file
