-- 010_unit_guards.sql: who may decide, edit and join a unit, enforced
-- where a forgotten check in a handler cannot undo it.
--
--   * A parent is another unit, approved, and not one of the unit's own
--     descendants; the web role cannot change the parent of a request
--     that waits for a decision.  A delegate is an owner of an approved
--     parent who neither requested the unit nor owns it: a requester who
--     names their own request as its parent, or invites a second account
--     as its owner, decides nothing.
--   * Write rights follow current ownership, not having once requested
--     the unit: a requester removed from it no longer edits the request
--     nor reads its decisions and answers, and adds themselves as owner
--     only to a fresh request that has no member yet.  A request is
--     inserted in state 'requested' and nothing else.
--   * Invitations bind to the invited address, can be listed and revoked
--     by the unit's owners, die when their inviter stops being an owner,
--     and are limited per inviter and per recipient.

-- Whether a unit has any member, whoever may see them: the self-add of
-- a requester is for a unit with none.
CREATE FUNCTION ch_unit_has_members(unit bigint) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public AS $$
	SELECT EXISTS (SELECT 1 FROM public.unit_members WHERE unit_id = unit)
$$;

-- The units above unit, nearest first, read as the schema owner so that
-- a parent the acting person may not see still counts.  UNION (not
-- UNION ALL) ends the walk even on a cycle.
CREATE FUNCTION ch_unit_ancestors(unit bigint) RETURNS SETOF bigint
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public AS $$
	WITH RECURSIVE up(id) AS (
		SELECT parent_id FROM public.units WHERE id = unit
		    AND parent_id IS NOT NULL
		UNION
		SELECT u.parent_id FROM public.units u JOIN up ON u.id = up.id
		WHERE u.parent_id IS NOT NULL
	)
	SELECT id FROM up
$$;

-- The state of unit, whoever may see it.
CREATE FUNCTION ch_unit_state(unit bigint) RETURNS text
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public AS $$
	SELECT state FROM public.units WHERE id = unit
$$;
REVOKE ALL ON FUNCTION ch_unit_has_members(bigint), ch_unit_ancestors(bigint),
    ch_unit_state(bigint) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ch_unit_has_members(bigint),
    ch_unit_ancestors(bigint), ch_unit_state(bigint) TO chapterhouse_web;

-- A parent must be another, approved unit that is not below this one.
-- Checked for every role (demo data and repairs included) when the
-- parent is set or changed; the web role may not change the parent of a
-- request that waits for a decision, since the parent's owners decide
-- it.  SQLSTATE CH422 names a refused value (the handler answers 422
-- naming "parent"), CH409 a move the state does not allow.
CREATE FUNCTION units_check_parent() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
	web	boolean := pg_has_role(current_user, 'chapterhouse_web',
		    'USAGE') AND NOT (SELECT rolsuper FROM pg_roles
		    WHERE rolname = current_user);
BEGIN
	IF TG_OP = 'UPDATE' AND NEW.parent_id IS NOT DISTINCT FROM
	    OLD.parent_id THEN
		RETURN NEW;
	END IF;
	IF web AND TG_OP = 'UPDATE' AND OLD.state = 'requested' THEN
		RAISE EXCEPTION 'the parent of a request cannot change while '
		    'it waits for a decision' USING ERRCODE = 'CH409';
	END IF;
	IF NEW.parent_id IS NULL THEN
		RETURN NEW;
	END IF;
	IF NEW.parent_id = NEW.id THEN
		RAISE EXCEPTION 'a unit cannot be its own parent'
		    USING ERRCODE = 'CH422';
	END IF;
	IF ch_unit_state(NEW.parent_id) IS DISTINCT FROM 'approved' THEN
		RAISE EXCEPTION 'the parent must be an approved unit'
		    USING ERRCODE = 'CH422';
	END IF;
	IF NEW.id IN (SELECT ch_unit_ancestors(NEW.parent_id)) THEN
		RAISE EXCEPTION 'a unit cannot be placed under one of its own '
		    'units' USING ERRCODE = 'CH422';
	END IF;
	RETURN NEW;
END
$$;
CREATE TRIGGER units_check_parent BEFORE INSERT OR UPDATE OF parent_id
    ON units FOR EACH ROW EXECUTE FUNCTION units_check_parent();

-- The content of a unit (what its request says) is changed by the web
-- role only as one of its current owners; deciders move its state.
CREATE FUNCTION units_check_edit() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
	web	boolean := pg_has_role(current_user, 'chapterhouse_web',
		    'USAGE') AND NOT (SELECT rolsuper FROM pg_roles
		    WHERE rolname = current_user);
BEGIN
	IF web AND (NEW.name, NEW.kind, NEW.parent_id, NEW.region,
	    NEW.purpose, NEW.audience, NEW.channels) IS DISTINCT FROM
	    (OLD.name, OLD.kind, OLD.parent_id, OLD.region, OLD.purpose,
	    OLD.audience, OLD.channels) AND
	    OLD.id NOT IN (SELECT ch_my_owned_units()) THEN
		RAISE EXCEPTION 'only the unit''s owners edit its request'
		    USING ERRCODE = 'insufficient_privilege';
	END IF;
	RETURN NEW;
END
$$;
CREATE TRIGGER units_check_edit BEFORE UPDATE ON units
    FOR EACH ROW EXECUTE FUNCTION units_check_edit();

-- The web role writes only what a request and a decision write.
REVOKE INSERT, UPDATE ON units FROM chapterhouse_web;
GRANT INSERT (slug, name, kind, parent_id, region, purpose, audience,
    channels, requested_by) ON units TO chapterhouse_web;
GRANT UPDATE (name, kind, parent_id, region, purpose, audience, channels,
    state) ON units TO chapterhouse_web;

-- Delegates: owners of the approved parent, never the requester nor an
-- owner of the request itself.
CREATE OR REPLACE FUNCTION ch_delegated_units() RETURNS SETOF bigint
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public AS $$
	SELECT c.id FROM public.units c
	JOIN public.units pu ON pu.id = c.parent_id AND pu.id <> c.id
	    AND pu.state = 'approved'
	JOIN public.unit_members m ON m.unit_id = pu.id
	WHERE m.person_id = public.ch_person() AND m.role = 'owner'
	AND c.requested_by <> public.ch_person()
	AND NOT EXISTS (SELECT 1 FROM public.unit_members o
	    WHERE o.unit_id = c.id AND o.person_id = public.ch_person()
	    AND o.role = 'owner')
	AND (SELECT delegate FROM public.approval_policy)
$$;

-- Reminders go to the same delegates.
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
		JOIN public.units pu ON pu.id = w.parent_id AND pu.id <> w.id
		    AND pu.state = 'approved'
		JOIN public.unit_members m ON m.unit_id = pu.id
		    AND m.role = 'owner' AND m.person_id <> w.requested_by
		WHERE (SELECT delegate FROM public.approval_policy)
		AND NOT EXISTS (SELECT 1 FROM public.unit_members o
		    WHERE o.unit_id = w.id AND o.person_id = m.person_id
		    AND o.role = 'owner')
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

-- Requests: made in one's own name, in state 'requested'.  Changed by
-- current owners, hub admins and delegates (the triggers above and
-- units_check_move say which of them may change what).
DROP POLICY units_request ON units;
CREATE POLICY units_request ON units FOR INSERT TO chapterhouse_web
    WITH CHECK (requested_by = ch_person() AND state = 'requested');
DROP POLICY units_change ON units;
CREATE POLICY units_change ON units FOR UPDATE TO chapterhouse_web
    USING (ch_hub_role('admin') OR id IN (SELECT ch_my_owned_units())
	OR id IN (SELECT ch_delegated_units()))
    WITH CHECK (ch_hub_role('admin') OR id IN (SELECT ch_my_owned_units())
	OR id IN (SELECT ch_delegated_units()));

-- The requester adds themselves as owner only to their fresh request
-- that has no member yet.
DROP POLICY unit_members_add ON unit_members;
CREATE POLICY unit_members_add ON unit_members FOR INSERT
    TO chapterhouse_web
    WITH CHECK (unit_id IN (SELECT ch_my_owned_units())
	OR ch_hub_role('admin')
	OR (person_id = ch_person() AND role = 'owner' AND unit_id IN
	    (SELECT id FROM units WHERE requested_by = ch_person()
	    AND state = 'requested') AND NOT ch_unit_has_members(unit_id)));

-- Decisions and answers are read by the unit's members, hub roles and
-- delegates; answers are written by its owners while the request waits.
DROP POLICY unit_decisions_read ON unit_decisions;
CREATE POLICY unit_decisions_read ON unit_decisions FOR SELECT
    TO chapterhouse_web
    USING (ch_hub_any() OR unit_id IN (SELECT ch_my_units())
	OR unit_id IN (SELECT ch_delegated_units()));
DROP POLICY unit_answers_read ON unit_answers;
CREATE POLICY unit_answers_read ON unit_answers FOR SELECT
    TO chapterhouse_web
    USING (ch_hub_any() OR unit_id IN (SELECT ch_my_units())
	OR unit_id IN (SELECT ch_delegated_units()));
DROP POLICY unit_answers_write ON unit_answers;
CREATE POLICY unit_answers_write ON unit_answers FOR INSERT
    TO chapterhouse_web
    WITH CHECK (unit_id IN (SELECT ch_my_owned_units()) AND unit_id IN
	(SELECT id FROM units WHERE state IN ('requested',
	'changes_requested')));
DROP POLICY unit_answers_change ON unit_answers;
CREATE POLICY unit_answers_change ON unit_answers FOR UPDATE
    TO chapterhouse_web
    USING (unit_id IN (SELECT ch_my_owned_units()) AND unit_id IN
	(SELECT id FROM units WHERE state IN ('requested',
	'changes_requested')))
    WITH CHECK (unit_id IN (SELECT ch_my_owned_units()) AND unit_id IN
	(SELECT id FROM units WHERE state IN ('requested',
	'changes_requested')));

-- Invitations get an id to be named by, and can be revoked.  A revoked
-- invitation stays revoked.
ALTER TABLE invitations
    ADD COLUMN id bigint GENERATED ALWAYS AS IDENTITY,
    ADD COLUMN revoked_at timestamptz,
    ADD COLUMN revoked_by bigint REFERENCES people;
ALTER TABLE invitations ADD CONSTRAINT invitations_id UNIQUE (id);
CREATE INDEX invitations_email ON invitations (lower(email), created_at);
CREATE INDEX invitations_inviter ON invitations (invited_by, created_at);

CREATE POLICY invitations_revoke ON invitations FOR UPDATE
    TO chapterhouse_web
    USING (unit_id IN (SELECT ch_my_owned_units()) OR ch_hub_role('admin'))
    WITH CHECK ((unit_id IN (SELECT ch_my_owned_units())
	OR ch_hub_role('admin')) AND revoked_by = ch_person());
GRANT UPDATE (revoked_at, revoked_by) ON invitations TO chapterhouse_web;

CREATE FUNCTION invitations_check_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	IF OLD.revoked_at IS NOT NULL AND
	    NEW.revoked_at IS DISTINCT FROM OLD.revoked_at THEN
		RAISE EXCEPTION 'a revoked invitation stays revoked'
		    USING ERRCODE = 'CH409';
	END IF;
	IF OLD.accepted_at IS NOT NULL AND NEW.revoked_at IS NOT NULL AND
	    OLD.revoked_at IS NULL THEN
		RAISE EXCEPTION 'an accepted invitation cannot be revoked'
		    USING ERRCODE = 'CH409';
	END IF;
	RETURN NEW;
END
$$;
CREATE TRIGGER invitations_check_change BEFORE UPDATE ON invitations
    FOR EACH ROW EXECUTE FUNCTION invitations_check_change();

-- Limits, for every role: one pending invitation per address and unit
-- (revoke it to send another); an address receives at most 3 invitations
-- in 24 hours and a person sends at most 50 an hour (SQLSTATE CH429,
-- answered 429).  The counts are taken under a lock of the address and
-- of the inviter, so two requests at once cannot both pass the last slot.
-- SECURITY DEFINER: the count covers units the inviter cannot see.
CREATE FUNCTION invitations_limit() RETURNS trigger LANGUAGE plpgsql
SECURITY DEFINER SET search_path = pg_catalog, public AS $$
BEGIN
	PERFORM pg_advisory_xact_lock(hashtext('chapterhouse.invite_to'),
	    hashtext(lower(NEW.email)));
	PERFORM pg_advisory_xact_lock(hashtext('chapterhouse.invite_by'),
	    (NEW.invited_by & 2147483647)::integer);
	IF EXISTS (SELECT 1 FROM public.invitations WHERE unit_id =
	    NEW.unit_id AND lower(email) = lower(NEW.email) AND accepted_at
	    IS NULL AND revoked_at IS NULL AND expires_at > now()) THEN
		RAISE EXCEPTION 'this address already has a pending invitation '
		    'to this unit' USING ERRCODE = 'CH409';
	END IF;
	IF (SELECT count(*) FROM public.invitations WHERE lower(email) =
	    lower(NEW.email) AND created_at > now() - interval '24 hours')
	    >= 3 THEN
		RAISE EXCEPTION 'this address has received 3 invitations in '
		    'the last 24 hours' USING ERRCODE = 'CH429';
	END IF;
	IF (SELECT count(*) FROM public.invitations WHERE invited_by =
	    NEW.invited_by AND created_at > now() - interval '1 hour')
	    >= 50 THEN
		RAISE EXCEPTION 'at most 50 invitations an hour'
		    USING ERRCODE = 'CH429';
	END IF;
	RETURN NEW;
END
$$;
CREATE TRIGGER invitations_limit BEFORE INSERT ON invitations
    FOR EACH ROW EXECUTE FUNCTION invitations_limit();

-- An inviter who stops being an owner of the unit (demoted, removed,
-- left) takes their pending invitations with them: a removed owner
-- cannot come back through a link they sent themselves.  Voided
-- invitations are revoked by nobody.
CREATE FUNCTION unit_members_void_invitations() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
BEGIN
	IF OLD.role = 'owner' AND (TG_OP = 'DELETE' OR NEW.role <> 'owner') THEN
		UPDATE public.invitations SET revoked_at = now()
		WHERE unit_id = OLD.unit_id AND invited_by = OLD.person_id
		AND accepted_at IS NULL AND revoked_at IS NULL;
	END IF;
	RETURN NULL;
END
$$;
CREATE TRIGGER unit_members_void_invitations AFTER UPDATE OF role OR DELETE
    ON unit_members FOR EACH ROW
    EXECUTE FUNCTION unit_members_void_invitations();

-- Accept the invitation whose token digest is h as the acting person,
-- only if it was sent to their address (compared without case).
-- outcome: 'joined' with the unit's slug and the role; 'other_address'
-- (nothing changes, the link stays usable by its addressee); no row when
-- the link is unknown, used, revoked or expired.  A member keeps their
-- role; a guest takes the invited one.
DROP FUNCTION ch_accept_invitation(bytea);
CREATE FUNCTION ch_accept_invitation(h bytea)
RETURNS TABLE (slug text, role text, outcome text, unit_id bigint)
LANGUAGE plpgsql
SECURITY DEFINER SET search_path = pg_catalog, public AS $$
#variable_conflict use_column
DECLARE
	inv	invitations%ROWTYPE;
	me	bigint := ch_person();
BEGIN
	IF me IS NULL THEN
		RETURN;
	END IF;
	SELECT * INTO inv FROM invitations i WHERE i.token_hash = h
	    AND i.accepted_at IS NULL AND i.revoked_at IS NULL
	    AND i.expires_at > now() FOR UPDATE;
	IF NOT FOUND THEN
		RETURN;
	END IF;
	IF NOT EXISTS (SELECT 1 FROM people p WHERE p.id = me
	    AND lower(p.email) = lower(inv.email)) THEN
		RETURN QUERY SELECT NULL::text, NULL::text,
		    'other_address'::text, NULL::bigint;
		RETURN;
	END IF;
	UPDATE invitations SET accepted_at = now(), accepted_by = me
	    WHERE token_hash = h;
	INSERT INTO unit_members (unit_id, person_id, role, expires_at)
	    VALUES (inv.unit_id, me, inv.role, inv.guest_until)
	    ON CONFLICT (unit_id, person_id) DO UPDATE SET
		role = CASE WHEN unit_members.role = 'guest' THEN EXCLUDED.role
		    ELSE unit_members.role END,
		expires_at = CASE WHEN unit_members.role = 'guest'
		    THEN EXCLUDED.expires_at ELSE NULL END;
	RETURN QUERY SELECT u.slug, inv.role, 'joined'::text, u.id
	    FROM units u WHERE u.id = inv.unit_id;
END
$$;
REVOKE ALL ON FUNCTION ch_accept_invitation(bytea) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ch_accept_invitation(bytea) TO chapterhouse_web;
