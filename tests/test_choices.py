"""Typed answers match offered options by number or words, with or without diacritics."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from bot.domain.choices import Option, match_choice
from bot.domain.text import fold, fold_words

CONSENT = [Option("Tôi đồng ý", "yes", ("dong y", "co")),
           Option("Tôi không đồng ý", "no", ("khong dong y", "khong"))]
MENU = [Option("📅 Đặt lịch tiếp công dân", "book", ("dat lich",)),
        Option("📝 Gửi đơn", "petition", ("gui don", "khieu nai")),
        Option("ℹ️ Thông tin trụ sở", "info", ("thong tin",))]


def test_fold_removes_diacritics_and_d_bar() -> None:
    """Folding lower-cases, strips tone marks and turns đ into d."""
    assert fold("  ĐẶT   Lịch  ") == "dat lich"
    assert fold("Khiếu nại") == "khieu nai"


def test_number_picks_the_option_at_that_position() -> None:
    """A typed number picks the option shown with it."""
    assert match_choice("2", CONSENT) == CONSENT[1]
    assert match_choice(" 1 ", MENU) == MENU[0]
    assert match_choice("9", MENU) is None


def test_label_without_diacritics_matches() -> None:
    """The label typed without accents, in any case, matches."""
    assert match_choice("TOI DONG Y", CONSENT) == CONSENT[0]
    assert match_choice("gửi đơn", MENU) == MENU[1]


def test_longer_label_wins_over_the_label_it_contains() -> None:
    """"không đồng ý" contains "đồng ý" but means no."""
    assert match_choice("khong dong y", CONSENT) == CONSENT[1]
    assert match_choice("tôi không đồng ý đâu", CONSENT) == CONSENT[1]
    assert match_choice("vâng, đồng ý", CONSENT) == CONSENT[0]


def test_sentence_naming_one_option_matches_it() -> None:
    """A sentence that names exactly one option picks it."""
    assert match_choice("tôi muốn gửi đơn khiếu nại về đất đai", MENU) == MENU[1]


def test_sentence_naming_two_options_matches_none() -> None:
    """A sentence that names two options equally is not guessed."""
    assert match_choice("đặt lịch hay gửi đơn", MENU) is None


def test_prefix_of_a_label_matches_when_unique() -> None:
    """The start of a label (three letters or more) is enough when only one fits."""
    assert match_choice("thong", MENU) == MENU[2]
    assert match_choice("xyz", MENU) is None


@given(st.integers(min_value=1, max_value=3))
def test_every_shown_number_selects_its_option(position: int) -> None:
    """Each number from 1 to the count of options selects that option."""
    assert match_choice(str(position), MENU) == MENU[position - 1]


@given(st.text())
def test_folding_is_idempotent(text: str) -> None:
    """Folding folded text changes nothing."""
    assert fold_words(fold_words(text)) == fold_words(text)


def test_a_superscript_digit_is_not_an_option_number() -> None:
    """A superscript "²" (a digit to str.isdigit, not a number) matches nothing."""
    assert match_choice("²", MENU) is None
    assert match_choice("٢", MENU) == MENU[1]  # an Arabic-Indic two is a decimal digit


@given(st.text(max_size=30))
def test_any_typed_text_gives_an_option_or_nothing(text: str) -> None:
    """Whatever is typed, matching returns one of the offered options or None, never fails."""
    assert match_choice(text, MENU) in (None, *MENU)
