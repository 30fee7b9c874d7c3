"""Hand-written purpose statements with planted themes, for testing theme mining.

Each statement is a paraphrase someone might write, with filler, contractions and a few
words shared across themes (help, small, work) — not a list of theme words.
"""

from __future__ import annotations

# Sixty statements from a company, four themes of unequal size (30/25/25/20 %).
COMPANY: dict[str, list[str]] = {
    "customers": [
        "I want the owners of small shops to get paid on time without chasing anyone.",
        "When a customer tells us their invoices finally get paid quickly, I know why I'm here.",
        "Helping small business owners worry less about cash at the end of the month.",
        "Our customers are tiny firms; if we save them an afternoon of chasing invoices, "
        "that's a win.",
        "I care about the plumber or the florist who just wants their invoices paid on time.",
        "Making it easier for small businesses to get paid so they can pay their own staff.",
        "I like hearing from customers that we took the stress out of getting paid.",
        "Every late payment we prevent is a small family business that sleeps better.",
        "Our customers run their own shops, and I want them spending time on their trade, "
        "not on invoices.",
        "Knowing that a small business got paid on time because of a feature I shipped.",
        "Helping customers keep their cash flowing so their businesses survive.",
        "The café owner who gets paid on Friday instead of next month: that's who I work for.",
        "I talk to customers every day, and solving their billing headaches keeps me going.",
        "Small business owners deserve tools as good as the big companies have.",
        "Less time chasing unpaid invoices means more time for our customers' own customers.",
        "I want every small business owner who uses us to feel in control of their cash.",
        "Our customers tell us we give them their evenings back. That's the point.",
        "Getting people paid for the work they've already done is a simple, honest job.",
    ],
    "learning": [
        "I keep learning here; every project stretches me a little further.",
        "Getting better at my craft, week after week.",
        "I came for the chance to grow my skills alongside people who know more than I do.",
        "Learning something new almost every day is what I value most.",
        "I'm becoming a much better engineer than I was two years ago, and still learning.",
        "The hard problems. I love learning how to do things I didn't know how to do.",
        "Mastering a difficult skill slowly and seeing my own progress.",
        "I get to learn from brilliant mentors and try things I've never done before.",
        "Growth: I'm always stretched, never bored, and I can see my skills improving.",
        "Reading, experimenting, practising until I'm good at something; this job lets me learn.",
        "I want to become an expert at my craft, and this place helps me learn.",
        "Every code review teaches me something about doing the craft well.",
        "Picking up new skills and getting better at the things I found hard.",
        "I'm curious by nature, and here curiosity is rewarded with time to learn.",
        "Developing my skills and growing as a professional.",
    ],
    "team": [
        "My colleagues. We look out for each other.",
        "The people on my team are why I show up; I trust them completely.",
        "Working with a team that has my back when things go wrong.",
        "I feel like I belong with these colleagues, and we laugh a lot.",
        "Good colleagues who help each other without being asked.",
        "Our team solves problems together and nobody gets left behind.",
        "I love the friendships I've made with my teammates and colleagues here.",
        "Trusting the people I work with and knowing my team trusts me.",
        "Honest, kind colleagues who support each other.",
        "The sense of belonging: this team feels like a second family.",
        "Helping the people on my team succeed and seeing them help me in return.",
        "Collaborating with colleagues I respect and enjoy being around.",
        "We're a close team; we share the wins and the bad days together.",
        "Supporting the people around me on my team and being supported by them.",
        "Working alongside friends and colleagues who care about doing good work together.",
    ],
    "planet": [
        "Going paperless saves a lot of paper and that's good for the planet.",
        "I want to help cut waste and emissions, even in a small way.",
        "Less paper, fewer delivery trucks, a smaller carbon footprint for the planet.",
        "Building things that make the economy a little greener and less wasteful.",
        "Doing my part for the environment and the climate through my work.",
        "Our product replaces tonnes of printed paper; that's real progress for the climate.",
        "I care about the planet my kids will inherit, and going digital cuts paper waste.",
        "Reducing waste is important to me and our software does that.",
        "A greener way to run a business, with less paper and less travel.",
        "Cutting paper and postage across thousands of offices adds up for the environment.",
        "Helping the planet by making the greener choice the default.",
        "Fighting climate change and carbon emissions one small change at a time.",
    ],
}

# A class of eighteen answering "what is school for?": three themes, six each.
CLASS: dict[str, list[str]] = {
    "friends": [
        "Seeing my friends and doing fun things together every day.",
        "I like making new friends and having fun at break.",
        "Being with my friends and playing together, it gets boring at home.",
        "I want to hang out with my best friends and talk about things.",
        "Meeting new people and making friends, that matters to me.",
        "Playing football with my friends at lunch, I like that a lot.",
    ],
    "world": [
        "Learning how the world works.",
        "I want to learn about science and nature and space.",
        "Finding out new things about animals and plants in science.",
        "Learning about history and other countries of the world.",
        "I like learning new things in science, it gets more interesting every year.",
        "Learning how things work in science, like planets and volcanoes.",
    ],
    "future": [
        "To get a good job when I grow up.",
        "So I can get a job I like in the future and buy things.",
        "Getting ready for a good job later in life, that matters.",
        "To pass my exams so I can get a job.",
        "So I can go to university and have a career.",
        "Preparing for the future and a career I want.",
    ],
}
