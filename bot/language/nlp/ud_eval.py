"""Measure the pipeline's lemmas against a Dutch UD treebank (CoNLL-U gold lemmas).

The treebanks (CC BY-SA 4.0) live outside the repository in
../shared/data/ud_dutch/; nothing derived from them is shipped.
"""

from __future__ import annotations

from pathlib import Path
from typing import Iterator, List, Tuple

from spacy.language import Language
from spacy.tokens import Doc

SKIP_UPOS = {"PUNCT", "NUM", "PROPN", "SYM", "X"}


def conllu_sentences(path: Path) -> Iterator[List[Tuple[str, str, str]]]:
    """(form, lemma, upos) per word, sentence by sentence; multiword ranges skipped."""
    words: List[Tuple[str, str, str]] = []
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            line = line.rstrip("\n")
            if not line:
                if words:
                    yield words
                words = []
                continue
            if line.startswith("#"):
                continue
            cols = line.split("\t")
            if "-" in cols[0] or "." in cols[0]:
                continue
            words.append((cols[1], cols[2], cols[3]))
    if words:
        yield words


def lemma_accuracy(nlp: Language, path: Path) -> Tuple[float, float, int]:
    """(pipeline accuracy, identity baseline accuracy, words) on content words."""
    right = same = total = 0
    for words in conllu_sentences(path):
        doc = Doc(nlp.vocab, words=[w for w, _, _ in words])
        for _, proc in nlp.pipeline:
            doc = proc(doc)
        for token, (form, lemma, upos) in zip(doc, words, strict=True):
            if upos in SKIP_UPOS:
                continue
            total += 1
            right += token.lemma_.lower() == lemma.lower()
            same += form.lower() == lemma.lower()
    return right / total, same / total, total
