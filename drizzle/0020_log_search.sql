-- Full-text search of the Logs page (logs.list with `q`) under row-level security. `@@` is not
-- leakproof, so under the tenant policy the planner may not use a search index as an index
-- condition (such a condition may only be evaluated on rows the policy already let through):
-- a search read the workspace's lines newest first until a page was full — seconds for a rare
-- word at 1M lines, every line for a word in none (`npm run bench -- logs`).
--
-- The search index is one GIN index of the words per level: `to_tsvector('simple', message)`
-- WHERE level = 'debug' / 'info' / 'warn' / 'error', replacing 0014's single log_search_idx.
-- A search at some levels is then answered by those levels' indexes alone, the words' lines
-- at the level straight from the index: a common word at a level none of its lines has
-- ("timeout", all errors, at level info) is one lookup of a word that index does not hold,
-- where a level checked on the row fetched every line with the word. A search without levels
-- ORs the four (a BitmapOr of four lookups). The other way, the level as an extra lexeme of
-- one index (`words & 'lvl info'`), was tried: GIN intersects by stepping the level's posting
-- list past each of the word's items, so that probe costs the level's whole list (85% of the
-- lines are info: ~50 ms per 3.3M-line month, in every window below) against 0.1 ms here.
-- Same size as the one index (each line is in exactly one of the four: 164 MB against 162 MB
-- for 3.3M lines, both freshly built), so 0014's index is dropped rather than kept beside
-- them (which would double it). The level is the index's predicate, never text, so no message
-- ("lvlerror", "Level error") can pass for a level. Created on the partitioned `log`, each is
-- built on every partition (the default one too), and a partition created later
-- (app_ensure_monthly_partitions: CREATE TABLE … PARTITION OF) gets all four. The build holds
-- writes to `log` for its duration (~6 s per million lines), once, on upgrade. A new
-- log_level value needs its index here: until then a search at that level or without levels
-- cannot use bitmaps and reads that level's lines one by one.
--
-- app_log_search_page, an owner-run function, answers the search for the current workspace
-- only (the policy's own app_current_workspace()) and returns the keys of one page, newest
-- first; logs.list then reads those rows by primary key through the policy. Neither index
-- gives "the newest lines with this word" directly (the GIN indexes have no order, the time
-- index no words), so the page is looked for in windows going back from the cursor (or `to`,
-- or now): the last hour, then 8 hours before it, 64, 512, 4,096, then the rest, each window
-- one statement with only the filters given (the levels as literals, so each arm proves its
-- index's predicate), planned with the actual values (EXECUTE), until the page is full. In
-- the first window the planner chooses (for a common word, the time index read until the
-- page is full); a later window is reached only because the matches were sparse in one an
-- eighth its size, so it is read through bitmaps only (GIN and time index, plus bot/task),
-- never line by line: the matching lines are then fetched, not the window's lines. (It was
-- not, before the OFFSET 0 below: at 1M lines 1.0 of the 1.07 s of that probe was the
-- 512-hour window read line by line; 7.2 s at 10M.)
CREATE INDEX log_search_debug_idx ON log USING gin (to_tsvector('simple', message)) WHERE level = 'debug';--> statement-breakpoint
CREATE INDEX log_search_info_idx ON log USING gin (to_tsvector('simple', message)) WHERE level = 'info';--> statement-breakpoint
CREATE INDEX log_search_warn_idx ON log USING gin (to_tsvector('simple', message)) WHERE level = 'warn';--> statement-breakpoint
CREATE INDEX log_search_error_idx ON log USING gin (to_tsvector('simple', message)) WHERE level = 'error';--> statement-breakpoint
DROP INDEX IF EXISTS log_search_idx;--> statement-breakpoint
CREATE OR REPLACE FUNCTION app_log_search_page(
  p_q text, p_levels log_level[], p_bot_id uuid, p_task_id uuid, p_from timestamptz,
  p_to timestamptz, p_before_at timestamptz, p_before_id bigint, p_limit integer)
  RETURNS TABLE (occurred_at timestamptz, id bigint)
  LANGUAGE plpgsql VOLATILE SECURITY DEFINER ROWS 100
  SET search_path = public, pg_temp
  -- Restored on return, whatever the windows below set (SET LOCAL stays inside the function).
  SET enable_indexscan = on
  SET enable_seqscan = on
AS $$
DECLARE
  ws uuid := app_current_workspace();
  anchor timestamptz := coalesce(least(p_before_at, p_to), now());
  query tsquery;
  words text;
  filters text;
  stmt text;
  span interval := interval '1 hour';
  upper_at timestamptz;
  lower_at timestamptz;
  found_rows integer := 0;
  n integer;
  last_window boolean := false;
BEGIN
  IF ws IS NULL OR p_q IS NULL OR p_limit < 1 THEN
    RETURN;
  END IF;
  query := plainto_tsquery('simple', p_q);
  -- No words (only punctuation): `@@` matches no line.
  IF numnode(query) = 0 THEN
    RETURN;
  END IF;
  -- One arm per level asked (every level when none is), each its level's index: a literal
  -- `l.level = 'info'` proves the partial index's predicate (a parameter would not).
  SELECT string_agg(format('(l.level = %L AND to_tsvector(''simple'', l.message) @@ $2)', lv),
                    ' OR ' ORDER BY lv)
    INTO words
    FROM (SELECT DISTINCT lv
            FROM unnest(CASE WHEN cardinality(p_levels) > 0 THEN p_levels
                             ELSE enum_range(NULL::log_level) END) lv
           WHERE lv IS NOT NULL) levels;
  IF words IS NULL THEN
    RETURN;
  END IF;
  filters := 'l.workspace_id = $1 AND (' || words || ')'
    || CASE WHEN p_bot_id IS NOT NULL THEN ' AND l.bot_id = $4' ELSE '' END
    || CASE WHEN p_task_id IS NOT NULL THEN ' AND l.task_id = $5' ELSE '' END
    || CASE WHEN p_from IS NOT NULL THEN ' AND l.occurred_at >= $6' ELSE '' END
    || CASE WHEN p_to IS NOT NULL THEN ' AND l.occurred_at <= $7' ELSE '' END
    || CASE WHEN p_before_at IS NOT NULL THEN ' AND (l.occurred_at, l.id) < ($8, $9)' ELSE '' END;
  LOOP
    lower_at := anchor - span;
    IF span > interval '4096 hours' OR lower_at <= p_from THEN
      lower_at := NULL;
      last_window := true;
    END IF;
    stmt := 'SELECT l.occurred_at, l.id FROM log l WHERE ' || filters
      || CASE WHEN lower_at IS NOT NULL THEN ' AND l.occurred_at >= $11' ELSE '' END
      || CASE WHEN upper_at IS NOT NULL THEN ' AND l.occurred_at < $12' ELSE '' END;
    IF upper_at IS NOT NULL THEN
      -- A later window's matches are fetched whole (OFFSET 0: planned for all its rows), then
      -- sorted. Under ORDER BY … LIMIT, Postgres 18 still walks the time index backwards,
      -- "Disabled" or not, when the estimate (the word's and the level's frequencies
      -- multiplied: "timeout" 2% × info 85% of the window) promises a page early; with no
      -- match it then reads every line of the window (0.9 s for 200k lines).
      stmt := 'SELECT l.occurred_at, l.id FROM (' || stmt || ' OFFSET 0) l';
    END IF;
    RETURN QUERY EXECUTE stmt || ' ORDER BY l.occurred_at DESC, l.id DESC LIMIT $10'
      USING ws, query, p_levels, p_bot_id, p_task_id, p_from, p_to, p_before_at, p_before_id,
            p_limit - found_rows, lower_at, upper_at;
    GET DIAGNOSTICS n = ROW_COUNT;
    found_rows := found_rows + n;
    EXIT WHEN found_rows >= p_limit OR last_window;
    IF upper_at IS NULL THEN
      PERFORM set_config('enable_indexscan', 'off', true);
      PERFORM set_config('enable_seqscan', 'off', true);
    END IF;
    upper_at := lower_at;
    span := span * 8;
  END LOOP;
END
$$;--> statement-breakpoint
REVOKE ALL ON FUNCTION app_log_search_page(text, log_level[], uuid, uuid, timestamptz, timestamptz, timestamptz, bigint, integer) FROM PUBLIC;--> statement-breakpoint
GRANT EXECUTE ON FUNCTION app_log_search_page(text, log_level[], uuid, uuid, timestamptz, timestamptz, timestamptz, bigint, integer) TO salestrack_app;
