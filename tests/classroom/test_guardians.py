"""Guardians (issue 20): a guardian signs in through a one-time invitation and reads their
own child's goals, shared reflections and shared feedback — as the child's classes share
them — and nothing else: every other route refuses them, another child's page is a 404,
an unshared item never shows. Invitation links that are expired, used or someone else's
are refused with a clear message and write nothing."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.core import mail
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from ampwork.classroom import family_selectors, family_services, rules
from ampwork.classroom import services as roster_services
from ampwork.classroom.models import FamilySharing, Guardian, GuardianInvite, GuardianOf
from ampwork.core.errors import NotAllowed, NotFound, ValidationFailed
from ampwork.core.models import AuditEvent, Organisation, Person, Role, Team, TeamMembership, User
from ampwork.core.permissions import Actor, can
from ampwork.mastery import services as mastery_services
from ampwork.mastery.models import Feedback, Review
from ampwork.okrs.models import Objective
from tests.pages import text_of

from ..core.test_permission_matrix import (
    API,
    FIXED,
    WEB,
    _web_key_parts,
    api_operations,
    web_routes,
)
from ..factories import (
    CycleFactory,
    KeyResultFactory,
    MembershipFactory,
    ObjectiveFactory,
    PersonFactory,
    TeamFactory,
    UserFactory,
)
from . import bundle

PASSWORD = "correct horse battery"
WEEK = timezone.localdate() - dt.timedelta(days=timezone.localdate().weekday())


@pytest.fixture
def hill(
    school: Organisation, make_person: Callable[..., Person], actor_of: Callable[[Person], Actor]
) -> dict[str, Any]:
    """8C (Tara) with Ann and Ben; 8D (Dev) with Eli. Gina is Ann's guardian and signs in;
    Hugo is Eli's. Ann has a goal, a private goal, a shared and an unshared reflection, and
    a shared and an unshared piece of feedback; Ben and Eli have shared items too."""
    head = make_person(school, Role.ADMIN, name="Hana Head")
    tara = make_person(school, Role.MANAGER, name="Tara Teacher")
    dev = make_person(school, Role.MANAGER, name="Dev Teacher")
    ann = make_person(school, Role.MEMBER, name="Ann")
    ben = PersonFactory(organisation=school, name="Ben")
    eli = PersonFactory(organisation=school, name="Eli")
    c8 = TeamFactory(organisation=school, name="8C")
    d8 = TeamFactory(organisation=school, name="8D")
    MembershipFactory(team=c8, person=tara, role=TeamMembership.Role.LEAD)
    MembershipFactory(team=d8, person=dev, role=TeamMembership.Role.LEAD)
    for student, team in ((ann, c8), (ben, c8), (eli, d8)):
        MembershipFactory(team=team, person=student)
    gina_user = UserFactory(email="gina@example.org")
    gina = Guardian.objects.create(
        organisation=school, sourced_id="g1", name="Gina", email="gina@example.org", user=gina_user
    )
    hugo = Guardian.objects.create(
        organisation=school, sourced_id="g2", name="Hugo", email="hugo@example.org"
    )
    GuardianOf.objects.create(organisation=school, guardian=gina, student=ann)
    GuardianOf.objects.create(organisation=school, guardian=hugo, student=eli)
    cycle = CycleFactory(organisation=school)
    goal = ObjectiveFactory(cycle=cycle, owner_person=ann, author=ann, title="Read ten books")
    KeyResultFactory(objective=goal, owner=ann, title="Books read")
    ObjectiveFactory(
        cycle=cycle,
        owner_person=ann,
        author=ann,
        title="My secret goal",
        visibility=Objective.Visibility.PRIVATE,
    )
    ObjectiveFactory(cycle=cycle, owner_person=ben, author=ben, title="Ben's goal")
    ObjectiveFactory(cycle=cycle, owner_person=eli, author=eli, title="Eli's goal")
    for person, text, shared, week in (
        (ann, "Ann shared this", True, WEEK),
        (ann, "Ann kept this", False, WEEK - dt.timedelta(days=7)),
        (ben, "Ben shared this", True, WEEK),
        (eli, "Eli shared this", True, WEEK),
    ):
        Review.objects.create(
            organisation=school, person=person, week=week, wins=text, share_with_family=shared
        )
    for receiver, text, shared in (
        (ann, "Tara to Ann's family", True),
        (ann, "Tara to Ann only", False),
        (ben, "Tara to Ben's family", True),
    ):
        Feedback.objects.create(
            organisation=school, giver=tara, receiver=receiver, body=text, share_with_family=shared
        )
    client = Client()
    client.force_login(gina_user)
    return {
        "school": school,
        "head": head,
        "tara": tara,
        "dev": dev,
        "ann": ann,
        "ben": ben,
        "eli": eli,
        "8C": c8,
        "8D": d8,
        "gina": gina,
        "hugo": hugo,
        "gina_client": client,
        "head_actor": actor_of(head),
        "tara_actor": actor_of(tara),
        "dev_actor": actor_of(dev),
        "ann_actor": actor_of(ann),
    }


def _share(team: Any, **kinds: bool) -> None:
    FamilySharing.objects.update_or_create(
        team=team, defaults={"organisation": team.organisation, **kinds}
    )


def _child_page(hill: dict[str, Any], student: Person) -> Any:
    return hill["gina_client"].get(reverse("classroom:child", args=[student.pk]))


# ---------------------------------------------------------------- what a guardian reads


def test_the_guardian_reads_what_the_class_shares_and_nothing_unshared(
    hill: dict[str, Any],
) -> None:
    _share(hill["8C"], goals=True, reflections=True, feedback=True)
    page = _child_page(hill, hill["ann"])
    assert page.status_code == 200
    text = page.content.decode()
    for shown in ("Read ten books", "Books read", "Ann shared this", "Tara to Ann&#x27;s family"):
        assert shown in text, shown
    for hidden in (
        "My secret goal",  # private
        "Ann kept this",  # not marked for the family
        "Tara to Ann only",  # not shared with the family
        "Ben",  # another student of the class, never
        "Eli",
    ):
        assert hidden not in text, hidden
    assert page["Cache-Control"].startswith("private") or "no-store" in page["Cache-Control"]


def test_only_the_kinds_the_class_shares(hill: dict[str, Any]) -> None:
    page = _child_page(hill, hill["ann"]).content.decode()  # nothing shared yet
    assert "do not share anything" in page
    assert "Read ten books" not in page
    assert "Ann shared this" not in page
    _share(hill["8C"], goals=True)
    page = _child_page(hill, hill["ann"]).content.decode()
    assert "Read ten books" in page
    assert "Ann shared this" not in page
    assert "Tara to Ann" not in page


def test_several_classes_combine_a_kind_shows_when_one_class_shares_it(
    hill: dict[str, Any],
) -> None:
    MembershipFactory(team=hill["8D"], person=hill["ann"])
    _share(hill["8C"], goals=True, reflections=False)
    _share(hill["8D"], reflections=True)
    view = family_selectors.child_view(hill["gina"].user, hill["ann"].pk)
    assert view.shared == {"goals", "reflections"}
    assert [r.wins for r in view.reflections] == ["Ann shared this"]
    assert view.feedback == []
    # a class the student leads (a teacher's) is not one of their classes
    TeamMembership.objects.filter(team=hill["8D"], person=hill["ann"]).update(
        role=TeamMembership.Role.LEAD
    )
    assert family_selectors.child_view(hill["gina"].user, hill["ann"].pk).shared == {"goals"}


def test_another_child_is_a_404_whatever_the_id(hill: dict[str, Any]) -> None:
    """The attack: change the id in the URL — to a classmate, a child of another class
    (whose class shares everything), a teacher, the guardian's own id, a huge number."""
    _share(hill["8C"], goals=True, reflections=True, feedback=True)
    _share(hill["8D"], goals=True, reflections=True, feedback=True)
    for pk in (
        hill["ben"].pk,
        hill["eli"].pk,
        hill["tara"].pk,
        hill["head"].pk,
        hill["gina"].pk,
        999_999,
        2**31,
        2**63,
    ):
        page = hill["gina_client"].get(f"/classroom/family/children/{pk}/")
        assert page.status_code == 404, pk
        body = page.content.decode()
        assert "shared this" not in body
        assert "goal" not in body.lower().replace("goals", "")


def test_a_guardian_who_left_or_a_child_who_left_reads_nothing(hill: dict[str, Any]) -> None:
    _share(hill["8C"], goals=True)
    assert _child_page(hill, hill["ann"]).status_code == 200
    Person.objects.filter(pk=hill["ann"].pk).update(active=False)
    assert _child_page(hill, hill["ann"]).status_code == 404
    Person.objects.filter(pk=hill["ann"].pk).update(active=True)
    Guardian.objects.filter(pk=hill["gina"].pk).update(active=False)
    assert _child_page(hill, hill["ann"]).status_code == 404
    assert hill["gina_client"].get(reverse("classroom:family")).status_code == 403


def test_the_family_page_refuses_anyone_else_in_their_language(hill: dict[str, Any]) -> None:
    Guardian.objects.filter(pk=hill["gina"].pk).update(active=False)
    client = hill["gina_client"]
    german = client.get(reverse("classroom:family"), HTTP_ACCEPT_LANGUAGE="de")
    assert german.status_code == 403
    assert "Diese Seite ist für Erziehungsberechtigte." in german.content.decode()
    english = client.get(reverse("classroom:family"), HTTP_ACCEPT_LANGUAGE="en")
    assert "This page is for guardians." in english.content.decode()


def test_family_reads_is_the_guardians_rule(hill: dict[str, Any]) -> None:
    user = hill["gina"].user
    assert rules.family_reads(user, hill["ann"])
    assert not rules.family_reads(user, hill["ben"])
    assert not rules.family_reads(None, hill["ann"])
    assert not rules.family_reads(user, hill["gina"])  # not a Person
    assert not rules.family_reads(hill["tara"].user, hill["ann"])  # a teacher is no guardian


def test_the_guardians_home_is_the_family_page(hill: dict[str, Any]) -> None:
    client = hill["gina_client"]
    home = client.get("/")
    assert home.status_code == 302
    assert home["Location"] == reverse("classroom:family")
    family = text_of(client.get(reverse("classroom:family")))
    assert "Ann" in family
    assert "Ben" not in family
    assert "Eli" not in family


# ---------------------------------------------------------------- every route refuses them

# what a guardian may open besides their child's page: their account (sign in and out,
# change their password, invitations to organisations — none), the methods page every
# account reads, the health and API-description routes anyone reads, and links that
# answer a secret (none here: 404 or 400)
GUARDIAN_MAY = {
    "classroom:family": "ok",
    "classroom:child": "ok",
    "classroom:join": "invalid",
    "core:join": "invalid",  # a forged sign-in invitation: says so
    "usersessions_list": "ok",  # their own sessions
    "POST core:set_language": "ok",  # the footer's language switcher: a cookie, for anyone
    "classroom:families": "404",
    # class-code sign-in's steps need no sign-in (a student's; nobody is listed for a guardian)
    "classroom:code_sign_in": "ok",
    "classroom:code_names": "ok",
    "classroom:code_secret": "ok",
    "core:home": "ok",  # a redirect to the family page (asserted above)
    "core:login": "ok",
    "POST core:logout": "login",
    "core:password_change": "ok",
    "account_change_password": "ok",  # the same page, allauth's name for it
    "POST account_logout": "login",
    "core:invitations": "ok",
    "POST core:invitation_accept": "404",
    "POST core:invitation_decline": "404",
    "core:methods": "ok",
    "healthz": "ok",
    "readyz": "ok",
    "metrics": "ok",
    "api:openapi-json": "ok",
    "api:openapi-view": "ok",
    "api:api-root": "404",
    "pulse:answer_link": "404",
    "feeds:ics": "404",
    "notifications:unsubscribe": "404",
    "chat:link": "403",
    "POST chat:slack_events": "404",
    # their own account: signing in, a password reset, two-factor sign-in (allauth's pages:
    # nothing in them is anyone else's; with no such authenticator, 404)
    **dict.fromkeys(
        (
            "account_inactive",
            "account_login",
            "account_reauthenticate",
            "account_reset_password",
            "account_reset_password_done",
            "account_reset_password_from_key",
            "account_reset_password_from_key_done",
            "mfa_activate_totp",
            "mfa_add_webauthn",
            "mfa_authenticate",
            "mfa_edit_webauthn",  # a redirect: confirm it is you (then 404: not yours)
            "mfa_generate_recovery_codes",
            "mfa_index",
            "mfa_list_webauthn",
            "mfa_reauthenticate",
            "mfa_reauthenticate_webauthn",
            "mfa_remove_webauthn",  # as mfa_edit_webauthn
            "socialaccount_login_cancelled",
        ),
        "ok",
    ),
    **dict.fromkeys(
        (
            "mfa_deactivate_totp",
            "mfa_download_recovery_codes",
            "mfa_view_recovery_codes",
            "openid_connect_callback",  # no such organisation's provider
            "openid_connect_login",
        ),
        "404",
    ),
    "socialaccount_login_error": "401",  # allauth's status for a failed provider sign-in
    # SCIM answers an identity provider's token, never a session
    **dict.fromkeys(
        (
            "scim:group",
            "scim:groups",
            "scim:resource_type",
            "scim:resource_types",
            "scim:schema",
            "scim:schemas",
            "scim:service_provider_config",
            "scim:user",
            "scim:users",
        ),
        "401",
    ),
}


def _outcome(status: int, location: str = "") -> str:
    if status in (301, 302) and location.startswith(reverse("core:login")):
        return "login"  # signed out: never expected of a guardian's session
    if 200 <= status < 400:
        return "ok"
    return "invalid" if status in (400, 422) else str(status)


def test_a_guardian_is_refused_every_route_but_their_own(hill: dict[str, Any]) -> None:
    """Every web route of the permission matrix (the URL list itself), asked by a signed-in
    guardian with their own child's id wherever a route takes an id: 403 everywhere but
    the few above. Every API operation: refused."""
    _share(hill["8C"], goals=True, reflections=True, feedback=True)
    client = hill["gina_client"]
    routes = web_routes()
    wrong = []
    # signing out last: the session must hold for every other route
    for key in sorted(WEB, key=lambda k: k in ("POST core:logout", "POST account_logout")):
        method, name, word = _web_key_parts(key)
        pattern = routes[name]
        params = list(getattr(pattern.pattern, "converters", {}))
        params = params or list(re.compile(str(pattern.pattern.regex.pattern)).groupindex)
        kwargs = {
            p: (word or FIXED[p]) if p in FIXED or p == "action" else hill["ann"].pk for p in params
        }
        url = reverse(name, kwargs=kwargs)
        response = client.post(url, {}) if method == "POST" else client.get(url)
        got = _outcome(response.status_code, response.get("Location", ""))
        want = GUARDIAN_MAY.get(key, GUARDIAN_MAY.get(name, "403"))
        if got != want:
            wrong.append(f"{key} {url}: expected {want}, got {got}")
        if got == "ok" and name not in ("classroom:child",):
            assert "Ann shared this" not in response.content.decode()
    assert not wrong, "\n".join(wrong)
    for op in api_operations():
        method, path = op.split(" ", 1)
        url = re.sub(r"{(\w+)}", lambda m: str(FIXED.get(m.group(1), hill["ann"].pk)), path)
        response = client.generic(method, url, "{}", content_type="application/json")
        # the operations anyone may call answer a secret (none here): a 4xx for its absence
        refused = (401, 403) if "anon=" not in API[op] else (404, 422)
        assert response.status_code in refused, f"{op}: {response.status_code}"
        assert b"Ann shared this" not in response.content


def test_the_refusal_points_a_guardian_to_their_family_page(hill: dict[str, Any]) -> None:
    page = hill["gina_client"].get(reverse("okrs:alignment"))
    assert page.status_code == 403
    assert reverse("classroom:family") in page.content.decode()


def test_people_of_the_school_cannot_open_a_childs_family_page(
    hill: dict[str, Any], client: Client
) -> None:
    _share(hill["8C"], goals=True)
    for who in ("tara", "head", "ann"):
        client.force_login(hill[who].user)
        assert client.get(reverse("classroom:child", args=[hill["ann"].pk])).status_code == 404
        assert client.get(reverse("classroom:family")).status_code == 403


# ---------------------------------------------------------------- invitations


def _invite(
    hill: dict[str, Any], actor: str, guardian: str, capture: Any
) -> tuple[GuardianInvite, str]:
    with capture(execute=True):
        row = family_services.invite_guardian(actor=hill[actor], guardian_id=hill[guardian].pk)
    letter = mail.outbox[-1]
    assert letter.to == [hill[guardian].email]
    found = re.search(r"/classroom/join/([\w-]+)/", letter.body)
    assert found is not None
    return row, found.group(1)


def test_a_teacher_invites_a_guardian_of_their_student_by_email(
    hill: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    row, code = _invite(hill, "dev_actor", "hugo", django_capture_on_commit_callbacks)
    assert row.digest == family_selectors.code_digest(code)
    assert code not in row.digest
    assert row.expires_at - timezone.now() > dt.timedelta(days=6, hours=23)
    assert row.expires_at - timezone.now() <= dt.timedelta(days=7)
    assert "Eli" in mail.outbox[-1].subject


def test_only_the_childs_teachers_and_heads_invite(
    hill: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    for actor in ("tara_actor", "ann_actor"):  # Tara teaches 8C, not Eli; Ann is a student
        with pytest.raises(NotAllowed):
            family_services.invite_guardian(actor=hill[actor], guardian_id=hill["hugo"].pk)
    assert not GuardianInvite.objects.exists()
    assert mail.outbox == []
    _invite(hill, "head_actor", "hugo", django_capture_on_commit_callbacks)
    with pytest.raises(NotFound):
        family_services.invite_guardian(actor=hill["head_actor"], guardian_id=10**6)


def test_a_guardian_follows_the_link_and_sets_a_password(
    hill: dict[str, Any], django_capture_on_commit_callbacks: Any, client: Client
) -> None:
    _row, code = _invite(hill, "dev_actor", "hugo", django_capture_on_commit_callbacks)
    url = reverse("classroom:join", args=[code])
    assert "Choose a password" in client.get(url).content.decode()
    short = client.post(url, {"new_password1": "abc", "new_password2": "abc"})
    assert short.status_code == 400
    assert not User.objects.filter(email="hugo@example.org").exists()
    done = client.post(url, {"new_password1": PASSWORD, "new_password2": PASSWORD})
    assert done.status_code == 302
    assert done["Location"] == reverse("classroom:family")
    hugo = Guardian.objects.get(pk=hill["hugo"].pk)
    assert hugo.user is not None
    assert hugo.user.check_password(PASSWORD)
    assert client.get(reverse("classroom:child", args=[hill["eli"].pk])).status_code == 200
    # the link was used: following it again is refused, and nothing changes
    again = client.post(url, {"new_password1": "another " + PASSWORD, "new_password2": "x"})
    assert again.status_code == 400
    page = Client().get(url)
    assert page.status_code == 400
    assert "has been used already" in page.content.decode()
    assert User.objects.filter(email="hugo@example.org").count() == 1
    with pytest.raises(ValidationFailed, match="used already"):
        family_services.accept_with_password(code=code, password="yet another " + PASSWORD)


def test_an_expired_link_is_refused_and_writes_nothing(
    hill: dict[str, Any], django_capture_on_commit_callbacks: Any, client: Client
) -> None:
    row, code = _invite(hill, "dev_actor", "hugo", django_capture_on_commit_callbacks)
    GuardianInvite.objects.filter(pk=row.pk).update(expires_at=timezone.now())
    url = reverse("classroom:join", args=[code])
    page = client.get(url)
    assert page.status_code == 400
    assert "has expired" in page.content.decode()
    client.post(url, {"new_password1": PASSWORD, "new_password2": PASSWORD})
    assert not User.objects.filter(email="hugo@example.org").exists()
    assert Guardian.objects.get(pk=hill["hugo"].pk).user is None
    assert GuardianInvite.objects.get(pk=row.pk).used_at is None
    # a minute before it expires, it works
    GuardianInvite.objects.filter(pk=row.pk).update(
        expires_at=timezone.now() + dt.timedelta(minutes=1)
    )
    assert client.get(url).status_code == 200


@pytest.mark.parametrize(
    ("before_expiry", "valid"),
    [
        (dt.timedelta(microseconds=1), True),  # just before
        (dt.timedelta(0), False),  # exactly at its expiry: expired
        (-dt.timedelta(microseconds=1), False),  # just after
    ],
)
def test_an_invitation_expires_exactly_at_its_expiry(
    hill: dict[str, Any],
    django_capture_on_commit_callbacks: Any,
    monkeypatch: pytest.MonkeyPatch,
    before_expiry: dt.timedelta,
    valid: bool,
) -> None:
    row, code = _invite(hill, "dev_actor", "hugo", django_capture_on_commit_callbacks)
    monkeypatch.setattr(timezone, "now", lambda: row.expires_at - before_expiry)
    state = family_selectors.invite_of(code)
    assert (state.invite is not None) is valid
    assert state.problem == ("" if valid else family_selectors.EXPIRED)


def test_an_unknown_link_is_refused(client: Client, hill: dict[str, Any]) -> None:
    for code in ("not-a-code", "x" * 500):
        page = client.get(f"/classroom/join/{code}/")
        assert page.status_code == 400
        assert "not valid" in page.content.decode()
    assert not User.objects.filter(email="hugo@example.org").exists()


def test_a_second_invitation_replaces_the_first(
    hill: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    first, old = _invite(hill, "dev_actor", "hugo", django_capture_on_commit_callbacks)
    # sent more than 10 minutes ago (a new one sooner is refused: see below)
    GuardianInvite.objects.filter(pk=first.pk).update(
        created_at=timezone.now() - dt.timedelta(minutes=11)
    )
    _second, new = _invite(hill, "head_actor", "hugo", django_capture_on_commit_callbacks)
    assert family_selectors.invite_of(old).problem == family_selectors.NOT_VALID
    assert family_selectors.invite_of(new).invite is not None


def test_an_existing_account_signs_in_and_accepts_never_attached_silently(
    hill: dict[str, Any], django_capture_on_commit_callbacks: Any, client: Client
) -> None:
    existing = UserFactory(email="hugo@example.org")
    _row, code = _invite(hill, "dev_actor", "hugo", django_capture_on_commit_callbacks)
    url = reverse("classroom:join", args=[code])
    page = client.get(url).content.decode()
    assert "already uses your email" in page
    assert "new_password1" not in page
    # setting a password, or accepting without signing in, attaches nothing
    client.post(url, {"new_password1": PASSWORD, "new_password2": PASSWORD})
    with pytest.raises(ValidationFailed, match="sign in and accept"):
        family_services.accept_with_password(code=code, password=PASSWORD)
    assert Guardian.objects.get(pk=hill["hugo"].pk).user is None
    # a foreign account, signed in, is refused with the reason
    client.force_login(hill["tara"].user)
    assert "another email address" in client.get(url).content.decode()
    client.post(url)
    assert Guardian.objects.get(pk=hill["hugo"].pk).user is None
    assert family_selectors.invite_of(code).invite is not None  # still unused
    # the account that owns the email accepts
    client.force_login(existing)
    done = client.post(url)
    assert done.status_code == 302
    assert done["Location"] == reverse("classroom:family")
    assert Guardian.objects.get(pk=hill["hugo"].pk).user == existing
    assert User.objects.filter(email__iexact="hugo@example.org").count() == 1


def test_a_guardian_without_an_email_cannot_be_invited(hill: dict[str, Any]) -> None:
    Guardian.objects.filter(pk=hill["hugo"].pk).update(email="")
    with pytest.raises(ValidationFailed, match="no email"):
        family_services.invite_guardian(actor=hill["dev_actor"], guardian_id=hill["hugo"].pk)
    assert not GuardianInvite.objects.exists()


# ---------------------------------------------------------------- what a class shares


def test_a_class_teacher_or_the_head_sets_what_families_see(hill: dict[str, Any]) -> None:
    family_services.set_sharing(
        actor=hill["tara_actor"], team=hill["8C"], goals=True, reflections=False, feedback=True
    )
    assert family_selectors.sharing_of(hill["8C"]).goals
    for actor in ("tara_actor", "ann_actor"):  # 8D is Dev's; a student sets nothing
        with pytest.raises(NotAllowed):
            family_services.set_sharing(
                actor=hill[actor], team=hill["8D"], goals=True, reflections=True, feedback=True
            )
    assert not FamilySharing.objects.filter(team=hill["8D"]).exists()
    family_services.set_sharing(
        actor=hill["head_actor"], team=hill["8D"], goals=False, reflections=True, feedback=False
    )
    assert family_selectors.sharing_of(hill["8D"]).reflections


def test_the_families_page_lists_the_teachers_own(hill: dict[str, Any], client: Client) -> None:
    client.force_login(hill["tara"].user)
    page = text_of(client.get(reverse("classroom:families_page")))
    assert "8C" in page
    assert "Gina" in page
    assert "8D" not in page
    assert "Hugo" not in page
    client.force_login(hill["head"].user)
    page = client.get(reverse("classroom:families_page")).content.decode()
    assert "8C" in page
    assert "8D" in page
    assert "Hugo" in page
    response = client.post(
        reverse("classroom:class_sharing", args=[hill["8D"].pk]), {"feedback": "on"}
    )
    assert response.status_code == 302
    assert family_selectors.sharing_of(hill["8D"]).feedback


# ---------------------------------------------------------------- mastery's two choices


def test_a_student_shares_a_reflection_with_their_family_in_a_school_only(
    hill: dict[str, Any], make_person: Callable[..., Person], actor_of: Callable[[Person], Actor]
) -> None:
    review = mastery_services.save_review(
        actor=hill["ann_actor"], week=WEEK, wins="a win", share_with_family=False
    )
    assert not review.share_with_family
    review = mastery_services.save_review(actor=hill["ann_actor"], week=WEEK, wins="a win")
    assert not review.share_with_family  # None: as it was
    review = mastery_services.save_review(
        actor=hill["ann_actor"], week=WEEK, wins="a win", share_with_family=True
    )
    assert review.share_with_family
    company = Organisation.objects.create(name="Co", slug="co")
    worker = actor_of(make_person(company, Role.MEMBER))
    review = mastery_services.save_review(actor=worker, wins="a win", share_with_family=True)
    assert not review.share_with_family


def test_the_review_form_offers_the_choice_in_a_school(
    hill: dict[str, Any], client: Client
) -> None:
    client.force_login(hill["ann"].user)
    url = reverse("mastery:review_form")
    assert "Share with my family" in client.get(url).content.decode()
    response = client.post(url, {"wins": "I finished a book", "share_with_family": "on"})
    assert response.status_code == 302
    assert Review.objects.get(person=hill["ann"], week=WEEK).share_with_family


def test_only_a_teacher_of_the_student_shares_feedback_with_the_family(
    hill: dict[str, Any],
) -> None:
    given = mastery_services.give_feedback(
        actor=hill["tara_actor"], receiver_id=hill["ann"].pk, body="Great", share_with_family=True
    )
    assert given.share_with_family
    given = mastery_services.give_feedback(
        actor=hill["head_actor"], receiver_id=hill["eli"].pk, body="Good", share_with_family=True
    )
    assert given.share_with_family
    before = Feedback.objects.count()
    for actor, receiver in (("tara_actor", "eli"), ("ann_actor", "ben"), ("dev_actor", "ann")):
        with pytest.raises(ValidationFailed, match="only a teacher"):
            mastery_services.give_feedback(
                actor=hill[actor], receiver_id=hill[receiver].pk, body="x", share_with_family=True
            )
    assert Feedback.objects.count() == before


def test_the_feedback_form_offers_the_choice_to_teachers(
    hill: dict[str, Any], client: Client
) -> None:
    client.force_login(hill["tara"].user)
    assert "Share with the student" in client.get(reverse("mastery:feedback")).content.decode()
    client.force_login(hill["ann"].user)
    assert "Share with the student" not in client.get(reverse("mastery:feedback")).content.decode()


def test_an_export_of_the_school_carries_the_guardians_sign_in(hill: dict[str, Any]) -> None:
    """The guardian's account is no person of the school, yet their row points to it: the
    export holds it, or the export would not restore."""
    from ampwork.core import backup

    document = backup.export([hill["school"].pk], [hill["school"].slug])
    emails = {o["fields"]["email"] for o in document["objects"] if o["model"] == "core.user"}
    assert "gina@example.org" in emails
    assert hill["tara"].user.email in emails
    assert any(o["model"] == "classroom.guardian" for o in document["objects"])


# ---------------------------------------------------------------- review: the attacks


@pytest.fixture
def rostered(
    school: Organisation, make_person: Callable[..., Person], actor_of: Callable[[Person], Actor]
) -> dict[str, Any]:
    """A school rostered from the OneRoster bundle: Pat Parent (g-1) is Student1's guardian
    and signs in with an account of their own; Student1's class shares goals."""
    head = actor_of(make_person(school, Role.ADMIN, name="Hana Head"))
    roster_services.import_roster(actor=head, files=bundle.files())
    pat = Guardian.objects.get(organisation=school, sourced_id="g-1")
    account = UserFactory(email="pat.parent@home.example")
    Guardian.objects.filter(pk=pat.pk).update(user=account)
    child = Person.objects.get(organisation=school, email="student1@hillside.example")
    for team_id in TeamMembership.objects.filter(person=child).values_list("team_id", flat=True):
        FamilySharing.objects.create(organisation=school, team_id=team_id, goals=True)
    client = Client()
    client.force_login(account)
    assert client.get(reverse("classroom:child", args=[child.pk])).status_code == 200
    return {"head": head, "pat": pat, "account": account, "child": child, "client": client}


def _reimport_with_pat_at(head: Actor, email: str) -> None:
    records = bundle.rows()
    for user in records["users.csv"]:
        if user["sourcedId"] == "g-1":
            user["email"] = email
    roster_services.import_roster(actor=head, files=bundle.files(records))


def test_the_roster_changing_the_email_voids_a_pending_invitation(
    rostered: dict[str, Any], django_capture_on_commit_callbacks: Any, client: Client
) -> None:
    """The attack: a link sent to the old address (a custody change, a reused sourcedId)
    is followed after the roster changed the guardian's email — it must not create an
    account for the new address, nor for the old one."""
    Guardian.objects.filter(pk=rostered["pat"].pk).update(user=None)
    with django_capture_on_commit_callbacks(execute=True):
        family_services.invite_guardian(actor=rostered["head"], guardian_id=rostered["pat"].pk)
    found = re.search(r"/classroom/join/([\w-]+)/", mail.outbox[-1].body)
    assert found is not None
    code = found.group(1)
    assert GuardianInvite.objects.get().email == "pat.parent@home.example"
    _reimport_with_pat_at(rostered["head"], "new.carer@home.example")
    assert not GuardianInvite.objects.exists()  # the unused invitation is gone
    users = User.objects.count()
    url = reverse("classroom:join", args=[code])
    assert client.get(url).status_code == 400
    client.post(url, {"new_password1": PASSWORD, "new_password2": PASSWORD})
    with pytest.raises(ValidationFailed):
        family_services.accept_with_password(code=code, password=PASSWORD)
    assert User.objects.count() == users
    assert not User.objects.filter(email="new.carer@home.example").exists()
    assert Guardian.objects.get(pk=rostered["pat"].pk).user is None
    event = AuditEvent.objects.get(action="guardian.email_changed")
    assert event.detail == {"account_detached": False, "invitations_removed": 1}


def test_a_link_for_an_email_no_longer_on_record_is_refused_and_writes_nothing(
    hill: dict[str, Any], django_capture_on_commit_callbacks: Any, client: Client
) -> None:
    """Whatever changed the email (not only the roster import), the link names the address
    it was sent to: another address on record now, it is refused with the reason."""
    row, code = _invite(hill, "dev_actor", "hugo", django_capture_on_commit_callbacks)
    assert row.email == "hugo@example.org"
    Guardian.objects.filter(pk=hill["hugo"].pk).update(email="someone.else@example.org")
    url = reverse("classroom:join", args=[code])
    page = client.get(url)
    assert page.status_code == 400
    assert "no longer has for you" in page.content.decode()
    client.post(url, {"new_password1": PASSWORD, "new_password2": PASSWORD})
    with pytest.raises(ValidationFailed, match="no longer has"):
        family_services.accept_with_password(code=code, password=PASSWORD)
    other = UserFactory(email="someone.else@example.org")
    with pytest.raises(ValidationFailed, match="no longer has"):
        family_services.accept_signed_in(code=code, user=other)
    assert not User.objects.filter(email="hugo@example.org").exists()
    assert Guardian.objects.get(pk=hill["hugo"].pk).user is None
    assert GuardianInvite.objects.get(pk=row.pk).used_at is None
    # the same address in other letters (or spaces) is the same address: it works
    Guardian.objects.filter(pk=hill["hugo"].pk).update(email=" Hugo@Example.org")
    assert family_selectors.invite_of(code).invite is not None


def test_an_invitation_without_a_recorded_email_is_refused(hill: dict[str, Any]) -> None:
    """An earlier release's insert leaves the column out: the database default (blank), and
    such a link does not work (ask for a new one) — never "any address goes"."""
    row = GuardianInvite.objects.create(
        organisation=hill["school"],
        guardian=hill["hugo"],
        digest=family_selectors.code_digest("old-release"),
        expires_at=timezone.now() + dt.timedelta(days=1),
    )
    table = connection.ops.quote_name(GuardianInvite._meta.db_table)
    columns = ["organisation_id", "guardian_id", "digest", "created_at", "expires_at"]
    names = ", ".join(connection.ops.quote_name(c) for c in columns)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({names}) VALUES (%s, %s, %s, %s, %s)",
            [
                hill["school"].pk,
                hill["hugo"].pk,
                family_selectors.code_digest("previous-release"),
                timezone.now(),
                timezone.now() + dt.timedelta(days=1),
            ],
        )
    inserted = GuardianInvite.objects.get(digest=family_selectors.code_digest("previous-release"))
    assert inserted.email == ""
    for code in ("old-release", "previous-release"):
        assert family_selectors.invite_of(code).problem == family_selectors.EMAIL_CHANGED
        with pytest.raises(ValidationFailed):
            family_services.accept_with_password(code=code, password=PASSWORD)
    assert not User.objects.filter(email="hugo@example.org").exists()
    assert GuardianInvite.objects.get(pk=row.pk).used_at is None


def test_the_roster_changing_the_email_detaches_the_signed_in_account(
    rostered: dict[str, Any],
) -> None:
    """The attack: the old guardian's account, signed in, keeps reading the child after the
    roster gave the guardian record another address. After the import it reads nothing."""
    client, child, account = rostered["client"], rostered["child"], rostered["account"]
    _reimport_with_pat_at(rostered["head"], "new.carer@home.example")
    pat = Guardian.objects.get(pk=rostered["pat"].pk)
    assert pat.user is None
    assert pat.email == "new.carer@home.example"
    assert client.get(reverse("classroom:child", args=[child.pk])).status_code == 404
    assert client.get(reverse("classroom:family")).status_code == 403
    assert not rules.family_reads(account, child)
    assert family_selectors.children_of(account) == []
    event = AuditEvent.objects.get(action="guardian.email_changed")
    assert event.target_id == str(pat.pk)
    assert event.detail == {"account_detached": True, "invitations_removed": 0}
    assert "pat.parent" not in str(event.detail)  # no address in the log
    # the same import again changes nothing and records nothing more
    _reimport_with_pat_at(rostered["head"], "new.carer@home.example")
    assert AuditEvent.objects.filter(action="guardian.email_changed").count() == 1


def test_the_roster_changing_only_the_case_of_the_email_keeps_the_account(
    rostered: dict[str, Any],
) -> None:
    # the importer lower-cases emails: the address is the same, nothing is detached
    _reimport_with_pat_at(rostered["head"], "PAT.Parent@home.example")
    assert Guardian.objects.get(pk=rostered["pat"].pk).user == rostered["account"]
    assert not AuditEvent.objects.filter(action="guardian.email_changed").exists()


def test_family_reads_requires_the_email_on_record_to_be_the_accounts(
    hill: dict[str, Any],
) -> None:
    """Even an email changed some other way than by an import (no detaching): the account
    reads nothing once the guardian's email is not its own; case does not matter."""
    user, ann = hill["gina"].user, hill["ann"]
    Guardian.objects.filter(pk=hill["gina"].pk).update(email="GINA@Example.ORG")
    assert rules.family_reads(user, ann)
    assert [c.id for c in family_selectors.children_of(user)] == [ann.pk]
    Guardian.objects.filter(pk=hill["gina"].pk).update(email="gina_@example.org")
    assert not rules.family_reads(user, ann)
    assert family_selectors.children_of(user) == []
    # a LIKE wildcard in the address on record matches nothing else
    Guardian.objects.filter(pk=hill["gina"].pk).update(email="gin_@example.org")
    assert not rules.family_reads(user, ann)
    assert family_selectors.children_of(user) == []
    assert _child_page(hill, ann).status_code == 404


@pytest.mark.parametrize("side", ["guardian", "student"])
def test_a_delta_import_that_drops_the_guardianship_ends_the_guardians_reading(
    rostered: dict[str, Any], side: str
) -> None:
    """A delta row is the user's whole record: its agentSourcedIds list all their
    guardianships. Pat's row (or Student1's) without the other: the link is removed and
    Pat no longer reads Student1."""
    records = bundle.rows()
    row = next(
        u
        for u in records["users.csv"]
        if u["sourcedId"] == ("g-1" if side == "guardian" else "st-1")
    )
    delta = {"users.csv": [{**row, "agentSourcedIds": ""}]}
    files = bundle.files(delta, modes={"users.csv": "delta"}, demographics=False)
    roster_services.import_roster(actor=rostered["head"], files=files)
    child, account = rostered["child"], rostered["account"]
    assert not GuardianOf.objects.filter(guardian=rostered["pat"], student=child).exists()
    assert not rules.family_reads(account, child)
    assert rostered["client"].get(reverse("classroom:child", args=[child.pk])).status_code == 404
    assert Guardian.objects.get(pk=rostered["pat"].pk).active  # the guardian stays


def test_a_delta_import_of_another_user_keeps_the_guardianship(rostered: dict[str, Any]) -> None:
    records = bundle.rows()
    row = next(u for u in records["users.csv"] if u["sourcedId"] == "st-2")
    files = bundle.files(
        {"users.csv": [{**row, "givenName": "Renamed"}]},
        modes={"users.csv": "delta"},
        demographics=False,
    )
    roster_services.import_roster(actor=rostered["head"], files=files)
    assert rules.family_reads(rostered["account"], rostered["child"])


@pytest.mark.parametrize(
    "email", ["hugo@", "@example.org", "hugo@@example.org", "hugo@exa mple.org", "hugo"]
)
def test_a_guardian_with_an_invalid_email_is_not_invited(hill: dict[str, Any], email: str) -> None:
    Guardian.objects.filter(pk=hill["hugo"].pk).update(email=email)
    with pytest.raises(ValidationFailed, match="not a valid email address"):
        family_services.invite_guardian(actor=hill["dev_actor"], guardian_id=hill["hugo"].pk)
    assert not GuardianInvite.objects.exists()
    assert mail.outbox == []


def test_no_account_is_created_for_an_invalid_email(
    hill: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    row, code = _invite(hill, "dev_actor", "hugo", django_capture_on_commit_callbacks)
    GuardianInvite.objects.filter(pk=row.pk).update(email="hugo@@example.org")
    Guardian.objects.filter(pk=hill["hugo"].pk).update(email="hugo@@example.org")
    users = User.objects.count()
    with pytest.raises(ValidationFailed, match="not a valid email address"):
        family_services.accept_with_password(code=code, password=PASSWORD)
    assert User.objects.count() == users
    assert GuardianInvite.objects.get(pk=row.pk).used_at is None


@pytest.mark.parametrize(
    ("age", "refused"),
    [
        (dt.timedelta(minutes=9, seconds=59), True),
        (dt.timedelta(minutes=10), False),
        (dt.timedelta(minutes=10, seconds=1), False),
    ],
)
def test_a_new_invitation_waits_ten_minutes(
    hill: dict[str, Any],
    django_capture_on_commit_callbacks: Any,
    monkeypatch: pytest.MonkeyPatch,
    age: dt.timedelta,
    refused: bool,
) -> None:
    first, code = _invite(hill, "dev_actor", "hugo", django_capture_on_commit_callbacks)
    now = timezone.now()
    GuardianInvite.objects.filter(pk=first.pk).update(created_at=now - age)
    monkeypatch.setattr(timezone, "now", lambda: now)
    sent = len(mail.outbox)
    if refused:
        with pytest.raises(ValidationFailed, match="less than 10 minutes ago: wait 1 minute "):
            family_services.invite_guardian(actor=hill["head_actor"], guardian_id=hill["hugo"].pk)
        assert len(mail.outbox) == sent
        assert family_selectors.invite_of(code).invite is not None  # the first still works
    else:
        _invite(hill, "head_actor", "hugo", django_capture_on_commit_callbacks)
        assert len(mail.outbox) == sent + 1
        assert family_selectors.invite_of(code).invite is None


def test_a_used_or_expired_invitation_does_not_hold_back_a_new_one(
    hill: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    first, _code = _invite(hill, "dev_actor", "hugo", django_capture_on_commit_callbacks)
    GuardianInvite.objects.filter(pk=first.pk).update(expires_at=timezone.now())
    _invite(hill, "dev_actor", "hugo", django_capture_on_commit_callbacks)


def test_the_families_page_says_to_wait(
    hill: dict[str, Any], django_capture_on_commit_callbacks: Any, client: Client
) -> None:
    _invite(hill, "dev_actor", "hugo", django_capture_on_commit_callbacks)
    client.force_login(hill["dev"].user)
    url = reverse("classroom:guardian_invite", args=[hill["hugo"].pk])
    page = client.post(url, follow=True)
    assert page.status_code == 200
    assert "less than 10 minutes ago" in page.content.decode()
    assert GuardianInvite.objects.count() == 1


@pytest.mark.parametrize("change", ["left", "not a student"])
def test_no_invitation_for_a_guardian_without_an_active_student(
    hill: dict[str, Any], django_capture_on_commit_callbacks: Any, client: Client, change: str
) -> None:
    """Sent while Eli was at the school, followed after he left (or the linked person is
    not a student): refused, no account; and no new invitation."""
    row, code = _invite(hill, "head_actor", "hugo", django_capture_on_commit_callbacks)
    update = {"active": False} if change == "left" else {"role": Role.MANAGER}
    Person.objects.filter(pk=hill["eli"].pk).update(**update)
    page = client.get(reverse("classroom:join", args=[code]))
    assert page.status_code == 400
    assert "no longer at the school" in page.content.decode()
    with pytest.raises(ValidationFailed, match="no longer at the school"):
        family_services.accept_with_password(code=code, password=PASSWORD)
    assert not User.objects.filter(email="hugo@example.org").exists()
    assert GuardianInvite.objects.get(pk=row.pk).used_at is None
    GuardianInvite.objects.all().delete()
    with pytest.raises(ValidationFailed, match="no student at the school"):
        family_services.invite_guardian(actor=hill["head_actor"], guardian_id=hill["hugo"].pk)


def test_only_a_student_is_a_child_of_a_guardian(hill: dict[str, Any]) -> None:
    """A guardianship of someone who is not a student (a roster mistake, a student who
    became staff) opens nothing: not on the family page, not as a child's page."""
    GuardianOf.objects.create(
        organisation=hill["school"], guardian=hill["gina"], student=hill["tara"]
    )
    user = hill["gina"].user
    assert [c.name for c in family_selectors.children_of(user)] == ["Ann"]
    assert not rules.family_reads(user, hill["tara"])
    assert _child_page(hill, hill["tara"]).status_code == 404
    Person.objects.filter(pk=hill["ann"].pk).update(role=Role.MANAGER)
    assert family_selectors.children_of(user) == []
    assert not rules.family_reads(user, Person.objects.get(pk=hill["ann"].pk))


def test_the_families_page_lists_what_the_invite_rule_allows(hill: dict[str, Any]) -> None:
    """The list is the rules table's (``guardians.invite``), not a role test of its own."""
    assert rules.guardians_invitable_of(hill["head_actor"]) is None
    assert rules.guardians_invitable_of(hill["tara_actor"]) == {hill["ann"].pk, hill["ben"].pk}
    assert rules.guardians_invitable_of(hill["ann_actor"]) == set()
    for actor in ("head_actor", "tara_actor", "dev_actor", "ann_actor"):
        listed = {row.id for row in family_selectors.guardian_rows(hill[actor])}
        allowed = {
            g.pk for g in (hill["gina"], hill["hugo"]) if can(hill[actor], "guardians.invite", g)
        }
        assert listed == allowed, actor


def test_the_whole_school_is_no_class_to_share_with_families(
    hill: dict[str, Any], school: Organisation
) -> None:
    whole = TeamFactory(organisation=school, name="Hillside", kind=Team.Kind.SCHOOL)
    for actor in ("head_actor", "tara_actor"):
        with pytest.raises(NotFound):
            family_services.set_sharing(
                actor=hill[actor], team=whole, goals=True, reflections=True, feedback=True
            )
    assert not FamilySharing.objects.filter(team=whole).exists()
