-- 012_home.sql: what a signed-in person's home shows them that row-level
-- security keeps from them: the invitations addressed to their e-mail.
--
-- Invitations are seen only by the unit's owners and hub admins
-- (005_invitations.sql), since the invitee is not a member yet.
-- ch_my_invitations() returns the acting person's own pending invitations
-- (sent to their e-mail address, whatever its case, neither accepted,
-- revoked nor expired), the latest per unit and role, with only what the
-- home shows: never the token's digest, so no link can be rebuilt from it.

CREATE FUNCTION ch_my_invitations()
RETURNS TABLE (slug text, unit text, role text, inviter text,
    last_day date, expires_at timestamptz)
LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = pg_catalog, public AS $$
	SELECT * FROM (
		SELECT DISTINCT ON (i.unit_id, i.role) u.slug, u.name AS unit,
		    i.role, p.name AS inviter, ((i.guest_until AT TIME ZONE
		    'UTC') - interval '1 microsecond')::date AS last_day,
		    i.expires_at
		FROM public.invitations i
		JOIN public.people me ON me.id = public.ch_person()
		JOIN public.units u ON u.id = i.unit_id
		JOIN public.people p ON p.id = i.invited_by
		WHERE lower(i.email) = lower(me.email)
		    AND i.accepted_at IS NULL AND i.revoked_at IS NULL
		    AND i.expires_at > now()
		ORDER BY i.unit_id, i.role, i.expires_at DESC
	) x ORDER BY x.expires_at, x.unit
$$;
REVOKE ALL ON FUNCTION ch_my_invitations() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ch_my_invitations() TO chapterhouse_web;
