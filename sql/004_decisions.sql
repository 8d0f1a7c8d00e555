-- 004_decisions.sql: the life of a unit request (states and the moves
-- between them), the history of hub decisions, and the audit log.
--
-- The allowed moves are enforced here, whatever the application asks:
--   requested -> approved | rejected | changes_requested
--   changes_requested -> requested (edited and resubmitted)
--   approved -> suspended -> approved (reinstated)
--   any -> archived
-- Anything else raises SQLSTATE CH409, which the application answers
-- with 409.

CREATE FUNCTION units_check_move() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF NEW.state = OLD.state OR NEW.state = 'archived' OR
	    (OLD.state = 'requested' AND NEW.state IN ('approved', 'rejected',
	    'changes_requested')) OR
	    (OLD.state = 'changes_requested' AND NEW.state = 'requested') OR
	    (OLD.state = 'approved' AND NEW.state = 'suspended') OR
	    (OLD.state = 'suspended' AND NEW.state = 'approved') THEN
		NEW.updated_at := now();
		RETURN NEW;
	END IF;
	RAISE EXCEPTION 'a unit cannot go from % to %', OLD.state, NEW.state
	    USING ERRCODE = 'CH409';
END
$$;
CREATE TRIGGER units_check_move BEFORE UPDATE ON units
    FOR EACH ROW EXECUTE FUNCTION units_check_move();

-- Every decision on a unit, with the request as it was when decided, so
-- a resubmission can be compared field by field with the last decision.
CREATE TABLE unit_decisions (
	id		bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	unit_id		bigint NOT NULL REFERENCES units,
	decision	text NOT NULL CHECK (decision IN ('approve', 'reject',
	    'request_changes', 'suspend', 'reinstate', 'archive')),
	reason		text CHECK (length(reason) <= 4000),
	automatic	boolean NOT NULL DEFAULT false,
	decided_by	bigint REFERENCES people,
	decided_at	timestamptz NOT NULL DEFAULT now(),
	snapshot	jsonb NOT NULL
);
CREATE INDEX unit_decisions_unit ON unit_decisions (unit_id, decided_at);

ALTER TABLE unit_decisions ENABLE ROW LEVEL SECURITY;
ALTER TABLE unit_decisions FORCE ROW LEVEL SECURITY;
-- The requester, the unit's members and hub roles read the history; hub
-- admins write it.  Decisions are never changed or removed.
CREATE POLICY unit_decisions_read ON unit_decisions FOR SELECT
    TO chapterhouse_web
    USING (ch_hub_any() OR unit_id IN (SELECT ch_my_units())
	OR unit_id IN (SELECT id FROM units WHERE requested_by = ch_person()));
CREATE POLICY unit_decisions_write ON unit_decisions FOR INSERT
    TO chapterhouse_web
    WITH CHECK (ch_hub_role('admin') AND decided_by = ch_person());
GRANT SELECT, INSERT ON unit_decisions TO chapterhouse_web;

-- The audit log: who did what to which object, when, before and after.
-- Rows are written in the transaction of the change.  Nobody changes or
-- removes them: the web role has no UPDATE or DELETE, and a trigger
-- refuses both to every role, the schema owner included.
CREATE TABLE audit_log (
	id		bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	at		timestamptz NOT NULL DEFAULT now(),
	actor_id	bigint REFERENCES people,
	action		text NOT NULL CHECK (length(action) BETWEEN 1 AND 64),
	object_type	text NOT NULL CHECK (length(object_type) <= 32),
	object_id	text NOT NULL CHECK (length(object_id) <= 200),
	unit_id		bigint REFERENCES units,
	before		jsonb,
	after		jsonb
);
CREATE INDEX audit_log_at ON audit_log (at);
CREATE INDEX audit_log_unit ON audit_log (unit_id, at);
CREATE INDEX audit_log_actor ON audit_log (actor_id, at);

CREATE FUNCTION audit_log_frozen() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	RAISE EXCEPTION 'audit rows cannot be changed or removed'
	    USING ERRCODE = 'insufficient_privilege';
END
$$;
CREATE TRIGGER audit_log_frozen BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_frozen();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_frozen();

ALTER TABLE audit_log ENABLE ROW LEVEL SECURITY;
ALTER TABLE audit_log FORCE ROW LEVEL SECURITY;
-- Hub admins read it all; anyone acting writes rows in their own name.
CREATE POLICY audit_log_read ON audit_log FOR SELECT TO chapterhouse_web
    USING (ch_hub_role('admin'));
CREATE POLICY audit_log_write ON audit_log FOR INSERT TO chapterhouse_web
    WITH CHECK (actor_id IS NOT DISTINCT FROM ch_person());
GRANT SELECT, INSERT ON audit_log TO chapterhouse_web;
