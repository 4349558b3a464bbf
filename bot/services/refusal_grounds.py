"""The legal grounds for refusing reception (từ chối tiếp), as data with their sources.

Luật Tiếp công dân 2013, Đ.9 (in force since 01/07/2014), and the grounds NĐ 154/2026/NĐ-CP,
Đ.4 adds from 01/07/2026 (domain.md §1.5; read only in an unofficial copy of the decree, so
its source keeps the remark "chưa đối chiếu công báo" for the staff's screens; the register
and anything a citizen reads cite it without the remark: RefusalGround.citation). Staff choose
a ground; the bot never refuses on its own. A new ground, or a ground that lapses, is a change
to this table alone.
"""

from __future__ import annotations

from datetime import date

from bot.domain.register import RefusalGround
from bot.i18n import N_

LAW_2013 = date(2014, 7, 1)
DECREE_154 = date(2026, 7, 1)
_LAW = "Luật Tiếp công dân 2013, Đ.9"
_DECREE = "NĐ 154/2026/NĐ-CP, Đ.4 (chưa đối chiếu công báo)"

REFUSAL_GROUNDS: tuple[RefusalGround, ...] = (
    RefusalGround(
        "impaired",
        N_("Drunk, or mentally ill or otherwise unable to understand or control their acts"),
        "Say do dùng chất kích thích, tâm thần hoặc mất khả năng nhận thức, điều khiển hành vi",
        f"{_LAW}(1)", LAW_2013),
    RefusalGround(
        "threatening",
        N_("Threatens or insults the office or its staff, or breaks the office's rules"),
        "Đe dọa, xúc phạm cơ quan, người tiếp công dân hoặc vi phạm nội quy nơi tiếp công dân",
        f"{_LAW}(2)", LAW_2013),
    RefusalGround(
        "already_resolved",
        N_("A complaint or denunciation already resolved correctly, confirmed in writing, "
           "and the person keeps on after being received and given explanations"),
        "Vụ việc khiếu nại, tố cáo đã giải quyết đúng chính sách, pháp luật, đã được kiểm "
        "tra, rà soát, thông báo bằng văn bản",
        f"{_LAW}(3)", LAW_2013, needs_notice=True),
    RefusalGround(
        "other_law",
        N_("Another case set by law (say which in the note)"),
        "Trường hợp khác theo quy định của pháp luật",
        f"{_LAW}(4)", LAW_2013, needs_note=True),
    RefusalGround(
        "weapons",
        N_("Carries weapons or explosives and refuses to deposit them"),
        "Mang vũ khí, vật liệu nổ và không chịu gửi",
        _DECREE, DECREE_154),
    RefusalGround(
        "security_check",
        N_("Refuses the security check"),
        "Không chấp hành kiểm tra an ninh",
        _DECREE, DECREE_154),
    RefusalGround(
        "recording",
        N_("Records or livestreams after being told not to"),
        "Ghi âm, ghi hình, phát trực tiếp khi đã được yêu cầu không thực hiện",
        _DECREE, DECREE_154),
    RefusalGround(
        "disorder",
        N_("Incites others or disrupts order"),
        "Kích động, gây rối trật tự",
        _DECREE, DECREE_154),
    RefusalGround(
        "no_legal_capacity",
        N_("Lacks full legal capacity and has no legal representative"),
        "Không có đủ năng lực hành vi dân sự mà không có người đại diện hợp pháp",
        _DECREE, DECREE_154),
    RefusalGround(
        "no_authority",
        N_("Acts for someone else without proof of the authority to do so"),
        "Người đại diện, người được ủy quyền không chứng minh được tư cách",
        _DECREE, DECREE_154),
    RefusalGround(
        "not_petition",
        N_("The content is not a complaint, denunciation, recommendation or report"),
        "Nội dung không phải khiếu nại, tố cáo, kiến nghị, phản ánh",
        _DECREE, DECREE_154),
    RefusalGround(
        "answered_nothing_new",
        N_("A recommendation or report already answered in writing, with nothing new"),
        "Kiến nghị, phản ánh đã được trả lời bằng văn bản, không có nội dung mới",
        _DECREE, DECREE_154, needs_notice=True),
    RefusalGround(
        "court_judgment",
        N_("A final court judgment exists and there is no ground for review"),
        "Vụ việc đã có bản án, quyết định có hiệu lực của Tòa án, không có căn cứ xem xét lại",
        _DECREE, DECREE_154),
    RefusalGround(
        "handled_elsewhere",
        N_("Already being handled by another competent body"),
        "Vụ việc đang được cơ quan có thẩm quyền khác giải quyết",
        _DECREE, DECREE_154),
)
