-- 041_public_mem.sql: the confederation's public changes are told too,
-- and the advisories keep the one clock, so that a server worker keeps
-- every public page in its memory (app/public/public_mem.c), the front
-- page included.
--
-- A change of the confederation's row of public_changes (unit 0: an
-- advisory added, changed or removed, and every unit's change, which
-- moves it too) is notified on ch_public with the empty payload, which
-- no unit's slug is: the workers drop the confederation's pages (the
-- front page, the tag pages, the feeds, the sitemap).
--
-- An advisory becomes current, or stops being so, at a UTC midnight
-- without any write: the workers keep the front page until the next
-- midnight by the database's clock at most.  That clock is ch_clock()
-- (030_training_pages.sql), now() unless the setting chapterhouse.clock
-- names another instant; the advisories now read it too, so that the
-- day they are current and the midnight the page is kept to are of one
-- clock.

CREATE OR REPLACE FUNCTION public_changes_notify() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public
AS $$
BEGIN
	IF NEW.unit_id = 0 THEN
		PERFORM pg_notify('ch_public', '');
		RETURN NULL;
	END IF;
	PERFORM pg_notify('ch_public', u.slug) FROM public.units u
	    WHERE u.id = NEW.unit_id;
	RETURN NULL;
END
$$;

-- Whether an advisory from first to last (NULL: no end) is current.
-- Inlined where it is used.
CREATE OR REPLACE FUNCTION ch_advisory_current(first date, last date)
RETURNS boolean LANGUAGE sql STABLE AS $$
	SELECT first <= (ch_clock() AT TIME ZONE 'UTC')::date AND (last IS NULL
	    OR last >= (ch_clock() AT TIME ZONE 'UTC')::date)
$$;

-- The latest time, not after the clock, at which a public advisory
-- became current or stopped being so (037_advisories.sql).
CREATE OR REPLACE FUNCTION ch_advisories_edge() RETURNS timestamptz
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = pg_catalog, public AS $$
BEGIN
	RETURN (SELECT max(e.at) FROM public.hub_advisories a,
	    LATERAL (VALUES (a.starts_on::timestamp AT TIME ZONE 'UTC'),
	    ((a.ends_on + 1)::timestamp AT TIME ZONE 'UTC')) e (at)
	    WHERE a.unit_id = 0 AND a.public AND e.at <= public.ch_clock());
END
$$;
