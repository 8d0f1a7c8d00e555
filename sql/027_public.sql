-- 027_public.sql: what the public reads: the published version of each
-- post of an approved unit, its public address, and its tags, kept in
-- two tables of their own so that the public pages read nothing else of
-- posts and need nobody to act.
--
-- public_posts holds one row per post that was ever published:
--   * its slug, made from the title of its first publication: the title
--     in lower case, every run of characters other than a-z and 0-9 one
--     "-", without a leading or trailing "-", cut at 60 characters
--     ("post" when nothing is left); when another post of the unit has
--     it, "-2", "-3", ... is added.  A slug never changes afterwards,
--     whatever the title becomes, and is never given to another post of
--     the unit;
--   * the text of the published revision (title, body, tags), its
--     author's name and a short description, copied when a revision is
--     published: an edit after publishing changes nothing here until the
--     next publication;
--   * published_at, the first publication, and updated_at, the latest;
--   * state published, or withdrawn: a withdrawn post keeps its slug
--     (its address answers 410 Gone) and nothing else; publishing it
--     again fills it in again;
--   * listed: whether its unit is approved, kept by a trigger on units.
-- Drafts and scheduled posts are never copied.  public_post_tags holds
-- the tags (in lower case) of the published posts, for the tag pages.
--
-- Both are written only by the SECURITY DEFINER triggers below.  The
-- web role reads the rows of listed (approved) units and nothing else,
-- whoever acts or nobody: the public pages look up no session.  Indexes
-- serve keyset paging by (published_at, post_id), newest first, per
-- unit, per tag, per tag in a unit and across the confederation.

CREATE TABLE public_posts (
	unit_id		bigint NOT NULL,
	post_id		bigint NOT NULL,
	slug		text NOT NULL CHECK (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'
	    AND length(slug) <= 70),
	state		text NOT NULL CHECK (state IN ('published',
	    'withdrawn')),
	revision	integer,
	title		text NOT NULL DEFAULT '',
	body		text NOT NULL DEFAULT '',
	tags		text[] NOT NULL DEFAULT '{}',
	description	text NOT NULL DEFAULT '',
	author_name	text NOT NULL DEFAULT '',
	published_at	timestamptz NOT NULL DEFAULT now(),
	updated_at	timestamptz NOT NULL DEFAULT now(),
	listed		boolean NOT NULL,
	PRIMARY KEY (unit_id, post_id),
	UNIQUE (unit_id, slug),
	FOREIGN KEY (unit_id, post_id) REFERENCES posts,
	CHECK (state = 'published' OR (revision IS NULL AND title = ''
	    AND body = '' AND tags = '{}' AND description = ''
	    AND author_name = ''))
);
CREATE INDEX public_posts_unit_page ON public_posts (unit_id,
    published_at DESC, post_id DESC) WHERE state = 'published' AND listed;
CREATE INDEX public_posts_page ON public_posts (published_at DESC,
    post_id DESC) WHERE state = 'published' AND listed;

CREATE TABLE public_post_tags (
	unit_id		bigint NOT NULL,
	post_id		bigint NOT NULL,
	tag		text NOT NULL CHECK (tag = lower(tag) AND tag <> ''),
	published_at	timestamptz NOT NULL,
	listed		boolean NOT NULL,
	PRIMARY KEY (unit_id, post_id, tag),
	FOREIGN KEY (unit_id, post_id) REFERENCES public_posts
);
CREATE INDEX public_post_tags_page ON public_post_tags (tag,
    published_at DESC, post_id DESC) WHERE listed;
CREATE INDEX public_post_tags_unit_page ON public_post_tags (unit_id, tag,
    published_at DESC, post_id DESC) WHERE listed;

-- The slug of a title (the rule above, before any suffix).
CREATE FUNCTION ch_public_slug(title text) RETURNS text LANGUAGE sql
IMMUTABLE AS $$
	SELECT coalesce(nullif(trim(BOTH '-' FROM left(trim(BOTH '-' FROM
	    regexp_replace(lower(title), '[^a-z0-9]+', '-', 'g')), 60)), ''),
	    'post')
$$;

-- A post's description (link previews, feeds' summaries): its text
-- without the marks of CommonMark (headings, quotes, emphasis, code; a
-- link keeps its text), control characters and runs of white space, cut
-- at 200 characters.  Plain text: pages and feeds escape it.
CREATE FUNCTION ch_public_description(body text) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
	SELECT left(trim(regexp_replace(regexp_replace(regexp_replace(
	    regexp_replace(body, '^[ \t]*[#>]+', '', 'gn'),
	    '!?\[([^]]*)\]\((?:[^()]|\([^()]*\))*\)', '\1', 'g'),
	    '[*_`~]+', '', 'g'), '[[:space:][:cntrl:]]+', ' ', 'g')), 200)
$$;

-- Copy a post's published revision (or clear it on withdrawal).  The
-- unit's slugs are chosen one transaction at a time (an advisory lock
-- per unit), so two first publications never pick the same one.
CREATE FUNCTION posts_public() RETURNS trigger LANGUAGE plpgsql
SECURITY DEFINER SET search_path = pg_catalog, public AS $$
DECLARE
	base	text;
	s	text;
	n	integer := 1;
	rev	public.post_revisions%ROWTYPE;
	who	text;
	ok	boolean;
BEGIN
	IF NEW.state = 'withdrawn' AND OLD.state = 'published' THEN
		UPDATE public.public_posts SET state = 'withdrawn',
		    revision = NULL, title = '', body = '', tags = '{}',
		    description = '', author_name = '', updated_at = now()
		    WHERE unit_id = NEW.unit_id AND post_id = NEW.id;
		DELETE FROM public.public_post_tags
		    WHERE unit_id = NEW.unit_id AND post_id = NEW.id;
		RETURN NULL;
	END IF;
	IF NEW.state <> 'published' OR (OLD.state = 'published' AND
	    NEW.published_revision = OLD.published_revision) THEN
		RETURN NULL;
	END IF;
	SELECT * INTO rev FROM public.post_revisions r
	    WHERE r.unit_id = NEW.unit_id AND r.post_id = NEW.id
	    AND r.number = NEW.published_revision;
	SELECT p.name INTO who FROM public.people p WHERE p.id = NEW.author_id;
	SELECT u.state = 'approved' INTO ok FROM public.units u
	    WHERE u.id = NEW.unit_id;
	IF NOT EXISTS (SELECT 1 FROM public.public_posts
	    WHERE unit_id = NEW.unit_id AND post_id = NEW.id) THEN
		PERFORM pg_advisory_xact_lock(hashtext('chapterhouse.public_slug'),
		    (NEW.unit_id % 2147483647)::integer);
		base := ch_public_slug(rev.title);
		s := base;
		WHILE EXISTS (SELECT 1 FROM public.public_posts
		    WHERE unit_id = NEW.unit_id AND slug = s) LOOP
			n := n + 1;
			s := base || '-' || n;
		END LOOP;
		INSERT INTO public.public_posts (unit_id, post_id, slug, state,
		    listed) VALUES (NEW.unit_id, NEW.id, s, 'withdrawn', ok);
	END IF;
	UPDATE public.public_posts SET state = 'published',
	    revision = rev.number, title = rev.title, body = rev.body,
	    tags = rev.tags, author_name = coalesce(who, ''),
	    description = ch_public_description(rev.body),
	    updated_at = now(), listed = ok
	    WHERE unit_id = NEW.unit_id AND post_id = NEW.id;
	DELETE FROM public.public_post_tags
	    WHERE unit_id = NEW.unit_id AND post_id = NEW.id;
	INSERT INTO public.public_post_tags (unit_id, post_id, tag,
	    published_at, listed)
	    SELECT DISTINCT NEW.unit_id, NEW.id, lower(t), p.published_at, ok
	    FROM unnest(rev.tags) t, public.public_posts p
	    WHERE p.unit_id = NEW.unit_id AND p.post_id = NEW.id
	    AND trim(t) <> '';
	RETURN NULL;
END
$$;
CREATE TRIGGER posts_public AFTER UPDATE OF state, published_revision
    ON posts FOR EACH ROW EXECUTE FUNCTION posts_public();

-- A unit's posts are listed while it is approved, and only then.
CREATE FUNCTION units_public() RETURNS trigger LANGUAGE plpgsql
SECURITY DEFINER SET search_path = pg_catalog, public AS $$
BEGIN
	IF (NEW.state = 'approved') IS DISTINCT FROM
	    (OLD.state = 'approved') THEN
		UPDATE public.public_posts SET listed = NEW.state = 'approved'
		    WHERE unit_id = NEW.id;
		UPDATE public.public_post_tags
		    SET listed = NEW.state = 'approved' WHERE unit_id = NEW.id;
	END IF;
	RETURN NULL;
END
$$;
CREATE TRIGGER units_public AFTER UPDATE OF state ON units
    FOR EACH ROW EXECUTE FUNCTION units_public();

ALTER TABLE public_posts ENABLE ROW LEVEL SECURITY;
ALTER TABLE public_posts FORCE ROW LEVEL SECURITY;
ALTER TABLE public_post_tags ENABLE ROW LEVEL SECURITY;
ALTER TABLE public_post_tags FORCE ROW LEVEL SECURITY;

-- The schema owner, running the triggers above, sees and writes every
-- row.
DO $$
DECLARE
	t	text;
BEGIN
	FOREACH t IN ARRAY ARRAY['public_posts', 'public_post_tags'] LOOP
		EXECUTE format('CREATE POLICY %I ON %I TO %I USING (true) '
		    'WITH CHECK (true)', t || '_definer', t, current_user);
	END LOOP;
END
$$;

-- The public (the web role, whoever acts or nobody) reads the rows of
-- approved units; a row costs no function call.
CREATE POLICY public_posts_read ON public_posts FOR SELECT
    TO chapterhouse_web USING (listed);
CREATE POLICY public_post_tags_read ON public_post_tags FOR SELECT
    TO chapterhouse_web USING (listed);

GRANT SELECT ON public_posts, public_post_tags TO chapterhouse_web;
GRANT EXECUTE ON FUNCTION ch_public_slug(text) TO chapterhouse_web;

-- Posts published before this migration.
INSERT INTO public_posts (unit_id, post_id, slug, state, listed,
    published_at)
    SELECT p.unit_id, p.id, ch_public_slug(r.title) ||
	CASE WHEN row_number() OVER w > 1 THEN '-' || row_number() OVER w
	ELSE '' END, 'withdrawn', u.state = 'approved',
	coalesce((SELECT min(x.published_at) FROM post_publications x
	WHERE x.unit_id = p.unit_id AND x.post_id = p.id), now())
    FROM posts p JOIN units u ON u.id = p.unit_id
    JOIN post_revisions r ON r.unit_id = p.unit_id AND r.post_id = p.id
	AND r.number = (SELECT min(x.revision) FROM post_publications x
	WHERE x.unit_id = p.unit_id AND x.post_id = p.id)
    WHERE p.published_revision IS NOT NULL
    WINDOW w AS (PARTITION BY p.unit_id, ch_public_slug(r.title)
	ORDER BY p.id);
UPDATE public_posts pp SET state = 'published', revision = r.number,
    title = r.title, body = r.body, tags = r.tags,
    author_name = a.name, description = ch_public_description(r.body),
    updated_at = coalesce(p.published_at, now())
    FROM posts p JOIN post_revisions r ON r.unit_id = p.unit_id
	AND r.post_id = p.id AND r.number = p.published_revision
    JOIN people a ON a.id = p.author_id
    WHERE p.unit_id = pp.unit_id AND p.id = pp.post_id
    AND p.state = 'published';
INSERT INTO public_post_tags (unit_id, post_id, tag, published_at, listed)
    SELECT DISTINCT pp.unit_id, pp.post_id, lower(t), pp.published_at,
	pp.listed
    FROM public_posts pp, unnest(pp.tags) t
    WHERE pp.state = 'published' AND trim(t) <> '';
