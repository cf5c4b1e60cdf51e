import { z } from "zod";

const change = z.object({ field: z.string(), from: z.unknown(), to: z.unknown() });

/**
 * One event in a contact's history: an audited action (created, edited, opted out or in, …),
 * an import that changed some of its fields, or its creation by an import.
 */
export const timelineEntry = z.discriminatedUnion("kind", [
  z.object({
    kind: z.literal("audit"),
    at: z.date(),
    action: z.string(),
    actor: z.string().nullable(),
    changes: z.array(change),
    reason: z.string().nullable(),
  }),
  z.object({
    kind: z.literal("import"),
    at: z.date(),
    importId: z.uuid(),
    fileName: z.string(),
    changes: z.array(change),
  }),
  z.object({ kind: z.literal("imported"), at: z.date(), fileName: z.string() }),
]);
export type TimelineEntry = z.infer<typeof timelineEntry>;
export const contactTimeline = z.array(timelineEntry);
