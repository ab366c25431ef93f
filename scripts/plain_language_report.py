#!/usr/bin/env python
"""Plain-language report over every patient-facing text in bot/content/ (recursively).

    .venv/bin/python scripts/plain_language_report.py            # all texts
    .venv/bin/python scripts/plain_language_report.py --failures # only problems

Per text: file, key, Flesch-Douma score (FD), mean and max sentence length (words) and
a verdict: ok, label (short text: only the forbidden words are checked), FAIL (with the
reasons) or EXCEPTION (a reviewed failure listed in bot/content/plain_language.yml).
Exits 1 when any text fails. Criteria: bot/content/plain_language.yml; docs/faq.md.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.language import readability  # noqa: E402


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--failures", action="store_true", help="only print failures and exceptions")
    parser.add_argument("--content-dir", type=Path, default=readability.CONTENT_DIR)
    args = parser.parse_args(argv)

    verdicts = readability.check_all(args.content_dir)
    rules = readability.rules()
    fails = [v for v in verdicts if not v.ok]
    exceptions = [v for v in verdicts if v.exception]

    print(f"{'verdict':<9} {'FD':>5} {'mean':>5} {'max':>4}  file  key")
    for v in verdicts:
        if args.failures and v.ok and not v.exception:
            continue
        if v.exception:
            verdict = "EXCEPTION"
        elif v.problems:
            verdict = "FAIL"
        elif v.stats is None:
            verdict = "label"
        else:
            verdict = "ok"
        fd = f"{v.stats.flesch_douma:5.0f}" if v.stats else "    -"
        mean = f"{v.stats.mean_sentence_length:5.1f}" if v.stats else "    -"
        mx = f"{v.stats.max_sentence_length:4d}" if v.stats else "   -"
        print(f"{verdict:<9} {fd} {mean} {mx}  {v.file}  {v.key}")
        if v.problems:
            print(f"{'':<27}{'; '.join(v.problems)}")
            if v.exception:
                print(f"{'':<27}exception: {v.exception}")
            print(f"{'':<27}text: {v.text.strip()[:160]}")

    scored = [v.stats.flesch_douma for v in verdicts if v.stats]
    print()
    print(f"texts: {len(verdicts)} ({len(scored)} scored, {len(verdicts) - len(scored)} labels)"
          f" in {len({v.file for v in verdicts})} files")
    if scored:
        print(f"Flesch-Douma: min {min(scored):.0f}, mean {sum(scored) / len(scored):.0f}"
              f" (criterion >= {rules.min_flesch_douma:.0f}; mean sentence <= "
              f"{rules.max_mean_sentence_length:.0f} words; no sentence > {rules.max_sentence_length})")
    print(f"failures: {len(fails)}; reviewed exceptions: {len(exceptions)}")
    for stale in readability.stale_exceptions(verdicts):
        print(f"note: stale exception (text passes or is gone): {stale.get('file')} {stale.get('key')}")
    return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main())
