"""Benchmark: throughput, rule overhead, PDF engines, parallel speed-up, memory, start-up.

    python bench/run.py                 # 200 documents, best of 3
    python bench/run.py --docs 400 --repeat 5

Builds a corpus of realistic notices (bench/corpus.py: 40% txt, 35% docx, 25% pdf)
under bench/out/ and measures, on the same files:

* baseline: extraction plus jieba segmentation of the whole text (no rules);
* full: ``check_input`` (extraction, segmentation and every bundled rule; the check
  segments only the blocks of text its rules ask about, and the share of the text
  it segmented is reported); the rule
  overhead is reported twice: the median of whole-corpus rounds that alternate baseline
  and full check, and with the two alternating document by document (each document's
  best of ``--repeat`` on either side), which the machine's changing load disturbs less;
* extraction alone per format, and PDF pages/s for PDFium and for pdfplumber;
* ``run(..., jobs=1)`` against ``jobs=2``, in process and through the CLI, the two
  alternating (the CLI in at least 5 pairs; the median of the pairs' ratios is reported
  next to the ratio of the best times);
* the peak resident memory of the CLI on a quarter of the batch and on all of it;
* the wall time of ``jianfu-audit check`` on one small notice, with the jieba
  dictionary cache warm and cold.

Every timing is the best of ``--repeat`` runs; the spread (slowest − best) is
printed next to it. Figures depend on the machine and on what else runs on it:
the load average is printed before and after.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import corpus

from jianfu_audit.extract import extract
from jianfu_audit.pipeline import check_input, run
from jianfu_audit.rules.loader import load_rules
from jianfu_audit.segment import analyse, tokenizer
from jianfu_audit.settings import Settings

SMALL_NOTICE = "关于做好迎检工作的通知\n各乡镇：\n各村每天拍照上传保洁情况，年度考核实行一票否决。\n请于6月10日前报送。\n"


def seconds(function: Callable[[], object]) -> float:
    """Wall seconds of one run of ``function``."""
    started = time.perf_counter()
    function()
    return time.perf_counter() - started


def best_and_spread(times: list[float]) -> tuple[float, float]:
    return min(times), max(times) - min(times)


def timed(function: Callable[[], object], repeat: int) -> tuple[float, float]:
    """(best, spread) wall seconds of ``function`` over ``repeat`` runs."""
    return best_and_spread([seconds(function) for _ in range(repeat)])


def cli() -> list[str]:
    script = Path(sys.executable).with_name("jianfu-audit")
    return [str(script)] if script.exists() else [sys.executable, "-m", "jianfu_audit"]


def run_measured(args: list[str], env: dict[str, str] | None = None) -> tuple[float, int]:
    """Wall seconds and peak RSS (KiB, largest of the process and its reaped workers)."""
    started = time.perf_counter()
    process = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    _, _, usage = os.wait4(process.pid, 0)
    process.returncode = 0
    return time.perf_counter() - started, usage.ru_maxrss


def in_process(files: list[str], repeat: int) -> dict[str, object]:
    """Extraction, baseline and full check, in this process, warm."""
    settings = Settings()
    ruleset = load_rules()
    vocabulary = ruleset.vocabulary()
    tokenizer(vocabulary)
    documents = {path: extract(Path(path), settings) for path in files}
    by_format: dict[str, list[str]] = {}
    for path, document in documents.items():
        by_format.setdefault(document.format, []).append(path)

    def extraction(paths: list[str]) -> Callable[[], None]:
        return lambda: [extract(Path(p), settings) for p in paths]

    def baseline_one(path: str) -> None:
        analyse(extract(Path(path), settings).text, vocabulary, settings).tokens  # the whole text

    def full_one(path: str) -> None:
        check_input(path, ruleset, settings)

    def baseline() -> None:
        for path in files:
            baseline_one(path)

    def full() -> None:
        for path in files:
            full_one(path)

    result: dict[str, object] = {"rules": len(ruleset.rules), "vocabulary": len(vocabulary)}
    chars = {fmt: sum(len(documents[p].text) for p in paths) for fmt, paths in by_format.items()}
    result["formats"] = {
        fmt: {"documents": len(paths), "chars": chars[fmt], "extract": timed(extraction(paths), repeat)}
        for fmt, paths in sorted(by_format.items())
    }
    result["pdf_pages"] = sum(documents[p].pages or 0 for p in by_format.get("pdf", []))
    result["chars"] = sum(chars.values())
    # Alternating rounds (baseline, then full check) so that a change in machine load
    # hits both sides of each round's ratio alike; the headline is the median ratio.
    rounds = [(seconds(baseline), seconds(full)) for _ in range(max(repeat, 5))]
    result["baseline"] = best_and_spread([base for base, _ in rounds])
    result["full"] = best_and_spread([whole for _, whole in rounds])
    result["overheads"] = sorted(whole / base - 1 for base, whole in rounds)
    result["per_document"] = per_document(files, baseline_one, full_one, repeat)
    result["findings"] = sum(len(check_input(p, ruleset, settings).findings) for p in files)
    result["slowest_rules"], result["segmented"] = rule_costs(ruleset, [d.text for d in documents.values()], settings)
    return result


def per_document(
    files: list[str], baseline: Callable[[str], None], full: Callable[[str], None], repeat: int
) -> float:
    """Rule overhead with ``baseline`` and ``full`` (each on one file) alternating document
    by document, each document's best of ``repeat`` on either side: both sides of every
    pair see the machine in the same state, so load changes during a run matter less."""
    base = dict.fromkeys(files, float("inf"))
    whole = dict.fromkeys(files, float("inf"))
    for _ in range(repeat):
        for path in files:
            base[path] = min(base[path], seconds(lambda: baseline(path)))
            whole[path] = min(whole[path], seconds(lambda: full(path)))
    return sum(whole.values()) / sum(base.values()) - 1


def rule_costs(ruleset, texts: list[str], settings: Settings) -> tuple[list[tuple[str, float]], float]:
    """The ten rules that take longest (matching and exceptions), seconds over the corpus,
    and the share of the text's jieba blocks (in characters) that the rules had segmented.

    Document by document, as the engine runs: a condition's pattern is searched once
    per document, by the first rule that needs it, and is charged to that rule."""
    from jianfu_audit.rules.engine import rule_matches

    costs = dict.fromkeys((rule.id for rule in ruleset.rules), 0.0)
    segmented = total = 0
    for text in texts:
        analysis = analyse(text, ruleset.vocabulary(), settings)
        analysis.matchable = ruleset.regex_filter().matching(analysis.text)
        for rule in ruleset.rules:
            started = time.perf_counter()
            list(rule_matches(rule, analysis))
            costs[rule.id] += time.perf_counter() - started
        done, chars = analysis.boundaries.coverage()
        segmented, total = segmented + done, total + chars
    return sorted(costs.items(), key=lambda item: -item[1])[:10], segmented / max(total, 1)


def pdf_engines(pdfs: list[str], repeat: int) -> dict[str, object]:
    """Text-layer pages/s: PDFium (the extractor) against pdfplumber's layout text."""
    import pdfplumber
    import pypdfium2

    def pages_of(paths: list[str]) -> int:
        return sum(len(pypdfium2.PdfDocument(p)) for p in paths)

    def plumber(paths: list[str]) -> Callable[[], None]:
        def read() -> None:
            for path in paths:
                with pdfplumber.open(path) as pdf:
                    [page.extract_text() for page in pdf.pages]

        return read

    subset = pdfs[:10]
    return {
        "pdfium": (pages_of(pdfs), timed(lambda: [extract(Path(p)) for p in pdfs], repeat)),
        "pdfplumber": (pages_of(subset), timed(plumber(subset), max(1, repeat - 1))),
    }


def parallel(files: list[str], folder: str, repeat: int) -> dict[str, object]:
    """jobs=1 against jobs=2: the pipeline alone, then the whole CLI. The two sides
    alternate, one pair per round, so that a change in the machine's speed during the
    run hits both sides of a pair alike; each pair's ratio is kept too."""
    ruleset = load_rules()
    tokenizer(ruleset.vocabulary())
    times: dict[str, list[float]] = {f"{kind}_jobs{jobs}": [] for kind in ("run", "cli") for jobs in (1, 2)}
    for _ in range(repeat):
        for jobs in (1, 2):
            times[f"run_jobs{jobs}"].append(seconds(lambda jobs=jobs: list(run(files, ruleset, Settings(), jobs))))
    for _ in range(max(repeat, 5)):
        for jobs in (1, 2):
            command = [*cli(), "check", "-q", "-f", "json", "--jobs", str(jobs), folder]
            times[f"cli_jobs{jobs}"].append(run_measured(command)[0])
    result: dict[str, object] = {name: best_and_spread(values) for name, values in times.items()}
    for kind in ("run", "cli"):
        result[f"{kind}_pairs"] = sorted(one / two for one, two in zip(times[f"{kind}_jobs1"], times[f"{kind}_jobs2"]))
    return result


def memory(folder: Path, files: list[str]) -> dict[str, int]:
    """Peak RSS of the CLI (jobs=2) on a quarter of the batch and on all of it."""
    quarter = folder.parent / f"{folder.name}-quarter"
    quarter.mkdir(exist_ok=True)
    for path in files[: len(files) // 4]:
        link = quarter / Path(path).name
        if not link.exists():
            link.symlink_to(path)
    return {
        f"{len(files) // 4}": run_measured([*cli(), "check", "-q", "-f", "json", "--jobs", "2", str(quarter)])[1],
        f"{len(files)}": run_measured([*cli(), "check", "-q", "-f", "json", "--jobs", "2", str(folder)])[1],
    }


def startup(repeat: int) -> dict[str, object]:
    """``jianfu-audit check`` on one small notice, and jieba's dictionary load alone."""
    with tempfile.TemporaryDirectory() as scratch:
        notice = Path(scratch, "notice.txt")
        notice.write_text(SMALL_NOTICE, encoding="utf-8")
        command = [*cli(), "check", "-q", str(notice)]
        warm = [run_measured(command)[0] for _ in range(repeat + 2)]
        cold_env = {**os.environ, "JIANFU_AUDIT_CACHE_DIR": str(Path(scratch, "cache"))}
        cold = [run_measured(command, cold_env)[0] for _ in range(2)]
        load = "import time; t = time.perf_counter(); {}; print(time.perf_counter() - t)"
        probes = {
            "jieba_marshal": "import jieba; jieba.Tokenizer().initialize()",
            "pickle_cache": "from jianfu_audit.jieba_setup import base_tokenizer; base_tokenizer()",
            "import_cli": "import jianfu_audit.cli",
        }
        loads = {
            name: sorted(
                float(subprocess.run([sys.executable, "-c", load.format(code)], capture_output=True, text=True, check=True).stdout)
                for _ in range(repeat)
            )
            for name, code in probes.items()
        }
    return {"warm": sorted(warm), "cold_first": cold[0], "cold_second": cold[1], "loads": loads}


def rate(count: float, seconds: float) -> str:
    return f"{count / seconds:,.0f}" if seconds else "–"


def spread(pair: tuple[float, float]) -> str:
    return f"{pair[0]:.2f} s (±{pair[1]:.2f})"


def report(info: dict[str, object]) -> str:
    """The results as Markdown."""
    p, engines, par, mem, start = (info[k] for k in ("in_process", "pdf_engines", "parallel", "memory", "startup"))
    docs, chars = info["documents"], p["chars"]
    base, full = p["baseline"][0], p["full"][0]
    lines = [
        (
            f"jianfu-audit {info['version']} · Python {info['python']} · {info['cpus']} CPUs · "
            f"load average {info['load_before']} → {info['load_after']}"
        ),
        (
            f"Corpus: {docs} notices ({p['chars']:,} characters; PDF {p['pdf_pages']} pages, font {info['pdf_font']}); "
            f"{p['rules']} rules, {p['vocabulary']} vocabulary words, {p['findings']} findings. Best of {info['repeat']}."
        ),
        "",
        "| measure | time | docs/s | chars/s |",
        "|---|---|---|---|",
    ]
    for fmt, row in p["formats"].items():
        lines.append(f"| extract {fmt} ({row['documents']} docs) | {spread(row['extract'])} | "
                     f"{rate(row['documents'], row['extract'][0])} | {rate(row['chars'], row['extract'][0])} |")
    lines += [
        f"| baseline: extract + jieba | {spread(p['baseline'])} | {rate(docs, base)} | {rate(chars, base)} |",
        f"| full check (rules) | {spread(p['full'])} | {rate(docs, full)} | {rate(chars, full)} |",
        "",
        f"Rule matching adds **{statistics.median(p['overheads']) * 100:.0f}%** over the baseline "
        f"(median of {len(p['overheads'])} alternating rounds: "
        + ", ".join(f"{overhead * 100:+.0f}%" for overhead in p["overheads"])
        + f"; best full / best baseline = {full / base:.2f}). Alternating document by document, each one's best of "
        + f"{info['repeat']} on either side: {p['per_document'] * 100:+.0f}%. "
        + f"The check segmented {p['segmented'] * 100:.0f}% of the text (in characters of jieba's blocks); "
        + "the baseline segments all of it.",
        "Slowest rules (matching + exceptions, whole corpus): "
        + ", ".join(f"{rule} {seconds:.2f} s" for rule, seconds in p["slowest_rules"]),
        "",
        "| PDF text layer | pages | time | pages/s |",
        "|---|---|---|---|",
    ]
    for name, (pages, pair) in engines.items():
        lines.append(f"| {name} | {pages} | {spread(pair)} | {rate(pages, pair[0])} |")
    lines += [
        "",
        "| parallel | jobs=1 | jobs=2 | speed-up |",
        "|---|---|---|---|",
        (
            f"| pipeline (`run`) | {spread(par['run_jobs1'])} | {spread(par['run_jobs2'])} | "
            f"{par['run_jobs1'][0] / par['run_jobs2'][0]:.2f}× |"
        ),
        (
            f"| CLI incl. start-up | {spread(par['cli_jobs1'])} | {spread(par['cli_jobs2'])} | "
            f"{par['cli_jobs1'][0] / par['cli_jobs2'][0]:.2f}× |"
        ),
        "",
        "Speed-up of each alternating pair (jobs=1 then jobs=2), median [all]: "
        + "; ".join(
            f"{kind} {statistics.median(par[kind + '_pairs']):.2f}× ["
            + ", ".join(f"{ratio:.2f}" for ratio in par[kind + "_pairs"]) + "]"
            for kind in ("run", "cli")
        ),
        "",
        "Peak RSS of the largest process, CLI with --jobs 2: "
        + ", ".join(f"{n} docs {kib / 1024:.0f} MiB" for n, kib in mem.items()),
        "",
        (
            f"One small notice through the CLI: best {start['warm'][0]:.2f} s, "
            f"median {statistics.median(start['warm']):.2f} s, worst {start['warm'][-1]:.2f} s (warm cache); "
            f"cold cache {start['cold_first']:.2f} s then {start['cold_second']:.2f} s."
        ),
        "Fresh-process load times (best of runs): " + ", ".join(
            f"{name} {values[0]:.2f} s" for name, values in start["loads"].items()
        ),
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--out", type=Path, default=HERE / "out")
    options = parser.parse_args()

    from jianfu_audit import __version__

    folder = options.out / f"corpus-{options.docs}"
    built = corpus.build(folder, options.docs)
    files = sorted(str(p) for p in folder.iterdir() if p.is_file())
    info: dict[str, object] = {
        "version": __version__,
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "load_before": " ".join(f"{x:.1f}" for x in os.getloadavg()),
        "documents": len(files),
        "pdf_font": built["pdf_font"],
        "repeat": options.repeat,
    }
    info["in_process"] = in_process(files, options.repeat)
    info["pdf_engines"] = pdf_engines([f for f in files if f.endswith(".pdf")], options.repeat)
    info["parallel"] = parallel(files, str(folder), options.repeat)
    info["memory"] = memory(folder, files)
    info["startup"] = startup(options.repeat)
    info["load_after"] = " ".join(f"{x:.1f}" for x in os.getloadavg())
    text = report(info)
    print(text)
    options.out.mkdir(parents=True, exist_ok=True)
    (options.out / "results.json").write_text(json.dumps(info, ensure_ascii=False, indent=1), encoding="utf-8")
    (options.out / "results.md").write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
