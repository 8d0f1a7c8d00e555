-- 034_public_cache.sql: when the public face last changed, per unit and
-- for the whole confederation, so that the public pages answer a
-- conditional request (If-None-Match, If-Modified-Since) from one
-- indexed row, without rendering anything.
--
-- public_changes holds one row per unit (unit_id) and one for the
-- confederation (unit_id 0):
--   * version, a number taken from public_change_seq at each change, so
--     it never comes back, whatever the unit;
--   * changed_at, the time of the change (never before the previous
--     one); an HTTP date carries whole seconds, so the pages send it as
--     Last-Modified only once its second is over by a second
--     (public_cache.c), when no later change can share it;
--   * listed: whether the unit is approved (the confederation's row
--     always is), as public_posts.listed.
-- A unit's row changes when anything of the unit changes (its name,
-- purpose, kind, region, state) and when its public copies change
-- (public_posts: a publication, an edit published, a withdrawal, its
-- listing when the unit is approved or suspended); the confederation's
-- row changes with every one of them.  Written only by the SECURITY
-- DEFINER triggers below; the public reads the rows of listed units.

CREATE SEQUENCE public_change_seq;

CREATE TABLE public_changes (
	unit_id		bigint PRIMARY KEY,
	version		bigint NOT NULL,
	changed_at	timestamptz NOT NULL,
	listed		boolean NOT NULL
);

-- Record a change of unit u (and of the confederation); ok is whether
-- u is approved now (NULL: as before).
CREATE FUNCTION ch_public_changed(u bigint, ok boolean) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public
AS $$
DECLARE
	t	timestamptz := clock_timestamp();
	x	bigint;
BEGIN
	FOREACH x IN ARRAY ARRAY[u, 0] LOOP
		UPDATE public.public_changes SET
		    version = nextval('public.public_change_seq'),
		    changed_at = greatest(t, changed_at),
		    listed = x = 0 OR coalesce(ok, listed)
		    WHERE unit_id = x;
		IF NOT FOUND THEN
			INSERT INTO public.public_changes (unit_id, version,
			    changed_at, listed) VALUES (x,
			    nextval('public.public_change_seq'), t,
			    x = 0 OR coalesce(ok, (SELECT s.state = 'approved'
			    FROM public.units s WHERE s.id = x), false))
			    ON CONFLICT (unit_id) DO UPDATE SET
			    version = EXCLUDED.version,
			    changed_at = greatest(EXCLUDED.changed_at,
			    public_changes.changed_at),
			    listed = EXCLUDED.listed;
		END IF;
	END LOOP;
END
$$;
REVOKE ALL ON FUNCTION ch_public_changed(bigint, boolean) FROM PUBLIC;

-- A unit's public copies changed: once per unit and statement.
CREATE FUNCTION public_posts_changed() RETURNS trigger LANGUAGE plpgsql
SECURITY DEFINER SET search_path = pg_catalog, public AS $$
DECLARE
	x	bigint;
BEGIN
	FOR x IN SELECT DISTINCT n.unit_id FROM changed n LOOP
		PERFORM public.ch_public_changed(x, NULL);
	END LOOP;
	RETURN NULL;
END
$$;
CREATE TRIGGER public_posts_inserted AFTER INSERT ON public_posts
    REFERENCING NEW TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION public_posts_changed();
CREATE TRIGGER public_posts_updated AFTER UPDATE ON public_posts
    REFERENCING NEW TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION public_posts_changed();

-- A unit changed (its public columns, its state) or was created.
CREATE FUNCTION units_changed() RETURNS trigger LANGUAGE plpgsql
SECURITY DEFINER SET search_path = pg_catalog, public AS $$
BEGIN
	PERFORM public.ch_public_changed(NEW.id, NEW.state = 'approved');
	RETURN NULL;
END
$$;
CREATE TRIGGER units_changed AFTER INSERT OR UPDATE ON units
    FOR EACH ROW EXECUTE FUNCTION units_changed();

ALTER TABLE public_changes ENABLE ROW LEVEL SECURITY;
ALTER TABLE public_changes FORCE ROW LEVEL SECURITY;

DO $$
BEGIN
	EXECUTE format('CREATE POLICY public_changes_definer ON '
	    'public_changes TO %I USING (true) WITH CHECK (true)',
	    current_user);
END
$$;

-- Anyone reads when a listed unit, or the confederation, changed.
CREATE POLICY public_changes_read ON public_changes FOR SELECT
    TO chapterhouse_web USING (listed);
CREATE POLICY public_changes_anon ON public_changes FOR SELECT
    TO chapterhouse_anon USING (listed);
GRANT SELECT ON public_changes TO chapterhouse_web, chapterhouse_anon;

-- The units and the confederation as they are now.
INSERT INTO public_changes (unit_id, version, changed_at, listed)
    SELECT 0, nextval('public_change_seq'), now(), true;
INSERT INTO public_changes (unit_id, version, changed_at, listed)
    SELECT id, nextval('public_change_seq'), now(), state = 'approved'
    FROM units;
