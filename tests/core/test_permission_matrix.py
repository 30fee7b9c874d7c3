"""The permission matrix, generated from the routes themselves.

Every web route (``django.urls.get_resolver``) and every operation of the OpenAPI schema
(``/api/v1/openapi.json``) is asked by every role — admin, people ops, manager, member of a
company; head teacher, teacher, student of a school; and an anonymous visitor — about its
own object and another person's, where the route names an object. The answer's class is
compared with the expectation written down once, in ``WEB`` and ``API`` below.

A route that exists but is not in the table fails ``test_every_route_is_in_the_table``:
add it, with what each role should get (read its view or handler).

How to read an expectation: space-separated ``roles=outcome`` tokens, applied left to
right (later tokens win). ``roles`` is a comma-separated list of role names or the groups
``*`` (every signed-in role), ``company``, ``school`` and ``coaches`` (manager and
teacher). ``outcome`` is one class, or ``own|other`` for routes that name an object —
the acting person's own and a colleague's outside their team — and ``own|other|report``
where a manager's (teacher's) answer for their report's object differs from ``other``:

- ``ok``: 2xx or a redirect that is not to the sign-in page
- ``login``: a redirect to the sign-in page
- ``401``, ``403``, ``404``, ``405``: that status
- ``invalid``: 400 or 422 — the role got past the permission check; the minimal input
  was refused for what it says, which the app's own tests cover
- ``409``: a conflict (already done)

Unless the expectation says otherwise, anonymous visitors get ``login`` on web pages and
``401`` from the API.

Web routes are asked with GET, except those whose key starts with ``POST`` (asked with
the form in ``FORMS``, or an empty one); API operations with their own method and a
minimal valid body (``BODIES``). Every request runs in a savepoint that is rolled back, so
one role's write never changes what the next role sees; the data is built once for the
module. ``AMPWORK_MATRIX_RECORD=FILE`` writes what each route answered instead of
comparing, to help write a new route's expectation — read its code before trusting it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.db import transaction
from django.shortcuts import resolve_url
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from ampwork.advisor.models import Incentive
from ampwork.api import api
from ampwork.autonomy.models import Project, Proposal, ShipItEvent
from ampwork.classroom.models import Guardian, GuardianOf
from ampwork.conversations.models import (
    ActionItem,
    FeedbackAnswer,
    FeedbackAsked,
    FeedbackRequest360,
    Meeting,
    OneOnOne,
    PrivateNote,
    TalkingPoint,
)
from ampwork.core import services as core_services
from ampwork.core.models import (
    ApiToken,
    Invitation,
    Organisation,
    Person,
    Role,
    Team,
    TeamMembership,
)
from ampwork.core.permissions import SCHOOL_RULES, Actor, can
from ampwork.integrations.models import Delivery, Endpoint
from ampwork.mastery.models import Review, Skill
from ampwork.notifications.models import Notification
from ampwork.okrs.models import Objective
from ampwork.purpose.models import Draft

from ..factories import (
    CycleFactory,
    KeyResultFactory,
    ObjectiveFactory,
    OrganisationFactory,
    PersonFactory,
    RoundFactory,
    UserFactory,
)

# the test database is set up for marked tests only; the data itself is the module's
pytestmark = pytest.mark.django_db

COMPANY_ROLES = ("admin", "ops", "manager", "member")
SCHOOL_ROLES = ("head", "teacher", "student")
SIGNED_IN = COMPANY_ROLES + SCHOOL_ROLES
ROLES = (*SIGNED_IN, "anon")
GROUPS = {
    "*": SIGNED_IN,
    "company": COMPANY_ROLES,
    "school": SCHOOL_ROLES,
    "coaches": ("manager", "teacher"),
}
ACCESS = {
    "admin": Role.ADMIN,
    "ops": Role.PEOPLE_OPS,
    "manager": Role.MANAGER,
    "member": Role.MEMBER,
    "head": Role.ADMIN,
    "teacher": Role.MANAGER,
    "student": Role.MEMBER,
}

# Objects that belong to someone: "own" is the acting person's, "other" a colleague's who is
# neither their report nor in their team. Every other kind exists once per organisation.
OWNED = {
    "person",
    "team",
    "membership",
    "objective",
    "key_result",
    "project",
    "review",
    "proposal",
    "token",
    "invitation",  # to join another organisation, addressed to the person's own account
    # a 1:1 of the person with a mentor (the stranger's too): nobody else's, whatever the role
    "one_on_one",
    "meeting",
    "talking_point",
    "action_item",
    # a 360 request about the person, answered by their mentor; nobody else reads it
    "feedback_request",
    "notification",  # one's own, nobody else's
}

# ----------------------------------------------------------------------------- the table

# web routes: name (``POST name`` for POST-only views; ``name/value`` for a route whose
# path takes a fixed word) -> (the kind of object its id names, or None; expectation)
WEB: dict[str, tuple[str | None, str]] = {
    # django-allauth's routes (ampwork.core.account_urls), two of them aliases of ours
    "account_change_password": (None, "*=ok"),
    "account_inactive": (None, "*=ok anon=ok"),
    "account_login": (None, "*=ok anon=ok"),
    "POST account_logout": (None, "*=login"),
    "account_reauthenticate": (None, "*=ok"),
    "account_reset_password": (None, "*=ok anon=ok"),
    "account_reset_password_done": (None, "*=ok anon=ok"),
    "account_reset_password_from_key": (None, "*=ok anon=ok"),  # a wrong key: says so
    "account_reset_password_from_key_done": (None, "*=ok anon=ok"),
    # two-factor (allauth.mfa): each account's own methods only; a change asks for the
    # password again first (a redirect: ok) and only then looks the passkey up among the
    # account's own (another's: 404, tests/core/test_two_factor.py); the sign-in stage
    # sends whoever is signed in on
    "mfa_index": (None, "*=ok"),
    "mfa_authenticate": (None, "*=ok anon=login"),
    "mfa_reauthenticate": (None, "*=ok"),
    "mfa_activate_totp": (None, "*=ok"),
    "mfa_deactivate_totp": (None, "*=404"),  # nobody in the world has an app to turn off
    "mfa_view_recovery_codes": (None, "*=404"),  # nobody in the world has codes
    "mfa_generate_recovery_codes": (None, "*=ok"),
    "mfa_download_recovery_codes": (None, "*=404"),
    "mfa_list_webauthn": (None, "*=ok"),
    "mfa_add_webauthn": (None, "*=ok"),
    "mfa_reauthenticate_webauthn": (None, "*=ok"),
    "mfa_edit_webauthn": ("passkey", "*=ok"),
    "mfa_remove_webauthn": ("passkey", "*=ok"),
    "advisor:finding": (None, "*=404 member,student=403"),
    "advisor:incentives": (None, "*=ok member,student=403"),
    "advisor:overview": (None, "*=ok member,student=403"),
    # single sign-on (allauth.socialaccount)
    "openid_connect_login": (None, "*=404 anon=404"),  # no such organisation's provider
    "openid_connect_callback": (None, "*=404 anon=404"),
    "socialaccount_login_cancelled": (None, "*=ok anon=ok"),
    "socialaccount_login_error": (None, "*=401 anon=401"),  # the failure page, as 401
    "core:sso_settings": (None, "*=403 admin,head=ok"),
    "api:api-root": (None, "*=404 anon=404"),
    "api:openapi-json": (None, "*=ok anon=ok"),
    "api:openapi-view": (None, "*=ok anon=ok"),
    "POST advisor:remove_incentive": ("incentive", "*=403 admin,ops,head,teacher=ok"),
    "advisor:reward_style": (None, "*=ok"),
    "POST advisor:tick": (None, "*=403 admin,head=ok"),
    "POST autonomy:add_project": (None, "*=ok"),
    "POST autonomy:decide": ("person", "*=ok|404 admin,head=ok coaches=ok|404|ok"),
    # invitations, sessions
    "core:join": (None, "*=invalid anon=invalid"),  # a forged link: says so, changes nothing
    "POST core:person_invite": ("person", "*=403 admin,ops,head=ok"),
    # own: ok, as the matrix's sessions come from force_login(), which has no client address
    # to record (a real sign-in's session ends: tests/core/test_sessions.py)
    "POST core:person_end_sessions": ("person", "*=403 admin,head=ok"),
    "usersessions_list": (None, "*=ok"),
    # the language: one's own page (an admin sets the organisation's default there too);
    # the footer's switcher sets a cookie for anyone, signed in or not
    "core:language": (None, "*=ok"),
    "POST core:set_language": (None, "*=ok anon=ok"),
    "autonomy:grid": (
        "team",
        "*=403 admin,head=ok coaches=ok|403|ok",
    ),
    "POST autonomy:log_time": ("project", "*=ok|404 admin,head=ok coaches=ok|404|ok"),
    "autonomy:mine": (None, "*=ok"),
    "autonomy:person": ("person", "*=ok|404 admin,head=ok coaches=ok|404|ok"),
    "POST autonomy:set_policy": (None, "*=403 admin,head=ok"),
    "autonomy:shipit": (None, "*=ok"),
    "POST autonomy:shipit_action/join": ("proposal", "*=ok"),
    "POST autonomy:shipit_action/leave": ("proposal", "*=ok"),
    "POST autonomy:shipit_action/kudos": ("proposal", "*=ok"),
    "POST autonomy:shipit_action/demo": ("proposal", "*=ok|403"),
    "POST autonomy:shipit_action/follow-up": ("proposal", "*=ok member,student=ok|403"),
    "autonomy:shipit_event": ("event", "*=ok"),
    "POST autonomy:shipit_propose": ("event", "*=ok"),
    "POST autonomy:update_project": (
        "project",
        "*=ok|404 admin,head=ok|403 coaches=ok|404|403",
    ),
    # 1:1s: the two participants' only — admins, people ops and managers get a 404 (the
    # manager's report's 1:1 here is with a mentor)
    "conversations:index": (None, "*=ok"),
    "POST conversations:start": (None, "*=ok"),
    "conversations:invitation": ("one_on_one", "*=ok|404"),
    # the summary switch is the person's, on a manager 1:1 (the matrix's is a mentor 1:1:
    # refused for what it is, on the same page); nobody's earlier 1:1s are shared here
    "POST conversations:share_summary": ("one_on_one", "*=ok|404"),
    "conversations:earlier": ("person", "*=404"),
    "conversations:meeting": ("meeting", "*=ok|404"),
    "POST conversations:add_point": ("meeting", "*=ok|404"),
    "POST conversations:add_action": ("meeting", "*=ok|404"),
    "POST conversations:shared_notes": ("meeting", "*=ok|404"),
    "POST conversations:private_note": ("meeting", "*=ok|404"),
    "POST conversations:reschedule": ("meeting", "*=ok|404"),
    "POST conversations:hold": ("meeting", "*=ok|404"),
    "POST conversations:mark_point": ("talking_point", "*=ok|404"),
    "POST conversations:tick_action": ("action_item", "*=ok|404"),
    # 360 and upward feedback: one's own requests; answers to their receiver alone
    "feedback360:index": (None, "*=ok"),
    "POST feedback360:ask": (None, "*=ok"),
    "feedback360:request": ("feedback_request", "*=ok|404"),
    "POST feedback360:answer": ("feedback_request", "*=403|404"),  # the receiver is not asked
    "POST feedback360:accept": ("feedback_request", "*=ok|404"),
    "POST feedback360:close": ("feedback_request", "*=ok|404"),
    "POST feedback360:share": ("feedback_request", "*=ok|404"),
    # class-code sign-in: a class's page and printed sheet are its teachers' (who lead
    # it) and head teachers' (a company has none: 404); a student's three steps need no
    # sign-in (without a class code chosen, the later two go back to the first)
    "classroom:class_code": ("team", "*=404 head=ok teacher=ok|403|ok student=403"),
    "classroom:class_code_sheet": ("team", "*=404 head=ok teacher=ok|403|ok student=403"),
    "classroom:code_sign_in": (None, "*=ok anon=ok"),
    "classroom:code_names": (None, "*=ok anon=ok"),
    "classroom:code_secret": ("person", "*=ok anon=ok"),
    # a school's roster: its head teachers; a company has none (404)
    "classroom:roster": (None, "*=404 head=ok teacher,student=403"),
    "POST classroom:roster_confirm": (None, "*=404 head=ok teacher,student=403"),
    "classroom:consent_policy": (None, "*=404 head=ok teacher,student=403"),
    # the round is the whole school's: only its head runs it (a teacher runs their class's)
    "classroom:consent_round": ("round", "*=404 head=ok teacher,student=403"),
    "classroom:families": (None, "*=404 anon=404"),  # a signed link, no sign-in
    # a school's students' goals and conference portfolios: the student, the teachers of
    # their classes and head teachers — never another student; a company has none (404)
    "classroom:goals": (None, "*=404 school=ok"),
    "POST classroom:goal_settings": (None, "*=404 head=ok teacher,student=403"),
    # (the objectives here are private: one the reader may not see is "not found", as in
    # OKRs — a 403 would say it exists; a colleague's goals are never a teacher's to read,
    # tests/classroom/test_goal_privacy.py)
    "classroom:goal": ("objective", "*=404 head=ok teacher=ok|404|ok student=ok|404"),
    "classroom:student_goals": ("person", "*=404 head=ok teacher=ok|403|ok student=ok|403"),
    "classroom:conference": ("person", "*=404 head=ok teacher=ok|403|ok student=ok|403"),
    # guardians (they are no person: every role here is refused their pages; a guardian's
    # own answers are tests/classroom/test_guardians.py); an invitation's link
    # answers its code only (none here: 400 with the reason)
    "classroom:family": (None, "*=403"),
    "classroom:child": ("person", "*=404"),
    "classroom:join": (None, "*=invalid anon=invalid"),
    # the families page: a school's head teachers and teachers; a class's sharing its
    # teachers (who lead it) and head teachers; a guardian's invitation, their child's
    "classroom:families_page": (None, "*=404 head,teacher=ok student=403"),
    "classroom:class_sharing": ("team", "*=404 head=ok teacher=ok|403|ok student=403"),
    "POST classroom:guardian_invite": ("guardian", "*=404 head,teacher=ok student=403"),
    # students' privacy: head teachers, and teachers for the classes they lead
    "classroom:privacy": (None, "*=404 head,teacher=ok student=403"),
    "POST classroom:privacy_class": ("team", "*=404 head=ok teacher=ok|403|ok student=403"),
    # SCIM provisioning: /scim/v2/ answers the organisation's SCIM bearer token only — a
    # session (any role) or nothing is a 401; the token's own answers are tests/core/test_scim.py.
    # Creating and revoking that token: admins (head teachers) on the settings page.
    "scim:service_provider_config": (None, "*=401 anon=401"),
    "scim:resource_types": (None, "*=401 anon=401"),
    "scim:resource_type": (None, "*=401 anon=401"),
    "scim:schemas": (None, "*=401 anon=401"),
    "scim:schema": (None, "*=401 anon=401"),
    "scim:users": (None, "*=401 anon=401"),
    "scim:user": ("person", "*=401 anon=401"),
    "scim:groups": (None, "*=401 anon=401"),
    "scim:group": ("team", "*=401 anon=401"),
    "POST core:scim_token_create": (None, "*=403 admin,head=ok"),
    "POST core:scim_token_revoke": (None, "*=403 admin,head=ok"),
    "core:audit_log": (None, "*=403 admin,head=ok"),
    # webhooks: the organisation's admins' (head teachers'), nobody else's
    "integrations:webhooks": (None, "*=403 admin,head=ok"),
    "integrations:endpoint": ("webhook", "*=403 admin,head=ok"),
    "integrations:deliveries": ("webhook", "*=403 admin,head=ok"),
    "POST integrations:test": ("webhook", "*=403 admin,head=ok"),
    "POST integrations:rotate": ("webhook", "*=403 admin,head=ok"),
    "POST integrations:delete": ("webhook", "*=403 admin,head=ok"),
    "POST integrations:retry": ("delivery", "*=403 admin,head=ok"),
    "core:home": (None, "*=ok"),
    "core:import": (None, "*=403 admin,ops,head=ok"),
    "POST core:import_commit": (None, "*=ok"),
    "core:import_template/people": (None, "*=ok"),
    "POST core:invitation_accept": ("invitation", "*=ok|404"),
    "POST core:invitation_decline": ("invitation", "*=ok|404"),
    "core:invitations": (None, "*=ok"),
    "core:login": (None, "*=ok anon=ok"),
    "POST core:logout": (None, "*=login"),
    "POST core:membership_remove": ("membership", "*=403 admin,ops,head=ok"),
    "core:methods": (None, "*=ok"),
    "core:org_chart": (None, "*=ok"),
    "core:password_change": (None, "*=ok"),
    # chat: each person their own links; Slack's app by admins; a team's channels by its
    # leads and admins; Slack's requests need Slack's signature (and a connected app)
    "chat:index": (None, "*=ok"),
    "chat:slack": (None, "*=403 admin,head=ok"),
    "POST chat:unlink": (None, "*=ok"),
    "chat:link": (None, "*=invalid"),  # no such code: the page says so (400)
    "POST chat:slack_events": (None, "*=404 anon=404"),
    "chat:team": ("team", "*=403 admin,head=ok coaches=ok|403|ok"),
    # one's own calendar feed; the feed itself answers its secret address only (none here)
    "feeds:page": (None, "*=ok"),
    "POST feeds:reset": (None, "*=ok"),
    "POST feeds:turn_off": (None, "*=ok"),
    "feeds:ics": (None, "*=404 anon=404"),
    # one's own notifications and choices; the unsubscribe link answers a signed token only
    "notifications:index": (None, "*=ok"),
    "notifications:bell": (None, "*=ok"),
    "POST notifications:read": ("notification", "*=ok|404"),
    "POST notifications:read_all": (None, "*=ok"),
    "notifications:preferences": (None, "*=ok"),
    "notifications:unsubscribe": (None, "*=404 anon=404"),
    "core:people": (None, "*=ok"),
    "core:person": ("person", "*=ok"),
    "core:person_create": (None, "*=403 admin,ops,head=ok"),
    "core:person_edit": ("person", "*=403 admin,ops,head=ok"),
    "POST core:person_grant_login": ("person", "*=403 admin,ops,head=ok"),
    "POST core:person_set_active": ("person", "*=403 admin,ops,head=ok"),
    "core:settings": (None, "*=403 admin,head=ok"),
    "POST core:switch": (None, "*=ok"),
    "core:team": ("team", "*=ok"),
    "POST core:team_add_member": ("team", "*=403 admin,ops,head=ok"),
    "core:team_create": (None, "*=403 admin,ops,head=ok"),
    "core:team_edit": ("team", "*=403 admin,ops,head=ok"),
    "core:teams": (None, "*=ok"),
    "POST core:token_revoke": ("token", "*=ok"),
    # s15G: a school's student may not make an API token (tokens.create)
    "core:tokens": (None, "*=ok student=403"),
    # admins only; and only while `ampwork demo` keeps the mail (not here: 404)
    "demo:outbox": (None, "*=404"),  # on for the demo only: every person, their own mail
    "fairness:import": (None, "*=404 admin,ops=ok manager,member=403"),
    "POST fairness:import_commit": (None, "*=ok head,teacher,student=404"),
    "fairness:my_pay": (None, "*=ok head,teacher,student=404"),
    "fairness:overview": (None, "*=404 admin,ops=ok manager,member=403"),
    "fairness:report_eu": (None, "*=404 manager,member=403"),
    "fairness:report_uk": (None, "*=404 manager,member=403"),
    "POST fairness:run": (None, "*=404 admin,ops=ok manager,member=403"),
    "healthz": (None, "*=ok anon=ok"),
    "readyz": (None, "*=ok anon=ok"),
    # the test client connects from 127.0.0.1, in the default allow-list (test_health.py)
    "metrics": (None, "*=ok anon=ok"),
    "POST mastery:define_skill": (None, "*=403 admin,ops,head,teacher=ok"),
    "mastery:feedback": (None, "*=ok"),
    "mastery:matrix": (
        "team",
        "*=403 admin,head=ok coaches=ok|403|ok",
    ),
    "mastery:mine": (None, "*=ok"),
    "mastery:person": ("person", "*=ok|404 admin,head=ok coaches=ok|404|ok"),
    "POST mastery:rate": ("skill", "*=ok"),
    "POST mastery:rate_person": ("person", "*=ok|404 admin,head=ok coaches=ok|404|ok"),
    "mastery:recognition": (None, "*=ok"),
    "mastery:review": ("review", "*=ok|404 admin,head=ok coaches=ok|404|ok"),
    "mastery:review_form": (None, "*=ok"),
    "mastery:skills": (None, "*=ok"),
    "mastery:team": (
        "team",
        "*=403 admin,head=ok coaches=ok|403|ok",
    ),
    "okrs:alignment": (None, "*=ok"),
    "okrs:check_in": (None, "*=ok"),
    "POST okrs:check_in_row": ("key_result", "*=ok|404 admin,head=ok coaches=ok|404|ok"),
    "okrs:close": ("cycle", "*=403 admin,head=ok"),
    "okrs:cycles": (None, "*=ok"),
    "okrs:dashboard": ("cycle", "*=ok member,student=403"),
    "okrs:key_result_create": ("objective", "*=ok|404 admin,head=ok coaches=ok|404|ok"),
    "okrs:key_result_edit": ("key_result", "*=ok|404 admin,head=ok coaches=ok|404|ok"),
    "okrs:objective": ("objective", "*=ok|404 admin,head=ok coaches=ok|404|ok"),
    "okrs:objective_create": (None, "*=ok"),
    "POST okrs:objective_delete": ("objective", "*=ok|404 admin,head=ok coaches=ok|404|ok"),
    "okrs:objective_edit": ("objective", "*=ok|404 admin,head=ok coaches=ok|404|ok"),
    "POST okrs:objective_link": ("objective", "*=ok|404 admin,head=ok coaches=ok|404|ok"),
    "okrs:template": (None, "*=ok"),
    "POST purpose:draft": ("draft", "*=403 admin,head,teacher=ok"),
    "purpose:index": (None, "*=ok"),
    "POST purpose:prompt": (None, "*=403 admin,head,teacher=ok"),
    "POST purpose:propose": (None, "*=ok"),
    "POST purpose:serves": ("objective", "*=ok|404 admin,head=ok coaches=ok|404|ok"),
    "POST purpose:statement": (None, "*=ok"),
    "POST purpose:story": (None, "*=ok"),
    "pulse:answer": ("round", "*=403"),
    "pulse:answer_link": (None, "*=404 anon=404"),
    "pulse:board": ("round", "*=403 admin,ops,head=404"),  # a draft has no link to show
    "pulse:create": (None, "*=403 admin,ops,head,teacher=ok"),
    "pulse:export": ("round", "*=ok"),
    "pulse:index": (None, "*=ok"),
    "pulse:round": ("round", "*=ok"),
    "POST pulse:status": ("round", "*=403 admin,ops,head=ok"),
}

# API operations: "METHOD /api/v1/path/{param}" -> expectation. Path parameters name the
# kind of object (``PARAMS``).
API: dict[str, str] = {
    "GET /api/v1/webhook-events": "*=403 admin,head=ok",
    "GET /api/v1/webhooks": "*=403 admin,head=ok",
    "POST /api/v1/webhooks": "*=403 admin,head=ok",
    "GET /api/v1/webhooks/{endpoint_id}": "*=403 admin,head=ok",
    "PATCH /api/v1/webhooks/{endpoint_id}": "*=403 admin,head=ok",
    "DELETE /api/v1/webhooks/{endpoint_id}": "*=403 admin,head=ok",
    "POST /api/v1/webhooks/{endpoint_id}/rotate-secret": "*=403 admin,head=ok",
    "POST /api/v1/webhooks/{endpoint_id}/test": "*=403 admin,head=ok",
    "GET /api/v1/webhooks/{endpoint_id}/deliveries": "*=403 admin,head=ok",
    "POST /api/v1/webhooks/{endpoint_id}/deliveries/{delivery_id}/retry": "*=403 admin,head=ok",
    "DELETE /api/v1/incentives/{incentive_id}": "*=403 admin,ops,head,teacher=ok",
    "DELETE /api/v1/memberships/{membership_id}": "*=403 admin,ops,head=ok",
    "DELETE /api/v1/objectives/{objective_id}": "*=ok|404 admin,head=ok coaches=ok|404|ok",
    "DELETE /api/v1/objectives/{objective_id}/parents/{parent_id}": (
        "*=ok|404 admin,head=ok coaches=ok|404|ok"
    ),
    "DELETE /api/v1/shipit-proposals/{proposal_id}/members": "*=ok",
    "GET /api/v1/advisor/checklist": "*=ok member,student=403",
    "GET /api/v1/advisor/findings": "*=ok member,student=403",
    "GET /api/v1/advisor/readiness": "*=ok member,student=403",
    "GET /api/v1/autonomy/people/{person_id}": "*=ok|404 admin,head=ok coaches=ok|404|ok",
    "GET /api/v1/autonomy/teams/{team_id}/grid": "*=403 admin,head=ok coaches=ok|403|ok",
    "GET /api/v1/autonomy/time-policy": "*=ok",
    "GET /api/v1/calendar-feed": "*=ok",
    "POST /api/v1/calendar-feed": "*=ok",
    "DELETE /api/v1/calendar-feed": "*=ok",
    "GET /api/v1/notifications": "*=ok",
    "POST /api/v1/notifications/read": "*=ok",
    "GET /api/v1/notification-preferences": "*=ok",
    "PUT /api/v1/notification-preferences": "*=ok",
    "GET /api/v1/cycles": "*=ok",
    "GET /api/v1/cycles/{cycle_id}": "*=ok",
    "GET /api/v1/fairness/audits/latest": "*=404 manager,member=403",
    "GET /api/v1/fairness/gate": "*=404 admin,ops=ok manager,member=403",
    "GET /api/v1/fairness/me": "*=404",
    "GET /api/v1/fairness/reports/{report}": "*=404 manager,member=403",
    "GET /api/v1/feedback": "*=ok",
    "GET /api/v1/feedback-requests": "*=ok",
    "GET /api/v1/impact-stories": "*=ok",
    "GET /api/v1/incentives": "*=ok member,student=403",
    "GET /api/v1/key-results": "*=ok",
    "GET /api/v1/key-results/{key_result_id}": "*=ok|404 admin,head=ok coaches=ok|404|ok",
    "GET /api/v1/key-results/{key_result_id}/check-ins": "*=ok|404 admin,head=ok coaches=ok|404|ok",
    "GET /api/v1/mastery/people/{person_id}": "*=ok|404 admin,head=ok coaches=ok|404|ok",
    "GET /api/v1/me": "*=ok",
    "GET /api/v1/memberships": "*=ok",
    "GET /api/v1/memberships/{membership_id}": "*=ok",
    "GET /api/v1/objectives": "*=ok",
    "GET /api/v1/objectives/{objective_id}": "*=ok|404 admin,head=ok coaches=ok|404|ok",
    "GET /api/v1/one-on-ones": "*=ok",
    "POST /api/v1/one-on-ones": "*=ok",
    "GET /api/v1/one-on-ones/meetings/{meeting_id}": "*=ok|404",
    "POST /api/v1/one-on-ones/meetings/{meeting_id}/talking-points": "*=ok|404",
    "PATCH /api/v1/one-on-ones/talking-points/{point_id}": "*=ok|404",
    "POST /api/v1/one-on-ones/meetings/{meeting_id}/action-items": "*=ok|404",
    "PATCH /api/v1/one-on-ones/action-items/{item_id}": "*=ok|404",
    "PUT /api/v1/one-on-ones/meetings/{meeting_id}/shared-notes": "*=ok|404",
    "PUT /api/v1/one-on-ones/meetings/{meeting_id}/private-note": "*=ok|404",
    "POST /api/v1/one-on-ones/meetings/{meeting_id}/hold": "*=ok|404",
    "PUT /api/v1/one-on-ones/{one_on_one_id}/summary-sharing": "*=invalid|404",  # a mentor 1:1
    "GET /api/v1/one-on-ones/people/{person_id}/earlier": "*=404",
    "GET /api/v1/feedback-360-requests": "*=ok",
    "POST /api/v1/feedback-360-requests": "*=ok",
    "GET /api/v1/feedback-360-requests/{request_id}/results": "*=ok|404",
    "POST /api/v1/feedback-360-requests/{request_id}/answers": "*=403|404",
    "POST /api/v1/feedback-360-requests/{request_id}/decision": "*=invalid|404",  # not proposed
    "POST /api/v1/feedback-360-requests/{request_id}/close": "*=ok|404",
    "PUT /api/v1/feedback-360-requests/{request_id}/sharing": "*=ok|404",
    "GET /api/v1/people": "*=ok student=403",  # a school's students: no addresses
    "GET /api/v1/people/{person_id}": "*=ok student=403",
    "GET /api/v1/pulse/rounds": "*=ok",
    "GET /api/v1/pulse/rounds/{round_id}/results": "*=ok",
    "GET /api/v1/purpose": "*=ok",
    "GET /api/v1/purpose-statements": "*=ok",
    "GET /api/v1/purpose/themes": "*=ok",
    "GET /api/v1/recognition": "*=ok",
    "GET /api/v1/reviews": "*=ok",
    "GET /api/v1/reviews/{review_id}": "*=ok|404 admin,head=ok coaches=ok|404|ok",
    "GET /api/v1/self-directed-projects": "*=ok",
    "GET /api/v1/shipit-events": "*=ok",
    "GET /api/v1/shipit-events/{event_id}": "*=ok",
    "GET /api/v1/skills": "*=ok",
    "GET /api/v1/skills/{skill_id}/ratings": "*=ok",
    "GET /api/v1/surveys": "*=ok",
    "GET /api/v1/surveys/{survey_id}/results": "*=ok",
    "GET /api/v1/teams": "*=ok",
    "GET /api/v1/teams/{team_id}": "*=ok",
    "PATCH /api/v1/cycles/{cycle_id}": "*=403 admin,head=ok",
    "PATCH /api/v1/key-results/{key_result_id}": "*=ok|404 admin,head=ok coaches=ok|404|ok",
    "PATCH /api/v1/memberships/{membership_id}": "*=403 admin,head=ok ops=403|ok",
    "PATCH /api/v1/objectives/{objective_id}": "*=ok|404 admin,head=ok coaches=ok|404|ok",
    "PATCH /api/v1/people/{person_id}": "*=403 admin,ops,head=ok",
    "PATCH /api/v1/self-directed-projects/{project_id}": (
        "*=ok|404 admin,head=ok|403 coaches=ok|404|403"
    ),
    "PATCH /api/v1/teams/{team_id}": "*=403 admin,ops,head=ok",
    "POST /api/v1/advisor/findings/{key}/acknowledgements": "*=404 member,student=403",
    "POST /api/v1/advisor/reward-style": "*=403 admin,ops,head,teacher=ok",
    "POST /api/v1/autonomy/people/{person_id}/decisions": (
        "*=403|404 admin,head=ok coaches=403|404|ok"
    ),
    "POST /api/v1/autonomy/people/{person_id}/levels": "*=403|404 admin,head=ok coaches=403|404|ok",
    "POST /api/v1/cycles": "*=403 admin,head=ok",
    "POST /api/v1/fairness/audits": "*=404 admin,ops=invalid manager,member=403",
    "POST /api/v1/fairness/imports/{kind}": "*=404 admin,ops=invalid manager,member=403",
    "POST /api/v1/imports/oneroster": "*=404 head=invalid teacher,student=403",
    "POST /api/v1/feedback": "*=ok",
    "POST /api/v1/feedback-requests": "*=ok",
    "POST /api/v1/impact-stories": "*=ok",
    "POST /api/v1/incentives": "*=403 admin,ops,head,teacher=ok",
    "POST /api/v1/key-results": "*=ok",
    "POST /api/v1/key-results/{key_result_id}/check-ins": (
        "*=ok|404 admin,head=ok coaches=ok|404|ok"
    ),
    "POST /api/v1/memberships": "*=403 admin,ops,head=ok",
    "POST /api/v1/objectives": "*=ok",
    "POST /api/v1/objectives/{objective_id}/parents": "*=ok|404 admin,head=ok coaches=ok|404|ok",
    "POST /api/v1/people": "*=403 admin,ops,head=ok",
    "POST /api/v1/purpose-statements": "*=ok",
    # a school's student whose class no teacher opened to recognition does not post to it
    "POST /api/v1/recognition": "*=ok student=403",
    "POST /api/v1/reviews": "*=ok",
    "POST /api/v1/reviews/{review_id}/replies": "*=403|404 admin,head=ok coaches=403|404|ok",
    "POST /api/v1/self-directed-projects": "*=ok",
    "POST /api/v1/self-directed-projects/{project_id}/time": (
        "*=ok|404 admin,head=ok|403 coaches=ok|404|403"
    ),
    "POST /api/v1/shipit-events": "*=ok member,student=403",
    "POST /api/v1/shipit-events/{event_id}/proposals": "*=ok",
    "POST /api/v1/shipit-proposals/{proposal_id}/kudos": "*=invalid",
    "POST /api/v1/shipit-proposals/{proposal_id}/members": "*=ok",
    "POST /api/v1/skills": "*=403 admin,ops,head,teacher=ok",
    "POST /api/v1/skills/{skill_id}/growth-areas": "*=ok",
    "POST /api/v1/skills/{skill_id}/ratings": "*=ok",
    "POST /api/v1/pulse/rounds/{round_id}/responses": "*=404 anon=404",
    "POST /api/v1/surveys/{survey_id}/responses": "*=404 anon=404",
    "POST /api/v1/teams": "*=403 admin,ops,head=ok",
    "PUT /api/v1/advisor/checklist/{item}": "*=403 admin,head=ok",
    "PUT /api/v1/autonomy/time-policy": "*=403 admin,head=ok",
    "PUT /api/v1/shipit-proposals/{proposal_id}/demo": "*=ok|403",
    "PUT /api/v1/shipit-proposals/{proposal_id}/follow-up": "*=invalid member,student=invalid|403",
}

# path parameters of the API, and web routes' words, that are not objects
FIXED = {
    "item": "own-time",
    "key": "no-such-finding",
    "report": "full",
    "kind": "compensation",
    "token": "not-a-token",
    "secret": "cal_not-a-feed",
    "code": "not-a-code",
    "slug": "no-such-organisation",
    "uidb36": "zz",
    "provider_id": "org-no-such-organisation",
}
# web routes' parameters that are words from FIXED, not objects
FIXED_WORDS = ("action", "kind", "key", "token", "secret", "code", "slug", "uidb36", "provider_id")
PARAMS = {
    "person_id": "person",
    "team_id": "team",
    "membership_id": "membership",
    "cycle_id": "cycle",
    "objective_id": "objective",
    "parent_id": "parent",
    "key_result_id": "key_result",
    "round_id": "round",
    "survey_id": "round",
    "project_id": "project",
    "event_id": "event",
    "proposal_id": "proposal",
    "review_id": "review",
    "skill_id": "skill",
    "incentive_id": "incentive",
    "meeting_id": "meeting",
    "point_id": "talking_point",
    "item_id": "action_item",
    "request_id": "feedback_request",
    "one_on_one_id": "one_on_one",
    "endpoint_id": "webhook",
    "delivery_id": "delivery",
}

# web forms that must be filled in for the view to reach its permission check (others are
# posted empty); "$kind" as in BODIES
FORMS: dict[str, dict[str, str]] = {
    "POST core:person_grant_login": {"password": "a long enough password 2026"},
    "POST advisor:tick": {"item": "own-time", "done": "on"},
    "POST mastery:rate": {"level": "3"},
    "POST mastery:rate_person": {"skill": "$skill", "level": "3"},
    "POST purpose:draft": {"action": "publish"},
    "POST autonomy:set_policy": {"share_percent": "10", "weekly_hours": "40"},
}

# minimal valid bodies of the API's writes; "$kind" is the acting person's own object of
# that kind (or the organisation's), "$stranger" the colleague outside their team
BODIES: dict[str, Any] = {
    "POST /api/v1/webhooks": {"url": "https://hooks.example.org/", "events": ["cycle.closed"]},
    "PATCH /api/v1/webhooks/{endpoint_id}": {"description": "changed"},
    "POST /api/v1/notifications/read": {"all": True},
    "PUT /api/v1/notification-preferences": {"preferences": []},
    "POST /api/v1/people": {"name": "New Person", "email": "new.person@example.org"},
    "PATCH /api/v1/people/{person_id}": {"job_title": "Tester"},
    "POST /api/v1/teams": {"name": "New team"},
    "PATCH /api/v1/teams/{team_id}": {"description": "changed"},
    "POST /api/v1/memberships": {"team_id": "$team", "person_id": "$stranger"},
    "PATCH /api/v1/memberships/{membership_id}": {"role": "lead"},
    "POST /api/v1/cycles": {"name": "Next", "start": "2027-01-01", "end": "2027-03-31"},
    "PATCH /api/v1/cycles/{cycle_id}": {"name": "Renamed"},
    "POST /api/v1/objectives": {"cycle_id": "$cycle", "title": "New objective"},
    "PATCH /api/v1/objectives/{objective_id}": {"title": "Renamed"},
    "POST /api/v1/objectives/{objective_id}/parents": {"parent_id": "$parent"},
    "POST /api/v1/key-results": {"objective_id": "$objective", "title": "New", "target": 5},
    "PATCH /api/v1/key-results/{key_result_id}": {"title": "Renamed"},
    "POST /api/v1/key-results/{key_result_id}/check-ins": {"value": 3},
    "POST /api/v1/fairness/imports/{kind}": {
        "csv": "email,effective,base_pay,currency\n",
        "dry_run": True,
    },
    "POST /api/v1/imports/oneroster": {"zip": "bm90IGEgemlw", "dry_run": True},
    "POST /api/v1/pulse/rounds/{round_id}/responses": {"token": "not-a-token", "answers": {}},
    "POST /api/v1/surveys/{survey_id}/responses": {"token": "not-a-token", "answers": {}},
    "POST /api/v1/purpose-statements": {"text": "To help people learn what they love."},
    "POST /api/v1/impact-stories": {"title": "A story", "helped": "a user", "what_changed": "x"},
    "POST /api/v1/autonomy/people/{person_id}/levels": {"t": "task", "level": 1},
    "POST /api/v1/autonomy/people/{person_id}/decisions": {
        "t": "task",
        "level": 1,
        "outcome": "granted",
    },
    "PUT /api/v1/autonomy/time-policy": {"share_percent": 10, "weekly_hours": 40},
    "POST /api/v1/self-directed-projects": {"title": "A project"},
    "PATCH /api/v1/self-directed-projects/{project_id}": {"learned": "something"},
    "POST /api/v1/self-directed-projects/{project_id}/time": {"day": "2026-11-16", "hours": 1.5},
    "POST /api/v1/shipit-events": {"title": "Another day", "starts_at": "2027-02-10T09:00:00Z"},
    "POST /api/v1/shipit-events/{event_id}/proposals": {"title": "An idea"},
    "POST /api/v1/shipit-proposals/{proposal_id}/members": {},
    "PUT /api/v1/shipit-proposals/{proposal_id}/demo": {"title": "Demo", "summary": "It works"},
    "POST /api/v1/shipit-proposals/{proposal_id}/kudos": {},
    "PUT /api/v1/shipit-proposals/{proposal_id}/follow-up": {"outcome": "shipped"},
    "POST /api/v1/reviews": {"wins": "a small win"},
    "POST /api/v1/reviews/{review_id}/replies": {"body": "Well done"},
    "POST /api/v1/feedback": {"receiver_id": "$stranger", "body": "Thank you"},
    "POST /api/v1/feedback-requests": {"asked_id": "$stranger", "about": "my talk"},
    "POST /api/v1/recognition": {"recipient_ids": ["$stranger"], "body": "Thanks!"},
    "POST /api/v1/skills": {"name": "A new skill", "levels": ["a", "b", "c", "d", "e"]},
    "POST /api/v1/skills/{skill_id}/ratings": {"level": 3},
    "POST /api/v1/skills/{skill_id}/growth-areas": {"target_level": 3},
    "PUT /api/v1/advisor/checklist/{item}": {"done": True},
    "POST /api/v1/advisor/findings/{key}/acknowledgements": {"note": "seen"},
    "POST /api/v1/advisor/reward-style": {
        "job_role": "Engineer",
        "known_procedure": True,
        "countable": True,
        "quality_judged": False,
        "novel": False,
    },
    "POST /api/v1/incentives": {"what": "A prize", "outcome": "a result", "style": "now_that"},
    "POST /api/v1/one-on-ones": {"with_id": "$stranger", "relationship": "mentor"},
    "POST /api/v1/feedback-360-requests": {
        "asked_ids": ["$stranger"],
        "due": (dt.date.today() + dt.timedelta(days=7)).isoformat(),
    },
    "POST /api/v1/feedback-360-requests/{request_id}/answers": {"strengths": "Clear writing"},
    "POST /api/v1/feedback-360-requests/{request_id}/decision": {"accept": True},
    "PUT /api/v1/feedback-360-requests/{request_id}/sharing": {"answer_ids": []},
    "POST /api/v1/one-on-ones/meetings/{meeting_id}/talking-points": {"text": "A point"},
    "PATCH /api/v1/one-on-ones/talking-points/{point_id}": {"discussed": True},
    "POST /api/v1/one-on-ones/meetings/{meeting_id}/action-items": {
        "text": "Do it",
        "owner_id": "$person",
    },
    "PATCH /api/v1/one-on-ones/action-items/{item_id}": {"done": True},
    "PUT /api/v1/one-on-ones/meetings/{meeting_id}/shared-notes": {"text": "shared"},
    "PUT /api/v1/one-on-ones/meetings/{meeting_id}/private-note": {"text": "mine"},
    "PUT /api/v1/one-on-ones/{one_on_one_id}/summary-sharing": {"share": True},
}


# ----------------------------------------------------------------------------- parsing


def expectations(spec: str, *, anon: str) -> dict[str, dict[str, str]]:
    """role -> variant (own, other, report) -> outcome."""
    found: dict[str, dict[str, str]] = {"anon": {"own": anon}}
    for token in spec.split():
        roles, _, outcome = token.partition("=")
        own, other, report = [*outcome.split("|"), "", ""][:3]
        assert {own, other, report} <= OUTCOMES | {""}, f"unknown outcome in {spec!r}"
        other = other or own
        for part in roles.split(","):
            for role in GROUPS.get(part, (part,)):
                assert role in ROLES, f"unknown role {role!r} in {spec!r}"
                found[role] = {"own": own, "other": other, "report": report or other}
    missing = set(ROLES) - set(found)
    assert not missing, f"{spec!r} says nothing about {sorted(missing)}"
    return found


OUTCOMES = {"ok", "login", "invalid", "401", "403", "404", "405", "409"}


def outcome_of(status: int, location: str = "") -> str:
    if status in (301, 302, 303) and location.startswith(resolve_url(settings.LOGIN_URL)):
        return "login"
    if 200 <= status < 400:
        return "ok"
    if status in (400, 422):
        return "invalid"
    return str(status)


# ----------------------------------------------------------------------------- routes


def web_routes() -> dict[str, URLPattern]:
    """Every named route but the API's operations (those come from the OpenAPI schema), by
    its namespaced name."""

    def walk(resolver: URLResolver, namespace: str) -> Iterator[tuple[str, URLPattern]]:
        for p in resolver.url_patterns:
            if isinstance(p, URLResolver):
                yield from walk(p, p.namespace or namespace)
            elif namespace != "api" or p.callback.__module__ != "ninja.operation":
                assert p.name, f"unnamed route {p.pattern}"
                yield (f"{namespace}:{p.name}" if namespace else p.name), p

    return dict(walk(get_resolver(), ""))


def api_operations() -> list[str]:
    schema = api.get_openapi_schema()
    return sorted(
        f"{method.upper()} {path}" for path, ops in schema["paths"].items() for method in ops
    )


# ----------------------------------------------------------------------------- the world


@dataclass
class World:
    orgs: dict[str, Organisation]
    people: dict[str, Person]  # role (and "stranger:company", "stranger:school") -> person
    objects: dict[tuple[str, str], int] = field(default_factory=dict)  # (owner, kind) -> pk
    sessions: dict[str, str] = field(default_factory=dict)
    tokens: dict[str, str] = field(default_factory=dict)

    def org_of(self, role: str) -> str:
        return "school" if role in SCHOOL_ROLES else "company"

    def pk(self, role: str, kind: str, variant: str) -> int:
        org = self.org_of(role)
        if kind not in OWNED:
            return self.objects[(org, kind)]
        if variant == "report":  # the manager's (teacher's) report, in the team they lead
            owner = "student" if org == "school" else "member"
        else:
            owner = role if variant == "own" and role != "anon" else f"stranger:{org}"
        return self.objects[(owner, kind)]

    def client(self, role: str) -> Client:
        client = Client()
        if role != "anon":
            client.cookies[settings.SESSION_COOKIE_NAME] = self.sessions[role]
        return client


def _actor(person: Person) -> Actor:
    return Actor(
        organisation=person.organisation, role=person.role, user=person.user, person=person
    )


def _build() -> World:
    company = OrganisationFactory(name="Matrix Co", slug="matrix-co")
    school = OrganisationFactory(
        name="Matrix School", slug="matrix-school", kind=Organisation.Kind.SCHOOL
    )
    world = World(orgs={"company": company, "school": school}, people={})
    people = world.people
    for role in SIGNED_IN:
        org = school if role in SCHOOL_ROLES else company
        user = UserFactory(email=f"{role}@matrix.example")
        people[role] = PersonFactory(
            organisation=org, user=user, email=user.email, name=role.title(), role=ACCESS[role]
        )
    for key, org in (("company", company), ("school", school)):
        people[f"stranger:{key}"] = PersonFactory(
            organisation=org, name=f"Stranger {key}", email=f"stranger.{key}@matrix.example"
        )
    people["member"].manager = people["manager"]
    people["member"].save()
    people["student"].manager = people["teacher"]
    people["student"].save()
    # teams: (org, name, lead, members)
    teams = [
        (company, "Leadership", "admin", ["ops"]),
        (company, "Platform", "manager", ["member"]),
        (company, "Edge", None, ["stranger:company"]),
        (school, "Academy", "head", []),
        (school, "Class 7A", "teacher", ["student"]),
        (school, "Class 7B", None, ["stranger:school"]),
    ]
    for org, name, lead, members in teams:
        team = Team.objects.create(organisation=org, name=name)
        for who, role in [(lead, TeamMembership.Role.LEAD)] + [
            (m, TeamMembership.Role.MEMBER) for m in members
        ]:
            if who is None:
                continue
            row = TeamMembership.objects.create(
                organisation=org, team=team, person=people[who], role=role
            )
            world.objects[(who, "team")] = team.pk
            world.objects[(who, "membership")] = row.pk
    now = timezone.now()
    for key, org in world.orgs.items():
        cycle = CycleFactory(organisation=org, start=dt.date(2026, 10, 1), end=dt.date(2027, 3, 31))
        admin = people["admin" if key == "company" else "head"]
        parent = ObjectiveFactory(
            cycle=cycle, owner_kind="organisation", owner_person=None, author=admin
        )
        event = ShipItEvent.objects.create(
            organisation=org,
            title="ShipIt",
            starts_at=now - dt.timedelta(hours=1),
            ends_at=now + dt.timedelta(hours=23),
        )
        world.objects.update(
            {
                (key, "cycle"): cycle.pk,
                (key, "parent"): parent.pk,
                (key, "event"): event.pk,
                (key, "round"): RoundFactory(organisation=org).pk,
                (key, "skill"): Skill.objects.create(
                    organisation=org, name="Writing", levels=list("abcde")
                ).pk,
                (key, "incentive"): Incentive.objects.create(
                    organisation=org, what="A bonus", outcome="a result", style="if_then"
                ).pk,
                (key, "draft"): Draft.objects.create(
                    organisation=org, author=admin, text="We help people grow."
                ).pk,
            }
        )
        endpoint = Endpoint.objects.create(
            organisation=org, url="https://hooks.example.org/", events=["cycle.closed"]
        )
        world.objects[(key, "webhook")] = endpoint.pk
        world.objects[(key, "delivery")] = Delivery.objects.create(
            organisation=org, endpoint=endpoint, message_id="msg_1", event_type="x", payload={}
        ).pk
    week = timezone.localdate() - dt.timedelta(days=timezone.localdate().weekday())
    for owner, person in people.items():
        org_key = "school" if person.organisation_id == school.pk else "company"
        cycle_pk = world.objects[(org_key, "cycle")]
        objective = ObjectiveFactory(
            cycle_id=cycle_pk,
            organisation=person.organisation,
            owner_person=person,
            author=person,
            visibility=Objective.Visibility.PRIVATE,
        )
        proposal = Proposal.objects.create(
            organisation=person.organisation,
            event_id=world.objects[(org_key, "event")],
            author=person,
            title=f"{person.name}'s idea",
        )
        proposal.members.add(person)
        world.objects.update(
            {
                (owner, "person"): person.pk,
                (owner, "objective"): objective.pk,
                (owner, "key_result"): KeyResultFactory(objective=objective, owner=person).pk,
                (owner, "project"): Project.objects.create(
                    organisation=person.organisation, person=person, title="Side project"
                ).pk,
                (owner, "review"): Review.objects.create(
                    organisation=person.organisation, person=person, week=week, wins="a win"
                ).pk,
                (owner, "proposal"): proposal.pk,
                (owner, "notification"): Notification.objects.create(
                    organisation=person.organisation,
                    recipient=person,
                    kind="recognition",
                    title="Someone recognised you",
                    url="/mastery/recognition/",
                ).pk,
            }
        )
        if person.user is not None:
            if can(_actor(person), "tokens.create"):
                row, plaintext = core_services.create_token(actor=_actor(person), name="matrix")
            else:  # a student may not make one: the API still answers one made before
                plaintext = "amp_matrix_" + str(person.pk)
                row = ApiToken.objects.create(
                    organisation=person.organisation,
                    user=person.user,
                    name="matrix",
                    prefix=plaintext[:10],
                    digest=hashlib.sha256(plaintext.encode()).hexdigest(),
                )
            world.tokens[owner] = plaintext
            world.objects[(owner, "token")] = row.pk
            client = Client()
            client.force_login(person.user)
            world.sessions[owner] = client.cookies[settings.SESSION_COOKIE_NAME].value
        else:  # strangers sign in nowhere; their token row is someone else's token
            world.objects[(owner, "token")] = world.objects[
                ("admin" if org_key == "company" else "head", "token")
            ]
    _one_on_ones(world)
    # a guardian of the teacher's student (the company's routes answer 404 before looking)
    guardian = Guardian.objects.create(
        organisation=school, sourced_id="g1", name="A Guardian", email="guardian@matrix.example"
    )
    GuardianOf.objects.create(organisation=school, guardian=guardian, student=people["student"])
    world.objects[("school", "guardian")] = world.objects[("company", "guardian")] = guardian.pk
    # invitations to the other organisation, for every account (an outsider's for strangers)
    outsider = UserFactory(email="outsider@matrix.example")
    for owner in (*SIGNED_IN, "stranger:company", "stranger:school"):
        user = outsider if owner.startswith("stranger") else people[owner].user
        org = company if owner in SCHOOL_ROLES or owner == "stranger:company" else school
        invited = PersonFactory(organisation=org, name=f"Invited {owner}", email=user.email)
        world.objects[(owner, "invitation")] = Invitation.objects.create(
            organisation=org, person=invited, user=user
        ).pk
    # a passkey of an account none of the roles is (allauth.mfa looks it up among the
    # acting account's own)
    passkey = Authenticator.objects.create(
        user=outsider, type=Authenticator.Type.WEBAUTHN, data={"name": "outsider's key"}
    )
    world.objects[("company", "passkey")] = world.objects[("school", "passkey")] = passkey.pk
    return world


def _one_on_ones(world: World) -> None:
    """Each person's 1:1 with a mentor of their organisation (the stranger's too), with an
    open meeting, a talking point, an action item and the person's private note."""
    mentors = {
        key: PersonFactory(
            organisation=org, name=f"Mentor {key}", email=f"mentor.{key}@matrix.example"
        )
        for key, org in world.orgs.items()
    }
    for owner, person in world.people.items():
        org_key = "school" if person.organisation_id == world.orgs["school"].pk else "company"
        org = person.organisation
        series = OneOnOne.objects.create(
            organisation=org, person=person, lead=mentors[org_key], kind=OneOnOne.Kind.MENTOR
        )
        meeting = Meeting.objects.create(
            organisation=org, one_on_one=series, date=timezone.localdate()
        )
        PrivateNote.objects.create(organisation=org, meeting=meeting, author=person, text="mine")
        request = FeedbackRequest360.objects.create(
            organisation=org,
            receiver=person,
            requested_by=person,
            due=timezone.localdate() + dt.timedelta(days=7),
        )
        FeedbackAsked.objects.create(
            organisation=org, request=request, person=mentors[org_key], answered=True
        )
        FeedbackAnswer.objects.create(
            organisation=org,
            request=request,
            author=mentors[org_key],
            question="strengths",
            text="Listens well",
        )
        world.objects[(owner, "feedback_request")] = request.pk
        world.objects.update(
            {
                (owner, "one_on_one"): series.pk,
                (owner, "meeting"): meeting.pk,
                (owner, "talking_point"): TalkingPoint.objects.create(
                    organisation=org, meeting=meeting, author=person, text="A point"
                ).pk,
                (owner, "action_item"): ActionItem.objects.create(
                    organisation=org, meeting=meeting, owner=person, text="Do it"
                ).pk,
            }
        )


@pytest.fixture(scope="module")
def world(django_db_setup: Any, django_db_blocker: Any) -> Iterator[World]:
    """The small organisations, built once; everything is rolled back after the module."""
    with django_db_blocker.unblock(), transaction.atomic():
        built = _build()
        yield built
        transaction.set_rollback(True)


# ----------------------------------------------------------------------------- asking


def _resolve(value: Any, world: World, role: str) -> Any:
    if isinstance(value, str) and value.startswith("$"):
        kind = value[1:]
        if kind == "stranger":
            return world.people[f"stranger:{world.org_of(role)}"].pk
        return world.pk(role, kind, "own")
    if isinstance(value, list):
        return [_resolve(v, world, role) for v in value]
    if isinstance(value, dict):
        return {k: _resolve(v, world, role) for k, v in value.items()}
    return value


def _ask(
    world: World, role: str, method: str, url: str, body: Any = None, api_call: bool = False
) -> str:
    client = world.client(role) if not api_call else Client()
    headers = {}
    if api_call and role != "anon":
        headers["HTTP_AUTHORIZATION"] = f"Bearer {world.tokens[role]}"
    with transaction.atomic():
        if api_call:
            data = json.dumps(body) if body is not None else ""
            response = client.generic(method, url, data, content_type="application/json", **headers)
        elif method == "POST":
            response = client.post(url, body or {})
        else:
            response = client.get(url)
        transaction.set_rollback(True)
    return outcome_of(response.status_code, response.get("Location", ""))


def _check(rows: list[tuple[str, str, str, str]], route: str) -> None:
    """rows: (role, variant, expected, actual)."""
    wrong = [
        f"  {role} ({variant}): expected {e}, got {a}" for role, variant, e, a in rows if e != a
    ]
    if os.environ.get("AMPWORK_MATRIX_RECORD"):
        with open(os.environ["AMPWORK_MATRIX_RECORD"], "a") as out:
            out.write(json.dumps({"route": route, "rows": rows}) + "\n")
        return
    if wrong:
        pytest.fail(f"{route}:\n" + "\n".join(wrong), pytrace=False)


# ----------------------------------------------------------------------------- tests


def _variants(role: str, owned: bool) -> tuple[str, ...]:
    """Whose object a role asks about: their own and a colleague's; managers and teachers
    also their report's."""
    if not owned or role == "anon":
        return ("own",)
    return ("own", "other", "report") if role in ("manager", "teacher") else ("own", "other")


def _web_key_parts(key: str) -> tuple[str, str, str | None]:
    method, _, rest = key.rpartition(" ")
    name, _, word = rest.partition("/")
    return method or "GET", name, word or None


def test_every_route_is_in_the_table() -> None:
    listed = {_web_key_parts(k)[1] for k in WEB}
    routes = set(web_routes())
    assert not routes - listed, (
        f"web routes missing from the matrix — add them to WEB with what each role should "
        f"get (see this module's docstring): {sorted(routes - listed)}"
    )
    assert not listed - routes, (
        f"the matrix lists web routes that no longer exist: {sorted(listed - routes)}"
    )
    ops = set(api_operations())
    assert not ops - set(API), (
        f"API operations missing from the matrix — add them to API (and a body to BODIES): "
        f"{sorted(ops - set(API))}"
    )
    assert not set(API) - ops, (
        f"the matrix lists API operations that no longer exist: {sorted(set(API) - ops)}"
    )
    schema = api.get_openapi_schema()["paths"]
    for op in ops:
        method, path = op.split(" ", 1)
        for name in re.findall(r"{(\w+)}", path):
            assert name in PARAMS or name in FIXED, f"{op}: what kind of object is {{{name}}}?"
        if method in ("POST", "PUT", "PATCH") and "requestBody" in schema[path][method.lower()]:
            assert op in BODIES, f"{op}: add a minimal valid body to BODIES"


@pytest.mark.parametrize("key", sorted(WEB))
def test_web_route(key: str, world: World, django_db_blocker: Any) -> None:
    method, name, word = _web_key_parts(key)
    kind, spec = WEB[key]
    pattern = web_routes()[name]
    params = list(pattern.pattern.converters) if hasattr(pattern.pattern, "converters") else []
    params = params or list(re.compile(str(pattern.pattern.regex.pattern)).groupindex)
    expected = expectations(spec, anon="login")
    rows = []
    with django_db_blocker.unblock():
        for role in ROLES:
            for variant in _variants(role, kind in OWNED):
                kwargs: dict[str, Any] = {}
                for p in params:
                    if p in FIXED_WORDS:
                        kwargs[p] = word or FIXED[p]
                    else:
                        assert kind is not None, f"{key}: which kind of object is <{p}>?"
                        kwargs[p] = world.pk(role, kind, variant)
                url = reverse(name, kwargs=kwargs)
                want = expected[role][variant]
                form = _resolve(FORMS.get(key), world, role if role != "anon" else "admin")
                rows.append((role, variant, want, _ask(world, role, method, url, form)))
    _check(rows, key)


def _api_url(path: str, world: World, role: str, variant: str) -> str:
    def value(name: str) -> str:
        return str(FIXED[name] if name in FIXED else world.pk(role, PARAMS[name], variant))

    return re.sub(r"{(\w+)}", lambda m: value(m.group(1)), path)


@pytest.mark.parametrize("key", sorted(API))
def test_api_operation(key: str, world: World, django_db_blocker: Any) -> None:
    method, path = key.split(" ", 1)
    names = re.findall(r"{(\w+)}", path)
    owned = any(PARAMS.get(n) in OWNED for n in names)
    expected = expectations(API[key], anon="401")
    rows = []
    with django_db_blocker.unblock():
        for role in ROLES:
            for variant in _variants(role, owned):
                asking = role if role != "anon" else "admin"
                url = _api_url(path, world, asking, variant)
                body = _resolve(BODIES.get(key), world, asking)
                if body is None and method in ("POST", "PUT", "PATCH"):
                    body = {}
                want = expected[role][variant]
                rows.append((role, variant, want, _ask(world, role, method, url, body, True)))
    _check(rows, key)


def test_templates_ask_the_table(world: World) -> None:
    """The ShipIt page offers "Record what came of it" to whom the table lets record it:
    the project's team and whoever runs ShipIt days — not to a colleague outside the team."""
    company = world.orgs["company"]
    ended = ShipItEvent.objects.create(
        organisation=company,
        title="Last month's ShipIt",
        starts_at=timezone.now() - dt.timedelta(days=40),
        ends_at=timezone.now() - dt.timedelta(days=39),
    )
    idea = Proposal.objects.create(organisation=company, event=ended, title="An idea")
    idea.members.add(world.people["member"])
    url = reverse("autonomy:shipit_event", kwargs={"pk": ended.pk})
    offered = {
        role: "Record what came of it" in world.client(role).get(url).content.decode()
        for role in COMPANY_ROLES
    }
    assert offered == {"admin": True, "ops": True, "manager": True, "member": True}
    idea.members.set([world.people["stranger:company"]])
    assert "Record what came of it" not in world.client("member").get(url).content.decode()
    assert "Record what came of it" in world.client("manager").get(url).content.decode()


def test_teachers_may_in_a_school_what_managers_may_not_in_a_company() -> None:
    """Teachers (the manager role) define skills, record incentives and publish the purpose
    of their school — without naming an object, as the services ask (they used to be
    refused: their grant only held when an object was passed)."""
    company = Organisation(pk=1, name="Co", slug="co")
    school = Organisation(pk=2, name="School", slug="school", kind=Organisation.Kind.SCHOOL)
    # pulse.create: the new-pulse page; which classes a teacher may pick is pulse.for_team
    for action in ("skills.define", "incentives.edit", "purpose.manage", "pulse.create"):
        assert can(Actor(organisation=school, role=Role.MANAGER), action), action
        assert not can(Actor(organisation=company, role=Role.MANAGER), action), action
        assert not can(Actor(organisation=school, role=Role.MEMBER), action), action
    assert can(Actor(organisation=school, role=Role.MANAGER), "privacy.view")
    assert not can(Actor(organisation=company, role=Role.MANAGER), "privacy.view")
    assert SCHOOL_RULES.keys() == {
        "skills.define",
        "incentives.edit",
        "purpose.manage",
        "pulse.create",
        "privacy.view",
        # high-privacy defaults: what everyone gets in a company, a school's students do not
        "purpose.shared_by_default",
        "recognition.feed",
        "recognition.give",
        # s15G: a personal API token — never a school's student (a class-code sign-in)
        "tokens.create",
        # the whole directory and people's addresses — never a school's student
        "people.view_everyone",
        "people.view_email",
    }
    for action in (
        "purpose.shared_by_default",
        "recognition.feed",
        "recognition.give",
        "tokens.create",
        "people.view_everyone",
        "people.view_email",
    ):
        assert can(Actor(organisation=company, role=Role.MEMBER), action), action
        assert can(Actor(organisation=school, role=Role.MANAGER), action), action
        assert not can(Actor(organisation=school, role=Role.MEMBER), action), action
