"use client";

import { useTranslations } from "next-intl";
import { useEffect } from "react";
import { z } from "zod";
import { issueToRef, type IssueLike } from "./zod-issue-ref";

/**
 * Zod's own messages in the browser (forms validating before they send) come from the
 * `errors.zod` messages in the reader's language instead of zod's English; schemas' own keys
 * still win. Browser only: the server maps issues to codes itself and serves every language.
 */
export function ZodErrorMessages() {
  const t = useTranslations("errors");
  useEffect(() => {
    z.config({
      customError: (issue) => {
        const ref = issueToRef(issue as unknown as IssueLike);
        return t.has(ref.key) ? t(ref.key, ref.params) : undefined;
      },
    });
  }, [t]);
  return null;
}
