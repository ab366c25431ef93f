"""Build the Dutch spaCy pipeline that Rasa's SpacyNLP loads (see config.yml).

Two bases, one result directory (default ``build/spacy/nl_werk``):
- ``blank`` (default, offline): spaCy's Dutch tokenizer, lookup lemmatizer with the
  Dutch tables of ``spacy-lookups-data``, colloquial contractions, and rules that mark
  numbers, durations and dates;
- ``nl_core_news_sm`` (the official model, when installed): the same rules added on top.
Only built-in spaCy components are used, so the saved pipeline loads without our code.
"""

from __future__ import annotations

import argparse
import shutil
from pathlib import Path
from typing import cast

import spacy
from spacy.pipeline import AttributeRuler, EntityRuler
from spacy.symbols import NORM, ORTH
from spacy.tokenizer import Tokenizer

from bot.language.nlp import patterns

DEFAULT_OUT = Path("build/spacy/nl_werk")
OFFICIAL = "nl_core_news_sm"


def official_available() -> bool:
    return spacy.util.is_package(OFFICIAL)


def build(base: str = "blank", out: Path = DEFAULT_OUT) -> Path:
    if base == "auto":
        base = OFFICIAL if official_available() else "blank"
    if base == "blank":
        nlp = spacy.blank("nl")
    else:
        nlp = spacy.load(base)
    for surface, norm in patterns.CONTRACTIONS:
        for variant in {surface, surface.capitalize()}:
            cast(Tokenizer, nlp.tokenizer).add_special_case(variant, [{ORTH: variant, NORM: norm}])

    first = nlp.pipe_names[0] if nlp.pipe_names else None
    # add_pipe is typed as returning any pipe: the casts name the one we asked for.
    ruler = cast(AttributeRuler, nlp.add_pipe("attribute_ruler", name="werk_attributes", before=first))
    if "lemmatizer" not in nlp.pipe_names:
        nlp.add_pipe("lemmatizer", config={"mode": "lookup", "overwrite": False})
    ents = cast(
        EntityRuler, nlp.add_pipe("entity_ruler", name="werk_entities", config={"overwrite_ents": True})
    )
    if base == "blank":
        nlp.initialize()  # loads the lookup tables; clears rulers, so patterns come after
    else:
        ruler.initialize(lambda: [], nlp=nlp)
        ents.initialize(lambda: [], nlp=nlp)
    for surface, norm in patterns.CONTRACTIONS:
        ruler.add([[{"LOWER": surface}]], {"LEMMA": norm, "NORM": norm})
    for item in patterns.placeholder_patterns():
        ruler.add(item["patterns"], item["attrs"], index=item["index"])
    ents.add_patterns(patterns.entity_patterns())
    nlp.meta["name"] = "nl_werk"
    nlp.meta["version"] = "1.0.0"
    nlp.meta["description"] = f"Dutch pipeline for the work intake (base: {base})"
    if out.exists():
        shutil.rmtree(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    nlp.to_disk(out)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--base", default="auto", help="blank, nl_core_news_sm, or auto (official when installed)"
    )
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args()
    path = build(args.base, args.out)
    nlp = spacy.load(path)
    print(f"built {path} from base={args.base}: pipes {nlp.pipe_names}")


if __name__ == "__main__":
    main()
