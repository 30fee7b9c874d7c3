"""ampwork: run the Autonomy–Mastery–Purpose framework and OKRs, self-hosted."""

__version__ = "0.1.0"
