"""Configuration files: discovery, validation, mapping to Settings, CLI precedence, ``init``."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import pytest

from jianfu_audit.cli.init import STARTER, starter
from jianfu_audit.config import CONFIGURED, anchor, find_config, merge, read_config, settings_from
from jianfu_audit.errors import UsageError
from jianfu_audit.findings import Severity
from jianfu_audit.settings import Settings, Suppression

HEAVY = "各村每周五报送进度。\n年度考核实行一票否决。\n会议在三楼召开。\n"


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def findings_of(result) -> list[str]:
    return [f["rule"] for d in json.loads(result.stdout)["documents"] for f in d["findings"]]


# ----------------------------------------------------------------- discovery

def test_found_by_walking_up_from_the_checked_path(tmp_path):
    config = write(tmp_path / ".jianfu-audit.toml", "")
    deep = tmp_path / "a" / "b"
    deep.mkdir(parents=True)
    assert find_config(deep) == config
    assert find_config(write(deep / "x.txt", "")) == config


def test_pyproject_only_counts_with_its_tool_table(tmp_path):
    write(tmp_path / "pyproject.toml", "[tool.jianfu-audit]\nfail_on = 'error'\n")
    inner = write(tmp_path / "sub" / "pyproject.toml", "[project]\nname = 'x'\n")
    assert find_config(inner.parent) == tmp_path / "pyproject.toml"


def test_dot_file_wins_over_pyproject_in_the_same_folder(tmp_path):
    write(tmp_path / "pyproject.toml", "[tool.jianfu-audit]\n")
    config = write(tmp_path / ".jianfu-audit.toml", "")
    assert find_config(tmp_path) == config


# ----------------------------------------------------------------- validation

@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("selct = []\n", "配置项 selct：未知的配置项"),
        ("fail_on = 'sometimes'\n", "配置项 fail_on：取值 'sometimes' 无效"),
        ("severity = 3\n", "配置项 severity：取值 3 无效"),
        ("max_score = 101\n", "配置项 max_score：数值 101 超出范围 0–100"),
        ("max_score = 'high'\n", "配置项 max_score：类型错误，应为整数"),
        ("select = 'veto'\n", "配置项 select：类型错误，应为列表"),
        ("deadline_min_workdays = -1\n", "配置项 deadline_min_workdays：数值 -1 超出范围"),
        ("extra_holidays = ['2025-02-30']\n", "配置项 extra_holidays[0]：日期 '2025-02-30' 不存在"),
        ("extra_workdays = ['2025-9-28']\n", "配置项 extra_workdays[0]：'2025-9-28' 不是 YYYY-MM-DD 格式的日期"),
        ("[severity_overrides]\nveto-one-vote = 'fatal'\n", "配置项 severity_overrides.veto-one-vote：取值 'fatal' 无效"),
        ("[[suppress]]\nrules = ['veto']\n", "配置项 suppress[0]：缺少 reason"),
        ("[[suppress]]\nreason = ''\n", "配置项 suppress[0].reason：不能为空"),
        ("[[suppress]]\nreason = 'x'\npath = ['a']\n", "配置项 suppress[0].path：未知的配置项"),
        ("fail_on = \n", "TOML 语法错误：第 1 行"),
    ],
)
def test_bad_config_names_the_file_and_key(tmp_path, text, expected):
    path = write(tmp_path / ".jianfu-audit.toml", text)
    with pytest.raises(UsageError) as error:
        read_config(path)
    assert str(path) in str(error.value)
    assert expected in str(error.value)


def test_pyproject_given_without_table_is_an_error(tmp_path):
    path = write(tmp_path / "pyproject.toml", "[project]\nname = 'x'\n")
    with pytest.raises(UsageError, match=r"没有 \[tool.jianfu-audit\] 表"):
        read_config(path)


def test_toml_dates_and_strings_both_accepted(tmp_path):
    path = write(tmp_path / ".jianfu-audit.toml", "extra_holidays = [2025-10-08, '2025-10-09']\nextra_workdays = [2025-09-28]\n")
    settings = settings_from(read_config(path), tmp_path)
    assert settings.extra_holidays == (date(2025, 10, 8), date(2025, 10, 9))
    assert settings.extra_workdays == (date(2025, 9, 28),)


# ----------------------------------------------------------------- mapping

def test_every_key_maps_into_settings(tmp_path):
    path = write(tmp_path / "pyproject.toml", """
[tool.jianfu-audit]
select = ["veto", "t-*"]
ignore = ["length"]
severity = "warning"
fail_on = "never"
max_score = 60
rules = ["my-rules"]
include = ["*.docx", "drafts/*"]
exclude = ["存档/*"]
deadline_min_workdays = 5
extra_holidays = [2025-10-08]
extra_workdays = [2025-09-28]

[tool.jianfu-audit.severity_overrides]
veto-one-vote = "warning"

[[tool.jianfu-audit.suppress]]
reason = "历史存档"
paths = ["存档/*"]
rules = ["meeting"]
""")
    root = tmp_path.absolute()
    settings = settings_from(read_config(path), root)
    assert settings.select == ("veto", "t-*") and settings.ignore == ("length",)
    assert settings.min_severity is Severity.warning
    assert settings.fail_on is None
    assert settings.max_score == 60
    assert settings.rule_dirs == (root / "my-rules",)
    assert settings.include == ("*.docx", (root / "drafts/*").as_posix())
    assert settings.exclude == ((root / "存档/*").as_posix(),)
    assert settings.deadline_min_workdays == 5
    assert settings.severity_overrides == {"veto-one-vote": Severity.warning}
    assert settings.suppressions == (Suppression("历史存档", ("meeting",), ("存档/*",), root),)


def test_anchor_only_touches_globs_with_a_slash(tmp_path):
    assert anchor("*.pdf", tmp_path) == "*.pdf"
    assert anchor("a/*.pdf", tmp_path) == f"{tmp_path.as_posix()}/a/*.pdf"


def test_merge_keeps_given_options_and_adds_rule_folders(tmp_path):
    configured = Settings(select=("veto",), fail_on=Severity.error, max_score=10, rule_dirs=(Path("a"),), deadline_min_workdays=7)
    cli = Settings(select=("meeting",), fail_on=Severity.info, rule_dirs=(Path("b"),))
    merged = merge(cli, {"fail_on", "rules"}, configured)
    assert merged.fail_on is Severity.info  # given on the command line
    assert merged.select == ("veto",)  # not given: from the file
    assert merged.max_score == 10 and merged.deadline_min_workdays == 7
    assert merged.rule_dirs == (Path("a"), Path("b"))


def test_configured_fields_exist_on_settings():
    assert set(CONFIGURED) <= set(Settings.__dataclass_fields__)


# ----------------------------------------------------------------- through the CLI

def test_check_uses_the_config_above_the_checked_path(cli, tmp_path, tiny_rules):
    write(tmp_path / ".jianfu-audit.toml", f"rules = ['{tiny_rules.as_posix()}']\nselect = ['t-veto']\n")
    draft = write(tmp_path / "drafts" / "a.txt", HEAVY)
    result = cli("check", draft, "-f", "json")
    assert findings_of(result) == ["t-veto"]
    assert result.exit_code == 1


def test_command_line_overrides_the_config(cli, tmp_path, tiny_rules):
    write(tmp_path / ".jianfu-audit.toml", f"rules = ['{tiny_rules.as_posix()}']\nselect = ['t-veto']\nfail_on = 'never'\n")
    draft = write(tmp_path / "a.txt", HEAVY)
    assert cli("check", draft).exit_code == 0  # fail_on = never
    assert cli("check", draft, "--fail-on", "error").exit_code == 1
    assert findings_of(cli("check", draft, "-f", "json", "--select", "t-village-report")) == ["t-village-report"]


def test_explicit_config_and_relative_rule_folder(cli, tmp_path, tiny_rules):
    (tmp_path / "conf").mkdir()
    (tmp_path / "conf" / "myrules").symlink_to(tiny_rules, target_is_directory=True)
    config = write(tmp_path / "conf" / "team.toml", "rules = ['myrules']\nselect = ['t-meeting-room']\n")
    draft = write(tmp_path / "a.txt", HEAVY)
    assert findings_of(cli("check", draft, "-f", "json", "--config", config)) == ["t-meeting-room"]


def test_max_score_from_config_fails_the_run(cli, tmp_path, tiny_rules):
    write(tmp_path / ".jianfu-audit.toml", f"rules = ['{tiny_rules.as_posix()}']\nselect = ['t-*']\nfail_on = 'never'\nmax_score = 5\n")
    draft = write(tmp_path / "a.txt", HEAVY)
    result = cli("check", draft, "-f", "json")
    summary = json.loads(result.stdout)["summary"]
    assert result.exit_code == 1 and summary["over_max_score"] == 1 and summary["max_score"] == 5
    assert cli("check", draft, "--max-score", "100").exit_code == 0


def test_anchored_exclude_works_when_files_are_passed_one_by_one(cli, tmp_path, tiny_rules, monkeypatch):
    # pre-commit passes single files: a config glob with "/" must still match them.
    write(tmp_path / ".jianfu-audit.toml", f"rules = ['{tiny_rules.as_posix()}']\nselect = ['t-*']\nexclude = ['archive/*']\n")
    old = write(tmp_path / "archive" / "old.txt", HEAVY)
    new = write(tmp_path / "new.txt", HEAVY)
    data = json.loads(cli("check", old, new, "-f", "json").stdout)
    assert [Path(d["path"]).name for d in data["documents"]] == ["new.txt"]
    # The same through a path with "..", as a hook run from a sub-folder would pass it.
    (tmp_path / "sub").mkdir()
    monkeypatch.chdir(tmp_path / "sub")
    data = json.loads(cli("check", "../archive/old.txt", "../new.txt", "-f", "json").stdout)
    assert [Path(d["path"]).name for d in data["documents"]] == ["new.txt"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("selct = 1\n", "配置项 selct：未知的配置项"),
        ("select = ['no-such-rule']\n", "select 中的 'no-such-rule' 不是规则编号或类别"),
        ("[severity_overrides]\nno-such-rule = 'info'\n", "severity_overrides 中的 'no-such-rule' 不是规则编号"),
        ("[[suppress]]\nreason = 'x'\nrules = ['nope-*']\n", "suppress.rules 中的 'nope-*'"),
    ],
)
def test_bad_config_is_one_chinese_line_and_exit_2(cli, tmp_path, text, expected):
    write(tmp_path / ".jianfu-audit.toml", text)
    draft = write(tmp_path / "a.txt", HEAVY)
    result = cli("check", draft)
    assert result.exit_code == 2
    assert expected in result.stderr
    assert result.stderr.strip().count("\n") == 0 and "Traceback" not in result.stderr


def test_missing_explicit_config(cli, tmp_path):
    result = cli("check", write(tmp_path / "a.txt", HEAVY), "--config", tmp_path / "nope.toml")
    assert result.exit_code == 2 and "配置文件" in result.stderr and "nope.toml" in result.stderr


# ----------------------------------------------------------------- init

def test_init_writes_a_starter_that_equals_the_defaults(cli, tmp_path):
    result = cli("init", tmp_path)
    assert result.exit_code == 0
    path = tmp_path / ".jianfu-audit.toml"
    settings = settings_from(read_config(path), tmp_path)
    defaults = Settings()
    for name in CONFIGURED:
        assert getattr(settings, name) == getattr(defaults, name), name


def test_init_examples_are_valid_once_uncommented(tmp_path):
    text = re.sub(r"^# (\[|[a-z_-]+ = )", r"\1", starter(False), flags=re.MULTILINE)
    assert text.count("\n# ") < STARTER.count("\n# ")
    path = write(tmp_path / ".jianfu-audit.toml", text)
    settings = settings_from(read_config(path), tmp_path)
    assert settings.max_score == 60
    assert settings.severity_overrides == {"veto-one-vote": Severity.warning}
    assert settings.suppressions[0].rules == ("meeting", "reporting")


def test_init_refuses_to_overwrite_without_force(cli, tmp_path):
    assert cli("init", tmp_path).exit_code == 0
    again = cli("init", tmp_path)
    assert again.exit_code == 2 and "已存在" in again.stderr
    assert cli("init", tmp_path, "--force").exit_code == 0


def test_init_pyproject_appends_a_table_once(cli, tmp_path):
    pyproject = write(tmp_path / "pyproject.toml", "[project]\nname = 'office'\n")
    assert cli("init", tmp_path, "--pyproject").exit_code == 0
    text = pyproject.read_text(encoding="utf-8")
    assert text.startswith("[project]\nname = 'office'\n") and "[tool.jianfu-audit]" in text
    assert find_config(tmp_path) == pyproject
    read_config(pyproject)
    again = cli("init", tmp_path, "--pyproject")
    assert again.exit_code == 2 and "已有" in again.stderr


def test_working_day_settings_reach_the_deadline_rules(cli, tmp_path):
    """2025-10-06 is in the National Day holiday; 10-08 is a holiday, 10-09 a working day."""
    draft = write(tmp_path / "a.txt", "各乡镇于2025年10月9日前报送材料。\n")
    config = tmp_path / ".jianfu-audit.toml"

    def deadline_findings(text: str) -> int:
        config.write_text(text, encoding="utf-8")
        result = cli("check", draft, "--date", "2025-10-06", "--select", "deadline", "-f", "json")
        assert result.exit_code in (0, 1), result.stderr
        return len(findings_of(result))

    assert deadline_findings("deadline_min_workdays = 1\n") == 0
    assert deadline_findings("deadline_min_workdays = 2\n") == 1
    assert deadline_findings("deadline_min_workdays = 1\nextra_holidays = [2025-10-09]\n") == 1
    assert deadline_findings("deadline_min_workdays = 2\nextra_workdays = [2025-10-08]\n") == 0


def test_max_forms_reaches_the_forms_rule(cli, tmp_path):
    draft = write(tmp_path / "a.txt", "请各村填报《人口信息登记表》《困难群众摸底表》《房屋安全排查台账》《工作进展情况汇总表》。\n")
    config = tmp_path / ".jianfu-audit.toml"
    for text, expected in (("", ["reporting-many-forms"]), ("max_forms = 4\n", []), ("max_forms = 3\n", ["reporting-many-forms"])):
        config.write_text(text, encoding="utf-8")
        assert findings_of(cli("check", draft, "--select", "reporting-many-forms", "-f", "json")) == expected


def test_docs_list_every_config_key():
    """docs/config.md has a table row and an English mention for every key of the schema."""
    from jianfu_audit.config import SCHEMA

    doc = (Path(__file__).resolve().parents[1] / "docs" / "config.md").read_text(encoding="utf-8")
    chinese, english = doc.split("## English")
    rows = set(re.findall(r"^\| `(\w+)` \|", chinese, flags=re.MULTILINE))
    assert rows == set(SCHEMA["properties"])
    assert [key for key in SCHEMA["properties"] if not re.search(rf"`(\[\[)?{key}(\]\])?`", english)] == []
