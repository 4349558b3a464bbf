"""Typed answers match offered options by number or words, with or without diacritics."""

from __future__ import annotations

import pytest
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


DAYS = [Option("Thứ Ba 1/12 · còn 3 chỗ", "d:2026-12-01", ("01/12", "1/12")),
        Option("Thứ Tư 2/12 · còn 3 chỗ", "d:2026-12-02", ("02/12", "2/12")),
        Option("Thứ Sáu 4/12 · còn 3 chỗ", "d:2026-12-04", ("04/12", "4/12"))]
TYPES = [Option("Khiếu nại", "complaint", ("khieu nai",)),
         Option("Tố cáo", "denunciation", ("to cao", "to giac")),
         Option("Kiến nghị", "recommendation", ("kien nghi",)),
         Option("Phản ánh", "report", ("phan anh",)),
         Option("Tôi chưa rõ, xin giải thích", "unsure", ("chua ro", "khong biet"))]


def test_a_typed_date_is_not_the_start_of_a_longer_date() -> None:
    """"1/1" or "1-1" is not a prefix of "1/12": text with digits matches exactly or not at all."""
    for typed in ("1/1", "2/1", "4/1", "1-1", "1 1"):
        assert match_choice(typed, DAYS) is None
    assert match_choice("1/12", DAYS) == DAYS[0]
    assert match_choice("ngày 2/12", DAYS) == DAYS[1]


def test_only_the_last_typed_word_may_be_cut_short() -> None:
    """Leading words must be whole; the last one may be the start of a word."""
    assert match_choice("thong t", MENU) == MENU[2]
    assert match_choice("th tin", MENU) is None
    assert match_choice("dat lic", MENU) == MENU[0]


@pytest.mark.parametrize(("typed", "payload"), [
    ("khieu lai", "complaint"), ("kieu nai", "complaint"), ("kiếu lại", "complaint"),
    ("to caoo", "denunciation"), ("tố cáo cán bộ", "denunciation"),
    ("khong biet", "unsure"), ("chua ro", "unsure"), ("phan anhh", "report"),
])
def test_slips_of_the_finger_pick_the_clearly_closest_option(typed: str, payload: str) -> None:
    """A misspelt or l/n-swapped word picks the one option it is clearly closest to."""
    picked = match_choice(typed, TYPES)
    assert picked is not None
    assert picked.payload == payload


def test_guessing_can_be_turned_off_and_never_reads_numbers() -> None:
    """Without guessing a slip picks nothing; digits and short words are never guessed."""
    assert match_choice("kieu nai", TYPES, guess=False) is None
    assert match_choice("1/13", DAYS) is None
    assert match_choice("kiu", TYPES) is None


def test_far_from_every_option_picks_nothing() -> None:
    """Text that is like no option (or a little like several) is not guessed."""
    assert match_choice("hôm nay trời đẹp quá", TYPES) is None
    assert match_choice("kien nai", TYPES) is None


_WORD = st.text(alphabet="abcdeghikmnopqtuvy", min_size=4, max_size=10)


@given(_WORD, st.lists(st.sampled_from("abcdeghikmnopqtuvy"), min_size=3, max_size=3,
                       unique=True))
def test_text_as_close_to_two_options_picks_neither(stem: str, ends: list[str]) -> None:
    """A text that differs from two options' names in the same way never picks one of them."""
    first, second, typed_end = ends
    options = [Option(stem + first, "first"), Option(stem + second, "second")]
    assert match_choice(stem + typed_end, options) is None


@given(st.lists(st.text(alphabet=st.characters(whitelist_categories=("Ll", "Lu", "Nd", "Zs")),
                        min_size=1, max_size=20), min_size=1, max_size=6))
def test_guessing_never_changes_an_exact_match(labels: list[str]) -> None:
    """Typing an option's label exactly picks that option, whatever the other options are."""
    folded = [fold_words(label) for label in labels]
    options = [Option(label, str(i)) for i, label in enumerate(labels)]
    for i, label in enumerate(labels):
        if not folded[i] or folded[i].isdecimal() or folded.count(folded[i]) > 1:
            continue
        assert match_choice(label, options) == options[i]


@given(st.text(max_size=30))
def test_options_that_share_a_name_are_never_guessed(text: str) -> None:
    """Two options with the same name are named equally by any text: neither is picked,
    except by the number shown before it."""
    options = [Option("Khiếu nại", "a"), Option("Khiếu nại", "b")]
    picked = match_choice(text, options)
    assert picked is None or fold_words(text).isdecimal()


def test_a_long_sentence_is_not_a_button_where_text_is_the_answer() -> None:
    """With ``extra_words``, a button's words inside a long sentence do not pick it."""
    skip = [Option("⏭ Bỏ qua", "skip", ("bo qua", "khong co"))]
    note = "Công dân đã được trả lời, không có nội dung mới"
    assert match_choice(note, skip, extra_words=4) is None
    assert match_choice("không có", skip, extra_words=4) is skip[0]
    assert match_choice("không có ghi chú gì", skip, extra_words=4) is skip[0]
    assert match_choice(note, skip) is skip[0]
