"""Scores 0-10 from Dutch text (bot.language.extract.scores.parse_score)."""
import pytest

from bot.language.extract.scores import parse_score, round_half_up


@pytest.mark.parametrize("text, value", [
    ("6", 6), ("een zesje", 6), ("6/10", 6), ("6 van de 10", 6), ("6 uit 10", 6),
    ("zes", 6), ("Zes!", 6), ("ik geef het een 7", 7), ("een 7", 7), ("tien", 10), ("10", 10),
    ("0", 0), ("nul", 0), ("een achtje", 8), ("een tientje", 10), ("twee", 2), ("een", 1),
    ("6+", 6), ("6-", 6), ("een 6 op een schaal van 0 tot 10", 6), ("tien van de tien", 10),
    ("cijfer 4", 4), ("ik zou zeggen 5", 5), ("zeven", 7), ("negen", 9),
])
def test_scores(text, value):
    res = parse_score(text)
    assert res.value == value
    assert not res.needs_confirm


@pytest.mark.parametrize("text, value, confirm_text", [
    ("7,5", 8, "Bedoelt u een 8?"),          # decimals: round half up, then confirm
    ("6.5", 7, "Bedoelt u een 7?"),
    ("5,4", 5, "Bedoelt u een 5?"),
    ("6 à 7", 7, "Bedoelt u een 7?"),        # range: midpoint, round half up
    ("6 of 7", 7, "Bedoelt u een 7?"),
    ("tussen de 5 en 6", 6, "Bedoelt u een 6?"),
    ("3/5", 6, "Bedoelt u een 6?"),          # another scale: converted to 0-10
    ("50%", 5, "Bedoelt u een 5?"),
    ("ik kan nu niet werken", 0, "Bedoelt u een 0?"),   # the anchors of the question
    ("zo goed als ooit", 10, "Bedoelt u een 10?"),
])
def test_scores_needing_confirmation(text, value, confirm_text):
    res = parse_score(text)
    assert (res.value, res.needs_confirm, res.confirm_text) == (value, True, confirm_text)


@pytest.mark.parametrize("text, hint_part", [
    ("11", "te hoog"), ("100", "te hoog"), ("-1", "te laag"), ("6 en 8 en 3", "één cijfer"),
])
def test_out_of_range(text, hint_part):
    res = parse_score(text)
    assert res.value is None and hint_part in res.hint


@pytest.mark.parametrize("text", ["", "goed", "asdf", "😀"])
def test_no_score(text):
    assert parse_score(text).value is None


def test_other_bounds():
    assert parse_score("4", lo=1, hi=5).value == 4
    assert parse_score("0", lo=1, hi=5).value is None
    assert parse_score("4/5", lo=1, hi=5).value == 4


def test_round_half_up():
    assert [round_half_up(x) for x in (0.5, 1.5, 2.5, 7.49)] == [1, 2, 3, 7]
