"""Who may do what with chat: registered in the core permission table at start-up.

- The organisation's admins connect its Slack app (bot token, signing secret) and set any
  team's channels.
- A team's leads (a class's teachers) set their own team's channels.
- Each person links their own Slack account and their own Teams chat, nobody else's.
"""

from __future__ import annotations

from ampwork.core.permissions import ADMIN_ONLY, is_self, leads_team, register


def install() -> None:
    register("chat.manage", ADMIN_ONLY)
    register("chat.team_channels", ADMIN_ONLY, leads_team)
    register("chat.own", frozenset(), is_self)
