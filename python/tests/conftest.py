"""Every test runs against the real engine (`dist-lib/cli/fq.js serve`), built by `npm ci` / `npm test`."""

import function_quest  # noqa: F401  (registers the ids)
