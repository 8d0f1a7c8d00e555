-- 038_public_notify.sql: a public change is told to the servers as it
-- commits, so that a server worker keeps a unit's public page in its
-- memory until its unit changes (app/public/public_mem.c).
--
-- Channel ch_public; the payload is the slug of the unit whose public
-- face changed (public_changes, sql/034_public_cache.sql: its posts'
-- public copies, its public columns, its state).  A unit whose slug
-- changes is told under its old slug too, whose page is no more.  The
-- confederation's row (unit 0) is not told: it changes only with a
-- unit's, which is.  PostgreSQL
-- sends a notification when, and only if, its transaction commits, and
-- folds equal ones of a transaction into one.

CREATE FUNCTION public_changes_notify() RETURNS trigger LANGUAGE plpgsql
SECURITY DEFINER SET search_path = pg_catalog, public AS $$
BEGIN
	IF NEW.unit_id = 0 THEN
		RETURN NULL;	-- each change of a unit also tells it
	END IF;
	PERFORM pg_notify('ch_public', u.slug) FROM public.units u
	    WHERE u.id = NEW.unit_id;
	RETURN NULL;
END
$$;
REVOKE ALL ON FUNCTION public_changes_notify() FROM PUBLIC;
CREATE TRIGGER public_changes_notify AFTER INSERT OR UPDATE
    ON public_changes FOR EACH ROW EXECUTE FUNCTION public_changes_notify();

CREATE FUNCTION units_slug_notify() RETURNS trigger LANGUAGE plpgsql
SECURITY DEFINER SET search_path = pg_catalog, public AS $$
BEGIN
	PERFORM pg_notify('ch_public', OLD.slug);
	RETURN NULL;
END
$$;
REVOKE ALL ON FUNCTION units_slug_notify() FROM PUBLIC;
CREATE TRIGGER units_slug_notify AFTER UPDATE OF slug ON units
    FOR EACH ROW WHEN (OLD.slug IS DISTINCT FROM NEW.slug)
    EXECUTE FUNCTION units_slug_notify();
