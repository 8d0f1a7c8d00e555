-- 021_guidelines.sql: the hub's guideline rules, each unit's own rules,
-- and the hub rules a unit mutes, with its reason.
--
-- A rule has a kind (term, tags, length, disclosure, quiet, links), the
-- kind's fields as a JSON object (checked here by ch_guide_fields_ok(),
-- whatever the application sends), a message written for the writer, an
-- optional link to a guideline page or a course, and can be switched
-- off.  Hub rules and unit rules draw their ids from one sequence, so a
-- finding names its rule without saying whose it is.
--
-- Who may, enforced here whatever the application asks:
--   * hub rules are read by everyone signed in and written by hub admins
--     and communicators;
--   * a unit's rules are read by its current members and hub roles and
--     written by its owners while it is approved;
--   * a mute is read by the unit's members and hub roles (the hub sees
--     who muted what and why) and written by the unit's owners while it
--     is approved, in their own name.
--
-- Every key of a unit's table carries unit_id.  Policies evaluate their
-- checks once per statement (a scalar subquery, an InitPlan), in the
-- style of 013_rls_speed.sql and 014_posts.sql.

CREATE SEQUENCE guide_rule_ids;

-- Whether v is a JSON array of lo to hi strings of 1 to len characters.
CREATE FUNCTION ch_guide_strings(v jsonb, lo integer, hi integer,
    len integer) RETURNS boolean LANGUAGE sql IMMUTABLE AS $$
	SELECT coalesce(jsonb_typeof(v) = 'array'
	    AND jsonb_array_length(v) BETWEEN lo AND hi
	    AND NOT EXISTS (SELECT 1 FROM jsonb_array_elements(v) e
		WHERE jsonb_typeof(e) <> 'string'
		OR char_length(e #>> '{}') NOT BETWEEN 1 AND len), false)
$$;

-- Whether v is a JSON whole number from lo to hi.
CREATE FUNCTION ch_guide_int(v jsonb, lo integer, hi integer)
RETURNS boolean LANGUAGE sql IMMUTABLE AS $$
	SELECT coalesce(jsonb_typeof(v) = 'number'
	    AND (v #>> '{}') ~ '^[0-9]{1,9}$'
	    AND (v #>> '{}')::integer BETWEEN lo AND hi, false)
$$;

-- Whether v is a YYYY-MM-DD date.
CREATE FUNCTION ch_guide_date(v jsonb) RETURNS boolean LANGUAGE sql
IMMUTABLE AS $$
	SELECT coalesce(jsonb_typeof(v) = 'string'
	    AND (v #>> '{}') ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$', false)
$$;

-- Whether f holds exactly the fields of a rule of kind, each as it must
-- be.  The application checks the same before (and more: a pattern that
-- compiles); this keeps any other writer honest.
CREATE FUNCTION ch_guide_fields_ok(kind text, f jsonb) RETURNS boolean
LANGUAGE sql IMMUTABLE AS $$
	SELECT coalesce(jsonb_typeof(f) = 'object' AND CASE kind
	WHEN 'term' THEN
	    (SELECT array_agg(k ORDER BY k) FROM jsonb_object_keys(f) k)
		= ARRAY['case_sensitive', 'pattern', 'regex', 'replacement']
	    AND jsonb_typeof(f->'pattern') = 'string'
	    AND octet_length(f->>'pattern') BETWEEN 1 AND 1000
	    AND jsonb_typeof(f->'regex') = 'boolean'
	    AND jsonb_typeof(f->'case_sensitive') = 'boolean'
	    AND (jsonb_typeof(f->'replacement') = 'null'
		OR (jsonb_typeof(f->'replacement') = 'string'
		AND octet_length(f->>'replacement') <= 1000))
	WHEN 'tags' THEN
	    (SELECT array_agg(k ORDER BY k) FROM jsonb_object_keys(f) k)
		= ARRAY['allowed', 'required']
	    AND ch_guide_strings(f->'allowed', 1, 500, 50)
	    AND jsonb_typeof(f->'required') = 'boolean'
	WHEN 'length' THEN
	    (SELECT array_agg(k ORDER BY k) FROM jsonb_object_keys(f) k)
		= ARRAY['channel', 'limit', 'link_length']
	    AND f->>'channel' IN ('blog', 'linkedin', 'x', 'facebook',
		'instagram', 'other')
	    AND ch_guide_int(f->'limit', 1, 100000)
	    AND ch_guide_int(f->'link_length', 0, 1000)
	WHEN 'disclosure' THEN
	    (SELECT array_agg(k ORDER BY k) FROM jsonb_object_keys(f) k)
		= ARRAY['sentence', 'tags', 'terms']
	    AND ch_guide_strings(f->'tags', 0, 50, 50)
	    AND ch_guide_strings(f->'terms', 0, 50, 200)
	    AND jsonb_array_length(f->'tags') + jsonb_array_length(f->'terms')
		> 0
	    AND jsonb_typeof(f->'sentence') = 'string'
	    AND char_length(f->>'sentence') BETWEEN 1 AND 500
	WHEN 'quiet' THEN
	    (SELECT array_agg(k ORDER BY k) FROM jsonb_object_keys(f) k)
		= ARRAY['ends', 'regions', 'starts', 'terms', 'units']
	    AND ch_guide_strings(f->'terms', 1, 50, 200)
	    AND ch_guide_date(f->'starts') AND ch_guide_date(f->'ends')
	    AND f->>'starts' <= f->>'ends'
	    AND ch_guide_strings(f->'units', 0, 200, 50)
	    AND ch_guide_strings(f->'regions', 0, 50, 120)
	WHEN 'links' THEN f = '{}'
	ELSE false END, false)
$$;

-- -- Tables -----------------------------------------------------------------

CREATE TABLE guide_hub_rules (
	id		bigint PRIMARY KEY DEFAULT nextval('guide_rule_ids'),
	kind		text NOT NULL CHECK (kind IN ('term', 'tags', 'length',
	    'disclosure', 'quiet', 'links')),
	fields		jsonb NOT NULL DEFAULT '{}',
	message		text NOT NULL
	    CHECK (char_length(message) BETWEEN 1 AND 1000),
	link		text CHECK (link ~* '^https?://[^[:space:]]+$'
	    AND char_length(link) <= 2000),
	enabled		boolean NOT NULL DEFAULT true,
	created_by	bigint NOT NULL REFERENCES people,
	created_at	timestamptz NOT NULL DEFAULT now(),
	updated_by	bigint NOT NULL REFERENCES people,
	updated_at	timestamptz NOT NULL DEFAULT now(),
	CHECK (ch_guide_fields_ok(kind, fields))
);

-- A unit's own rules: the same kinds; a quiet period of a unit targets
-- that unit only, so it names no units or regions.
CREATE TABLE guide_unit_rules (
	unit_id		bigint NOT NULL REFERENCES units,
	id		bigint NOT NULL DEFAULT nextval('guide_rule_ids'),
	kind		text NOT NULL CHECK (kind IN ('term', 'tags', 'length',
	    'disclosure', 'quiet', 'links')),
	fields		jsonb NOT NULL DEFAULT '{}',
	message		text NOT NULL
	    CHECK (char_length(message) BETWEEN 1 AND 1000),
	link		text CHECK (link ~* '^https?://[^[:space:]]+$'
	    AND char_length(link) <= 2000),
	enabled		boolean NOT NULL DEFAULT true,
	created_by	bigint NOT NULL REFERENCES people,
	created_at	timestamptz NOT NULL DEFAULT now(),
	updated_by	bigint NOT NULL REFERENCES people,
	updated_at	timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (unit_id, id),
	CHECK (ch_guide_fields_ok(kind, fields)),
	CHECK (kind <> 'quiet' OR (fields->'units' = '[]'
	    AND fields->'regions' = '[]'))
);
CREATE UNIQUE INDEX guide_unit_rules_id ON guide_unit_rules (id);

-- A hub rule a unit does not want, and why.  It goes with the rule.
CREATE TABLE guide_mutes (
	unit_id		bigint NOT NULL REFERENCES units,
	rule_id		bigint NOT NULL REFERENCES guide_hub_rules
	    ON DELETE CASCADE,
	reason		text NOT NULL
	    CHECK (char_length(reason) BETWEEN 1 AND 1000),
	muted_by	bigint NOT NULL REFERENCES people,
	muted_at	timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (unit_id, rule_id)
);
CREATE INDEX guide_mutes_rule ON guide_mutes (rule_id);

-- A change records when it was made.
CREATE FUNCTION guide_rules_touch() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	NEW.updated_at := now();
	RETURN NEW;
END
$$;
CREATE TRIGGER guide_hub_rules_touch BEFORE UPDATE ON guide_hub_rules
    FOR EACH ROW EXECUTE FUNCTION guide_rules_touch();
CREATE TRIGGER guide_unit_rules_touch BEFORE UPDATE ON guide_unit_rules
    FOR EACH ROW EXECUTE FUNCTION guide_rules_touch();

CREATE FUNCTION guide_mutes_touch() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	NEW.muted_at := now();
	RETURN NEW;
END
$$;
CREATE TRIGGER guide_mutes_touch BEFORE UPDATE ON guide_mutes
    FOR EACH ROW EXECUTE FUNCTION guide_mutes_touch();

-- -- Row-level security -----------------------------------------------------

-- The hub roles that keep the hub's rules.
CREATE FUNCTION ch_guide_hub_writer() RETURNS boolean LANGUAGE sql STABLE
AS $$
	SELECT ch_hub_role('admin') OR ch_hub_role('communicator')
$$;
GRANT EXECUTE ON FUNCTION ch_guide_hub_writer() TO chapterhouse_web;

ALTER TABLE guide_hub_rules ENABLE ROW LEVEL SECURITY;
ALTER TABLE guide_hub_rules FORCE ROW LEVEL SECURITY;
ALTER TABLE guide_unit_rules ENABLE ROW LEVEL SECURITY;
ALTER TABLE guide_unit_rules FORCE ROW LEVEL SECURITY;
ALTER TABLE guide_mutes ENABLE ROW LEVEL SECURITY;
ALTER TABLE guide_mutes FORCE ROW LEVEL SECURITY;

-- The schema owner sees and writes every row of these tables.
DO $$
DECLARE
	t	text;
BEGIN
	FOREACH t IN ARRAY ARRAY['guide_hub_rules', 'guide_unit_rules',
	    'guide_mutes'] LOOP
		EXECUTE format('CREATE POLICY %I ON %I TO %I USING (true) '
		    'WITH CHECK (true)', t || '_definer', t, current_user);
	END LOOP;
END
$$;

-- Hub rules: everyone signed in reads them; hub admins and communicators
-- write them, in their own name.
CREATE POLICY guide_hub_rules_read ON guide_hub_rules FOR SELECT
    TO chapterhouse_web USING ((SELECT ch_person()) IS NOT NULL);
CREATE POLICY guide_hub_rules_add ON guide_hub_rules FOR INSERT
    TO chapterhouse_web
    WITH CHECK ((SELECT ch_guide_hub_writer())
	AND created_by = (SELECT ch_person())
	AND updated_by = (SELECT ch_person()));
CREATE POLICY guide_hub_rules_change ON guide_hub_rules FOR UPDATE
    TO chapterhouse_web USING ((SELECT ch_guide_hub_writer()))
    WITH CHECK ((SELECT ch_guide_hub_writer())
	AND updated_by = (SELECT ch_person()));
CREATE POLICY guide_hub_rules_remove ON guide_hub_rules FOR DELETE
    TO chapterhouse_web USING ((SELECT ch_guide_hub_writer()));

-- A unit's rules: its current members and hub roles read them; its
-- owners write them while it is approved.
CREATE POLICY guide_unit_rules_read ON guide_unit_rules FOR SELECT
    TO chapterhouse_web
    USING (unit_id = ANY ((SELECT ch_post_units('read'))::bigint[])
	OR (SELECT ch_hub_any()));
CREATE POLICY guide_unit_rules_add ON guide_unit_rules FOR INSERT
    TO chapterhouse_web
    WITH CHECK (unit_id = ANY ((SELECT ch_post_units('own'))::bigint[])
	AND created_by = (SELECT ch_person())
	AND updated_by = (SELECT ch_person()));
CREATE POLICY guide_unit_rules_change ON guide_unit_rules FOR UPDATE
    TO chapterhouse_web
    USING (unit_id = ANY ((SELECT ch_post_units('own'))::bigint[]))
    WITH CHECK (unit_id = ANY ((SELECT ch_post_units('own'))::bigint[])
	AND updated_by = (SELECT ch_person()));
CREATE POLICY guide_unit_rules_remove ON guide_unit_rules FOR DELETE
    TO chapterhouse_web
    USING (unit_id = ANY ((SELECT ch_post_units('own'))::bigint[]));

-- Mutes: the unit's members and hub roles read them; its owners mute
-- and unmute while it is approved.
CREATE POLICY guide_mutes_read ON guide_mutes FOR SELECT TO chapterhouse_web
    USING (unit_id = ANY ((SELECT ch_post_units('read'))::bigint[])
	OR (SELECT ch_hub_any()));
CREATE POLICY guide_mutes_add ON guide_mutes FOR INSERT TO chapterhouse_web
    WITH CHECK (unit_id = ANY ((SELECT ch_post_units('own'))::bigint[])
	AND muted_by = (SELECT ch_person()));
CREATE POLICY guide_mutes_change ON guide_mutes FOR UPDATE
    TO chapterhouse_web
    USING (unit_id = ANY ((SELECT ch_post_units('own'))::bigint[]))
    WITH CHECK (unit_id = ANY ((SELECT ch_post_units('own'))::bigint[])
	AND muted_by = (SELECT ch_person()));
CREATE POLICY guide_mutes_remove ON guide_mutes FOR DELETE
    TO chapterhouse_web
    USING (unit_id = ANY ((SELECT ch_post_units('own'))::bigint[]));

-- -- Grants: what each process uses -----------------------------------------

-- The web role.  Who wrote a rule and when is the database's to record:
-- created_at, updated_at and muted_at are not granted.  The job worker
-- gets nothing yet.
GRANT USAGE ON SEQUENCE guide_rule_ids TO chapterhouse_web;
GRANT SELECT, INSERT (kind, fields, message, link, enabled, created_by,
    updated_by), UPDATE (kind, fields, message, link, enabled, updated_by),
    DELETE ON guide_hub_rules TO chapterhouse_web;
GRANT SELECT, INSERT (unit_id, kind, fields, message, link, enabled,
    created_by, updated_by), UPDATE (kind, fields, message, link, enabled,
    updated_by), DELETE ON guide_unit_rules TO chapterhouse_web;
GRANT SELECT, INSERT (unit_id, rule_id, reason, muted_by),
    UPDATE (reason, muted_by), DELETE ON guide_mutes TO chapterhouse_web;
