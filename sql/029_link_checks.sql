-- 029_link_checks.sql: the links rule, checked by the job worker.  A
-- save whose unit meets an enabled links rule queues one job for the new
-- revision with the links of its body; the worker visits each distinct
-- URL once, records what it found, and a dead link becomes a suggestion
-- from "Guidelines" on the post.
--
--   * ch_guide_links_queue() is the only way to queue a 'links.check'
--     job: the web role calls it in the save's transaction, for the
--     latest revision it just wrote, and it queues nothing when no links
--     rule applies (none enabled, or the hub's muted by the unit) or when
--     no link is where the save says.  A 'links.check' job inserted by
--     anyone else (the web role's or the worker's own INSERT on jobs) is
--     refused.
--   * ch_guide_links_record() is the worker's only way to write: it
--     records the results in guide_link_checks and raises a suggestion
--     for each dead link only while the revision is still the post's
--     latest and the link's text is still at its span; a link whose URL
--     the author declined under the same rule on the post is counted and
--     not raised again.  The worker reads no post, rule or unit.
--   * guide_link_checks holds a row per link and revision; whoever reads
--     the unit's posts reads it (its members, the hub's admins and
--     communicators, as posts_read), nobody else.

ALTER TABLE jobs DROP CONSTRAINT jobs_kind_check;
ALTER TABLE jobs ADD CONSTRAINT jobs_kind_check
    CHECK (kind IN ('mail', 'post.published', 'post.withdrawn',
	'links.check'));

-- A 'links.check' job comes from ch_guide_links_queue() only: the roles
-- that may insert jobs (web, worker) are refused it.  Made with the
-- schema owner's name, which a definer function runs as.
DO $do$
BEGIN
	EXECUTE format($f$
CREATE FUNCTION jobs_links_guard() RETURNS trigger LANGUAGE plpgsql AS $b$
BEGIN
	IF NEW.kind = 'links.check' AND current_user <> %L THEN
		RAISE EXCEPTION 'link checks are queued by a save only'
		    USING ERRCODE = 'insufficient_privilege';
	END IF;
	RETURN NEW;
END
$b$
$f$, current_user);
END
$do$;
CREATE TRIGGER jobs_links_guard BEFORE INSERT ON jobs
    FOR EACH ROW EXECUTE FUNCTION jobs_links_guard();

-- What the worker found for each link of a revision.  status: 'ok',
-- 'dead' (an HTTP error status), 'unreachable' (no answer: DNS,
-- connection, TLS, timeout, too many redirects), 'refused' (an address
-- or scheme the policy does not allow), 'too big' (answered, the body
-- past the size cap), 'unchecked' (the job's deadline came first).
-- error says what failed, as the suggestion shows it.
CREATE TABLE guide_link_checks (
	unit_id		bigint NOT NULL,
	post_id		bigint NOT NULL,
	revision	integer NOT NULL,
	span_start	integer NOT NULL CHECK (span_start >= 0),
	span_end	integer NOT NULL,
	url		text NOT NULL
	    CHECK (char_length(url) BETWEEN 1 AND 2048),
	status		text NOT NULL CHECK (status IN ('ok', 'dead',
	    'unreachable', 'refused', 'too big', 'unchecked')),
	http_status	integer CHECK (http_status BETWEEN 100 AND 999),
	error		text CHECK (char_length(error) <= 300),
	checked_at	timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (unit_id, post_id, revision, span_start),
	FOREIGN KEY (unit_id, post_id, revision) REFERENCES post_revisions,
	CHECK (span_end > span_start)
);

ALTER TABLE guide_link_checks ENABLE ROW LEVEL SECURITY;
ALTER TABLE guide_link_checks FORCE ROW LEVEL SECURITY;
DO $$
BEGIN
	EXECUTE format('CREATE POLICY guide_link_checks_definer '
	    'ON guide_link_checks TO %I USING (true) WITH CHECK (true)',
	    current_user);
END
$$;
CREATE POLICY guide_link_checks_read ON guide_link_checks FOR SELECT
    TO chapterhouse_web
    USING (unit_id = ANY ((SELECT ch_post_units('read'))::bigint[])
	OR (SELECT ch_post_hub_reviewer()));

-- The links rule a post of unit u meets: the unit's own enabled one, or
-- the hub's enabled one the unit does not mute; the lowest id of them,
-- NULL when there is none.  Called by the two definer functions below.
CREATE FUNCTION ch_guide_links_rule(u bigint) RETURNS bigint
LANGUAGE sql STABLE SET search_path = pg_catalog, public AS $$
	SELECT min(id) FROM (
		SELECT h.id FROM public.guide_hub_rules h
		WHERE h.enabled AND h.kind = 'links'
		AND NOT EXISTS (SELECT 1 FROM public.guide_mutes m
		    WHERE m.unit_id = u AND m.rule_id = h.id)
		UNION ALL SELECT l.id FROM public.guide_unit_rules l
		WHERE l.unit_id = u AND l.enabled AND l.kind = 'links') AS r
$$;
REVOKE ALL ON FUNCTION ch_guide_links_rule(bigint) FROM PUBLIC;

-- Queue the link check of revision rev of post p of unit u, just saved
-- by the acting person.  links is a JSON array of {"url","start","end"}
-- (the save's CommonMark links, spans in code points of the body); only
-- those whose span holds their URL are kept, the first 50.  Returns true
-- when a job was queued, false when no links rule applies, the post is
-- withdrawn or no link is left.  Refused (42501) unless rev is the post's
-- latest revision and the acting person wrote it.
CREATE FUNCTION ch_guide_links_queue(u bigint, p bigint, rev integer,
    links jsonb) RETURNS boolean LANGUAGE plpgsql VOLATILE
SECURITY DEFINER SET search_path = pg_catalog, public AS $$
DECLARE
	body	text;
	pstate	text;
	kept	jsonb;
BEGIN
	SELECT r.body, q.state INTO body, pstate FROM public.posts q
	    JOIN public.post_revisions r ON r.unit_id = q.unit_id
	    AND r.post_id = q.id AND r.number = q.revision
	    WHERE q.unit_id = u AND q.id = p AND q.revision = rev
	    AND r.author_id = public.ch_person();
	IF NOT FOUND THEN
		RAISE EXCEPTION 'link checks are queued by the author of the '
		    'latest revision' USING ERRCODE = 'insufficient_privilege';
	END IF;
	IF pstate = 'withdrawn' OR public.ch_guide_links_rule(u) IS NULL OR
	    jsonb_typeof(links) IS DISTINCT FROM 'array' THEN
		RETURN false;
	END IF;
	SELECT jsonb_agg(jsonb_build_object('url', x.url, 'start', x.s,
	    'end', x.e) ORDER BY x.s) INTO kept
	    FROM (SELECT DISTINCT ON (l."start") l.url, l."start" AS s,
		l."end" AS e
		FROM jsonb_to_recordset(links) AS l(url text,
		    "start" integer, "end" integer)
		WHERE l."start" >= 0 AND l."end" <= char_length(body)
		AND l."end" - l."start" BETWEEN 1 AND 2048
		AND substr(body, l."start" + 1, l."end" - l."start") = l.url
		ORDER BY l."start" LIMIT 50) AS x;
	IF kept IS NULL THEN
		RETURN false;
	END IF;
	INSERT INTO public.jobs (kind, payload) VALUES ('links.check',
	    jsonb_build_object('unit_id', u, 'post_id', p, 'revision', rev,
	    'links', kept));
	RETURN true;
END
$$;
REVOKE ALL ON FUNCTION ch_guide_links_queue(bigint, bigint, integer, jsonb)
    FROM PUBLIC;

-- Record the worker's results for revision rev of post p of unit u:
-- results is a JSON array of {"url","start","end","status","http_status",
-- "error"}.  A result whose span does not hold its URL in that revision
-- is ignored; a result recorded before (a job done twice) is replaced.
-- While rev is the post's latest revision, the post is not withdrawn and
-- a links rule applies, each link that is 'dead', 'unreachable' or
-- 'refused' becomes an open suggestion of that rule on rev, its span the
-- link's, its replacement the link itself (advice: accepting keeps the
-- text), its comment the rule's message and what failed, unless the
-- author declined a suggestion of that rule on the post whose text was
-- the same URL, or one is open there already; the dead links are counted
-- in guide_fires.  Returns how many suggestions were raised.
CREATE FUNCTION ch_guide_links_record(u bigint, p bigint, rev integer,
    results jsonb) RETURNS integer LANGUAGE plpgsql VOLATILE
SECURITY DEFINER SET search_path = pg_catalog, public AS $$
DECLARE
	body	text;
	latest	integer;
	pstate	text;
	rid	bigint;
	msg	text;
	found_n	integer;
	raised	integer;
	good	jsonb;
BEGIN
	SELECT r.body, q.revision, q.state INTO body, latest, pstate
	    FROM public.posts q JOIN public.post_revisions r
	    ON r.unit_id = q.unit_id AND r.post_id = q.id AND r.number = rev
	    WHERE q.unit_id = u AND q.id = p;
	IF NOT FOUND OR jsonb_typeof(results) IS DISTINCT FROM 'array' THEN
		RETURN 0;
	END IF;
	SELECT jsonb_agg(jsonb_build_object('url', x.url, 's', x."start",
	    'e', x."end", 'status', x.status, 'http_status',
	    CASE WHEN x.http_status BETWEEN 100 AND 999 THEN x.http_status END,
	    'error', left(x.error, 300)) ORDER BY x."start") INTO good
	    FROM (SELECT DISTINCT ON (y."start") y.* FROM
		jsonb_to_recordset(results) AS y(url text, "start" integer,
		"end" integer, status text, http_status integer, error text)
		WHERE y."start" >= 0 AND y."end" <= char_length(body)
		AND y."end" - y."start" BETWEEN 1 AND 2048
		AND substr(body, y."start" + 1, y."end" - y."start") = y.url
		AND y.status IN ('ok', 'dead', 'unreachable', 'refused',
		    'too big', 'unchecked')
		ORDER BY y."start") AS x;
	IF good IS NULL THEN
		RETURN 0;
	END IF;
	INSERT INTO public.guide_link_checks AS c (unit_id, post_id, revision,
	    span_start, span_end, url, status, http_status, error)
	    SELECT u, p, rev, x.s, x.e, x.url, x.status, x.http_status,
		x.error FROM jsonb_to_recordset(good) AS x(url text,
		s integer, e integer, status text, http_status integer,
		error text)
	    ON CONFLICT (unit_id, post_id, revision, span_start) DO UPDATE
	    SET span_end = excluded.span_end, url = excluded.url,
		status = excluded.status, http_status = excluded.http_status,
		error = excluded.error, checked_at = now();
	rid := public.ch_guide_links_rule(u);
	IF latest <> rev OR pstate = 'withdrawn' OR rid IS NULL THEN
		RETURN 0;
	END IF;
	SELECT coalesce(h.message, l.message) INTO msg
	    FROM (SELECT rid AS id) AS k
	    LEFT JOIN public.guide_hub_rules h ON h.id = k.id
	    LEFT JOIN public.guide_unit_rules l ON l.unit_id = u
		AND l.id = k.id;
	SELECT count(*) INTO found_n FROM jsonb_to_recordset(good)
	    AS x(status text) WHERE x.status IN ('dead', 'unreachable', 'refused');
	IF found_n = 0 THEN
		RETURN 0;
	END IF;
	WITH declined AS (
		SELECT DISTINCT substr(b.body, s.span_start + 1,
		    s.span_end - s.span_start) AS original
		FROM public.post_suggestions s
		JOIN public.post_revisions b ON b.unit_id = s.unit_id
		    AND b.post_id = s.post_id AND b.number = s.revision
		WHERE s.unit_id = u AND s.post_id = p AND s.rule_id = rid
		AND s.source = 'guidelines' AND s.state = 'declined'
	)
	INSERT INTO public.post_suggestions (unit_id, post_id, revision,
	    span_start, span_end, replacement, comment, author_id, source,
	    rule_id)
	    SELECT u, p, rev, x.s, x.e, x.url,
		left(msg || ' (' || coalesce(x.error, x.status) || ')', 4000),
		NULL, 'guidelines', rid
	    FROM jsonb_to_recordset(good) AS x(url text, s integer,
		e integer, status text, error text)
	    WHERE x.status IN ('dead', 'unreachable', 'refused')
	    AND NOT EXISTS (SELECT 1 FROM declined d
		WHERE d.original = x.url)
	    AND NOT EXISTS (SELECT 1 FROM public.post_suggestions o
		WHERE o.unit_id = u AND o.post_id = p AND o.revision = rev
		AND o.rule_id = rid AND o.state = 'open'
		AND o.span_start = x.s)
	    ORDER BY x.s;
	GET DIAGNOSTICS raised = ROW_COUNT;
	INSERT INTO public.guide_fires (unit_id, post_id, revision, rule_id,
	    muted, found, raised)
	    SELECT u, p, rev, rid, false, found_n, least(found_n,
		(SELECT count(*) FROM public.post_suggestions o
		WHERE o.unit_id = u AND o.post_id = p AND o.revision = rev
		AND o.rule_id = rid AND o.state = 'open'))
	    ON CONFLICT (unit_id, post_id, revision, rule_id) DO NOTHING;
	RETURN raised;
END
$$;
REVOKE ALL ON FUNCTION ch_guide_links_record(bigint, bigint, integer, jsonb)
    FROM PUBLIC;

-- -- Grants -----------------------------------------------------------------

-- The web role queues (through the function) and reads the results; it
-- writes no result.  The worker records results through its function
-- and reads nothing else of posts, rules or units.
GRANT EXECUTE ON FUNCTION ch_guide_links_queue(bigint, bigint, integer, jsonb)
    TO chapterhouse_web;
GRANT SELECT ON guide_link_checks TO chapterhouse_web;
GRANT EXECUTE ON FUNCTION ch_guide_links_record(bigint, bigint, integer,
    jsonb) TO chapterhouse_worker;
