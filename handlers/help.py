"""/trogiup: what the bot can do and how to use it; the core then repeats the open question."""

from __future__ import annotations

from bot.dialog.flow import Turn, esc
from bot.i18n import _


async def command_help(turn: Turn) -> None:
    """Explain the commands, buttons and typed answers."""
    lines = [
        _("<b>How to use this assistant</b>"),
        _("Tap a button, or type its number or its words (with or without accents)."),
        _("/start: the main menu"),
        _("/huy: stop what you are doing"),
        _("/trogiup: this help"),
    ]
    for name, command in turn.dialog.routes.commands.items():
        if command.help and command.allows(turn.role, turn.settings):
            lines.append(f"/{name}: {_(command.help)}")
    office = turn.settings.office
    if office.phone:
        lines.append(_("To talk to a person, call {phone}.").format(phone=esc(office.phone)))
    if office.source_url:
        lines.append(_("This assistant is free software (AGPL); its source code: {url}").format(
            url=esc(office.source_url)))
    turn.say("\n".join(lines))
