"""Dutch number words, digits, halves, ranges (bot.language.extract.numbers)."""
import pytest

from bot.language.extract.normalize import normalize, tokenize
from bot.language.extract.numbers import (
    find_numbers,
    find_range,
    format_nl,
    parse_number,
    parse_number_word,
    split_ranges,
    tidy,
)


@pytest.mark.parametrize("word, expected", [
    ("0", 0), ("nul", 0), ("een", 1), ("één", 1), ("eén", 1), ("twee", 2), ("drie", 3),
    ("vier", 4), ("vijf", 5), ("zes", 6), ("zeven", 7), ("acht", 8), ("negen", 9),
    ("tien", 10), ("elf", 11), ("twaalf", 12), ("dertien", 13), ("negentien", 19),
    ("twintig", 20), ("eenentwintig", 21), ("tweeëntwintig", 22), ("tweeentwintig", 22),
    ("drieëndertig", 33), ("tweeëndertig", 32), ("zesendertig", 36), ("veertig", 40),
    ("negenennegentig", 99), ("honderd", 100), ("honderdvijftig", 150), ("tweehonderd", 200),
    ("half", 0.5), ("halve", 0.5), ("anderhalf", 1.5), ("anderhalve", 1.5),
    ("tweeënhalf", 2.5), ("tweeenhalf", 2.5), ("drieenhalf", 3.5), ("vierenhalf", 4.5),
    ("zesje", 6), ("achtje", 8), ("zeventje", 7), ("tientje", 10), ("vijfje", 5),
    ("32", 32), ("32,5", 32.5), ("32.5", 32.5), ("-1", -1),
    ("twintg", 20), ("dertug", 30), ("veertg", 40),          # typos in long number words
])
def test_number_words(word, expected):
    assert parse_number_word(normalize(word)) == expected


@pytest.mark.parametrize("word", ["tegen", "geven", "even", "zeker", "werk", "", "abc", "een2"])
def test_not_numbers(word):
    assert parse_number_word(normalize(word)) is None


@pytest.mark.parametrize("text, values", [
    ("4 dagen van 8 uur", [4, 8]),
    ("een zesje", [6]),                     # "een" is an article here
    ("ik geef het een 7", [7]),
    ("een dag", [1]),                       # ... but a number before a unit
    ("een dag of vier", [4]),               # "een X of N" means about N
    ("een uur of 20", [20]),
    ("twee en een half", [2.5]),
    ("een half jaar", [0.5]),
    ("80+", [80]),
    ("tweeëndertig uur", [32]),
])
def test_find_numbers(text, values):
    tokens, _ = tokenize(text)
    assert [s.value for s in find_numbers(tokens)] == values


@pytest.mark.parametrize("text, low, high", [
    ("30 à 32", 30, 32), ("30 a 32", 30, 32), ("30-32", 30, 32), ("30 tot 32", 30, 32),
    ("tussen 20 en 24", 20, 24), ("tussen de 20 en 24", 20, 24), ("20 of 24", 20, 24),
    ("van 16 tot 20 uur", 16, 20),
])
def test_ranges(text, low, high):
    tokens = split_ranges(tokenize(text)[0])
    rng = find_range(tokens, find_numbers(tokens))
    assert rng is not None and rng[:2] == (low, high)


@pytest.mark.parametrize("text", ["4 dagen en 8 uur", "32", "24 of 20"])
def test_no_range(text):
    tokens = split_ranges(tokenize(text)[0])
    assert find_range(tokens, find_numbers(tokens)) is None


@pytest.mark.parametrize("text, value, approx", [
    ("ongeveer 20", 20, True), ("zo'n 20", 20, True), ("20", 20, False),
    ("30 à 32", 31, True), ("meer dan 40", 40, True), ("niets", None, False),
])
def test_parse_number(text, value, approx):
    res = parse_number(text)
    assert res.value == value
    assert res.approximate == approx


def test_tidy_and_format():
    assert tidy(32.0) == 32 and isinstance(tidy(32.0), int)
    assert tidy(32.54) == 32.5
    assert format_nl(32.5) == "32,5"
    assert format_nl(40) == "40"
