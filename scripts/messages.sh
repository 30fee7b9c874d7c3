#!/usr/bin/env bash
# The translation catalogues (docs/translating.md):
#   bash scripts/messages.sh make [CATALOGUE...]   extract marked strings into the .po files
#                                                  (de, fr, es) of each app (or the named
#                                                  ones; "project" = src/ampwork/templates
#                                                  and the top-level modules)
#   bash scripts/messages.sh compile               .po → .mo (Babel; also done by the build)
# make needs GNU gettext (xgettext, msgmerge: Debian's gettext package); compile does not.
# AMPWORK_SRC=DIR works on the ampwork package in DIR (DIR/ampwork) instead of src/: the
# check that the catalogues are up to date (tests/core/test_translations.py) runs make on a
# copy of the source.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
SRC=$(cd "${AMPWORK_SRC:-$ROOT/src}" && pwd)
LANGS=(-l de -l fr -l es)
APPS=(advisor autonomy chat classroom conversations core demo fairness feeds integrations mastery notifications okrs pulse purpose)
export DJANGO_SETTINGS_MODULE=ampwork.settings PYTHONPATH="$SRC${PYTHONPATH:+:$PYTHONPATH}"
export AMPWORK_DATA_DIR="${AMPWORK_DATA_DIR:-$(mktemp -d)}"

make_one() {
  local name=$1 args=(--no-obsolete --add-location file --extension html,txt,py --ignore "migrations/*" --ignore "static/*")
  if [ "$name" = project ]; then
    for app in "${APPS[@]}"; do args+=(--ignore "$app"); done
    (cd "$SRC/ampwork" && django-admin makemessages "${LANGS[@]}" "${args[@]}" >/dev/null)
  else
    # an app's own locale folder, or makemessages writes into the first of LOCALE_PATHS
    # (the project's catalogue)
    mkdir -p "$SRC/ampwork/$name/locale"
    (cd "$SRC/ampwork/$name" && django-admin makemessages "${LANGS[@]}" "${args[@]}" >/dev/null)
  fi
}

case "${1:-}" in
  make)
    shift
    names=("$@")
    [ ${#names[@]} -gt 0 ] || names=(project "${APPS[@]}")
    for name in "${names[@]}"; do
      make_one "$name"
      dir=$SRC/ampwork/$name; [ "$name" = project ] && dir=$SRC/ampwork
      shopt -s nullglob; pos=("$dir"/locale/*/LC_MESSAGES/django.po); shopt -u nullglob
      [ ${#pos[@]} -eq 0 ] || python3 scripts/po_headers.py "${pos[@]}"
      echo "made: $name"
    done
    ;;
  compile)
    python3 scripts/compile_messages.py "$SRC/ampwork"
    ;;
  *)
    sed -n '2,8p' "$0"; exit 2
    ;;
esac
