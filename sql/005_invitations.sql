-- 005_invitations.sql: owners invite people to their unit by e-mail.
--
-- An invitation is a single-use link that expires; only the SHA-256 of
-- its token is stored.  The invitee may not have an account yet and is
-- not a member, so row-level security lets them see no invitation:
-- accepting goes through ch_accept_invitation(), a SECURITY DEFINER
-- function that checks the token and adds the acting person, and nothing
-- else.

CREATE TABLE invitations (
	token_hash	bytea PRIMARY KEY CHECK (length(token_hash) = 32),
	unit_id		bigint NOT NULL REFERENCES units,
	email		text NOT NULL CHECK (length(email) BETWEEN 3 AND 254),
	role		text NOT NULL
	    CHECK (role IN ('owner', 'editor', 'author', 'guest')),
	guest_until	timestamptz,
	invited_by	bigint NOT NULL REFERENCES people,
	created_at	timestamptz NOT NULL DEFAULT now(),
	expires_at	timestamptz NOT NULL,
	accepted_at	timestamptz,
	accepted_by	bigint REFERENCES people,
	CHECK ((role = 'guest') = (guest_until IS NOT NULL))
);
CREATE INDEX invitations_unit ON invitations (unit_id, created_at);

ALTER TABLE invitations ENABLE ROW LEVEL SECURITY;
ALTER TABLE invitations FORCE ROW LEVEL SECURITY;
CREATE POLICY invitations_read ON invitations FOR SELECT TO chapterhouse_web
    USING (unit_id IN (SELECT ch_my_owned_units()) OR ch_hub_role('admin'));
CREATE POLICY invitations_add ON invitations FOR INSERT TO chapterhouse_web
    WITH CHECK ((unit_id IN (SELECT ch_my_owned_units())
	OR ch_hub_role('admin')) AND invited_by = ch_person());
GRANT SELECT, INSERT ON invitations TO chapterhouse_web;

-- The definer (the schema owner) reads and marks invitations and adds
-- the member.
DO $$
BEGIN
	EXECUTE format('CREATE POLICY invitations_definer ON invitations '
	    'FOR ALL TO %I USING (true) WITH CHECK (true)', current_user);
	EXECUTE format('CREATE POLICY unit_members_definer_add ON unit_members '
	    'FOR INSERT TO %I WITH CHECK (true)', current_user);
	EXECUTE format('CREATE POLICY unit_members_definer_change ON '
	    'unit_members FOR UPDATE TO %I USING (true) WITH CHECK (true)',
	    current_user);
	EXECUTE format('CREATE POLICY units_definer ON units FOR SELECT TO %I '
	    'USING (true)', current_user);
END
$$;

-- Accept the invitation whose token digest is h for the acting person:
-- returns the unit's slug and the role, or nothing when the link is
-- unknown, used or expired.  A member keeps their role; a guest takes
-- the invited one.
CREATE FUNCTION ch_accept_invitation(h bytea)
RETURNS TABLE (slug text, role text) LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, public AS $$
#variable_conflict use_column
DECLARE
	inv	invitations%ROWTYPE;
	me	bigint := ch_person();
BEGIN
	IF me IS NULL THEN
		RETURN;
	END IF;
	SELECT * INTO inv FROM invitations i WHERE i.token_hash = h
	    AND i.accepted_at IS NULL AND i.expires_at > now() FOR UPDATE;
	IF NOT FOUND THEN
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
	RETURN QUERY SELECT u.slug, inv.role FROM units u
	    WHERE u.id = inv.unit_id;
END
$$;
REVOKE ALL ON FUNCTION ch_accept_invitation(bytea) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ch_accept_invitation(bytea) TO chapterhouse_web;
