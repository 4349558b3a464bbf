"""Typed commune and ward names match the post-2025 units of the province."""

from __future__ import annotations

import pytest

from bot.domain.places import Directory, Unit, provinces

LANG_SON = Directory(20)
HA_NOI = Directory(1)
# Thanh Hóa has Phường Đông Tiến and Xã Đồng Tiến: one name once diacritics are gone.
THANH_HOA = Directory(38)

TAM_THANH = Unit(5986, "Phường Tam Thanh", "phường")
DONG_DANG = Unit(6184, "Xã Đồng Đăng", "xã")
HOAN_KIEM = Unit(70, "Phường Hoàn Kiếm", "phường")


def test_directory_lists_the_units_of_its_province() -> None:
    """Lạng Sơn has 65 units and Hà Nội 126, each findable by code."""
    assert LANG_SON.province_name == "Lạng Sơn"
    assert HA_NOI.province_name == "Thành phố Hà Nội"
    assert len(LANG_SON.units) == 65
    assert len(HA_NOI.units) == 126
    assert LANG_SON.by_code(5986) == TAM_THANH
    assert LANG_SON.by_code(70) is None
    assert {u.kind for u in LANG_SON.units} == {"xã", "phường"}


def test_unknown_province_code_is_refused() -> None:
    """A directory for a code that is no province cannot be built."""
    with pytest.raises(ValueError, match="no province with code 2"):
        Directory(2)


@pytest.mark.parametrize("text", [
    "Phường Tam Thanh", "Tam Thanh", "tam thanh", "TAM THANH", "phuong tam thanh",
    "P. Tam Thanh", "p.tam thanh", "  phường   Tam  Thanh ", "Tam Thanh Lạng Sơn",
    "Phường Tam Thanh, Lạng Sơn", "tam thanh, tinh lang son", "Tam Thanh, TP Lạng Sơn",
])
def test_exact_name_matches_in_any_form(text: str) -> None:
    """Case, diacritics, a kind prefix and a trailing province do not hide the name."""
    assert LANG_SON.match(text).unit == TAM_THANH


@pytest.mark.parametrize("text", ["Xã Đồng Đăng", "xa dong dang", "x. Đồng Đăng",
                                  "thị trấn Đồng Đăng", "tt dong dang"])
def test_commune_prefixes_and_old_township_word_are_ignored(text: str) -> None:
    """"xã", "x." and the old "thị trấn"/"tt" before a name are ignored."""
    assert LANG_SON.match(text).unit == DONG_DANG


@pytest.mark.parametrize("text", ["Phường Hoàn Kiếm", "hoan kiem", "p. hoàn kiếm, Hà Nội",
                                  "Hoàn Kiếm, quận Hoàn Kiếm, Hà Nội"])
def test_ha_noi_ward_matches(text: str) -> None:
    """Hà Nội wards match with or without diacritics and old district text after a comma."""
    assert HA_NOI.match(text).unit == HOAN_KIEM


def test_hyphenated_name_matches_with_or_without_the_hyphen() -> None:
    """Phường Văn Miếu - Quốc Tử Giám matches typed with or without its hyphen."""
    for text in ("Văn Miếu - Quốc Tử Giám", "van mieu quoc tu giam", "Văn Miếu-Quốc Tử Giám"):
        unit = HA_NOI.match(text).unit
        assert unit is not None
        assert unit.name == "Phường Văn Miếu - Quốc Tử Giám"


@pytest.mark.parametrize(("directory", "text", "expected"), [
    (LANG_SON, "tam thnah", "Phường Tam Thanh"),
    (LANG_SON, "tamthanh", "Phường Tam Thanh"),
    (LANG_SON, "phường Luong Van Tr", "Phường Lương Văn Tri"),
    (HA_NOI, "hoan kim", "Phường Hoàn Kiếm"),
    (HA_NOI, "van mieu", "Phường Văn Miếu - Quốc Tử Giám"),
])
def test_typo_gives_suggestions_not_a_unit(directory: Directory, text: str,
                                           expected: str) -> None:
    """A misspelt or partial name gives no confident unit, and the right one first in line."""
    found = directory.match(text)
    assert found.unit is None
    assert 1 <= len(found.suggestions) <= 3
    assert found.suggestions[0].name == expected


def test_name_after_a_comma_counts_only_after_a_unit_word() -> None:
    """A name in a later part counts when "phường"/"xã" starts it, not as a bare word."""
    assert LANG_SON.match("số 5 Trần Đăng Ninh, phường Tam Thanh").unit == TAM_THANH
    # "Cao Lộc" here is the old district; Xã Cao Lộc today is a different area.
    found = LANG_SON.match("xã Hợp Thành, Cao Lộc")
    assert found.unit is None
    assert all(u.name != "Xã Cao Lộc" for u in found.suggestions)


def test_names_equal_without_diacritics_are_ambiguous() -> None:
    """A name that folds to a phường and a xã gives no unit and both as suggestions."""
    found = THANH_HOA.match("dong tien")
    assert found.unit is None
    assert {u.name for u in found.suggestions} == {"Phường Đông Tiến", "Xã Đồng Tiến"}
    assert THANH_HOA.match("Dong Tien, Thanh Hoa").unit is None


def test_diacritics_or_kind_settle_an_ambiguous_name() -> None:
    """Exact diacritics, or the kind typed before the name, pick one of two folded twins."""
    phuong = THANH_HOA.match("Đông Tiến").unit
    xa = THANH_HOA.match("Đồng Tiến").unit
    assert phuong is not None
    assert xa is not None
    assert (phuong.name, xa.name) == ("Phường Đông Tiến", "Xã Đồng Tiến")
    by_kind = THANH_HOA.match("phuong dong tien").unit
    assert by_kind is not None
    assert by_kind.name == "Phường Đông Tiến"


@pytest.mark.parametrize("text", ["xyz abc", "", "   ", ",,,", "Hoàng Đồng Sơn Hà"])
def test_unknown_text_matches_no_unit(text: str) -> None:
    """Text that names no unit of the province gives no unit."""
    found = LANG_SON.match(text)
    assert found.unit is None
    assert len(found.suggestions) <= 3


def test_nonsense_has_no_suggestions() -> None:
    """Text sharing nothing with any unit name gives no suggestions either."""
    assert LANG_SON.match("xyz abc").suggestions == ()


def test_ha_noi_ward_is_not_found_in_lang_son() -> None:
    """A ward of another province is no unit here."""
    assert LANG_SON.match("Phường Hoàn Kiếm").unit is None


def test_provinces_lists_the_34_provinces() -> None:
    """There are 34 provinces by code, named without a "Tỉnh" prefix."""
    listed = provinces()
    assert len(listed) == 34
    assert listed[0] == (1, "Thành phố Hà Nội")
    assert (20, "Lạng Sơn") in listed
    assert [code for code, _name in listed] == sorted(code for code, _name in listed)
    assert not any(name.startswith("Tỉnh ") for _code, name in listed)
