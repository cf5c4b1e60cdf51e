-- A recurring campaign's firing made no claim: a retry of the `campaign.fire` job after its
-- run committed, or pg-boss delivering the repeated wall time of the autumn DST night, created
-- a second run. The occurrence it last fired for is claimed here, in the transaction that
-- inserts the run, as `schedule.last_fired_slot` does for schedules.
ALTER TABLE "campaign" ADD COLUMN "last_fired_slot" timestamp with time zone;
