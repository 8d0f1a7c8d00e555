-- 046_sitemap_counts.sql: the sitemap's counts, kept as the public face
-- changes, so that a page of /sitemap.xml (and its index) costs the same
-- however many posts there are.
--
-- The sitemap lists the front page, the approved units by id, then the
-- published posts of approved units by (unit_id, post_id), 50,000 to a
-- page (app/public/public_sitemap.c).  It used to count and number every
-- address at each request to find where a page begins.  Now:
--   * public_sitemap_units holds one row per unit: posts, how many of
--     its posts the sitemap lists (public_posts published and listed),
--     and listed, whether the unit is approved;
--   * public_sitemap_blocks holds one row per block of 1,024 unit ids
--     (unit_id: the block's first id, a multiple of 1,024): how many
--     listed units it holds and how many posts they list.
-- Both are written only by the SECURITY DEFINER triggers below, in the
-- transaction of the change: a publication, an edit published, a
-- withdrawal (public_posts, whoever writes it: the web server, the
-- worker's scheduled publications), a post removed or moved to another
-- unit, a unit created, approved, suspended or archived.
--
-- ch_sitemap_page() finds where a page begins from these counts: the
-- blocks (a few rows), the units of one block (1,024 at most), then
-- the posts of one unit, read from the index public_posts_sitemap in
-- the sitemap's order.  The public reads the counts of listed units.
-- The tag pages' index carries the unit of each row (below).

CREATE TABLE public_sitemap_units (
	unit_id		bigint PRIMARY KEY,
	posts		bigint NOT NULL DEFAULT 0 CHECK (posts >= 0),
	listed		boolean NOT NULL DEFAULT false
);

CREATE TABLE public_sitemap_blocks (
	unit_id		bigint PRIMARY KEY CHECK (unit_id % 1024 = 0),
	units		bigint NOT NULL DEFAULT 0 CHECK (units >= 0),
	posts		bigint NOT NULL DEFAULT 0 CHECK (posts >= 0)
);

-- The sitemap's posts in its order: a page reads from its first key,
-- and a unit's posts are skipped to a page's start along it.
CREATE INDEX public_posts_sitemap ON public_posts (unit_id, post_id)
    WHERE state = 'published' AND listed;

-- The tag pages' index carries each row's unit: a page finds its 21
-- posts from the index alone (an index-only scan once the table is
-- vacuumed), without a visit of each tag row.
DROP INDEX public_post_tags_page;
CREATE INDEX public_post_tags_page ON public_post_tags (tag,
    published_at DESC, post_id DESC) INCLUDE (unit_id) WHERE listed;

-- Add d[i] listed posts to unit u[i] (its row made when it has none),
-- unit after unit in the order of their ids.
CREATE FUNCTION ch_sitemap_add(u bigint[], d bigint[]) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public
AS $$
DECLARE
	x	record;
BEGIN
	FOR x IN SELECT y.u, sum(y.d) AS d FROM unnest(u, d) y(u, d)
	    GROUP BY y.u HAVING sum(y.d) <> 0 ORDER BY y.u LOOP
		UPDATE public.public_sitemap_units SET posts = posts + x.d
		    WHERE unit_id = x.u;
		IF NOT FOUND THEN
			INSERT INTO public.public_sitemap_units (unit_id, posts,
			    listed) VALUES (x.u, x.d, coalesce((SELECT
			    n.state = 'approved' FROM public.units n
			    WHERE n.id = x.u), false));
		END IF;
	END LOOP;
END
$$;
REVOKE ALL ON FUNCTION ch_sitemap_add(bigint[], bigint[]) FROM PUBLIC;

-- What a statement on public_posts changed of the listed posts, per
-- unit: the rows it made listed less those it took away.
CREATE FUNCTION public_posts_sitemap() RETURNS trigger LANGUAGE plpgsql
SECURITY DEFINER SET search_path = pg_catalog, public AS $$
DECLARE
	u	bigint[];
	d	bigint[];
BEGIN
	IF TG_OP = 'INSERT' THEN
		SELECT array_agg(x.unit_id), array_agg(x.n) INTO u, d
		    FROM (SELECT unit_id, count(*) AS n FROM made
		    WHERE state = 'published' AND listed GROUP BY 1) x;
	ELSIF TG_OP = 'DELETE' THEN
		SELECT array_agg(x.unit_id), array_agg(-x.n) INTO u, d
		    FROM (SELECT unit_id, count(*) AS n FROM gone
		    WHERE state = 'published' AND listed GROUP BY 1) x;
	ELSE
		SELECT array_agg(x.unit_id), array_agg(x.n) INTO u, d
		    FROM (SELECT y.unit_id, sum(y.n) AS n FROM (
		    SELECT unit_id, 1 AS n FROM made
		    WHERE state = 'published' AND listed UNION ALL
		    SELECT unit_id, -1 FROM gone
		    WHERE state = 'published' AND listed) y GROUP BY 1) x;
	END IF;
	IF u IS NOT NULL THEN
		PERFORM public.ch_sitemap_add(u, d);
	END IF;
	RETURN NULL;
END
$$;
CREATE TRIGGER public_posts_sitemap_made AFTER INSERT ON public_posts
    REFERENCING NEW TABLE AS made
    FOR EACH STATEMENT EXECUTE FUNCTION public_posts_sitemap();
CREATE TRIGGER public_posts_sitemap_changed AFTER UPDATE ON public_posts
    REFERENCING NEW TABLE AS made OLD TABLE AS gone
    FOR EACH STATEMENT EXECUTE FUNCTION public_posts_sitemap();
CREATE TRIGGER public_posts_sitemap_gone AFTER DELETE ON public_posts
    REFERENCING OLD TABLE AS gone
    FOR EACH STATEMENT EXECUTE FUNCTION public_posts_sitemap();

-- A unit is listed while it is approved: made, approved, suspended,
-- archived.
CREATE FUNCTION units_sitemap() RETURNS trigger LANGUAGE plpgsql
SECURITY DEFINER SET search_path = pg_catalog, public AS $$
BEGIN
	IF TG_OP = 'DELETE' THEN
		DELETE FROM public.public_sitemap_units WHERE unit_id = OLD.id;
		RETURN NULL;
	END IF;
	INSERT INTO public.public_sitemap_units AS s (unit_id, listed)
	    VALUES (NEW.id, NEW.state = 'approved')
	    ON CONFLICT (unit_id) DO UPDATE SET listed = EXCLUDED.listed
	    WHERE s.listed IS DISTINCT FROM EXCLUDED.listed;
	RETURN NULL;
END
$$;
CREATE TRIGGER units_sitemap AFTER INSERT OR UPDATE OF state OR DELETE
    ON units FOR EACH ROW EXECUTE FUNCTION units_sitemap();

-- A unit's row counts in its block while it is listed: the difference
-- between what the row counted before and counts now.
CREATE FUNCTION public_sitemap_units_block() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public
AS $$
DECLARE
	u	bigint := CASE WHEN TG_OP = 'DELETE' THEN OLD.unit_id
		    ELSE NEW.unit_id END;
	dn	bigint := 0;
	dp	bigint := 0;
BEGIN
	IF TG_OP <> 'DELETE' AND NEW.listed THEN
		dn := 1;
		dp := NEW.posts;
	END IF;
	IF TG_OP <> 'INSERT' AND OLD.listed THEN
		dn := dn - 1;
		dp := dp - OLD.posts;
	END IF;
	IF dn = 0 AND dp = 0 THEN
		RETURN NULL;
	END IF;
	UPDATE public.public_sitemap_blocks SET units = units + dn,
	    posts = posts + dp WHERE unit_id = u - u % 1024;
	IF NOT FOUND THEN
		INSERT INTO public.public_sitemap_blocks (unit_id, units, posts)
		    VALUES (u - u % 1024, dn, dp);
	END IF;
	RETURN NULL;
END
$$;
CREATE TRIGGER public_sitemap_units_block AFTER INSERT OR UPDATE OR DELETE
    ON public_sitemap_units FOR EACH ROW
    EXECUTE FUNCTION public_sitemap_units_block();

ALTER TABLE public_sitemap_units ENABLE ROW LEVEL SECURITY;
ALTER TABLE public_sitemap_units FORCE ROW LEVEL SECURITY;
ALTER TABLE public_sitemap_blocks ENABLE ROW LEVEL SECURITY;
ALTER TABLE public_sitemap_blocks FORCE ROW LEVEL SECURITY;

-- The schema owner, running the triggers above, sees and writes every
-- row.
DO $$
DECLARE
	t	text;
BEGIN
	FOREACH t IN ARRAY ARRAY['public_sitemap_units',
	    'public_sitemap_blocks'] LOOP
		EXECUTE format('CREATE POLICY %I ON %I TO %I USING (true) '
		    'WITH CHECK (true)', t || '_definer', t, current_user);
	END LOOP;
END
$$;

-- The public pages' role reads the counts of listed units, and the
-- blocks' sums, which count nothing else.  Nobody else reads them.
CREATE POLICY public_sitemap_units_anon ON public_sitemap_units
    FOR SELECT TO chapterhouse_anon USING (listed);
CREATE POLICY public_sitemap_blocks_anon ON public_sitemap_blocks
    FOR SELECT TO chapterhouse_anon USING (true);
GRANT SELECT ON public_sitemap_units, public_sitemap_blocks
    TO chapterhouse_anon;

-- How many addresses the sitemap lists (n), and the key after which
-- page (from 1) of per addresses begins: the key (k, a, b) of the last
-- address of the page before (the front page (0, 0, 0), a unit
-- (1, id, 0), a post (2, unit, id)); (-1, 0, 0) for the first page or
-- one past the last.  Run by the public pages' role: it counts what
-- that role reads.
CREATE FUNCTION ch_sitemap_page(page bigint, per bigint, OUT n bigint,
    OUT k integer, OUT a bigint, OUT b bigint) LANGUAGE plpgsql STABLE
AS $$
DECLARE
	nu	bigint;
	np	bigint;
	r	bigint;
	blk	bigint;
BEGIN
	SELECT coalesce(sum(s.units), 0), coalesce(sum(s.posts), 0)
	    INTO nu, np FROM public.public_sitemap_blocks s;
	n := 1 + nu + np;
	k := -1;
	a := 0;
	b := 0;
	IF page < 2 OR per < 1 OR (page - 1) * per >= n THEN
		RETURN;
	END IF;
	-- r: the number of that last address, the front page's 0.
	r := (page - 1) * per - 1;
	IF r = 0 THEN
		k := 0;
		RETURN;
	END IF;
	IF r <= nu THEN
		r := r - 1;
		SELECT x.unit_id, r - x.before INTO blk, r FROM (
		    SELECT s.unit_id, s.units, sum(s.units) OVER (ORDER BY
		    s.unit_id) - s.units AS before
		    FROM public.public_sitemap_blocks s) x
		    WHERE x.before <= r AND r < x.before + x.units;
		SELECT s.unit_id INTO a FROM public.public_sitemap_units s
		    WHERE s.unit_id >= blk AND s.unit_id < blk + 1024
		    AND s.listed ORDER BY s.unit_id OFFSET r LIMIT 1;
		k := 1;
		RETURN;
	END IF;
	r := r - 1 - nu;
	SELECT x.unit_id, r - x.before INTO blk, r FROM (
	    SELECT s.unit_id, s.posts, sum(s.posts) OVER (ORDER BY
	    s.unit_id) - s.posts AS before
	    FROM public.public_sitemap_blocks s) x
	    WHERE x.before <= r AND r < x.before + x.posts;
	SELECT x.unit_id, r - x.before INTO a, r FROM (
	    SELECT s.unit_id, s.posts, sum(s.posts) OVER (ORDER BY
	    s.unit_id) - s.posts AS before
	    FROM public.public_sitemap_units s WHERE s.unit_id >= blk
	    AND s.unit_id < blk + 1024 AND s.listed) x
	    WHERE x.before <= r AND r < x.before + x.posts;
	SELECT p.post_id INTO b FROM public.public_posts p
	    WHERE p.unit_id = a AND p.state = 'published' AND p.listed
	    ORDER BY p.post_id OFFSET r LIMIT 1;
	k := 2;
END
$$;
REVOKE ALL ON FUNCTION ch_sitemap_page(bigint, bigint) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ch_sitemap_page(bigint, bigint)
    TO chapterhouse_anon;

-- The units and posts as they are now.
INSERT INTO public_sitemap_units (unit_id, posts, listed)
    SELECT u.id, (SELECT count(*) FROM public_posts p
    WHERE p.unit_id = u.id AND p.state = 'published' AND p.listed),
    u.state = 'approved' FROM units u;
