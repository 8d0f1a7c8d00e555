-- 047_post_page.sql: the post page read through one view, with one
-- reach check where each table of a post had its own.
--
-- The page's statement read the post, its latest revision, suggestions,
-- comments, co-authors and review requests as the web role: each table's
-- read policy (040_post_reach.sql, 043_post_save_cheap.sql) added an
-- InitPlan of ch_post_reach, four plan nodes each, started at every
-- execution even when never run, and the units' and memberships' own
-- policies added theirs; the plan had 85 nodes (bench/RESULTS.md).
--
-- ch_post_page is that statement as a view, owned by the schema owner:
-- it reads the tables of the post with the owner's privileges (their
-- policies *_definer) and asks ch_post_reach once, for the post itself:
--
--   coalesce(p.unit_id = ANY ((SELECT units FROM ch_post_reach)::bigint[]),
--       true)
--
-- the very condition of posts_read and of the read policies of every
-- other table it reads for the post.  Each of those rows carries the
-- post's unit_id (unit_id is in their keys and every join below is on
-- it), so the one check lets through exactly the rows the six checks
-- did: for the acting person's current memberships (any unit state) and
-- for the hub's admins and communicators; for nobody else, and for
-- nobody acting ('{}'), no row at all.  The rest it reads is what the
-- web role reads anyway for a post it reads:
--
--   * units: the post's own unit (units_read lets a current member and
--     the hub's reviewers read it);
--   * unit_members: the caller's own current row of the unit, and its
--     current owners and editors (unit_members_read lets its members and
--     the hub read them); people and hub_roles have no policy;
--   * the link of a suggestion's rule: a hub rule (guide_hub_rules_read:
--     anyone acting) or a rule of the post's own unit
--     (guide_unit_rules_read: its readers and the hub), never another
--     unit's; hub and unit rules draw their ids from one sequence, so a
--     suggestion names one rule at most, as through guide_rule_links;
--   * ch_training_badges() is a definer function of its own, called as
--     before.
--
-- The view is a security barrier: a condition the caller adds (WHERE
-- id = $1) is pushed below the reach check only when it is leakproof
-- (bigint equality is, and becomes the index condition), so no function
-- of the caller sees a row the check refuses.  Only the web role may
-- read it (chapterhouse_anon may not: a page read behind a session
-- lookup that found nobody is refused, as before); nobody but the owner
-- may change it.  No setting is read but chapterhouse.person and
-- chapterhouse.hub_roles (through ch_person() and ch_post_reach), as
-- before, and the view binds its tables and functions when it is made:
-- a search_path or a temporary table changes nothing.
--
-- Each part of the page is a correlated subquery of the post (the view
-- cannot take the post's id into a CTE): a table read for the page has
-- no policy InitPlan to start.

CREATE VIEW ch_post_page WITH (security_barrier) AS
SELECT p.id,
    json_build_object('id', p.id, 'unit', u.slug, 'unit_name', u.name,
	'unit_state', u.state, 'state', p.state, 'revision', p.revision,
	'title', r.title, 'tags', r.tags, 'channels', r.channels,
	'author', json_build_object('name', a.name, 'email', a.email),
	'co_authors', w.co_authors,
	'created_at', to_char(p.created_at AT TIME ZONE 'UTC',
	    'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
	'revised_at', to_char(r.created_at AT TIME ZONE 'UTC',
	    'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
	'scheduled_at', to_char(p.scheduled_at AT TIME ZONE 'UTC',
	    'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
	'published_revision', p.published_revision,
	'published_at', to_char(p.published_at AT TIME ZONE 'UTC',
	    'YYYY-MM-DD"T"HH24:MI:SS"Z"'))::text AS post,
    r.body,
    (p.author_id = ch_person() OR w.co) AS writer,
    ((p.author_id = ch_person() OR w.co) AND p.state <> 'withdrawn'
	AND u.state = 'approved' AND me.role IS NOT NULL) AS can_write,
    (p.state <> 'withdrawn' AND u.state = 'approved'
	AND (coalesce(me.role IN ('owner', 'editor'), false)
	OR (SELECT ch_post_hub_reviewer()))) AS can_suggest,
    (u.state = 'approved' AND (me.role IS NOT NULL
	OR (SELECT ch_post_hub_reviewer()))) AS can_comment,
    -- Each suggestion an array (page_db.c names its fields), with the
    -- text of its span in the revision it was made on.
    coalesce((SELECT json_agg(json_build_array(s.id, s.revision,
	s.span_start, s.span_end, substr(o.body, s.span_start + 1,
	s.span_end - s.span_start), s.replacement, s.comment, s.state,
	coalesce(e.name, 'Guidelines'),
	to_char(s.created_at AT TIME ZONE 'UTC',
	    'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
	to_char(s.decided_at AT TIME ZONE 'UTC',
	    'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
	s.reply, s.accepted_revision, s.source, s.rule_id,
	coalesce(gh.link, gu.link),
	s.source = 'guidelines' AND s.replacement = substr(o.body,
	s.span_start + 1, s.span_end - s.span_start))
	ORDER BY s.created_at, s.id)
	FROM post_suggestions s
	JOIN post_revisions o ON o.unit_id = s.unit_id
	    AND o.post_id = s.post_id AND o.number = s.revision
	LEFT JOIN people e ON e.id = s.author_id
	LEFT JOIN guide_hub_rules gh ON gh.id = s.rule_id
	    AND ch_person() IS NOT NULL
	LEFT JOIN guide_unit_rules gu ON gu.unit_id = s.unit_id
	    AND gu.id = s.rule_id
	WHERE s.unit_id = p.unit_id AND s.post_id = p.id
	AND (s.source = 'reviewer' OR s.state <> 'outdated')),
	'[]')::text AS suggestions,
    -- The bodies that open suggestions and comments on a span were made
    -- on, but the latest.
    coalesce((SELECT json_object_agg(t.number, t.body)
	FROM post_revisions t
	WHERE t.unit_id = p.unit_id AND t.post_id = p.id
	AND t.number <> p.revision
	AND (t.number IN (SELECT s.revision FROM post_suggestions s
	    WHERE s.unit_id = p.unit_id AND s.post_id = p.id
	    AND s.state = 'open')
	OR t.number IN (SELECT c.revision FROM post_comments c
	    WHERE c.unit_id = p.unit_id AND c.post_id = p.id
	    AND c.span_start IS NOT NULL))), '{}')::text AS texts,
    -- The comments, each with the text of its span.
    coalesce((SELECT json_agg(json_build_object('id', c.id,
	'post', c.post_id, 'body', c.body, 'revision', c.revision,
	'start', c.span_start, 'end', c.span_end, 'reply_to', c.reply_to,
	'author', coalesce(ca.name, c.guest_name),
	'guest', c.author_id IS NULL,
	'created_at', to_char(c.created_at AT TIME ZONE 'UTC',
	    'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
	'resolved', c.resolved_at IS NOT NULL,
	'resolved_at', to_char(c.resolved_at AT TIME ZONE 'UTC',
	    'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
	'quote', substr(q.body, c.span_start + 1,
	    c.span_end - c.span_start))
	ORDER BY c.created_at, c.id)
	FROM post_comments c
	LEFT JOIN people ca ON ca.id = c.author_id
	LEFT JOIN post_revisions q ON q.unit_id = c.unit_id
	    AND q.post_id = c.post_id AND q.number = c.revision
	    AND c.span_start IS NOT NULL
	WHERE c.unit_id = p.unit_id AND c.post_id = p.id),
	'[]')::text AS comments,
    -- Who may be asked to review the post (the trigger of 014_posts.sql).
    coalesce((SELECT json_agg(json_build_object('email', e.email,
	'name', e.name, 'asked', k.reviewer_id IS NOT NULL)
	ORDER BY e.name, e.email)
	FROM (SELECT m.person_id FROM unit_members m
	    WHERE m.unit_id = p.unit_id AND m.role IN ('owner', 'editor')
	    AND (m.expires_at IS NULL OR m.expires_at > now())
	    UNION SELECT h.person_id FROM hub_roles h
	    WHERE h.role IN ('admin', 'communicator')) x
	JOIN people e ON e.id = x.person_id
	LEFT JOIN post_review_requests k ON k.unit_id = p.unit_id
	    AND k.post_id = p.id AND k.reviewer_id = e.id
	WHERE x.person_id IS DISTINCT FROM ch_person()), '[]')::text
	AS reviewers,
    -- The author's courses completed, for the post's reviewers.
    CASE WHEN p.author_id = ch_person() THEN '[]'
	ELSE ch_training_badges(p.author_id, p.unit_id) END::text
	AS author_badges
FROM posts p
JOIN units u ON u.id = p.unit_id
JOIN people a ON a.id = p.author_id
JOIN post_revisions r ON r.unit_id = p.unit_id AND r.post_id = p.id
    AND r.number = p.revision
CROSS JOIN LATERAL (SELECT coalesce(json_agg(json_build_object(
	'name', pe.name, 'email', pe.email) ORDER BY pe.name, pe.email),
	'[]') AS co_authors,
	coalesce(bool_or(pa.person_id = ch_person()), false) AS co
	FROM post_authors pa JOIN people pe ON pe.id = pa.person_id
	WHERE pa.unit_id = p.unit_id AND pa.post_id = p.id) w
LEFT JOIN unit_members me ON me.unit_id = p.unit_id
    AND me.person_id = ch_person()
    AND (me.expires_at IS NULL OR me.expires_at > now())
WHERE coalesce(p.unit_id = ANY ((SELECT x.units
    FROM ch_post_reach x)::bigint[]), true);
REVOKE ALL ON ch_post_page FROM PUBLIC;
GRANT SELECT ON ch_post_page TO chapterhouse_web;
