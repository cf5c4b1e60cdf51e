-- Web processes keep the contact-days of past days in memory to rank a custom period's top
-- contacts (src/modules/stats/contact-day-memory.ts). `closed_gen` says when such days
-- changed: a fold that adds events to a day at least two days back, and every rebuild, moves
-- it on, and a process holding another generation drops what it holds.
ALTER TABLE "stats_fold" ADD COLUMN "closed_gen" bigint DEFAULT 0 NOT NULL;
