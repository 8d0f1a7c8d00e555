-- 017_rls_cheap.sql: the posts' policies keep the plan of the function
-- they ask.
--
-- Every read policy of the posts tables (014_posts.sql to
-- 016_posts_review.sql) asks ch_post_units(need) once per statement (an
-- InitPlan), and so do the write checks.  It was a SECURITY DEFINER
-- function in SQL: PostgreSQL never inlines a definer function, and a
-- SQL function that is not inlined is parsed and planned again at each
-- call, that is in each policy of each statement on a posts table.  The
-- same query in PL/pgSQL keeps its plan for the life of the connection
-- (as ch_unit_ids() does, 013_rls_speed.sql), and an anonymous caller
-- returns at once without a query.
--
-- Nothing else changes: the same units for the same need, read as the
-- schema owner from unit_members and units as they are at that moment;
-- the acting person is still only chapterhouse.person, and no new
-- setting is read by any policy or function.

CREATE OR REPLACE FUNCTION ch_post_units(need text) RETURNS bigint[]
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = pg_catalog, public AS $$
DECLARE
	me	bigint := public.ch_person();
BEGIN
	IF me IS NULL THEN
		RETURN '{}';
	END IF;
	RETURN coalesce((SELECT array_agg(m.unit_id ORDER BY m.unit_id)
	    FROM public.unit_members m JOIN public.units u ON u.id = m.unit_id
	    WHERE m.person_id = me
	    AND (m.expires_at IS NULL OR m.expires_at > now())
	    AND (need = 'read' OR u.state = 'approved')
	    AND (need IN ('read', 'write')
		OR (need = 'review' AND m.role IN ('owner', 'editor'))
		OR (need = 'own' AND m.role = 'owner'))), '{}');
END
$$;
