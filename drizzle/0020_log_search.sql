-- Full-text search of the Logs page (logs.list with `q`) under row-level security. The GIN
-- index log_search_idx answers `to_tsvector('simple', message) @@ query`, but `@@` is not
-- leakproof, so under the tenant policy the planner may not use it as an index condition
-- (such a condition may only be evaluated on rows the policy already let through): a search
-- read the workspace's lines newest first until a page was full — seconds for a rare word at
-- 1M lines, every line for a word in none (`npm run bench -- logs`).
--
-- This owner-run function answers the search for the current workspace only (the policy's
-- own app_current_workspace()) and returns the keys of one page, newest first; logs.list then
-- reads those rows by primary key through the policy. Neither index gives "the newest lines
-- with this word" directly (the GIN index has no order, the time index no words), so the
-- page is looked for in windows going back from the cursor (or `to`, or now): the last hour,
-- then 8 hours before it, 64, 512, 4,096, then the rest, each window one statement with only
-- the filters given, planned with the actual values (EXECUTE), until the page is full. In the
-- first window the planner chooses (for a common word, the time index read until the page is
-- full); a later window is reached only because the matches were sparse in one an eighth its
-- size, so it is read through bitmaps only (GIN and time index, plus bot/task), never line by
-- line: a word's lines are then fetched, not the window's lines.
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
  filters text;
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
  filters := 'l.workspace_id = $1'
    || ' AND to_tsvector(''simple'', l.message) @@ plainto_tsquery(''simple'', $2)'
    || CASE WHEN cardinality(p_levels) > 0 THEN ' AND l.level = ANY ($3)' ELSE '' END
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
    RETURN QUERY EXECUTE
      'SELECT l.occurred_at, l.id FROM log l WHERE ' || filters
      || CASE WHEN lower_at IS NOT NULL THEN ' AND l.occurred_at >= $11' ELSE '' END
      || CASE WHEN upper_at IS NOT NULL THEN ' AND l.occurred_at < $12' ELSE '' END
      || ' ORDER BY l.occurred_at DESC, l.id DESC LIMIT $10'
      USING ws, p_q, p_levels, p_bot_id, p_task_id, p_from, p_to, p_before_at, p_before_id,
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
