"""A student's conference portfolio as a printable PDF (pure: plain data in, bytes out).

What a student walks their family through at a student-led conference — only what the
student chose to show: their purpose statement (unless they keep it to themselves; on their
own copy it is printed with a note saying so), their goals that are not private with
progress, their own key-result check-ins (never others' check-in notes) and the dated
check-ins with their teacher (oldest first, as the goal's story), the reflections they
chose to share and the feedback their teachers shared with the family.
Made for paper in black and white: progress is a drawn bar *and* its percentage in words
(never colour alone), text is 10 pt or larger, and the margins fit both A4 and US Letter.

Text people wrote may hold any character: it is set in DejaVu Sans (wide coverage) when a
copy is found (the one matplotlib's wheel ships — a dependency for this alone — or
Debian's fonts-dejavu-core);
otherwise in the PDF's built-in Helvetica, with each character it cannot show replaced by
"?" (see :func:`font_files`). Written with fpdf2 (pure Python).
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from fpdf import FPDF
from fpdf.enums import XPos, YPos

from ampwork.core.l10n import format_day, format_percent, labelled
from ampwork.core.words import gettext as _
from ampwork.core.words import gettext_noop

PAPERS = {"a4": "A4", "letter": "Letter"}
MARGIN = 18.0  # mm on every side: fits A4 (210 mm) and Letter (215.9 mm) alike
BODY = 11.0  # pt
SMALL = 10.0  # pt: the smallest text on the page
LINE = 5.6  # mm, the height of a body line

FONT_DIRS = (
    Path("/usr/share/fonts/truetype/dejavu"),  # Debian, Ubuntu: fonts-dejavu-core
    Path("/usr/share/fonts/dejavu"),  # Fedora, Arch
    Path("/usr/share/fonts/TTF"),
    Path("/usr/local/share/fonts"),
)


@dataclass(frozen=True)
class KeyResultLine:
    title: str
    start: str  # "3 books"
    target: str
    now: str
    progress: float  # 0..1


@dataclass(frozen=True)
class TalkLine:
    """A check-in with the teacher on a goal: its day, who wrote it, the text and the
    progress the writer gave (0..100, None: not given)."""

    day: dt.date
    by: str  # "Ann" or "Ms Reed (teacher)"
    text: str
    progress: int | None = None


@dataclass(frozen=True)
class GoalPage:
    kind: str  # "Purpose", "Mastery", "Autonomy"
    title: str
    progress: float  # 0..1
    cycle: str
    starting_point: str
    key_results: list[KeyResultLine]
    action_plan: str
    steps: list[tuple[str, bool]]  # the key results' milestones: (title, done)
    check_ins: list[str]  # the student's own: "12 Oct: 5 books — note"
    celebration: str
    talks: list[TalkLine] = field(default_factory=list)  # with the teacher, oldest first


@dataclass(frozen=True)
class Reflection:
    week: dt.date
    wins: str
    setbacks: str
    next_steps: str


@dataclass(frozen=True)
class FeedbackNote:
    date: dt.date
    giver: str
    body: str


@dataclass(frozen=True)
class Portfolio:
    student: str
    school: str
    printed: dt.date
    purpose: str | None
    goals: list[GoalPage] = field(default_factory=list)
    reflections: list[Reflection] = field(default_factory=list)
    feedback: list[FeedbackNote] = field(default_factory=list)
    purpose_private: bool = False  # the student keeps the statement to themselves
    by_student: bool = True  # printed by the student (else by a teacher: no "write yours")

    @property
    def empty(self) -> bool:
        return not (self.purpose or self.goals or self.reflections or self.feedback)


WHAT_IS_IN = gettext_noop(
    "What is in here: my goals that are not private, with my own check-ins and those with "
    "my teacher; my purpose "
    "statement if I share it; the reflections I chose to share with my family; feedback "
    "my teachers shared with my family."
)

NEXT_STEPS = [
    gettext_noop("Write why you are here: your purpose statement, on the Purpose page."),
    gettext_noop(
        "Set a goal with your teacher (OKRs, New objective), then open My goals and write "
        "where you are now and your action plan."
    ),
    gettext_noop(
        "Each week, write a reflection; tick “share with my family” on the ones you "
        "want to show here."
    ),
]


def percent(value: float) -> str:
    """0.734 → '73%' (as the pages show it, in the language in use)."""
    return format_percent(max(0.0, min(1.0, value)))


def font_files() -> tuple[Path, Path] | None:
    """DejaVu Sans and its bold, if this machine has them (no font ships with ampwork)."""
    dirs = list(FONT_DIRS)
    spec = importlib.util.find_spec("matplotlib")  # found, not imported
    if spec is not None and spec.origin:
        dirs.insert(0, Path(spec.origin).parent / "mpl-data" / "fonts" / "ttf")
    for folder in dirs:
        regular, bold = folder / "DejaVuSans.ttf", folder / "DejaVuSans-Bold.ttf"
        if regular.is_file() and bold.is_file():
            return regular, bold
    return None


def clean(text: str) -> str:
    """Text people wrote, safe to set: normalised, without control characters (a line
    break and a tab aside)."""
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\t", "    "))
    return "".join(
        ch for ch in text if ch == "\n" or unicodedata.category(ch) not in {"Cc", "Cf", "Cs"}
    )


class _Document(FPDF):
    def __init__(self, paper: str, student: str) -> None:
        super().__init__(orientation="portrait", unit="mm", format=paper)
        self.student = student
        self.unicode_font = False
        fonts = font_files()
        if fonts is not None:
            self.add_font("DejaVu", "", str(fonts[0]))
            self.add_font("DejaVu", "B", str(fonts[1]))
            self.family_name = "DejaVu"
            self.unicode_font = True
        else:
            self.family_name = "Helvetica"
        self.set_margins(MARGIN, MARGIN, MARGIN)
        self.set_auto_page_break(True, margin=MARGIN + 6)

    def safe(self, text: str) -> str:
        text = clean(text)
        if self.unicode_font:
            cmap = getattr(self.current_font, "cmap", None)
            if cmap:
                return "".join(ch if ch == "\n" or ord(ch) in cmap else "?" for ch in text)
            return text
        # the built-in fonts know Latin-1 (and a few typographic marks) only
        text = text.translate(_ASCII_MARKS)
        return text.encode("latin-1", "replace").decode("latin-1")

    def footer(self) -> None:
        self.set_y(-MARGIN)
        self.set_font(self.family_name, "", SMALL)
        self.cell(
            0,
            5,
            self.safe(
                _("%(student)s — page %(page)s of %(pages)s")
                % {"student": self.student, "page": self.page_no(), "pages": "{nb}"}
            ),
            align="C",
        )

    # --------------------------------------------------------- building blocks

    def heading(self, text: str, size: float = 16.0) -> None:
        self.set_font(self.family_name, "B", size)
        self.multi_cell(0, size * 0.5, self.safe(text), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.ln(1.5)

    def label(self, text: str) -> None:
        self.set_font(self.family_name, "B", BODY)
        self.multi_cell(0, LINE, self.safe(text), new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def para(self, text: str, size: float = BODY, indent: float = 0.0) -> None:
        self.set_font(self.family_name, "", size)
        self.set_x(self.l_margin + indent)
        self.multi_cell(
            self.epw - indent, LINE, self.safe(text), new_x=XPos.LMARGIN, new_y=YPos.NEXT
        )

    def bar(self, value: float) -> None:
        """A drawn bar (outline, grey fill as long as the progress) and the percentage in
        words beside it: readable without colour, and on a black-and-white printer."""
        if self.will_page_break(8):
            self.add_page()
        width, height = 70.0, 5.0
        x, y = self.l_margin, self.get_y() + 0.5
        share = max(0.0, min(1.0, value))
        self.set_draw_color(0)
        self.set_line_width(0.4)
        if share > 0:
            self.set_fill_color(110)
            self.rect(x, y, width * share, height, style="F")
        self.rect(x, y, width, height, style="D")
        self.set_xy(x + width + 4, y - 0.3)
        self.set_font(self.family_name, "B", BODY)
        self.cell(
            0, LINE, self.safe(_("%(progress)s of the way there") % {"progress": percent(value)})
        )
        self.set_xy(self.l_margin, y + height + 2)


_ASCII_MARKS = str.maketrans(
    {"—": "-", "\u2013": "-", "\u2192": "->", "“": '"', "”": '"', "\u2019": "'"}
    # the thin and narrow spaces CLDR writes in date spans and French numbers
    | {"\u2009": " ", "\u202f": "\xa0"}
)


def render(portfolio: Portfolio, paper: str = "a4") -> bytes:
    """The portfolio as a PDF on ``paper`` ("a4" or "letter")."""
    doc = _Document(PAPERS.get(paper, "A4"), portfolio.student)
    doc.set_title(_("Conference portfolio — %(student)s") % {"student": portfolio.student})
    doc.set_creator("ampwork")
    doc.alias_nb_pages()
    doc.add_page()
    doc.heading(_("%(student)s: my conference portfolio") % {"student": portfolio.student}, 18.0)
    doc.para(
        _("%(school)s — printed %(day)s")
        % {"school": portfolio.school, "day": format_day(portfolio.printed, "day_long")},
        SMALL,
    )
    doc.para(_(WHAT_IS_IN), SMALL)
    doc.ln(3)
    if portfolio.empty:
        doc.heading(_("Nothing here yet"), 14.0)
        if not portfolio.by_student:
            doc.para(_("Nothing has been shared for this portfolio yet."))
            return bytes(doc.output())
        doc.para(_("Your portfolio fills in as you go. What to do next, before your conference:"))
        for number, step in enumerate(NEXT_STEPS, 1):
            doc.para(f"{number}. {_(step)}", indent=4)
        return bytes(doc.output())

    if portfolio.purpose or portfolio.by_student:
        doc.heading(_("Why I am here"), 14.0)
        doc.para(
            portfolio.purpose
            or _("Not written yet: write your purpose statement on the Purpose page.")
        )
        if portfolio.purpose and portfolio.purpose_private:
            doc.para(
                _(
                    "Note: on ampwork only you see this statement (“Only me”). It is on "
                    "this copy because you printed it yourself: leave it out by choosing who "
                    "sees it on the Purpose page, or do not show this page."
                ),
                SMALL,
            )
        doc.ln(3)

    doc.heading(_("My goals"), 14.0)
    if not portfolio.goals:
        doc.para(
            _(
                "No goals to show yet (private goals are not printed): set one with your "
                "teacher, then fill it in on My goals."
            )
            if portfolio.by_student
            else _("No goals to show (private goals are not printed).")
        )
    for number, goal in enumerate(portfolio.goals, 1):
        _goal(doc, number, goal)

    doc.heading(_("My reflections"), 14.0)
    if not portfolio.reflections:
        doc.para(
            _(
                "None shared yet: tick “share with my family” on a weekly reflection "
                "to show it here."
            )
        )
    for entry in portfolio.reflections:
        doc.label(_("Week of %(day)s") % {"day": format_day(entry.week, "day_long")})
        for caption, text in (
            (_("What went well: %(text)s"), entry.wins),
            (_("What was hard: %(text)s"), entry.setbacks),
            (_("What I will do next: %(text)s"), entry.next_steps),
        ):
            if text.strip():
                doc.para(caption % {"text": text}, indent=4)
        doc.ln(2)
    doc.ln(2)

    doc.heading(_("Feedback from my teachers"), 14.0)
    if not portfolio.feedback:
        doc.para(_("None shared with my family yet."))
    for note in portfolio.feedback:
        doc.label(
            _("%(teacher)s, %(day)s")
            % {
                "teacher": note.giver or _("A teacher"),
                "day": format_day(note.date, "day_long"),
            }
        )
        doc.para(note.body, indent=4)
        doc.ln(2)
    return bytes(doc.output())


def _goal(doc: _Document, number: int, goal: GoalPage) -> None:
    if doc.will_page_break(40):
        doc.add_page()
    doc.heading(
        _("Goal %(number)s (%(kind)s): %(title)s")
        % {"number": number, "kind": goal.kind, "title": goal.title},
        12.5,
    )
    doc.para(goal.cycle, SMALL)
    doc.bar(goal.progress)
    doc.label(_("Where I am now"))
    if goal.starting_point.strip():
        doc.para(goal.starting_point, indent=4)
    for kr in goal.key_results:
        doc.para(
            _("%(title)s: started at %(start)s, now %(now)s")
            % {"title": kr.title, "start": kr.start, "now": kr.now},
            indent=4,
        )
    if not goal.starting_point.strip() and not goal.key_results:
        doc.para(_("Not written yet."), indent=4)
    doc.label(_("My goal"))
    if goal.key_results:
        for kr in goal.key_results:
            doc.para(
                _("%(title)s: reach %(target)s (%(progress)s done)")
                % {"title": kr.title, "target": kr.target, "progress": percent(kr.progress)},
                indent=4,
            )
    else:
        doc.para(goal.title, indent=4)
    doc.label(_("My action plan"))
    if goal.action_plan.strip():
        doc.para(goal.action_plan, indent=4)
    for title, done in goal.steps:
        doc.para(
            ("[x] " + _("%(title)s (done)") if done else "[ ] " + _("%(title)s (to do)"))
            % {"title": title},
            indent=4,
        )
    if not goal.action_plan.strip() and not goal.steps:
        doc.para(_("Not written yet."), indent=4)
    if goal.check_ins:
        doc.label(_("My check-ins"))
        for line in goal.check_ins[-6:]:
            doc.para(line, SMALL, indent=4)
    if goal.talks:
        doc.label(_("Check-ins with my teacher"))
        for talk in goal.talks:
            head = _("%(day)s, %(by)s") % {"day": format_day(talk.day, "day_month"), "by": talk.by}
            if talk.progress is not None:
                head = _("%(head)s (%(progress)s of the way there)") % {
                    "head": head,
                    "progress": percent(talk.progress / 100),
                }
            doc.para(labelled(head, talk.text), SMALL, indent=4)
    if goal.celebration.strip():
        doc.label(_("What I am proud of"))
        doc.para(goal.celebration, indent=4)
    doc.ln(4)
