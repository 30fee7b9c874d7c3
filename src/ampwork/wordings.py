"""Django's and allauth's own sentences that ampwork shows, in ampwork's voice.

Their catalogues address the reader formally in German and Spanish ("Ihr Passwort",
"¿Ha olvidado su contraseña?") and one has a typo ("das selbe"); ampwork says "du" and
"tú" everywhere else. Marking the same message ids here puts them in the project's
catalogue (src/ampwork/locale), which LOCALE_PATHS reads before any installed app's, so
the sign-in and password pages speak as the rest of the product does. Nothing calls these:
they exist to be extracted (`bash scripts/messages.sh make project`).
"""

from __future__ import annotations

from django.utils.translation import gettext_noop, ngettext_lazy

SAME_IDS_AS_DJANGO_AND_ALLAUTH = (
    # allauth: the link under the password on the sign-in page
    gettext_noop("Forgot your password?"),
    gettext_noop("You must type the same password each time."),
    gettext_noop("Your password has been changed."),
    gettext_noop("Your password is now changed."),
    gettext_noop("Your password has been set."),
    gettext_noop("Your password has been reset."),
    # django.contrib.auth: the help under a new password, from the password validators
    gettext_noop("Enter the same password as before, for verification."),
    gettext_noop("Your password can’t be too similar to your other personal information."),
    gettext_noop("Your password can’t be a commonly used password."),
    gettext_noop("Your password can’t be entirely numeric."),
    gettext_noop("The two password fields didn’t match."),
    ngettext_lazy(
        "Your password must contain at least %(min_length)d character.",
        "Your password must contain at least %(min_length)d characters.",
        "min_length",
    ),
)
