-- Paced admission measures the minimum gap from the previous admission's own stamp, not from
-- the stamp `recordDeparture` moved to that send's answer: measuring it from the answer added
-- each send's request time to every gap (a 10/s bot sent ~8.4/s on a slow machine).
ALTER TABLE "bot_pacing" ADD COLUMN "last_admit" timestamp with time zone;
