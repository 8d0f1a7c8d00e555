-- 008_policy.sql: how the hub decides.  The approval policy (manual, or
-- automatic for some e-mail domains and unit kinds), delegated approvers
-- (owners of a parent unit decide the requests under it), the reason
-- codes a rejection or change request picks from, and the screening
-- questions a request answers.

-- One row.  match 'any': a request is approved automatically when the
-- requester's e-mail domain is listed OR its kind is; 'all': when every
-- list that is not empty matches.  Domains match whole (example.org does
-- not cover mail.example.org), in lower case.
CREATE TABLE approval_policy (
	id		boolean PRIMARY KEY DEFAULT true CHECK (id),
	mode		text NOT NULL DEFAULT 'manual'
	    CHECK (mode IN ('manual', 'automatic')),
	domains		text[] NOT NULL DEFAULT '{}'
	    CHECK (cardinality(domains) <= 100),
	kinds		text[] NOT NULL DEFAULT '{}' CHECK (kinds <@
	    ARRAY['chapter', 'franchise', 'dealership', 'regional_market',
	    'department', 'agency_team', 'other']),
	match		text NOT NULL DEFAULT 'any'
	    CHECK (match IN ('any', 'all')),
	delegate	boolean NOT NULL DEFAULT false,
	updated_by	bigint REFERENCES people,
	updated_at	timestamptz NOT NULL DEFAULT now(),
	CHECK (mode = 'manual' OR cardinality(domains) + cardinality(kinds) > 0)
);
INSERT INTO approval_policy DEFAULT VALUES;

ALTER TABLE approval_policy ENABLE ROW LEVEL SECURITY;
ALTER TABLE approval_policy FORCE ROW LEVEL SECURITY;
-- The policy is the confederation's public rule: everyone reads it (the
-- request form says who will decide); hub admins change it.
CREATE POLICY approval_policy_read ON approval_policy FOR SELECT
    USING (true);
CREATE POLICY approval_policy_change ON approval_policy FOR UPDATE
    TO chapterhouse_web USING (ch_hub_role('admin'))
    WITH CHECK (ch_hub_role('admin') AND updated_by = ch_person());
GRANT SELECT, UPDATE ON approval_policy TO chapterhouse_web;

-- Units whose requests the acting person may decide as a delegate: the
-- children of units they own, when the policy delegates, except their own
-- requests.  Hub admins decide every request (ch_may_decide).
CREATE FUNCTION ch_delegated_units() RETURNS SETOF bigint LANGUAGE sql
STABLE SECURITY DEFINER SET search_path = pg_catalog, public AS $$
	SELECT c.id FROM public.units c
	JOIN public.unit_members m ON m.unit_id = c.parent_id
	WHERE m.person_id = public.ch_person() AND m.role = 'owner'
	AND c.requested_by <> public.ch_person()
	AND (SELECT delegate FROM public.approval_policy)
$$;

CREATE FUNCTION ch_may_decide(unit bigint) RETURNS boolean LANGUAGE sql
STABLE AS $$
	SELECT ch_hub_role('admin') OR unit IN (SELECT ch_delegated_units())
$$;
REVOKE ALL ON FUNCTION ch_delegated_units() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ch_delegated_units(), ch_may_decide(bigint)
    TO chapterhouse_web;

-- Delegates see the requests they may decide, move them and record the
-- decision; hub admins as before.
DROP POLICY units_read ON units;
CREATE POLICY units_read ON units FOR SELECT TO chapterhouse_web
    USING (state = 'approved' OR id IN (SELECT ch_my_units())
	OR requested_by = ch_person() OR ch_hub_any()
	OR id IN (SELECT ch_delegated_units()));
DROP POLICY units_change ON units;
CREATE POLICY units_change ON units FOR UPDATE TO chapterhouse_web
    USING (ch_hub_role('admin') OR id IN (SELECT ch_my_owned_units())
	OR requested_by = ch_person() OR id IN (SELECT ch_delegated_units()))
    WITH CHECK (ch_hub_role('admin') OR id IN (SELECT ch_my_owned_units())
	OR requested_by = ch_person() OR id IN (SELECT ch_delegated_units()));
DROP POLICY unit_decisions_read ON unit_decisions;
CREATE POLICY unit_decisions_read ON unit_decisions FOR SELECT
    TO chapterhouse_web
    USING (ch_hub_any() OR unit_id IN (SELECT ch_my_units())
	OR unit_id IN (SELECT id FROM units WHERE requested_by = ch_person())
	OR unit_id IN (SELECT ch_delegated_units()));
DROP POLICY unit_decisions_write ON unit_decisions;
CREATE POLICY unit_decisions_write ON unit_decisions FOR INSERT
    TO chapterhouse_web
    WITH CHECK (ch_may_decide(unit_id) AND decided_by = ch_person());

-- Who may make which move.  Row-level security lets requesters and owners
-- update their unit (to edit a request); the state itself moves only by a
-- decider: approve, reject or ask for changes by ch_may_decide(); suspend,
-- reinstate and archive by hub admins.  The web role is held to this;
-- the schema owner's definer functions (automatic approval) are not.
CREATE OR REPLACE FUNCTION units_check_move() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
	web	boolean := pg_has_role(current_user, 'chapterhouse_web',
		    'USAGE') AND NOT (SELECT rolsuper FROM pg_roles
		    WHERE rolname = current_user);
BEGIN
	IF NEW.state = OLD.state THEN
		NEW.updated_at := now();
		RETURN NEW;
	END IF;
	IF NOT (NEW.state = 'archived' OR
	    (OLD.state = 'requested' AND NEW.state IN ('approved', 'rejected',
	    'changes_requested')) OR
	    (OLD.state = 'changes_requested' AND NEW.state = 'requested') OR
	    (OLD.state = 'approved' AND NEW.state = 'suspended') OR
	    (OLD.state = 'suspended' AND NEW.state = 'approved')) THEN
		RAISE EXCEPTION 'a unit cannot go from % to %', OLD.state,
		    NEW.state USING ERRCODE = 'CH409';
	END IF;
	IF web AND OLD.state = 'requested' AND NOT ch_may_decide(OLD.id) THEN
		RAISE EXCEPTION 'only an approver decides a request'
		    USING ERRCODE = 'insufficient_privilege';
	END IF;
	IF web AND OLD.state <> 'changes_requested' AND
	    OLD.state <> 'requested' AND NOT ch_hub_role('admin') THEN
		RAISE EXCEPTION 'only a hub admin suspends, reinstates or '
		    'archives a unit' USING ERRCODE = 'insufficient_privilege';
	END IF;
	IF web AND NEW.state = 'archived' AND NOT ch_hub_role('admin') THEN
		RAISE EXCEPTION 'only a hub admin archives a unit'
		    USING ERRCODE = 'insufficient_privilege';
	END IF;
	NEW.updated_at := now();
	RETURN NEW;
END
$$;

-- Reason codes: what a rejection or a change request picks, with the
-- message the requester reads.  {unit} and {requester} in a template
-- stand for the unit's and the requester's names.  Codes are never
-- removed, since decisions name them; hub admins retire them instead.
CREATE TABLE reason_codes (
	code		text PRIMARY KEY CHECK (code ~ '^[a-z0-9_]{1,40}$'),
	label		text NOT NULL CHECK (length(label) BETWEEN 1 AND 120),
	template	text NOT NULL CHECK (length(template) BETWEEN 1 AND 2000),
	active		boolean NOT NULL DEFAULT true,
	created_at	timestamptz NOT NULL DEFAULT now()
);
INSERT INTO reason_codes (code, label, template) VALUES
    ('out_of_scope', 'Outside what the hub supports',
     'The purpose of {unit} falls outside what this confederation''s hub '
     'supports.'),
    ('duplicate', 'A workspace for this exists',
     'A workspace already serves what {unit} would do; ask its owners to '
     'invite you instead.'),
    ('more_detail', 'Needs more detail',
     'Thank you, {requester}. Before deciding on {unit}, the hub needs a '
     'clearer purpose and audience.'),
    ('naming', 'Name or address',
     'The name or the address chosen for {unit} could be confused with '
     'another unit''s.');

ALTER TABLE unit_decisions ADD COLUMN reason_code text
    REFERENCES reason_codes;

ALTER TABLE reason_codes ENABLE ROW LEVEL SECURITY;
ALTER TABLE reason_codes FORCE ROW LEVEL SECURITY;
CREATE POLICY reason_codes_read ON reason_codes FOR SELECT
    TO chapterhouse_web USING (ch_person() IS NOT NULL);
CREATE POLICY reason_codes_add ON reason_codes FOR INSERT
    TO chapterhouse_web WITH CHECK (ch_hub_role('admin'));
CREATE POLICY reason_codes_change ON reason_codes FOR UPDATE
    TO chapterhouse_web USING (ch_hub_role('admin'))
    WITH CHECK (ch_hub_role('admin'));
GRANT SELECT, INSERT, UPDATE ON reason_codes TO chapterhouse_web;

-- Screening questions the hub adds to the request form, and the answers
-- of each request.  Questions are retired, not removed, so past answers
-- keep their question.
CREATE TABLE screening_questions (
	id		bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	prompt		text NOT NULL CHECK (length(prompt) BETWEEN 1 AND 300),
	help		text NOT NULL DEFAULT '' CHECK (length(help) <= 500),
	required	boolean NOT NULL DEFAULT false,
	active		boolean NOT NULL DEFAULT true,
	created_at	timestamptz NOT NULL DEFAULT now()
);

ALTER TABLE screening_questions ENABLE ROW LEVEL SECURITY;
ALTER TABLE screening_questions FORCE ROW LEVEL SECURITY;
CREATE POLICY screening_questions_read ON screening_questions FOR SELECT
    TO chapterhouse_web USING (ch_person() IS NOT NULL);
CREATE POLICY screening_questions_add ON screening_questions FOR INSERT
    TO chapterhouse_web WITH CHECK (ch_hub_role('admin'));
CREATE POLICY screening_questions_change ON screening_questions FOR UPDATE
    TO chapterhouse_web USING (ch_hub_role('admin'))
    WITH CHECK (ch_hub_role('admin'));
GRANT SELECT, INSERT, UPDATE ON screening_questions TO chapterhouse_web;

CREATE TABLE unit_answers (
	unit_id		bigint NOT NULL REFERENCES units,
	question_id	bigint NOT NULL REFERENCES screening_questions,
	answer		text NOT NULL CHECK (length(answer) <= 4000),
	PRIMARY KEY (unit_id, question_id)
);

-- Read like the decisions; written by the requester while the request
-- waits (for a decision or for changes).  Nobody deletes an answer.
ALTER TABLE unit_answers ENABLE ROW LEVEL SECURITY;
ALTER TABLE unit_answers FORCE ROW LEVEL SECURITY;
CREATE POLICY unit_answers_read ON unit_answers FOR SELECT
    TO chapterhouse_web
    USING (ch_hub_any() OR unit_id IN (SELECT ch_my_units())
	OR unit_id IN (SELECT id FROM units WHERE requested_by = ch_person())
	OR unit_id IN (SELECT ch_delegated_units()));
CREATE POLICY unit_answers_write ON unit_answers FOR INSERT
    TO chapterhouse_web
    WITH CHECK (unit_id IN (SELECT id FROM units WHERE requested_by =
	ch_person() AND state IN ('requested', 'changes_requested')));
CREATE POLICY unit_answers_change ON unit_answers FOR UPDATE
    TO chapterhouse_web
    USING (unit_id IN (SELECT id FROM units WHERE requested_by =
	ch_person() AND state IN ('requested', 'changes_requested')))
    WITH CHECK (unit_id IN (SELECT id FROM units WHERE requested_by =
	ch_person() AND state IN ('requested', 'changes_requested')));
GRANT SELECT, INSERT, UPDATE ON unit_answers TO chapterhouse_web;

-- The definer (schema owner) approves automatically: it moves the unit,
-- records the decision and the audit row.
DO $$
BEGIN
	EXECUTE format('CREATE POLICY units_definer_change ON units '
	    'FOR UPDATE TO %I USING (true) WITH CHECK (true)', current_user);
	EXECUTE format('CREATE POLICY unit_decisions_definer ON '
	    'unit_decisions FOR INSERT TO %I WITH CHECK (automatic)',
	    current_user);
	EXECUTE format('CREATE POLICY audit_log_definer ON audit_log '
	    'FOR INSERT TO %I WITH CHECK (actor_id IS NULL)', current_user);
END
$$;

-- Approve the acting person's fresh request unit when the policy says
-- so: the move, the decision (automatic, decided by nobody) and the audit
-- row (actor: nobody).  Returns why ("e-mail domain example.org", "kind
-- chapter"), or NULL when the request stays for a person to decide.
CREATE FUNCTION ch_auto_approve(unit bigint) RETURNS text
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
DECLARE
	u	units%ROWTYPE;
	p	approval_policy%ROWTYPE;
	dom	text;
	dm	boolean;
	km	boolean;
	why	text;
	snap	jsonb;
BEGIN
	SELECT * INTO u FROM units WHERE id = unit AND state = 'requested'
	    AND requested_by = ch_person() FOR UPDATE;
	IF NOT FOUND THEN
		RETURN NULL;
	END IF;
	SELECT * INTO p FROM approval_policy;
	IF p.mode <> 'automatic' THEN
		RETURN NULL;
	END IF;
	SELECT lower(substr(email, strpos(email, '@') + 1)) INTO dom
	    FROM people WHERE id = u.requested_by;
	dm := dom = ANY (p.domains);
	km := u.kind = ANY (p.kinds);
	IF (p.match = 'any' AND NOT (dm OR km)) OR (p.match = 'all' AND
	    NOT ((cardinality(p.domains) = 0 OR dm) AND
	    (cardinality(p.kinds) = 0 OR km))) THEN
		RETURN NULL;
	END IF;
	why := concat_ws(' and ', CASE WHEN dm THEN 'e-mail domain ' || dom
	    END, CASE WHEN km THEN 'kind ' || u.kind END);
	IF why = '' THEN
		why := 'every request';
	END IF;
	UPDATE units SET state = 'approved' WHERE id = unit
	    RETURNING to_jsonb(units.*) INTO snap;
	INSERT INTO unit_decisions (unit_id, decision, reason, automatic,
	    decided_by, snapshot) VALUES (unit, 'approve',
	    'Approved automatically by the approval policy (' || why || ').',
	    true, NULL, snap);
	INSERT INTO audit_log (actor_id, action, object_type, object_id,
	    unit_id, before, after) VALUES (NULL, 'unit.approve', 'unit',
	    u.slug, unit, '{"state":"requested"}', jsonb_build_object('state',
	    'approved', 'automatic', true, 'rule', why));
	RETURN why;
END
$$;
REVOKE ALL ON FUNCTION ch_auto_approve(bigint) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ch_auto_approve(bigint) TO chapterhouse_web;

-- Reminders (007_reminders.sql) go to everyone who may decide a waiting
-- request: hub admins, and, while delegation is on, the owners of its
-- parent unit (not the requester).
CREATE OR REPLACE FUNCTION ch_claim_reminders(waited interval)
RETURNS TABLE (person_id bigint, email text, name text, slug text,
    unit text, requester text, requester_email text, waited_seconds bigint)
LANGUAGE sql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, public AS $$
	WITH waiting AS (
		SELECT u.id, u.parent_id, u.slug, u.name, u.updated_at,
		    u.requested_by
		FROM public.units u
		WHERE u.state = 'requested' AND u.updated_at <= now() - waited
	), deciders AS (
		SELECT w.id AS unit_id, h.person_id
		FROM waiting w CROSS JOIN public.hub_roles h
		WHERE h.role = 'admin'
		UNION
		SELECT w.id, m.person_id FROM waiting w
		JOIN public.unit_members m ON m.unit_id = w.parent_id
		    AND m.role = 'owner' AND m.person_id <> w.requested_by
		WHERE (SELECT delegate FROM public.approval_policy)
	), claimed AS (
		INSERT INTO public.reminder_digests AS d (person_id, sent_at)
		SELECT DISTINCT a.person_id, now() FROM deciders a
		ON CONFLICT ON CONSTRAINT reminder_digests_pkey
		DO UPDATE SET sent_at = EXCLUDED.sent_at
		WHERE d.sent_at <= now() - interval '24 hours'
		RETURNING d.person_id
	)
	SELECT p.id, p.email, p.name, w.slug, w.name, r.name, r.email,
	    floor(extract(epoch FROM now() - w.updated_at))::bigint
	FROM claimed c
	JOIN public.people p ON p.id = c.person_id
	JOIN deciders a ON a.person_id = c.person_id
	JOIN waiting w ON w.id = a.unit_id
	JOIN public.people r ON r.id = w.requested_by
	ORDER BY p.id, w.updated_at, w.id
$$;
