-- 032_guide_stats.sql: what each guideline rule achieves, per unit, as
-- the hub and a unit's owners read it.
--
-- Who reads the statistics is row-level security's to say:
--   * The counts (guide_fires) are read by hub admins and hub
--     communicators (every unit) and by a unit's owners (their units);
--     no longer by the unit's other members or by hub HR.  Nothing in
--     the application read them for those.
--   * guide_rule_stats is a view run with the reader's own rights
--     (security_invoker): a unit's row exists only when the reader reads
--     its counts, and its decisions are the suggestions and publications
--     the reader reads through their own policies.
--
-- One row per unit and rule that has fired at least once:
--   fired	the findings counted over every save (guide_fires.found),
--		those of a hub rule the unit mutes included;
--   muted	of which while the unit muted the rule (found, muted);
--   saves	the saves in which the rule found something;
--   suggested	the rule's guideline suggestions raised on the unit's
--		posts, whatever became of them (a suggestion moved to a
--		new revision is the same suggestion);
--   accepted, declined  those the author accepted, declined;
--   left_open	for each publication of a post (post_publications), the
--		rule's guideline suggestions on that post open at the
--		moment of publishing: raised at or before published_at and
--		decided (accepted, declined, or outdated by a later save)
--		after it, or never.  The guidelines' open suggestions sit
--		on the post's latest revision (each save moves or outdates
--		them), which is the published one unless a scheduled
--		revision was published after later saves.  A suggestion
--		left open through two publications counts twice.

DROP POLICY guide_fires_read ON guide_fires;
CREATE POLICY guide_fires_read ON guide_fires FOR SELECT TO chapterhouse_web
    USING ((SELECT ch_guide_hub_writer())
	OR unit_id = ANY ((SELECT ch_owned_unit_ids())::bigint[]));

CREATE VIEW guide_rule_stats WITH (security_invoker = true) AS
	SELECT f.unit_id, f.rule_id, f.fired, f.muted, f.saves,
	    coalesce(s.suggested, 0) AS suggested,
	    coalesce(s.accepted, 0) AS accepted,
	    coalesce(s.declined, 0) AS declined,
	    coalesce(s.left_open, 0) AS left_open
	FROM (SELECT g.unit_id, g.rule_id, sum(g.found)::bigint AS fired,
		coalesce(sum(g.found) FILTER (WHERE g.muted), 0)::bigint
		AS muted, count(*) AS saves
	    FROM guide_fires g GROUP BY g.unit_id, g.rule_id) f
	LEFT JOIN (SELECT s.unit_id, s.rule_id, count(*) AS suggested,
		count(*) FILTER (WHERE s.state = 'accepted') AS accepted,
		count(*) FILTER (WHERE s.state = 'declined') AS declined,
		sum(o.n)::bigint AS left_open
	    FROM post_suggestions s
	    CROSS JOIN LATERAL (SELECT count(*) AS n FROM post_publications p
		WHERE p.unit_id = s.unit_id AND p.post_id = s.post_id
		AND p.published_at >= s.created_at
		AND (s.decided_at IS NULL OR p.published_at < s.decided_at)) o
	    WHERE s.source = 'guidelines'
	    GROUP BY s.unit_id, s.rule_id) s
	ON s.unit_id = f.unit_id AND s.rule_id = f.rule_id;

GRANT SELECT ON guide_rule_stats TO chapterhouse_web;
