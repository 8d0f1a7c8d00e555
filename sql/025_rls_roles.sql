-- 025_rls_roles.sql: a role of its own for anonymous reads.
--
-- Policies apply only to the roles they name.  Every policy so far names
-- chapterhouse_web, so a statement an anonymous visitor causes carries
-- the members' checks too: the InitPlans asking ch_unit_ids() and
-- ch_delegated_unit_ids(), and each subquery's policies, which
-- PostgreSQL sets up at every execution although, for nobody acting,
-- none of them runs.  An anonymous read now runs as chapterhouse_anon,
-- whose only policy is the public one (approved units), on the public
-- columns of units only: the planner never sees the members' policies.
--
--   chapterhouse_anon  the web server, for a read with nobody acting
--                      (SET LOCAL ROLE, transaction by transaction)
--
-- It owns nothing, cannot log in or bypass row-level security and is a
-- member of no role: holding it alone, one cannot SET ROLE to anything
-- wider.  No policy of it reads chapterhouse.person or
-- chapterhouse.hub_roles, so setting them names nobody.  It is granted
-- to chapterhouse_web, which becomes NOINHERIT: its members (the web
-- server's login) may SET ROLE to it, but do not take its policies or
-- privileges as their own, so the signed-in plans stay as they were.
-- chapterhouse_web is a member of no other role, so NOINHERIT changes
-- nothing else.  The job worker and the command line get nothing.

DO $$
BEGIN
	IF NOT EXISTS (SELECT FROM pg_roles
	    WHERE rolname = 'chapterhouse_anon') THEN
		CREATE ROLE chapterhouse_anon NOLOGIN NOSUPERUSER NOCREATEDB
		    NOCREATEROLE NOREPLICATION NOBYPASSRLS NOINHERIT;
	END IF;
END
$$;

ALTER ROLE chapterhouse_web NOINHERIT;
GRANT chapterhouse_anon TO chapterhouse_web;
GRANT USAGE ON SCHEMA public TO chapterhouse_anon;

-- What a unit's public page shows, and nothing of who asked for it.
GRANT SELECT (id, slug, name, kind, parent_id, region, purpose, audience,
    channels, state, created_at, updated_at) ON units TO chapterhouse_anon;
CREATE POLICY units_public ON units FOR SELECT TO chapterhouse_anon
    USING (state = 'approved');

-- The session lookup, for a request that carries a session cookie.  It
-- runs as chapterhouse_anon (nobody acts yet), so it reads the sessions
-- through this definer function, which answers only for the hash of a
-- token one holds, as the web role's own lookup did.  The statement that
-- calls it sets who acts, and the role back to the login role, from the
-- row it returns: one statement instead of the lookup and a prologue.
-- PL/pgSQL keeps the plan; the unread count is the same as
-- ch_session_unread() (019_review_pages.sql), a definer SQL function
-- planned again at every call, counted here by the index on
-- (person_id, read_at).
CREATE FUNCTION ch_session_load(h bytea, idle integer, max_age integer)
RETURNS TABLE (id bigint, email text, name text, roles text,
    stale boolean, rules_version integer, rules_ok boolean, unread bigint)
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = pg_catalog, public AS $$
#variable_conflict use_column
BEGIN
	RETURN QUERY SELECT p.id, p.email, p.name,
	    (SELECT coalesce(string_agg(r.role, ',' ORDER BY r.role), '')
		FROM public.hub_roles r WHERE r.person_id = p.id),
	    s.last_seen_at < now() - interval '60 seconds',
	    coalesce(u.version, 0), u.version IS NULL OR EXISTS (SELECT
		FROM public.use_rule_acceptances a WHERE a.person_id = p.id
		AND a.version = u.version),
	    (SELECT count(*) FROM public.inbox_items i
		WHERE i.person_id = p.id AND i.read_at IS NULL)
	FROM public.sessions s JOIN public.people p ON p.id = s.person_id
	CROSS JOIN LATERAL (SELECT max(v.version) AS version
	    FROM public.use_rules v) u
	WHERE s.token_hash = h
	    AND s.last_seen_at > now() - make_interval(secs => idle)
	    AND s.created_at > now() - make_interval(secs => max_age);
END
$$;
REVOKE ALL ON FUNCTION ch_session_load(bytea, integer, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ch_session_load(bytea, integer, integer)
    TO chapterhouse_anon, chapterhouse_web;
