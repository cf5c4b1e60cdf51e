import { z } from "zod";

/**
 * Runs in the browser before the app's own modules. zod compiles object parsers with
 * `new Function` when it can, and probes for that on the first `z.object` — under our CSP (no
 * 'unsafe-eval') the probe fails quietly but still reports a CSP violation on every page.
 * The interpreted parser is plenty for form validation.
 */
z.config({ jitless: true });
