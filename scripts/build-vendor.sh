#!/usr/bin/env bash
# Rebuilds the vendored design system (GOV.UK Frontend, compiled without the GDS Transport
# font, whose licence limits it to gov.uk) and htmx under src/tillit/static/vendor/.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
npm install --no-save --ignore-scripts --silent govuk-frontend@5 sass htmx.org@2 >/dev/null

out="$root/src/tillit/static/vendor"
mkdir -p "$out/govuk-frontend" "$out/htmx"
# GOV.UK Frontend's only images are the crown and the royal crest (the footer's copyright logo),
# which only the UK Government may show: every image URL compiles to `none`, so the CSS names no
# file that is not vendored (collectstatic's manifest refuses a CSS file naming a missing one).
cat > tillit.scss <<'SCSS'
$govuk-font-family: system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif;
$govuk-include-default-font-face: false;
$govuk-assets-path: "/static/vendor/govuk-frontend/assets/";
@function tillit-no-crown-image($filename) {
  @return none;
}
$govuk-image-url-function: "tillit-no-crown-image";
@import "govuk-frontend/dist/govuk/index";
SCSS
npx sass --load-path=node_modules --style=compressed --no-source-map --quiet-deps --quiet \
  tillit.scss "$out/govuk-frontend/govuk-frontend.min.css"
if grep -q "GDS Transport" "$out/govuk-frontend/govuk-frontend.min.css"; then
  echo "the compiled CSS still names the GDS Transport font" >&2
  exit 1
fi
# Every url(...) left in the CSS must name a vendored file (data: URIs aside); the test
# tillit/tests/test_collectstatic.py checks the same through collectstatic's manifest.
if grep -o 'url([^)]*)' "$out/govuk-frontend/govuk-frontend.min.css" | grep -v 'url("\?data:'; then
  echo "the compiled CSS refers to files that are not vendored (above)" >&2
  exit 1
fi
# The npm package declares MIT but ships no licence file; this is the repository's text.
cat > "$out/govuk-frontend/LICENSE.txt" <<'LICENSE'
The MIT License (MIT)

Copyright (c) 2018 Crown Copyright (Government Digital Service)

Permission is hereby granted, free of charge, to any person obtaining a copy of
this software and associated documentation files (the "Software"), to deal in
the Software without restriction, including without limitation the rights to
use, copy, modify, merge, publish, distribute, sublicense, and/or sell copies of
the Software, and to permit persons to whom the Software is furnished to do so,
subject to the following conditions:

The above copyright notice and this permission notice shall be included in all
copies or substantial portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR
IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY, FITNESS
FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE AUTHORS OR
COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER LIABILITY, WHETHER
IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM, OUT OF OR IN
CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE SOFTWARE.
LICENSE
govuk_version=$(node -p 'require("./node_modules/govuk-frontend/package.json").version')
cp node_modules/htmx.org/dist/htmx.min.js "$out/htmx/htmx.min.js"
cp node_modules/htmx.org/LICENSE "$out/htmx/LICENSE.txt"
htmx_version=$(node -p 'require("./node_modules/htmx.org/package.json").version')
printf 'GOV.UK Frontend %s (MIT), compiled by scripts/build-vendor.sh with system fonts.\nNo crown, crest or font assets are included: image URLs compile to `none`.\n' "$govuk_version" > "$out/govuk-frontend/README.md"
printf 'htmx %s (0BSD), copied by scripts/build-vendor.sh.\n' "$htmx_version" > "$out/htmx/README.md"
echo "GOV.UK Frontend $govuk_version, htmx $htmx_version"
