-- 007_reminders.sql: reminders to approvers about workspace requests that
-- wait for a decision.
--
-- The job worker mails each approver a digest of the requests that have
-- waited longer than reminder_after (a request waits from its updated_at,
-- which a resubmission resets), at most once in 24 hours per person.
--
-- The worker logs in as the web role, which row-level security shows a
-- waiting request only when the transaction claims a hub role.  Claiming
-- 'admin' there would also let the worker change every unit; instead one
-- SECURITY DEFINER function reads exactly what a digest needs and records
-- the digest, and nothing else.  The web role has no privilege on
-- reminder_digests at all.

-- When each person was last sent a digest.  The row is written in the
-- transaction that queues the digest's mail, so a digest is recorded if
-- and only if its mail is queued.
CREATE TABLE reminder_digests (
	person_id	bigint PRIMARY KEY REFERENCES people ON DELETE CASCADE,
	sent_at		timestamptz NOT NULL
);

-- Claim the digests due now: for every approver who may decide a request
-- that has waited longer than waited, and who was sent no digest in the
-- last 24 hours, record the digest and return one row per (approver,
-- request), by approver, then oldest request first.  Nothing is returned,
-- and nothing recorded, when no request has waited that long.
--
-- Two workers calling it at once cannot both claim a person's digest: the
-- second one's insert waits for the first one's row and, once that is
-- committed, finds it too recent (ON CONFLICT ... WHERE).  The caller
-- queues the mail in the same transaction; rolling back gives the digest
-- back.
--
-- Who may decide what is the one place to extend: delegated approvers
-- (owners of a waiting request's parent unit, when delegation is on) are
-- another branch of "deciders", e.g.
--   UNION SELECT w.id, m.person_id FROM waiting w
--   JOIN unit_members m ON m.unit_id = w.parent_id AND m.role = 'owner'
-- (the definer already reads unit_members, policy unit_members_definer).
CREATE FUNCTION ch_claim_reminders(waited interval)
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
		-- Every hub admin decides every request.
		SELECT DISTINCT w.id AS unit_id, h.person_id
		FROM waiting w CROSS JOIN public.hub_roles h
		WHERE h.role = 'admin'
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

-- The definer (the schema owner) reads units through the policy
-- units_definer of 005_invitations.sql.  The worker logs in as the web
-- role; the web server could call this too, and would only learn what
-- hub admins see in /hub/queue.
REVOKE ALL ON FUNCTION ch_claim_reminders(interval) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ch_claim_reminders(interval) TO chapterhouse_web;
