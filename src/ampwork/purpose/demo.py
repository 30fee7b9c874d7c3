"""Demo purpose: Brightwater's purpose with its drafting history, forty statements with
four themes, impact stories tied to objectives, and a class's answers to "what is school
for?"."""

from __future__ import annotations

import datetime as dt
import random

from django.utils import timezone

from ampwork.core.models import Organisation, Person, Role
from ampwork.core.permissions import Actor
from ampwork.okrs import selectors as okr_selectors

from . import services
from .models import PurposeLink, Statement

COMPANY = {
    "customers": [
        "Small businesses get paid on time because of what we build, and that matters to me.",
        "I like knowing a small bakery gets paid on time and the owner can go home to her kids.",
        "Every customer who gets paid on time is a small business that can plan ahead.",
        "Our customers run small businesses; when our software works, their families plan "
        "with less worry.",
        "Helping small business owners spend less time on invoices and more time on their craft.",
        "Our customers are small business owners; getting their invoices paid is why I'm here.",
    ],
    "learning": [
        "I learn something new every week and get better at my craft.",
        "Growing my skills with people who are better than me at things.",
        "The chance to master hard problems and keep learning.",
        "I get better at my craft here, and I can see my skills growing.",
        "Learning new skills from the hard problems we solve.",
        "I keep learning and growing my skills on real problems.",
    ],
    "team": [
        "The people: my team has my back and I have theirs.",
        "Working with colleagues I trust, who care about each other.",
        "I belong in this team; we solve things together.",
        "Good colleagues, honest conversations, a team I trust.",
        "My team and the colleagues I trust: we look after each other.",
        "A team of colleagues who have each other's back.",
    ],
    "planet": [
        "Paperless invoicing cuts paper waste; my part for a greener planet.",
        "Less paper, fewer trips to the post office: good for the planet.",
        "Building software that helps the economy waste less paper.",
        "A greener way of working: less paper, less waste.",
        "Cutting paper waste is my way of doing right by the planet.",
        "Less waste and a greener planet for our kids.",
    ],
}
SCHOOL = [
    "Being with my friends every day.",
    "To learn things I could not learn alone.",
    "Making friends and getting on with other people.",
    "To get ready for a good job when I grow up.",
    "Learning how the world works, like plants and planets.",
    "Playing with my friends at break.",
    "Finding what I love to learn about.",
    "So I can get a job and help my family later.",
    "Working on projects with my friends and other people.",
    "So I can have a job I love when I grow up.",
    "To learn about science and nature.",
    "Getting ready for the future and a good job.",
    "Having fun with my friends in class.",
    "Learning new things about animals and space.",
    "So I can go to university and get a job.",
    "Meeting people and making new friends.",
    "To learn to read and write well.",
    "Preparing for the future, so I can have a good job.",
    "My friends, and the teachers who help me.",
    "Learning about history and the world.",
]


def seed(company: Organisation, school: Organisation) -> None:
    rng = random.Random(5)
    people = list(Person.objects.filter(organisation=company).order_by("id"))
    admin = Person.objects.get(organisation=company, role=Role.ADMIN)

    def actor(person: Person) -> Actor:
        return Actor(organisation=company, role=person.role, user=person.user, person=person)

    first = services.propose(
        actor=actor(admin), text="Maximise shareholder value by leading the invoicing market."
    )
    services.comment(
        actor=actor(people[5]),
        draft=first,
        text="Who is this for, though? I don't get up for market share.",
    )
    second = services.propose(
        actor=actor(people[7]),
        text="Help small businesses get paid on "
        "time, so the people who run them can get on with their craft.",
    )
    for person in people[8:30]:
        services.endorse(actor=actor(person), draft=second)
    services.comment(actor=actor(people[9]), draft=second, text="Yes. This is why I'm here.")
    services.publish(actor=actor(admin), draft=second)
    third = services.propose(
        actor=actor(people[12]),
        text="Help small businesses get paid on "
        "time — with less paper and less worry — so the people who run "
        "them can get on with their craft and their lives.",
    )
    for person in people[10:40]:
        services.endorse(actor=actor(person), draft=third)
    services.publish(actor=actor(admin), draft=third)
    themes = list(COMPANY)
    openers = ["", "Honestly, ", "For me: ", "Simply put, ", "Mostly this: "]
    closers = ["", " That is why I stay.", " It keeps me going.", " Every single week."]
    for i, person in enumerate(people[:40]):
        theme = themes[i % 4] if i % 10 else themes[0]
        text = rng.choice(openers) + rng.choice(COMPANY[theme]) + rng.choice(closers)
        services.write_statement(
            actor=actor(person),
            text=text,
            visibility=rng.choice(
                [
                    Statement.Visibility.THEMES,
                    Statement.Visibility.THEMES,
                    Statement.Visibility.NAMED,
                    Statement.Visibility.PRIVATE,
                ]
            ),
            quotable=rng.random() < 0.6,
        )
    open_objectives = okr_selectors.open_objective_titles(company)
    objectives = [pk for pk, _ in open_objectives]
    by_title = {title: pk for pk, title in open_objectives}
    today = timezone.localdate()
    story_objectives = [
        o
        for t, o in by_title.items()
        if t in ("Customers get answers within a day", "Shipping is boring: small, safe, frequent")
    ]
    services.add_story(
        actor=actor(people[20]),
        title="A bakery paid before the weekend",
        helped="a bakery owner in Porto",
        named="Rita",
        consent=True,
        what_changed="Three overdue invoices from a hotel were paid within a day of our "
        "reminder fix; she paid her suppliers on Friday instead of borrowing.",
        happened_on=today - dt.timedelta(days=18),
        source="support ticket #4812",
        objective_ids=story_objectives,
    )
    services.add_story(
        actor=actor(people[25]),
        title="Month-end in an hour, not a weekend",
        helped="a two-person design studio",
        what_changed="Their month-end took one hour instead of a weekend after the bank "
        "import shipped; they wrote to say they spent it with their kids.",
        happened_on=today - dt.timedelta(days=40),
        source="customer email",
        objective_ids=objectives[:1],
    )
    for objective in objectives[:3]:
        PurposeLink.objects.get_or_create(organisation=company, objective_id=objective)
    students = list(Person.objects.filter(organisation=school, role=Role.MEMBER).order_by("id"))
    for i, student in enumerate(students[1:21]):
        services.write_statement(
            actor=Actor(organisation=school, role=student.role, person=student),
            text=SCHOOL[i % len(SCHOOL)],
            visibility=Statement.Visibility.THEMES,
            quotable=i % 3 != 0,
        )
