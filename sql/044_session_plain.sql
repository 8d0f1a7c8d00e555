-- 044_session_plain.sql: the session lookup as a plain statement.
--
-- Every signed-in request starts with the session lookup.  It called
-- ch_session_load() (025_rls_roles.sql), a PL/pgSQL SECURITY DEFINER
-- set-returning function: a backend running only that call spent half
-- its time in PL/pgSQL and SPI (the function's cached plan started
-- again, its tuplestore, the role and search_path switch), and most of
-- the rest starting the query's 13 plan nodes: three SubPlans (the hub
-- roles, the use rules' acceptance, the unread count) with their
-- aggregates (bench/RESULTS.md).
--
-- Two changes:
--
-- * person_marks keeps, per person, what the lookup counted or gathered
--   at every request: the hub roles (as the lookup gave them, sorted and
--   comma-separated), the newest use rules version accepted, and the
--   unread count of the inbox.  Statement triggers on hub_roles,
--   use_rule_acceptances and inbox_items keep it, in the statement that
--   changes them; rows are written in person order, so two statements
--   touching the same people wait for each other rather than deadlock.
--   It is a hub table like people and sessions (002_accounts.sql): a
--   person's marks span every unit, so it has no unit_id.  Row-level
--   security is on and forced, its one policy names the schema owner
--   (the triggers and the view below), and no process role is granted
--   anything on it: nobody reads or writes it but through them.
--
-- * ch_session_mine is a view that reads the lookup's row.  A view reads
--   its tables with its owner's privileges, so, owned by the schema
--   owner, it needs no definer function, and PostgreSQL plans it inline
--   into the lookup: one prepared statement, no PL/pgSQL, no SPI, 11
--   plan nodes.  It shows the session whose token hash is in
--   chapterhouse.session, a transaction-local setting that the lookup
--   statement itself sets from its parameter before the view is read
--   (an InitPlan in a one-time filter: PostgreSQL runs it before the
--   scan under it starts).  Anyone may set that setting, but it only
--   ever names one session, by equality on the primary key: to read a
--   session and its person one must hold its hash, as the definer
--   function required.  Unset, empty or any other value: no row.  The
--   view binds its tables when it is made, so a search_path or a
--   temporary table of the same name changes nothing; security_barrier
--   keeps a caller's own functions in a WHERE from seeing rows before
--   the hash has filtered them.  The idle and age limits stay the
--   statement's (they are the server's configuration).
--
-- chapterhouse_anon, the role the lookup runs as (nobody acts yet), may
-- read the view and nothing of the tables behind it; chapterhouse_web
-- may read it too (its grants on people and sessions are those of
-- 002_accounts.sql and 011_process_roles.sql, unchanged).
-- ch_session_load() stays, for a server of the previous release during
-- an upgrade; it gives the same answers.

CREATE TABLE person_marks (
	person_id	bigint PRIMARY KEY REFERENCES people ON DELETE CASCADE,
	hub_roles	text NOT NULL DEFAULT '',
	rules_version	integer NOT NULL DEFAULT 0,
	unread		bigint NOT NULL DEFAULT 0 CHECK (unread >= 0)
);
ALTER TABLE person_marks ENABLE ROW LEVEL SECURITY;
ALTER TABLE person_marks FORCE ROW LEVEL SECURITY;
DO $$
BEGIN
	EXECUTE format('CREATE POLICY person_marks_definer ON person_marks '
	    'TO %I USING (true) WITH CHECK (true)', current_user);
END
$$;
REVOKE ALL ON person_marks FROM PUBLIC;

-- The hub roles of the people a statement on hub_roles touched,
-- gathered again.  A person deleted meanwhile (the cascade of a
-- person's deletion) is skipped.
CREATE FUNCTION ch_marks_roles() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, public AS $$
BEGIN
	IF TG_OP = 'DELETE' THEN
		INSERT INTO public.person_marks AS k (person_id, hub_roles)
		SELECT p.id, (SELECT coalesce(string_agg(r.role, ','
		    ORDER BY r.role), '') FROM public.hub_roles r
		    WHERE r.person_id = p.id)
		FROM public.people p
		WHERE p.id IN (SELECT o.person_id FROM old_rows o)
		ORDER BY p.id
		ON CONFLICT (person_id) DO UPDATE SET hub_roles =
		    EXCLUDED.hub_roles;
	ELSIF TG_OP = 'INSERT' THEN
		INSERT INTO public.person_marks AS k (person_id, hub_roles)
		SELECT p.id, (SELECT coalesce(string_agg(r.role, ','
		    ORDER BY r.role), '') FROM public.hub_roles r
		    WHERE r.person_id = p.id)
		FROM public.people p
		WHERE p.id IN (SELECT n.person_id FROM new_rows n)
		ORDER BY p.id
		ON CONFLICT (person_id) DO UPDATE SET hub_roles =
		    EXCLUDED.hub_roles;
	ELSE
		INSERT INTO public.person_marks AS k (person_id, hub_roles)
		SELECT p.id, (SELECT coalesce(string_agg(r.role, ','
		    ORDER BY r.role), '') FROM public.hub_roles r
		    WHERE r.person_id = p.id)
		FROM public.people p
		WHERE p.id IN (SELECT n.person_id FROM new_rows n
		    UNION SELECT o.person_id FROM old_rows o)
		ORDER BY p.id
		ON CONFLICT (person_id) DO UPDATE SET hub_roles =
		    EXCLUDED.hub_roles;
	END IF;
	RETURN NULL;
END
$$;
REVOKE ALL ON FUNCTION ch_marks_roles() FROM PUBLIC;
CREATE TRIGGER person_marks_roles_ins AFTER INSERT ON hub_roles
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION ch_marks_roles();
CREATE TRIGGER person_marks_roles_upd AFTER UPDATE ON hub_roles
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION ch_marks_roles();
CREATE TRIGGER person_marks_roles_del AFTER DELETE ON hub_roles
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION ch_marks_roles();

-- Acceptances are only ever added (002_accounts.sql): the newest wins.
CREATE FUNCTION ch_marks_rules() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, public AS $$
BEGIN
	INSERT INTO public.person_marks AS k (person_id, rules_version)
	SELECT n.person_id, max(n.version) FROM new_rows n
	GROUP BY n.person_id ORDER BY n.person_id
	ON CONFLICT (person_id) DO UPDATE SET rules_version =
	    greatest(k.rules_version, EXCLUDED.rules_version);
	RETURN NULL;
END
$$;
REVOKE ALL ON FUNCTION ch_marks_rules() FROM PUBLIC;
CREATE TRIGGER person_marks_rules AFTER INSERT ON use_rule_acceptances
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION ch_marks_rules();

-- Unread items: each statement's change per person, added.
CREATE FUNCTION ch_marks_inbox() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, public AS $$
BEGIN
	IF TG_OP = 'INSERT' THEN
		INSERT INTO public.person_marks AS k (person_id, unread)
		SELECT n.person_id, count(*) FROM new_rows n
		WHERE n.read_at IS NULL
		GROUP BY n.person_id ORDER BY n.person_id
		ON CONFLICT (person_id) DO UPDATE SET unread =
		    k.unread + EXCLUDED.unread;
	ELSIF TG_OP = 'UPDATE' THEN
		-- The check forbids a negative count even in a row proposed
		-- for ON CONFLICT: make sure the rows exist, then add.
		INSERT INTO public.person_marks (person_id)
		SELECT p.id FROM public.people p
		WHERE p.id IN (SELECT n.person_id FROM new_rows n
		    WHERE n.read_at IS NULL)
		ORDER BY p.id
		ON CONFLICT (person_id) DO NOTHING;
		UPDATE public.person_marks k SET unread = k.unread + d.n
		FROM (SELECT u.person_id, sum(u.n) AS n FROM (
		    SELECT n.person_id, 1 AS n FROM new_rows n
		    WHERE n.read_at IS NULL
		    UNION ALL SELECT o.person_id, -1 FROM old_rows o
		    WHERE o.read_at IS NULL) u
		    GROUP BY u.person_id HAVING sum(u.n) <> 0) d
		WHERE k.person_id = d.person_id;
	ELSE
		UPDATE public.person_marks k SET unread = k.unread - d.n
		FROM (SELECT o.person_id, count(*) AS n FROM old_rows o
		    WHERE o.read_at IS NULL GROUP BY o.person_id) d
		WHERE k.person_id = d.person_id;
	END IF;
	RETURN NULL;
END
$$;
REVOKE ALL ON FUNCTION ch_marks_inbox() FROM PUBLIC;
CREATE TRIGGER person_marks_inbox_ins AFTER INSERT ON inbox_items
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION ch_marks_inbox();
CREATE TRIGGER person_marks_inbox_upd AFTER UPDATE ON inbox_items
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION ch_marks_inbox();
CREATE TRIGGER person_marks_inbox_del AFTER DELETE ON inbox_items
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION ch_marks_inbox();

-- What is there already.
INSERT INTO person_marks (person_id, hub_roles, rules_version, unread)
SELECT p.id,
    (SELECT coalesce(string_agg(r.role, ',' ORDER BY r.role), '')
	FROM hub_roles r WHERE r.person_id = p.id),
    coalesce((SELECT max(a.version) FROM use_rule_acceptances a
	WHERE a.person_id = p.id), 0),
    (SELECT count(*) FROM inbox_items i
	WHERE i.person_id = p.id AND i.read_at IS NULL)
FROM people p
WHERE EXISTS (SELECT FROM hub_roles r WHERE r.person_id = p.id)
    OR EXISTS (SELECT FROM use_rule_acceptances a WHERE a.person_id = p.id)
    OR EXISTS (SELECT FROM inbox_items i WHERE i.person_id = p.id);

-- The lookup's row, for the hash in chapterhouse.session only.  The
-- acceptance: versions are only added and an acceptance names an
-- existing one, so the newest accepted is the current one exactly when
-- the current one was accepted.
CREATE VIEW ch_session_mine WITH (security_barrier) AS
	SELECT p.id, p.email, p.name, coalesce(k.hub_roles, '') AS roles,
	    s.last_seen_at, s.created_at,
	    coalesce(u.version, 0) AS rules_version,
	    u.version IS NULL OR coalesce(k.rules_version, 0) >= u.version
	    AS rules_ok,
	    coalesce(k.unread, 0) AS unread
	FROM public.sessions s JOIN public.people p ON p.id = s.person_id
	LEFT JOIN public.person_marks k ON k.person_id = s.person_id
	CROSS JOIN LATERAL (SELECT max(v.version) AS version
	    FROM public.use_rules v) u
	WHERE s.token_hash = nullif(pg_catalog.current_setting(
	    'chapterhouse.session', true), '')::bytea;
REVOKE ALL ON ch_session_mine FROM PUBLIC;
GRANT SELECT ON ch_session_mine TO chapterhouse_anon, chapterhouse_web;
