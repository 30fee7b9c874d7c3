"""Demo mastery: twelve weeks of reviews in Platform, Mobile and Customer Success, with
their leads' answers; Sam grows (skills rise, the weeks settle into flow); one person in
Customer Success has been in the anxiety quadrant lately; Mobile's sandbagger is flagged
too easy by the OKR data itself. Five skills with level descriptors, feedback, a recognition
feed. The class writes weekly reflections, and the teacher answers."""

from __future__ import annotations

import datetime as dt
import random

from django.utils import timezone

from ampwork.core.models import Organisation, Person, Team, TeamMembership
from ampwork.okrs import selectors as okr_selectors

from .models import (
    Feedback,
    FeedbackRequest,
    GrowthArea,
    Recognition,
    Reply,
    Review,
    Skill,
    SkillRating,
)
from .selectors import week_of

WEEKS = 12

COMPANY_SKILLS = [
    (
        "Incident response",
        "Keeping calm and getting a service back when it breaks.",
        [
            "Follows the runbook with help",
            "Handles common incidents alone",
            "Leads incidents and keeps others informed",
            "Improves runbooks and tooling after incidents",
            "Shapes how the whole company responds",
        ],
    ),
    (
        "System design",
        "Choosing how the parts of a system fit together.",
        [
            "Understands the design of their own component",
            "Designs small features with review",
            "Designs services others build on",
            "Makes trade-offs across teams explicit",
            "Sets technical direction for an area",
        ],
    ),
    (
        "Writing",
        "Clear proposals, docs and updates.",
        [
            "Writes notes others can follow",
            "Writes clear tickets and updates",
            "Writes proposals that get decisions",
            "Edits others' writing to clarity",
            "Writing changes how the organisation thinks",
        ],
    ),
    (
        "Coaching others",
        "Helping colleagues grow.",
        [
            "Shares what they know when asked",
            "Pairs and explains patiently",
            "Mentors one person deliberately",
            "Grows several people at once",
            "Builds a culture of learning",
        ],
    ),
    (
        "Customer empathy",
        "Seeing the work through the customer's eyes.",
        [
            "Knows who the customers are",
            "Reads support tickets about their area",
            "Talks to customers regularly",
            "Brings customer insight into decisions",
            "Represents customers across the company",
        ],
    ),
]
SCHOOL_SKILLS = [
    (
        "Scientific enquiry",
        "Asking questions and testing them fairly.",
        [
            "Follows a method given to me",
            "Changes one thing at a time",
            "Plans my own fair test",
            "Explains what my results mean",
            "Improves an experiment from its results",
        ],
    ),
    (
        "Explaining ideas",
        "Putting science into my own words.",
        [
            "Repeats the words I was taught",
            "Explains with an example",
            "Explains to a classmate so they get it",
            "Explains why, not only what",
            "Connects ideas across topics",
        ],
    ),
    (
        "Working with others",
        "Getting things done in a group.",
        [
            "Joins in when asked",
            "Shares jobs fairly",
            "Listens and builds on ideas",
            "Helps the group decide",
            "Brings out the best in the group",
        ],
    ),
]

WINS = [
    "Shipped the retry logic for the ingest queue",
    "Paired with a new colleague on their first deploy",
    "Closed three customer tickets that had been open for weeks",
    "Wrote up the design for the new cache and got it agreed",
    "Cut the flaky test count from 14 to 5",
    "Ran my first incident review",
    "Got the dashboard to load in under a second",
    "Finished the migration for the billing tables",
]
SETBACKS = [
    "Lost two days waiting on a review",
    "An on-call night ate most of Wednesday",
    "The requirements changed halfway through",
    "Underestimated the data clean-up",
    "",
    "",
]
NEXT = [
    "Finish the rollout and watch the error rate",
    "Write the runbook for the new alerts",
    "Ask for feedback on the design doc",
    "Pair on the tricky part instead of stalling",
    "Split the big ticket into three small ones",
]
ANSWERS = [
    "The retry work was exactly the kind of small, safe change we want — the error "
    "budget held all week. Next time, flag the review wait earlier and I will chase it.",
    "Pairing on the first deploy made a real difference to their confidence; thank you. "
    "Worth writing down what you showed them for the onboarding doc.",
    "Good call splitting the ticket. The write-up was clear enough that Data could review "
    "it without a meeting.",
    "That on-call night was rough — take Friday morning back. Your incident notes were the "
    "clearest we have had.",
]
CLASS_WINS = [
    "My plant experiment finally changed only one thing at a time",
    "I explained photosynthesis to my partner without notes",
    "Our group finished the poster on time",
    "I asked a question in class even though I was nervous",
    "I fixed my graph so the axes make sense",
]
CLASS_NEXT = [
    "Practise explaining it in my own words",
    "Measure the plants at the same time each day",
    "Ask for help sooner when I am stuck",
    "Write a conclusion that says why",
]
TEACHER_ANSWERS = [
    "Changing one thing at a time is exactly what makes a test fair — well spotted. "
    "Next: write down why you chose that one thing.",
    "Explaining without notes shows you really understand it. Try adding the word "
    "'chlorophyll' and what it does.",
    "Asking that question helped three others who were wondering the same. Keep going.",
]


def seed(company: Organisation, school: Organisation) -> None:
    rng = random.Random(11)
    today = timezone.localdate()
    weeks = [week_of(today) - dt.timedelta(weeks=i) for i in range(WEEKS, 0, -1)]
    _company(company, rng, today, weeks)
    _school(school, rng, weeks)


def _members(org: Organisation, team: str) -> tuple[Person, list[Person]]:
    found = Team.objects.get(organisation=org, name=team)
    rows = list(
        TeamMembership.objects.filter(team=found).select_related("person").order_by("person__name")
    )
    lead = next(m.person for m in rows if m.role == TeamMembership.Role.LEAD)
    return lead, [m.person for m in rows if m.role != TeamMembership.Role.LEAD]


def _review(
    org: Organisation,
    person: Person,
    week: dt.date,
    challenge: int,
    skill: int,
    wins: str,
    setbacks: str,
    next_steps: str,
) -> Review:
    when = timezone.make_aware(dt.datetime.combine(week + dt.timedelta(days=4), dt.time(16)))
    return Review.objects.create(
        organisation=org,
        person=person,
        week=week,
        wins=wins,
        setbacks=setbacks,
        next_steps=next_steps,
        challenge=max(1, min(7, challenge)),
        skill=max(1, min(7, skill)),
        created_at=when,
        updated_at=when,
    )


def _answer(org: Organisation, review: Review, author: Person, body: str) -> None:
    when = timezone.make_aware(dt.datetime.combine(review.week + dt.timedelta(days=7), dt.time(10)))
    Reply.objects.create(organisation=org, review=review, author=author, body=body, created_at=when)


def _company(org: Organisation, rng: random.Random, today: dt.date, weeks: list[dt.date]) -> None:
    skills = [
        Skill.objects.create(organisation=org, name=n, description=d, levels=levels)
        for n, d, levels in COMPANY_SKILLS
    ]
    marco, platform = _members(org, "Platform")
    mobile_lead, mobile = _members(org, "Mobile")
    cs_lead, success = _members(org, "Customer Success")
    sam = Person.objects.get(organisation=org, email="member@brightwater.example")
    anxious = success[1]
    for lead, people in ((marco, platform), (mobile_lead, mobile), (cs_lead, success)):
        for person in people:
            base_c, base_s = rng.randint(3, 5), rng.randint(3, 5)
            for i, week in enumerate(weeks):
                if person != sam and person != anxious and rng.random() < 0.15:
                    continue  # a week missed now and then
                if person == sam:  # growing: skill catches up with a rising challenge
                    c, s = 4 + (i % 3 == 0) + (i > 6), 3 + i // 4 + (i % 2)
                elif person == anxious:  # lately: more than they feel ready for
                    c, s = (4 + i % 2, 4 + (i % 3 == 0)) if i < WEEKS - 4 else (6 + i % 2, 2)
                else:
                    c, s = base_c + rng.randint(-1, 1), base_s + rng.randint(-1, 1)
                review = _review(
                    org,
                    person,
                    week,
                    c,
                    s,
                    rng.choice(WINS),
                    rng.choice(SETBACKS),
                    rng.choice(NEXT),
                )
                last_week = i == len(weeks) - 1
                if (not last_week or rng.random() < 0.5) and rng.random() < 0.8:
                    _answer(org, review, lead, rng.choice(ANSWERS))
    # Sam's skills grow; Marco's view sits beside them
    own = skills[0]
    growth = {skills[0]: (2, 4), skills[1]: (2, 3), skills[2]: (3, 4)}
    for skill, (start, end) in growth.items():
        for i, week in enumerate(weeks[::3]):
            level = start + round((end - start) * i / 3)
            SkillRating.objects.create(
                organisation=org,
                skill=skill,
                person=sam,
                rater=sam,
                level=level,
                date=week + dt.timedelta(days=4),
                note="after leading the ingest incident" if skill == own and i == 3 else "",
            )
        SkillRating.objects.create(
            organisation=org,
            skill=skill,
            person=sam,
            rater=marco,
            level=end,
            date=weeks[-2] + dt.timedelta(days=2),
        )
    for person in platform + mobile[:4]:
        if person == sam:
            continue
        for skill in skills[:3]:
            SkillRating.objects.create(
                organisation=org,
                skill=skill,
                person=person,
                rater=person,
                level=rng.randint(2, 4),
                date=weeks[-3],
            )
    learning = next(
        (
            pk
            for pk, title in okr_selectors.open_objective_titles(org, owner_id=sam.pk)
            if title.startswith("Own the ingest")
        ),
        None,
    )
    GrowthArea.objects.create(
        organisation=org,
        person=sam,
        skill=own,
        target_level=4,
        objective_id=learning,
        note="lead two incidents end to end this quarter",
        created_by=marco,
    )
    colleague = platform[1] if platform[0] == sam else platform[0]
    now = timezone.now()
    Feedback.objects.create(
        organisation=org,
        giver=marco,
        receiver=sam,
        body="Your write-up of the ingest outage was specific and blameless; two other "
        "teams have already borrowed its format.",
        created_at=now - dt.timedelta(days=9),
    )
    ask = FeedbackRequest.objects.create(
        organisation=org,
        requester=sam,
        asked=colleague,
        about="How clear was my design doc for the new cache?",
        created_at=now - dt.timedelta(days=6),
    )
    Feedback.objects.create(
        organisation=org,
        giver=colleague,
        receiver=sam,
        request=ask,
        body="The trade-offs section was the best part. The rollout plan needed one more "
        "step: what happens to in-flight writes.",
        share_with_managers=True,
        created_at=now - dt.timedelta(days=5),
    )
    FeedbackRequest.objects.create(
        organisation=org,
        requester=colleague,
        asked=sam,
        about="Was my on-call handover useful?",
        created_at=now - dt.timedelta(days=2),
    )
    posts = [
        (
            marco,
            [sam],
            "Now that ingest retries are live, the night pages have stopped. "
            "Thank you for sticking with it.",
            learning,
            3,
        ),
        (
            cs_lead,
            success[:2],
            "Now that the backlog is under a day, customers are "
            "noticing — two thank-you emails this week.",
            None,
            8,
        ),
        (
            mobile_lead,
            mobile[2:4],
            "The new crash reporting caught a bug before release. Lovely work.",
            None,
            15,
        ),
        (
            sam,
            [colleague],
            "Thanks for pairing through the cache migration — it went out without a blip.",
            None,
            20,
        ),
        (
            marco,
            platform[2:5],
            "Deploys a week passed 20 for the first time. Small, safe, frequent is working.",
            None,
            27,
        ),
    ]
    for author, recipients, body, objective, days in posts:
        post = Recognition.objects.create(
            organisation=org,
            author=author,
            body=body,
            objective_id=objective,
            created_at=now - dt.timedelta(days=days),
        )
        post.recipients.set(recipients)


def _school(org: Organisation, rng: random.Random, weeks: list[dt.date]) -> None:
    for n, d, levels in SCHOOL_SKILLS:
        Skill.objects.create(organisation=org, name=n, description=d, levels=levels)
    teacher, students = _members(org, "Year 9 Science")
    for student in students[:8]:
        for i, week in enumerate(weeks[-8:]):
            if rng.random() < 0.2:
                continue
            review = _review(
                org,
                student,
                week,
                rng.randint(3, 6),
                min(7, 2 + i // 2 + rng.randint(0, 1)),
                rng.choice(CLASS_WINS),
                rng.choice(["I got stuck on the graph", "I forgot my homework", "", ""]),
                rng.choice(CLASS_NEXT),
            )
            if i < 7 and rng.random() < 0.7:
                _answer(org, review, teacher, rng.choice(TEACHER_ANSWERS))
