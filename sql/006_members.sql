-- 006_members.sql: managing a unit's members: changing a role or a
-- guest's last day, removing a member, leaving.
--
-- Who may do what stays with the policies of 003_units.sql: the unit's
-- owners and hub admins change and remove memberships, and anyone may
-- remove their own.  What this file adds is enforced whoever acts, the
-- schema owner included:
--   * a unit always keeps at least one owner: an UPDATE or DELETE that
--     would leave it without one raises SQLSTATE CH409, which the
--     application answers with 409 last_owner;
--   * a guest always has a last day;
--   * the web role changes only the role and the last day of a
--     membership, never whose or which unit's it is.

ALTER TABLE unit_members ADD CONSTRAINT unit_members_guest_until
    CHECK (role <> 'guest' OR expires_at IS NOT NULL);

REVOKE UPDATE ON unit_members FROM chapterhouse_web;
GRANT UPDATE (role, expires_at) ON unit_members TO chapterhouse_web;

-- Refuse a change that takes the last owner away from a unit.
--
-- Concurrency: two owners demoting each other at once each see the other
-- still an owner, and both would pass.  So every change that takes an
-- owner away first takes a transaction lock of its unit, and only then
-- counts the owners left: the second waits for the first to end and,
-- since each statement of a READ COMMITTED transaction (the
-- application's) takes a new snapshot, counts what the first committed.
-- The lock is an advisory one keyed by the unit rather than the unit's
-- row, so it depends on no row-level policy and decisions on the unit do
-- not wait for it.  Adding owners needs no lock: it cannot make the
-- count wrong.
--
-- SECURITY DEFINER so that the count sees every owner whoever acts.  A
-- membership deleted because its unit is being deleted (ON DELETE
-- CASCADE) is let go: the unit no longer exists.
CREATE FUNCTION unit_members_keep_owner() RETURNS trigger LANGUAGE plpgsql
SECURITY DEFINER SET search_path = pg_catalog, public AS $$
BEGIN
	IF OLD.role <> 'owner' OR (TG_OP = 'UPDATE' AND NEW.role = 'owner'
	    AND NEW.unit_id = OLD.unit_id) THEN
		RETURN CASE TG_OP WHEN 'DELETE' THEN OLD ELSE NEW END;
	END IF;
	PERFORM pg_advisory_xact_lock(hashtext('chapterhouse.unit_owners'),
	    (OLD.unit_id & 2147483647)::integer);
	IF NOT EXISTS (SELECT 1 FROM public.units WHERE id = OLD.unit_id) THEN
		RETURN OLD;
	END IF;
	IF NOT EXISTS (SELECT 1 FROM public.unit_members
	    WHERE unit_id = OLD.unit_id AND role = 'owner'
	    AND person_id <> OLD.person_id) THEN
		RAISE EXCEPTION 'a unit must keep at least one owner'
		    USING ERRCODE = 'CH409';
	END IF;
	RETURN CASE TG_OP WHEN 'DELETE' THEN OLD ELSE NEW END;
END
$$;
CREATE TRIGGER unit_members_keep_owner BEFORE UPDATE OR DELETE
    ON unit_members FOR EACH ROW EXECUTE FUNCTION unit_members_keep_owner();
