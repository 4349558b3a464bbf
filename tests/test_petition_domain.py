"""Petition rules: status moves, deadlines in working days, groups, answers, files, lookups."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.config import default_rules
from bot.domain.calendar import WorkingCalendar
from bot.domain.petitions import (
    FINAL,
    AnswerProblem,
    AttachmentLimits,
    AttachmentProblem,
    MoveError,
    PetitionType,
    PriorStage,
    Status,
    allowed_moves,
    check_attachment,
    check_move,
    clean_answer,
    deadline_for_move,
    is_group,
    max_representatives,
    parse_last_digits,
    phone_matches,
    receipt_deadline,
    same_respondent,
    skips_level,
)
from bot.domain.rules import RuleBook

RULES = RuleBook(default_rules())
CALENDAR = WorkingCalendar()
# A province's announcements: an extra day off and a make-up working Saturday.
ANNOUNCED = WorkingCalendar(extra_days_off=frozenset({date(2026, 12, 4)}),
                            extra_working_days=frozenset({date(2026, 12, 5)}))


def move(current: Status, target: Status, **given: str) -> None:
    """Check a move with nothing recorded but what is given."""
    check_move(current, target, note=given.get("note", ""), document_no=given.get("document"),
               agency=given.get("agency"), merged_into=given.get("merged"))


def test_a_received_petition_is_classified_before_anything_else() -> None:
    """From «received» the only ordinary move is to «classifying» (or withdrawn, merged)."""
    assert allowed_moves(Status.RECEIVED) == {Status.CLASSIFYING, Status.WITHDRAWN, Status.MERGED}
    with pytest.raises(MoveError, match="cannot become accepted"):
        move(Status.RECEIVED, Status.ACCEPTED, document="12/QĐ")


def test_classification_leads_to_the_five_outcomes_of_the_law() -> None:
    """A classified petition is filed, guided, forwarded, chased or considered for acceptance."""
    assert allowed_moves(Status.CLASSIFYING) - {Status.WITHDRAWN, Status.MERGED} == {
        Status.ARCHIVED, Status.GUIDED, Status.FORWARDED, Status.CHASED, Status.UNDER_REVIEW}


def test_final_statuses_allow_no_move() -> None:
    """Nothing follows a final status, not even a withdrawal."""
    for status in FINAL:
        assert status.is_final
        assert allowed_moves(status) == frozenset()
    with pytest.raises(MoveError):
        move(Status.RESOLVED, Status.WITHDRAWN)


def test_every_open_status_can_be_withdrawn_or_merged() -> None:
    """A petition that is still open can always be withdrawn or merged into another."""
    for status in Status:
        if not status.is_final:
            assert {Status.WITHDRAWN, Status.MERGED} <= allowed_moves(status)


def test_formal_moves_need_a_document_body_or_reason() -> None:
    """Forwarding needs a body and a document; acceptance a document; a rejection a reason."""
    with pytest.raises(MoveError, match="document"):
        move(Status.CLASSIFYING, Status.FORWARDED, agency="Sở Xây dựng")
    with pytest.raises(MoveError, match="body"):
        move(Status.CLASSIFYING, Status.FORWARDED, document="15/CV")
    move(Status.CLASSIFYING, Status.FORWARDED, agency="Sở Xây dựng", document="15/CV")
    with pytest.raises(MoveError, match="document"):
        move(Status.UNDER_REVIEW, Status.ACCEPTED)
    with pytest.raises(MoveError, match="reason"):
        move(Status.UNDER_REVIEW, Status.REJECTED, note="  ")
    move(Status.UNDER_REVIEW, Status.REJECTED, note="Đã hết thời hiệu khiếu nại")


def test_only_a_merge_names_the_petition_it_joins() -> None:
    """«merged» needs the other petition's code, and no other move takes one."""
    with pytest.raises(MoveError, match="merged"):
        move(Status.CLASSIFYING, Status.MERGED)
    with pytest.raises(MoveError, match="merged"):
        move(Status.RECEIVED, Status.CLASSIFYING, merged="D-2345-6789")
    move(Status.CLASSIFYING, Status.MERGED, merged="D-2345-6789")


def test_a_denunciation_may_be_extended_twice() -> None:
    """An extended petition may be extended again (very complex denunciations)."""
    assert Status.EXTENDED in allowed_moves(Status.EXTENDED)


def test_complaint_acceptance_deadline_changes_on_1_july_2026() -> None:
    """A complaint received before 01/07/2026 gets 10 days; from that day, 7 working days."""
    before = receipt_deadline(PetitionType.COMPLAINT, date(2026, 6, 15), RULES, CALENDAR)
    after = receipt_deadline(PetitionType.COMPLAINT, date(2026, 7, 1), RULES, CALENDAR)
    assert (before.rule_key, before.effective_from) == ("complaint.accept", date(2012, 7, 1))
    assert before.due_on == date(2026, 6, 25)  # Monday 15/06 + 10 days: Thursday 25/06
    assert (after.rule_key, after.effective_from) == ("complaint.accept", date(2026, 7, 1))
    assert after.due_on == date(2026, 7, 10)  # 7 working days after Wednesday 01/07


def test_each_type_has_its_first_deadline() -> None:
    """Denunciations get 7 working days to be accepted; recommendations and reports 10."""
    received = date(2026, 11, 26)
    assert receipt_deadline(PetitionType.DENUNCIATION, received, RULES, CALENDAR).rule_key == \
        "denunciation.accept"
    reply = receipt_deadline(PetitionType.REPORT, received, RULES, CALENDAR)
    assert reply.rule_key == "petition.reply"
    assert reply.due_on == date(2026, 12, 10)
    assert receipt_deadline(PetitionType.RECOMMENDATION, received, RULES, CALENDAR) == reply


def test_a_petition_received_before_tet_counts_no_tet_day() -> None:
    """A denunciation received the Friday before Tết 2026 is due on the 7th working day after
    Tết; a complaint's 10 calendar days (the rule before 01/07/2026) end after Tết too."""
    # Tết Nguyên Đán is off from Monday 16/02 to Friday 20/02/2026.
    denunciation = receipt_deadline(PetitionType.DENUNCIATION, date(2026, 2, 13), RULES,
                                    CALENDAR)
    complaint = receipt_deadline(PetitionType.COMPLAINT, date(2026, 2, 13), RULES, CALENDAR)
    assert denunciation.due_on == date(2026, 3, 3)
    assert complaint.due_on == date(2026, 2, 23)


def test_announced_day_off_and_make_up_saturday_move_the_deadline() -> None:
    """An announced day off is skipped and a make-up Saturday counts as a working day."""
    plain = receipt_deadline(PetitionType.DENUNCIATION, date(2026, 12, 1), RULES, CALENDAR)
    announced = receipt_deadline(PetitionType.DENUNCIATION, date(2026, 12, 1), RULES, ANNOUNCED)
    assert plain.due_on == date(2026, 12, 10)
    # Friday 04/12 off, Saturday 05/12 worked: the count is the same, on other days.
    assert announced.due_on == date(2026, 12, 10)
    assert not ANNOUNCED.is_working_day(date(2026, 12, 4))
    assert ANNOUNCED.is_working_day(date(2026, 12, 5))


@settings(max_examples=300, deadline=None)
@given(received=st.dates(min_value=date(2019, 1, 1), max_value=date(2030, 12, 31)),
       kind=st.sampled_from(list(PetitionType)),
       calendar=st.sampled_from([CALENDAR, ANNOUNCED]))
def test_a_petition_due_date_is_never_a_day_off(received: date, kind: PetitionType,
                                                calendar: WorkingCalendar) -> None:
    """Whatever the day of receipt and the type, the first deadline falls on a working day
    after the day of receipt."""
    due = receipt_deadline(kind, received, RULES, calendar)
    assert calendar.is_working_day(due.due_on)
    assert due.due_on > received


@settings(max_examples=200, deadline=None)
@given(accepted=st.dates(min_value=date(2019, 1, 1), max_value=date(2030, 12, 31)),
       kind=st.sampled_from([PetitionType.COMPLAINT, PetitionType.DENUNCIATION]),
       target=st.sampled_from([Status.ACCEPTED, Status.EXTENDED]))
def test_resolution_deadlines_are_never_a_day_off(accepted: date, kind: PetitionType,
                                                  target: Status) -> None:
    """The deadline set on acceptance or extension falls on a working day."""
    due = deadline_for_move(kind, PriorStage.NONE, target, today=accepted, accepted_on=accepted,
                            current_due=None, rules=RULES, calendar=CALENDAR)
    assert due is not None
    assert CALENDAR.is_working_day(due.due_on)


def test_acceptance_starts_the_resolution_period() -> None:
    """A first complaint gets 30 days from acceptance; a second-instance one 45; a
    recommendation none."""
    today = date(2026, 11, 26)
    first = deadline_for_move(PetitionType.COMPLAINT, PriorStage.NONE, Status.ACCEPTED,
                              today=today, accepted_on=None, current_due=None, rules=RULES,
                              calendar=CALENDAR)
    second = deadline_for_move(PetitionType.COMPLAINT, PriorStage.FIRST, Status.ACCEPTED,
                               today=today, accepted_on=None, current_due=None, rules=RULES,
                               calendar=CALENDAR)
    assert first is not None
    assert first.rule_key == "complaint.resolve_first"
    assert first.due_on == date(2026, 12, 28)  # 26/12 is a Saturday
    assert second is not None
    assert second.rule_key == "complaint.resolve_second"
    assert deadline_for_move(PetitionType.RECOMMENDATION, PriorStage.NONE, Status.ACCEPTED,
                             today=today, accepted_on=None, current_due=None, rules=RULES,
                             calendar=CALENDAR) is None


def test_a_denunciation_extension_adds_to_the_deadline_in_force() -> None:
    """Extending a denunciation adds 30 days to its current deadline."""
    due = deadline_for_move(PetitionType.DENUNCIATION, PriorStage.NONE, Status.EXTENDED,
                            today=date(2026, 12, 1), accepted_on=date(2026, 11, 2),
                            current_due=date(2026, 12, 2), rules=RULES, calendar=CALENDAR)
    assert due is not None
    assert (due.rule_key, due.due_on) == ("denunciation.resolve_extension", date(2027, 1, 4))


def test_group_threshold_and_representatives_follow_the_rules() -> None:
    """Five people make a group; up to ten choose two representatives, more choose five."""
    today = date(2026, 11, 26)
    assert not is_group(4, RULES, today)
    assert is_group(5, RULES, today)
    assert max_representatives(5, RULES, today) == 2
    assert max_representatives(10, RULES, today) == 2
    assert max_representatives(11, RULES, today) == 5


def test_answers_are_tidied_and_checked() -> None:
    """Spaces are collapsed; an answer without letters or digits, or too long, is refused."""
    assert clean_answer("  UBND   xã\tTân Thành ", 100) == "UBND xã Tân Thành"
    assert clean_answer("... 🙂", 100) is AnswerProblem.EMPTY
    assert clean_answer("a" * 101, 100) is AnswerProblem.TOO_LONG
    assert clean_answer("Dòng 1\n\n\n\nDòng   2", 100, keep_lines=True) == "Dòng 1\n\nDòng 2"


LIMITS = AttachmentLimits(max_count=2, max_bytes=1000, kinds=("photo", "document", "voice"),
                          document_extensions=(".pdf", ".jpg"))


def test_files_are_checked_for_count_kind_type_and_size() -> None:
    """Too many, a kind not taken, a document type not listed and a large file are refused."""
    assert check_attachment("photo", None, 500, 0, LIMITS) is None
    assert check_attachment("document", "Don.PDF", 500, 1, LIMITS) is None
    assert check_attachment("photo", None, 500, 2, LIMITS) is AttachmentProblem.TOO_MANY
    assert check_attachment("video_note", None, 10, 0, LIMITS) is AttachmentProblem.KIND
    assert check_attachment("document", "virus.exe", 10, 0, LIMITS) is \
        AttachmentProblem.EXTENSION
    assert check_attachment("document", "noextension", 10, 0, LIMITS) is \
        AttachmentProblem.EXTENSION
    assert check_attachment("voice", None, 1001, 0, LIMITS) is AttachmentProblem.TOO_LARGE


def test_only_a_complaint_no_one_decided_skips_a_level() -> None:
    """Vượt cấp is a complaint with no decision yet; other types and stages are not."""
    assert skips_level(PetitionType.COMPLAINT, PriorStage.NONE)
    assert not skips_level(PetitionType.COMPLAINT, PriorStage.FIRST)
    assert not skips_level(PetitionType.DENUNCIATION, PriorStage.NONE)


def test_the_phone_check_matches_the_last_four_digits_of_any_phone_given() -> None:
    """The digits match only the end of a phone given (the sender's or a representative's);
    with no phone at all nothing matches."""
    phones = ["+84912345678", "+84388777666"]
    assert phone_matches(phones, "5678")
    assert phone_matches(phones, "7666")
    assert not phone_matches(phones, "5679")
    assert not phone_matches(phones, "1234")
    assert not phone_matches([], "5678")


@pytest.mark.parametrize(("text", "digits"), [
    ("5678", "5678"), (" 5 6 7 8 ", "5678"), ("５６７８", "5678"), ("567", None),
    ("56789", None), ("abcd", None),
])
def test_last_four_digits_are_read_forgivingly(text: str, digits: str | None) -> None:
    """Four digits with spaces or in full-width form are read; anything else is not."""
    assert parse_last_digits(text) == digits


def test_respondents_are_compared_roughly() -> None:
    """The same body written with or without diacritics and in another order is the same."""
    assert same_respondent("UBND xã Tân Thành", "ubnd xa tan thanh")
    assert same_respondent("Chủ tịch UBND xã Tân Thành", "UBND xã Tân Thành chủ tịch")
    assert not same_respondent("UBND xã Tân Thành", "Sở Xây dựng")
