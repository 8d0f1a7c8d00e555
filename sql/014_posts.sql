-- 014_posts.sql: posts reviewed by suggestion, never by enforcement.
-- Posts, their immutable revisions, co-authors, suggestions anchored to
-- a span of a revision, comments in threads, review requests, the inbox,
-- preview links for outside reviewers, each unit's review mode, and
-- every published version.
--
-- Who may do what, enforced here whatever the application asks:
--   * current members of an approved unit (guests until their last day)
--     create posts; a post's text (a new revision) is written only by
--     its author and the co-authors the author names, who must be
--     members of the unit;
--   * the unit's members and the hub's admins and communicators read a
--     unit's posts; its editors and owners and those hub roles suggest;
--     members and those hub roles comment; none of them writes a
--     revision of a post that is not theirs;
--   * a suspended unit's posts are read by its members and changed by
--     nobody (nothing is written, published or scheduled); an archived
--     unit's are read-only; a post of another unit is not there at all;
--   * revisions and publications are never changed or removed;
--   * a revision names the revision it was written from (base) and is
--     numbered base + 1: of two saves from the same base exactly one
--     wins, the other gets SQLSTATE CH412 (or 23505 if it raced past
--     the check), and the application keeps its text;
--   * publishing is never blocked by open suggestions; their number is
--     recorded with each publication.
--
-- Every key carries unit_id (primary and foreign keys), so these tables
-- can later be distributed by unit.  Offsets of spans are Unicode code
-- points of the revision's body (char_length() in a UTF-8 database),
-- start inclusive, end exclusive.
--
-- Policies are evaluated once per statement, not per row: what the
-- acting person may reach is an array computed by one SECURITY DEFINER
-- call in an uncorrelated sub-select (an InitPlan), compared with
-- unit_id = ANY (...); per-row checks are EXISTS on primary keys.

-- The units where the acting person is a current member (a guest until
-- their last day), for a purpose:
--   'read'    any state;
--   'write'   approved units;
--   'review'  approved units where they are an editor or owner;
--   'own'     approved units they own.
-- Read as the schema owner: unit_members' own policies would recurse.
CREATE FUNCTION ch_post_units(need text) RETURNS bigint[]
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public AS $$
	SELECT coalesce(array_agg(m.unit_id ORDER BY m.unit_id), '{}')
	FROM public.unit_members m JOIN public.units u ON u.id = m.unit_id
	WHERE m.person_id = public.ch_person()
	AND (m.expires_at IS NULL OR m.expires_at > now())
	AND (need = 'read' OR u.state = 'approved')
	AND (need IN ('read', 'write')
	    OR (need = 'review' AND m.role IN ('owner', 'editor'))
	    OR (need = 'own' AND m.role = 'owner'))
$$;

-- The hub roles that review every unit's posts.
CREATE FUNCTION ch_post_hub_reviewer() RETURNS boolean LANGUAGE sql STABLE
AS $$
	SELECT ch_hub_role('admin') OR ch_hub_role('communicator')
$$;
REVOKE ALL ON FUNCTION ch_post_units(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ch_post_units(text), ch_post_hub_reviewer()
    TO chapterhouse_web;

-- Whether the role running a trigger is the web role (not the schema
-- owner, a superuser or a definer function).
CREATE FUNCTION ch_post_web() RETURNS boolean LANGUAGE sql STABLE AS $$
	SELECT pg_has_role(current_user, 'chapterhouse_web', 'USAGE') AND
	    NOT (SELECT rolsuper FROM pg_roles WHERE rolname = current_user)
$$;

-- -- Review modes -----------------------------------------------------------

-- The hub's default (one row); a unit's owners choose their own.
CREATE TABLE review_policy (
	id		boolean PRIMARY KEY DEFAULT true CHECK (id),
	default_mode	text NOT NULL DEFAULT 'none'
	    CHECK (default_mode IN ('none', 'peer', 'hub_advisory')),
	updated_by	bigint REFERENCES people,
	updated_at	timestamptz NOT NULL DEFAULT now()
);
INSERT INTO review_policy DEFAULT VALUES;

CREATE TABLE unit_review_modes (
	unit_id		bigint PRIMARY KEY REFERENCES units,
	mode		text NOT NULL
	    CHECK (mode IN ('none', 'peer', 'hub_advisory')),
	updated_by	bigint NOT NULL REFERENCES people,
	updated_at	timestamptz NOT NULL DEFAULT now()
);

-- The review mode of unit: its own, or the hub's default.
CREATE FUNCTION ch_review_mode(unit bigint) RETURNS text LANGUAGE sql
STABLE AS $$
	SELECT coalesce((SELECT mode FROM unit_review_modes
	    WHERE unit_id = unit), (SELECT default_mode FROM review_policy))
$$;
GRANT EXECUTE ON FUNCTION ch_review_mode(bigint) TO chapterhouse_web;

-- -- Posts and revisions ----------------------------------------------------

-- A post; its text lives in its revisions.  title and revision are the
-- latest revision's, kept by a trigger.  state moves:
--   draft -> scheduled | published;  scheduled -> draft | published;
--   published -> published (a newer revision) | withdrawn;
--   withdrawn -> draft | scheduled | published.
CREATE TABLE posts (
	unit_id		bigint NOT NULL REFERENCES units,
	id		bigint GENERATED ALWAYS AS IDENTITY,
	author_id	bigint NOT NULL REFERENCES people,
	title		text NOT NULL DEFAULT '',
	revision	integer NOT NULL DEFAULT 0 CHECK (revision >= 0),
	state		text NOT NULL DEFAULT 'draft' CHECK (state IN ('draft',
	    'scheduled', 'published', 'withdrawn')),
	scheduled_at	timestamptz,
	scheduled_revision integer,
	published_revision integer,
	published_at	timestamptz,
	created_at	timestamptz NOT NULL DEFAULT now(),
	updated_at	timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (unit_id, id),
	CHECK ((state = 'scheduled') = (scheduled_at IS NOT NULL)),
	CHECK ((state = 'scheduled') = (scheduled_revision IS NOT NULL)),
	CHECK (state <> 'published' OR published_revision IS NOT NULL)
);
CREATE INDEX posts_id ON posts (id);
CREATE INDEX posts_author ON posts (author_id);
CREATE INDEX posts_unit_state ON posts (unit_id, state, updated_at);
CREATE INDEX posts_due ON posts (scheduled_at) WHERE state = 'scheduled';

-- Co-authors named by the post's author: members of the unit, so that
-- removing a member removes their authorship.
CREATE TABLE post_authors (
	unit_id		bigint NOT NULL,
	post_id		bigint NOT NULL,
	person_id	bigint NOT NULL,
	added_by	bigint NOT NULL REFERENCES people,
	added_at	timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (unit_id, post_id, person_id),
	FOREIGN KEY (unit_id, post_id) REFERENCES posts,
	FOREIGN KEY (unit_id, person_id) REFERENCES unit_members
	    ON DELETE CASCADE
);
CREATE INDEX post_authors_person ON post_authors (person_id);

-- Every save, whole and immutable.  number = base + 1, and base must be
-- a revision of the same post: numbers form one chain without gaps, and
-- the primary key lets exactly one save follow each revision.
CREATE TABLE post_revisions (
	unit_id		bigint NOT NULL,
	post_id		bigint NOT NULL,
	number		integer NOT NULL CHECK (number > 0),
	base		integer,
	author_id	bigint NOT NULL REFERENCES people,
	created_at	timestamptz NOT NULL DEFAULT now(),
	title		text NOT NULL CHECK (length(title) <= 300),
	body		text NOT NULL CHECK (length(body) <= 100000),
	tags		text[] NOT NULL DEFAULT '{}' CHECK (cardinality(tags) <= 20
	    AND length(array_to_string(tags, '')) <= 1000),
	channels	text[] NOT NULL DEFAULT '{}' CHECK (channels <@
	    ARRAY['blog', 'linkedin', 'x', 'facebook', 'instagram', 'other']),
	restored_from	integer,
	PRIMARY KEY (unit_id, post_id, number),
	FOREIGN KEY (unit_id, post_id) REFERENCES posts,
	FOREIGN KEY (unit_id, post_id, base) REFERENCES post_revisions,
	FOREIGN KEY (unit_id, post_id, restored_from) REFERENCES post_revisions,
	CHECK (number = coalesce(base, 0) + 1)
);

ALTER TABLE posts ADD FOREIGN KEY (unit_id, id, published_revision)
    REFERENCES post_revisions;
ALTER TABLE posts ADD FOREIGN KEY (unit_id, id, scheduled_revision)
    REFERENCES post_revisions;

-- Every publication, kept for good: which revision, when, by whom (NULL:
-- by the schedule), and how many suggestions were still open.
CREATE TABLE post_publications (
	unit_id		bigint NOT NULL,
	id		bigint GENERATED ALWAYS AS IDENTITY,
	post_id		bigint NOT NULL,
	revision	integer NOT NULL,
	published_at	timestamptz NOT NULL DEFAULT now(),
	published_by	bigint REFERENCES people,
	open_suggestions integer NOT NULL CHECK (open_suggestions >= 0),
	PRIMARY KEY (unit_id, id),
	FOREIGN KEY (unit_id, post_id, revision) REFERENCES post_revisions
);
CREATE INDEX post_publications_post ON post_publications (unit_id, post_id,
    published_at);

-- -- Review -----------------------------------------------------------------

CREATE TABLE post_suggestions (
	unit_id		bigint NOT NULL,
	id		bigint GENERATED ALWAYS AS IDENTITY,
	post_id		bigint NOT NULL,
	revision	integer NOT NULL,
	span_start	integer NOT NULL CHECK (span_start >= 0),
	span_end	integer NOT NULL,
	replacement	text NOT NULL DEFAULT ''
	    CHECK (length(replacement) <= 100000),
	comment		text CHECK (length(comment) <= 4000),
	state		text NOT NULL DEFAULT 'open' CHECK (state IN ('open',
	    'accepted', 'declined', 'outdated')),
	author_id	bigint NOT NULL REFERENCES people,
	created_at	timestamptz NOT NULL DEFAULT now(),
	decided_by	bigint REFERENCES people,
	decided_at	timestamptz,
	reply		text CHECK (length(reply) <= 4000),
	accepted_revision integer,
	PRIMARY KEY (unit_id, id),
	FOREIGN KEY (unit_id, post_id) REFERENCES posts,
	FOREIGN KEY (unit_id, post_id, revision) REFERENCES post_revisions,
	FOREIGN KEY (unit_id, post_id, accepted_revision)
	    REFERENCES post_revisions,
	CHECK (span_end >= span_start),
	CHECK ((state = 'accepted') = (accepted_revision IS NOT NULL)),
	CHECK ((state = 'open') = (decided_at IS NULL))
);
CREATE INDEX post_suggestions_id ON post_suggestions (id);
CREATE INDEX post_suggestions_post ON post_suggestions (unit_id, post_id,
    state);

-- Preview links: an outside reviewer reads the current draft and
-- comments under a name they type.  Only the SHA-256 of the link's token
-- is kept.
CREATE TABLE post_preview_links (
	unit_id		bigint NOT NULL,
	id		bigint GENERATED ALWAYS AS IDENTITY,
	post_id		bigint NOT NULL,
	token_hash	bytea NOT NULL CHECK (length(token_hash) = 32),
	created_by	bigint NOT NULL REFERENCES people,
	created_at	timestamptz NOT NULL DEFAULT now(),
	expires_at	timestamptz NOT NULL,
	revoked_at	timestamptz,
	revoked_by	bigint REFERENCES people,
	PRIMARY KEY (unit_id, id),
	FOREIGN KEY (unit_id, post_id) REFERENCES posts,
	CHECK (expires_at > created_at),
	CHECK ((revoked_at IS NULL) = (revoked_by IS NULL))
);
CREATE INDEX post_preview_links_token ON post_preview_links (token_hash);
CREATE INDEX post_preview_links_id ON post_preview_links (id);

-- Comments on a post or on a span of a revision, answered in threads
-- (reply_to), resolved by the post's authors.  A comment through a
-- preview link has a typed name instead of an author.
CREATE TABLE post_comments (
	unit_id		bigint NOT NULL,
	id		bigint GENERATED ALWAYS AS IDENTITY,
	post_id		bigint NOT NULL,
	revision	integer,
	span_start	integer CHECK (span_start >= 0),
	span_end	integer,
	reply_to	bigint,
	author_id	bigint REFERENCES people,
	guest_name	text CHECK (length(guest_name) BETWEEN 1 AND 100),
	preview_link_id	bigint,
	body		text NOT NULL CHECK (length(body) BETWEEN 1 AND 10000),
	created_at	timestamptz NOT NULL DEFAULT now(),
	resolved_at	timestamptz,
	resolved_by	bigint REFERENCES people,
	PRIMARY KEY (unit_id, id),
	FOREIGN KEY (unit_id, post_id) REFERENCES posts,
	FOREIGN KEY (unit_id, post_id, revision) REFERENCES post_revisions,
	FOREIGN KEY (unit_id, reply_to) REFERENCES post_comments,
	FOREIGN KEY (unit_id, preview_link_id) REFERENCES post_preview_links,
	CHECK ((revision IS NULL) = (span_start IS NULL)
	    AND (span_start IS NULL) = (span_end IS NULL)
	    AND span_end >= span_start),
	CHECK ((author_id IS NULL) = (guest_name IS NOT NULL)),
	CHECK ((author_id IS NULL) = (preview_link_id IS NOT NULL)),
	CHECK ((resolved_at IS NULL) = (resolved_by IS NULL))
);
CREATE INDEX post_comments_id ON post_comments (id);
CREATE INDEX post_comments_post ON post_comments (unit_id, post_id,
    created_at);

-- The author asks chosen people for a review.
CREATE TABLE post_review_requests (
	unit_id		bigint NOT NULL,
	id		bigint GENERATED ALWAYS AS IDENTITY,
	post_id		bigint NOT NULL,
	reviewer_id	bigint NOT NULL REFERENCES people,
	requested_by	bigint NOT NULL REFERENCES people,
	requested_at	timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (unit_id, id),
	UNIQUE (unit_id, post_id, reviewer_id),
	FOREIGN KEY (unit_id, post_id) REFERENCES posts
);
CREATE INDEX post_review_requests_reviewer ON post_review_requests
    (reviewer_id);

-- What asks for a person's attention.  Written only by the triggers
-- below (SECURITY DEFINER), never by the web role: nobody fills another
-- person's inbox by hand.
CREATE TABLE inbox_items (
	unit_id		bigint NOT NULL REFERENCES units,
	id		bigint GENERATED ALWAYS AS IDENTITY,
	person_id	bigint NOT NULL REFERENCES people ON DELETE CASCADE,
	kind		text NOT NULL CHECK (kind IN ('review_request',
	    'suggestion', 'comment', 'reply', 'decision', 'unit_decision')),
	post_id		bigint,
	ref_id		bigint,
	actor_id	bigint REFERENCES people,
	created_at	timestamptz NOT NULL DEFAULT now(),
	read_at		timestamptz,
	PRIMARY KEY (unit_id, id),
	FOREIGN KEY (unit_id, post_id) REFERENCES posts
);
CREATE INDEX inbox_items_person ON inbox_items (person_id, read_at,
    created_at);

-- Post jobs for the worker (the hook for integrations to come).
ALTER TABLE jobs DROP CONSTRAINT jobs_kind_check;
ALTER TABLE jobs ADD CONSTRAINT jobs_kind_check
    CHECK (kind IN ('mail', 'post.published', 'post.withdrawn'));

-- -- Triggers ---------------------------------------------------------------

-- Revisions and publications are never changed or removed, by anyone.
CREATE FUNCTION posts_frozen() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	RAISE EXCEPTION '% rows cannot be changed or removed', TG_TABLE_NAME
	    USING ERRCODE = 'insufficient_privilege';
END
$$;
CREATE TRIGGER post_revisions_frozen BEFORE UPDATE OR DELETE
    ON post_revisions FOR EACH ROW EXECUTE FUNCTION posts_frozen();
CREATE TRIGGER post_revisions_no_truncate BEFORE TRUNCATE ON post_revisions
    FOR EACH STATEMENT EXECUTE FUNCTION posts_frozen();
CREATE TRIGGER post_publications_frozen BEFORE UPDATE OR DELETE
    ON post_publications FOR EACH ROW EXECUTE FUNCTION posts_frozen();
CREATE TRIGGER post_publications_no_truncate BEFORE TRUNCATE
    ON post_publications FOR EACH STATEMENT EXECUTE FUNCTION posts_frozen();

-- A new revision must follow the latest one.  The post's row is locked
-- first, so of two saves from the same base the second waits for the
-- first and then, reading the post again, finds its base outdated
-- (CH412).  Runs as the acting role: a post it may not write is not
-- found, and row-level security refuses the revision afterwards without
-- this trigger having told anything about it.
CREATE FUNCTION post_revisions_next() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
	latest	integer;
BEGIN
	SELECT p.revision INTO latest FROM posts p
	    WHERE p.unit_id = NEW.unit_id AND p.id = NEW.post_id FOR UPDATE;
	IF NOT FOUND THEN
		RETURN NEW;
	END IF;
	IF NEW.base IS DISTINCT FROM nullif(latest, 0) THEN
		RAISE EXCEPTION 'the post is at revision %, not %', latest,
		    coalesce(NEW.base, 0) USING ERRCODE = 'CH412';
	END IF;
	NEW.number := coalesce(NEW.base, 0) + 1;
	NEW.created_at := now();
	RETURN NEW;
END
$$;
CREATE TRIGGER post_revisions_next BEFORE INSERT ON post_revisions
    FOR EACH ROW EXECUTE FUNCTION post_revisions_next();

-- The post shows its latest revision's number and title.  SECURITY
-- DEFINER: the web role may not set them itself.  Runs after row-level
-- security accepted the revision.
CREATE FUNCTION post_revisions_latest() RETURNS trigger LANGUAGE plpgsql
SECURITY DEFINER SET search_path = pg_catalog, public AS $$
BEGIN
	UPDATE public.posts SET revision = NEW.number, title = NEW.title,
	    updated_at = now()
	    WHERE unit_id = NEW.unit_id AND id = NEW.post_id
	    AND revision < NEW.number;
	RETURN NULL;
END
$$;
CREATE TRIGGER post_revisions_latest AFTER INSERT ON post_revisions
    FOR EACH ROW EXECUTE FUNCTION post_revisions_latest();

-- The moves of a post's state (see posts above).  A schedule is in the
-- future (CH422, for the web role); a move not listed is CH409.
CREATE FUNCTION posts_check_move() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF NEW.state = 'scheduled' AND ch_post_web() AND
	    NEW.scheduled_at <= now() AND (OLD.state <> 'scheduled' OR
	    NEW.scheduled_at IS DISTINCT FROM OLD.scheduled_at) THEN
		RAISE EXCEPTION 'a post cannot be scheduled in the past'
		    USING ERRCODE = 'CH422';
	END IF;
	IF NEW.state <> OLD.state AND NOT (
	    (OLD.state = 'draft' AND NEW.state IN ('scheduled', 'published')) OR
	    (OLD.state = 'scheduled' AND NEW.state IN ('draft', 'published')) OR
	    (OLD.state = 'published' AND NEW.state = 'withdrawn') OR
	    (OLD.state = 'withdrawn' AND NEW.state IN ('draft', 'scheduled',
	    'published'))) THEN
		RAISE EXCEPTION 'a post cannot go from % to %', OLD.state,
		    NEW.state USING ERRCODE = 'CH409';
	END IF;
	IF NEW.state = 'scheduled' AND NEW.scheduled_revision IS NULL THEN
		NEW.scheduled_revision := nullif(NEW.revision, 0);
	ELSIF NEW.state <> 'scheduled' THEN
		NEW.scheduled_at := NULL;
		NEW.scheduled_revision := NULL;
	END IF;
	IF NEW.state = 'published' AND NEW.published_revision IS NULL THEN
		NEW.published_revision := nullif(NEW.revision, 0);
	END IF;
	IF NEW.state = 'published' AND (OLD.state <> 'published' OR
	    NEW.published_revision IS DISTINCT FROM OLD.published_revision) THEN
		NEW.published_at := now();
	END IF;
	NEW.updated_at := now();
	RETURN NEW;
END
$$;
CREATE TRIGGER posts_check_move BEFORE UPDATE ON posts
    FOR EACH ROW EXECUTE FUNCTION posts_check_move();

-- Record each publication with the number of suggestions still open,
-- and queue post.published (post.withdrawn on withdrawal), in the
-- transaction of the change.  SECURITY DEFINER: the web role writes
-- neither table itself.
CREATE FUNCTION posts_published() RETURNS trigger LANGUAGE plpgsql
SECURITY DEFINER SET search_path = pg_catalog, public AS $$
DECLARE
	pub	bigint;
BEGIN
	IF NEW.state = 'published' AND (OLD.state <> 'published' OR
	    NEW.published_revision <> OLD.published_revision) THEN
		INSERT INTO public.post_publications (unit_id, post_id,
		    revision, published_by, open_suggestions)
		    SELECT NEW.unit_id, NEW.id, NEW.published_revision,
		    public.ch_person(), count(*)
		    FROM public.post_suggestions s
		    WHERE s.unit_id = NEW.unit_id AND s.post_id = NEW.id
		    AND s.state = 'open'
		    RETURNING id INTO pub;
		INSERT INTO public.jobs (kind, payload) VALUES
		    ('post.published', jsonb_build_object('unit_id',
		    NEW.unit_id, 'post_id', NEW.id, 'revision',
		    NEW.published_revision, 'publication_id', pub));
	ELSIF NEW.state = 'withdrawn' AND OLD.state = 'published' THEN
		INSERT INTO public.jobs (kind, payload) VALUES
		    ('post.withdrawn', jsonb_build_object('unit_id',
		    NEW.unit_id, 'post_id', NEW.id));
	END IF;
	RETURN NULL;
END
$$;
CREATE TRIGGER posts_published AFTER UPDATE OF state, published_revision
    ON posts FOR EACH ROW EXECUTE FUNCTION posts_published();

-- A span lies within its revision's body (CH422).  Read as the acting
-- role: a revision it cannot see is refused by row-level security.
CREATE FUNCTION posts_check_span(u bigint, p bigint, rev integer, e integer)
RETURNS void LANGUAGE plpgsql AS $$
DECLARE
	len	integer;
BEGIN
	SELECT char_length(r.body) INTO len FROM post_revisions r
	    WHERE r.unit_id = u AND r.post_id = p AND r.number = rev;
	IF FOUND AND e > len THEN
		RAISE EXCEPTION 'the span ends at %, after the text (% '
		    'characters)', e, len USING ERRCODE = 'CH422';
	END IF;
END
$$;

-- Suggestions: the span lies in the text; a suggestion is decided once.
CREATE FUNCTION post_suggestions_check() RETURNS trigger LANGUAGE plpgsql
AS $$
BEGIN
	IF TG_OP = 'INSERT' THEN
		PERFORM posts_check_span(NEW.unit_id, NEW.post_id,
		    NEW.revision, NEW.span_end);
		RETURN NEW;
	END IF;
	IF OLD.state <> 'open' THEN
		RAISE EXCEPTION 'this suggestion was already %', OLD.state
		    USING ERRCODE = 'CH409';
	END IF;
	IF NEW.state <> 'open' THEN
		NEW.decided_at := now();
	END IF;
	RETURN NEW;
END
$$;
CREATE TRIGGER post_suggestions_check BEFORE INSERT OR UPDATE
    ON post_suggestions FOR EACH ROW
    EXECUTE FUNCTION post_suggestions_check();

-- Comments: the span lies in the text; a reply answers a comment on the
-- same post.
CREATE FUNCTION post_comments_check() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF NEW.revision IS NOT NULL THEN
		PERFORM posts_check_span(NEW.unit_id, NEW.post_id,
		    NEW.revision, NEW.span_end);
	END IF;
	IF NEW.reply_to IS NOT NULL AND EXISTS (SELECT 1 FROM post_comments c
	    WHERE c.unit_id = NEW.unit_id AND c.id = NEW.reply_to
	    AND c.post_id <> NEW.post_id) THEN
		RAISE EXCEPTION 'a reply answers a comment on the same post'
		    USING ERRCODE = 'CH422';
	END IF;
	RETURN NEW;
END
$$;
CREATE TRIGGER post_comments_check BEFORE INSERT ON post_comments
    FOR EACH ROW EXECUTE FUNCTION post_comments_check();

-- A revoked preview link stays revoked.
CREATE FUNCTION post_preview_links_check() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	IF OLD.revoked_at IS NOT NULL THEN
		RAISE EXCEPTION 'a revoked link stays revoked'
		    USING ERRCODE = 'CH409';
	END IF;
	RETURN NEW;
END
$$;
CREATE TRIGGER post_preview_links_check BEFORE UPDATE ON post_preview_links
    FOR EACH ROW EXECUTE FUNCTION post_preview_links_check();

-- The inbox.  Each function runs after row-level security accepted the
-- row that caused it, as the schema owner, and tells the post's author
-- and co-authors (never the person acting).
CREATE FUNCTION ch_post_notify_authors(u bigint, p bigint, k text, ref bigint)
RETURNS void LANGUAGE sql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, public AS $$
	INSERT INTO public.inbox_items (unit_id, person_id, kind, post_id,
	    ref_id, actor_id)
	SELECT u, w.person_id, k, p, ref, public.ch_person() FROM (
		SELECT author_id AS person_id FROM public.posts
		WHERE unit_id = u AND id = p
		UNION
		SELECT person_id FROM public.post_authors
		WHERE unit_id = u AND post_id = p
	) w WHERE w.person_id IS DISTINCT FROM public.ch_person()
$$;
REVOKE ALL ON FUNCTION ch_post_notify_authors(bigint, bigint, text, bigint)
    FROM PUBLIC;

CREATE FUNCTION post_suggestions_inbox() RETURNS trigger LANGUAGE plpgsql
SECURITY DEFINER SET search_path = pg_catalog, public AS $$
BEGIN
	IF TG_OP = 'INSERT' THEN
		PERFORM public.ch_post_notify_authors(NEW.unit_id, NEW.post_id,
		    'suggestion', NEW.id);
	ELSIF NEW.state IN ('accepted', 'declined') AND
	    OLD.state = 'open' AND NEW.author_id IS DISTINCT FROM
	    public.ch_person() THEN
		INSERT INTO public.inbox_items (unit_id, person_id, kind,
		    post_id, ref_id, actor_id) VALUES (NEW.unit_id,
		    NEW.author_id, 'decision', NEW.post_id, NEW.id,
		    public.ch_person());
	END IF;
	RETURN NULL;
END
$$;
CREATE TRIGGER post_suggestions_inbox AFTER INSERT OR UPDATE OF state
    ON post_suggestions FOR EACH ROW
    EXECUTE FUNCTION post_suggestions_inbox();

CREATE FUNCTION post_comments_inbox() RETURNS trigger LANGUAGE plpgsql
SECURITY DEFINER SET search_path = pg_catalog, public AS $$
DECLARE
	to_whom	bigint;
BEGIN
	PERFORM public.ch_post_notify_authors(NEW.unit_id, NEW.post_id,
	    'comment', NEW.id);
	IF NEW.reply_to IS NOT NULL THEN
		SELECT c.author_id INTO to_whom FROM public.post_comments c
		    WHERE c.unit_id = NEW.unit_id AND c.id = NEW.reply_to;
		IF to_whom IS NOT NULL AND to_whom IS DISTINCT FROM
		    public.ch_person() AND NOT EXISTS (SELECT 1
		    FROM public.inbox_items i WHERE i.unit_id = NEW.unit_id
		    AND i.person_id = to_whom AND i.kind = 'comment'
		    AND i.ref_id = NEW.id) THEN
			INSERT INTO public.inbox_items (unit_id, person_id,
			    kind, post_id, ref_id, actor_id) VALUES
			    (NEW.unit_id, to_whom, 'reply', NEW.post_id,
			    NEW.id, public.ch_person());
		END IF;
	END IF;
	RETURN NULL;
END
$$;
CREATE TRIGGER post_comments_inbox AFTER INSERT ON post_comments
    FOR EACH ROW EXECUTE FUNCTION post_comments_inbox();

-- A reviewer is an editor or owner of the unit (a current member) or a
-- hub admin or communicator (CH422 otherwise); they are told in their
-- inbox.
CREATE FUNCTION post_review_requests_check() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
BEGIN
	IF NOT EXISTS (SELECT 1 FROM public.unit_members m
	    WHERE m.unit_id = NEW.unit_id AND m.person_id = NEW.reviewer_id
	    AND m.role IN ('owner', 'editor'))
	    AND NOT EXISTS (SELECT 1 FROM public.hub_roles h
	    WHERE h.person_id = NEW.reviewer_id
	    AND h.role IN ('admin', 'communicator')) THEN
		RAISE EXCEPTION 'a reviewer is an editor or owner of the unit '
		    'or a hub admin or communicator' USING ERRCODE = 'CH422';
	END IF;
	INSERT INTO public.inbox_items (unit_id, person_id, kind, post_id,
	    ref_id, actor_id) VALUES (NEW.unit_id, NEW.reviewer_id,
	    'review_request', NEW.post_id, NEW.id, NEW.requested_by);
	RETURN NULL;
END
$$;
CREATE TRIGGER post_review_requests_check AFTER INSERT
    ON post_review_requests FOR EACH ROW
    EXECUTE FUNCTION post_review_requests_check();

-- -- Row-level security -----------------------------------------------------

ALTER TABLE review_policy ENABLE ROW LEVEL SECURITY;
ALTER TABLE review_policy FORCE ROW LEVEL SECURITY;
ALTER TABLE unit_review_modes ENABLE ROW LEVEL SECURITY;
ALTER TABLE unit_review_modes FORCE ROW LEVEL SECURITY;
ALTER TABLE posts ENABLE ROW LEVEL SECURITY;
ALTER TABLE posts FORCE ROW LEVEL SECURITY;
ALTER TABLE post_authors ENABLE ROW LEVEL SECURITY;
ALTER TABLE post_authors FORCE ROW LEVEL SECURITY;
ALTER TABLE post_revisions ENABLE ROW LEVEL SECURITY;
ALTER TABLE post_revisions FORCE ROW LEVEL SECURITY;
ALTER TABLE post_publications ENABLE ROW LEVEL SECURITY;
ALTER TABLE post_publications FORCE ROW LEVEL SECURITY;
ALTER TABLE post_suggestions ENABLE ROW LEVEL SECURITY;
ALTER TABLE post_suggestions FORCE ROW LEVEL SECURITY;
ALTER TABLE post_preview_links ENABLE ROW LEVEL SECURITY;
ALTER TABLE post_preview_links FORCE ROW LEVEL SECURITY;
ALTER TABLE post_comments ENABLE ROW LEVEL SECURITY;
ALTER TABLE post_comments FORCE ROW LEVEL SECURITY;
ALTER TABLE post_review_requests ENABLE ROW LEVEL SECURITY;
ALTER TABLE post_review_requests FORCE ROW LEVEL SECURITY;
ALTER TABLE inbox_items ENABLE ROW LEVEL SECURITY;
ALTER TABLE inbox_items FORCE ROW LEVEL SECURITY;

-- The schema owner, running the definer functions and triggers above,
-- sees and writes every row of these tables.
DO $$
DECLARE
	t	text;
BEGIN
	FOREACH t IN ARRAY ARRAY['review_policy', 'unit_review_modes', 'posts',
	    'post_authors', 'post_revisions', 'post_publications',
	    'post_suggestions', 'post_preview_links', 'post_comments',
	    'post_review_requests', 'inbox_items'] LOOP
		EXECUTE format('CREATE POLICY %I ON %I TO %I USING (true) '
		    'WITH CHECK (true)', t || '_definer', t, current_user);
	END LOOP;
END
$$;

-- Review modes: read by everyone signed in (the hub's) and by the
-- unit's members and hub roles (a unit's); set by hub admins and by the
-- unit's owners.
CREATE POLICY review_policy_read ON review_policy FOR SELECT
    TO chapterhouse_web USING ((SELECT ch_person()) IS NOT NULL);
CREATE POLICY review_policy_change ON review_policy FOR UPDATE
    TO chapterhouse_web USING ((SELECT ch_hub_role('admin')))
    WITH CHECK ((SELECT ch_hub_role('admin'))
	AND updated_by = (SELECT ch_person()));
CREATE POLICY unit_review_modes_read ON unit_review_modes FOR SELECT
    TO chapterhouse_web
    USING (unit_id = ANY ((SELECT ch_post_units('read'))::bigint[])
	OR (SELECT ch_hub_any()));
CREATE POLICY unit_review_modes_set ON unit_review_modes FOR INSERT
    TO chapterhouse_web
    WITH CHECK (unit_id = ANY ((SELECT ch_post_units('own'))::bigint[])
	AND updated_by = (SELECT ch_person()));
CREATE POLICY unit_review_modes_change ON unit_review_modes FOR UPDATE
    TO chapterhouse_web
    USING (unit_id = ANY ((SELECT ch_post_units('own'))::bigint[]))
    WITH CHECK (unit_id = ANY ((SELECT ch_post_units('own'))::bigint[])
	AND updated_by = (SELECT ch_person()));

-- Reading: the unit's current members and the hub's reviewers.  The
-- same rule for every table of a post, so a row of another unit is
-- simply not there.
CREATE POLICY posts_read ON posts FOR SELECT TO chapterhouse_web
    USING (unit_id = ANY ((SELECT ch_post_units('read'))::bigint[])
	OR (SELECT ch_post_hub_reviewer()));
CREATE POLICY post_authors_read ON post_authors FOR SELECT
    TO chapterhouse_web
    USING (unit_id = ANY ((SELECT ch_post_units('read'))::bigint[])
	OR (SELECT ch_post_hub_reviewer()));
CREATE POLICY post_revisions_read ON post_revisions FOR SELECT
    TO chapterhouse_web
    USING (unit_id = ANY ((SELECT ch_post_units('read'))::bigint[])
	OR (SELECT ch_post_hub_reviewer()));
CREATE POLICY post_publications_read ON post_publications FOR SELECT
    TO chapterhouse_web
    USING (unit_id = ANY ((SELECT ch_post_units('read'))::bigint[])
	OR (SELECT ch_post_hub_reviewer()));
CREATE POLICY post_suggestions_read ON post_suggestions FOR SELECT
    TO chapterhouse_web
    USING (unit_id = ANY ((SELECT ch_post_units('read'))::bigint[])
	OR (SELECT ch_post_hub_reviewer()));
CREATE POLICY post_comments_read ON post_comments FOR SELECT
    TO chapterhouse_web
    USING (unit_id = ANY ((SELECT ch_post_units('read'))::bigint[])
	OR (SELECT ch_post_hub_reviewer()));
CREATE POLICY post_review_requests_read ON post_review_requests FOR SELECT
    TO chapterhouse_web
    USING (unit_id = ANY ((SELECT ch_post_units('read'))::bigint[])
	OR (SELECT ch_post_hub_reviewer()));

-- Creating a post: in one's own name, as a draft, in an approved unit
-- one is a current member of.
CREATE POLICY posts_create ON posts FOR INSERT TO chapterhouse_web
    WITH CHECK (author_id = (SELECT ch_person()) AND state = 'draft'
	AND unit_id = ANY ((SELECT ch_post_units('write'))::bigint[]));

-- Writing a post (its state, its revisions, its co-authors' list, its
-- preview links, deciding suggestions, resolving comments): its author
-- and co-authors, current members of the approved unit.
CREATE POLICY posts_write ON posts FOR UPDATE TO chapterhouse_web
    USING (unit_id = ANY ((SELECT ch_post_units('write'))::bigint[])
	AND (author_id = (SELECT ch_person()) OR EXISTS (SELECT 1
	FROM post_authors a WHERE a.unit_id = posts.unit_id
	AND a.post_id = posts.id AND a.person_id = (SELECT ch_person()))))
    WITH CHECK (unit_id = ANY ((SELECT ch_post_units('write'))::bigint[]));

CREATE POLICY post_revisions_write ON post_revisions FOR INSERT
    TO chapterhouse_web
    WITH CHECK (author_id = (SELECT ch_person())
	AND unit_id = ANY ((SELECT ch_post_units('write'))::bigint[])
	AND EXISTS (SELECT 1 FROM posts p WHERE p.unit_id =
	post_revisions.unit_id AND p.id = post_revisions.post_id
	AND (p.author_id = (SELECT ch_person()) OR EXISTS (SELECT 1
	FROM post_authors a WHERE a.unit_id = p.unit_id AND a.post_id = p.id
	AND a.person_id = (SELECT ch_person())))));

-- Only the author names and removes co-authors.
CREATE POLICY post_authors_add ON post_authors FOR INSERT
    TO chapterhouse_web
    WITH CHECK (added_by = (SELECT ch_person())
	AND unit_id = ANY ((SELECT ch_post_units('write'))::bigint[])
	AND EXISTS (SELECT 1 FROM posts p WHERE p.unit_id =
	post_authors.unit_id AND p.id = post_authors.post_id
	AND p.author_id = (SELECT ch_person())));
CREATE POLICY post_authors_remove ON post_authors FOR DELETE
    TO chapterhouse_web
    USING (unit_id = ANY ((SELECT ch_post_units('write'))::bigint[])
	AND EXISTS (SELECT 1 FROM posts p WHERE p.unit_id =
	post_authors.unit_id AND p.id = post_authors.post_id
	AND p.author_id = (SELECT ch_person())));

-- Suggesting: the unit's editors and owners and the hub's reviewers, in
-- an approved unit, on a post that is not withdrawn.
CREATE POLICY post_suggestions_create ON post_suggestions FOR INSERT
    TO chapterhouse_web
    WITH CHECK (author_id = (SELECT ch_person()) AND state = 'open'
	AND (unit_id = ANY ((SELECT ch_post_units('review'))::bigint[])
	OR ((SELECT ch_post_hub_reviewer())
	AND ch_unit_state(unit_id) = 'approved'))
	AND EXISTS (SELECT 1 FROM posts p WHERE p.unit_id =
	post_suggestions.unit_id AND p.id = post_suggestions.post_id
	AND p.state <> 'withdrawn'));
-- Deciding: the post's writers.
CREATE POLICY post_suggestions_decide ON post_suggestions FOR UPDATE
    TO chapterhouse_web
    USING (unit_id = ANY ((SELECT ch_post_units('write'))::bigint[])
	AND EXISTS (SELECT 1 FROM posts p WHERE p.unit_id =
	post_suggestions.unit_id AND p.id = post_suggestions.post_id
	AND (p.author_id = (SELECT ch_person()) OR EXISTS (SELECT 1
	FROM post_authors a WHERE a.unit_id = p.unit_id AND a.post_id = p.id
	AND a.person_id = (SELECT ch_person())))))
    WITH CHECK (decided_by = (SELECT ch_person()));

-- Commenting: the unit's members and the hub's reviewers, in an
-- approved unit.  Resolving: the post's writers.
CREATE POLICY post_comments_create ON post_comments FOR INSERT
    TO chapterhouse_web
    WITH CHECK (author_id = (SELECT ch_person())
	AND (unit_id = ANY ((SELECT ch_post_units('write'))::bigint[])
	OR ((SELECT ch_post_hub_reviewer())
	AND ch_unit_state(unit_id) = 'approved')));
CREATE POLICY post_comments_resolve ON post_comments FOR UPDATE
    TO chapterhouse_web
    USING (unit_id = ANY ((SELECT ch_post_units('write'))::bigint[])
	AND EXISTS (SELECT 1 FROM posts p WHERE p.unit_id =
	post_comments.unit_id AND p.id = post_comments.post_id
	AND (p.author_id = (SELECT ch_person()) OR EXISTS (SELECT 1
	FROM post_authors a WHERE a.unit_id = p.unit_id AND a.post_id = p.id
	AND a.person_id = (SELECT ch_person())))))
    WITH CHECK (resolved_by = (SELECT ch_person()));

-- Review requests and preview links: the post's writers.
CREATE POLICY post_review_requests_create ON post_review_requests
    FOR INSERT TO chapterhouse_web
    WITH CHECK (requested_by = (SELECT ch_person())
	AND unit_id = ANY ((SELECT ch_post_units('write'))::bigint[])
	AND EXISTS (SELECT 1 FROM posts p WHERE p.unit_id =
	post_review_requests.unit_id AND p.id = post_review_requests.post_id
	AND (p.author_id = (SELECT ch_person()) OR EXISTS (SELECT 1
	FROM post_authors a WHERE a.unit_id = p.unit_id AND a.post_id = p.id
	AND a.person_id = (SELECT ch_person())))));
CREATE POLICY post_preview_links_read ON post_preview_links FOR SELECT
    TO chapterhouse_web
    USING (unit_id = ANY ((SELECT ch_post_units('read'))::bigint[])
	AND EXISTS (SELECT 1 FROM posts p WHERE p.unit_id =
	post_preview_links.unit_id AND p.id = post_preview_links.post_id
	AND (p.author_id = (SELECT ch_person()) OR EXISTS (SELECT 1
	FROM post_authors a WHERE a.unit_id = p.unit_id AND a.post_id = p.id
	AND a.person_id = (SELECT ch_person())))));
CREATE POLICY post_preview_links_create ON post_preview_links FOR INSERT
    TO chapterhouse_web
    WITH CHECK (created_by = (SELECT ch_person())
	AND unit_id = ANY ((SELECT ch_post_units('write'))::bigint[])
	AND EXISTS (SELECT 1 FROM posts p WHERE p.unit_id =
	post_preview_links.unit_id AND p.id = post_preview_links.post_id
	AND (p.author_id = (SELECT ch_person()) OR EXISTS (SELECT 1
	FROM post_authors a WHERE a.unit_id = p.unit_id AND a.post_id = p.id
	AND a.person_id = (SELECT ch_person())))));
CREATE POLICY post_preview_links_revoke ON post_preview_links FOR UPDATE
    TO chapterhouse_web
    USING (unit_id = ANY ((SELECT ch_post_units('read'))::bigint[])
	AND EXISTS (SELECT 1 FROM posts p WHERE p.unit_id =
	post_preview_links.unit_id AND p.id = post_preview_links.post_id
	AND (p.author_id = (SELECT ch_person()) OR EXISTS (SELECT 1
	FROM post_authors a WHERE a.unit_id = p.unit_id AND a.post_id = p.id
	AND a.person_id = (SELECT ch_person())))))
    WITH CHECK (revoked_by = (SELECT ch_person()));

-- One's own inbox, and only to mark it read.
CREATE POLICY inbox_items_read ON inbox_items FOR SELECT TO chapterhouse_web
    USING (person_id = (SELECT ch_person()));
CREATE POLICY inbox_items_mark ON inbox_items FOR UPDATE TO chapterhouse_web
    USING (person_id = (SELECT ch_person()))
    WITH CHECK (person_id = (SELECT ch_person()));

-- -- Preview links and the worker: definer functions ------------------------

-- What a preview link whose token digest is h shows: outcome 'ok' with
-- the post's latest revision, or 'expired', 'revoked', 'unavailable'
-- (the unit is not approved or the post was withdrawn) without it; no
-- row when no link has that digest.
CREATE FUNCTION ch_preview_post(h bytea)
RETURNS TABLE (outcome text, unit_id bigint, post_id bigint,
    revision integer, title text, body text, link_id bigint)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public AS $$
	SELECT CASE WHEN l.revoked_at IS NOT NULL THEN 'revoked'
	    WHEN l.expires_at <= now() THEN 'expired'
	    WHEN u.state <> 'approved' OR p.state = 'withdrawn'
		THEN 'unavailable'
	    ELSE 'ok' END,
	    l.unit_id, l.post_id, r.number, r.title, r.body, l.id
	FROM public.post_preview_links l
	JOIN public.posts p ON p.unit_id = l.unit_id AND p.id = l.post_id
	JOIN public.units u ON u.id = l.unit_id
	LEFT JOIN public.post_revisions r ON r.unit_id = p.unit_id
	    AND r.post_id = p.id AND r.number = p.revision
	    AND l.revoked_at IS NULL AND l.expires_at > now()
	    AND u.state = 'approved' AND p.state <> 'withdrawn'
	WHERE l.token_hash = h
	ORDER BY l.created_at DESC LIMIT 1
$$;

-- Comment through the preview link whose token digest is h, under the
-- typed name, optionally on [s, e) of revision rev.  Returns the new
-- comment's id, or NULL when no link has that digest; a link that is
-- not 'ok' (see ch_preview_post) is CH410; more than 30 comments in an
-- hour through one link is CH429.
CREATE FUNCTION ch_preview_comment(h bytea, name text, body text,
    rev integer, s integer, e integer)
RETURNS bigint LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, public AS $$
DECLARE
	v	record;
	made	bigint;
BEGIN
	SELECT * INTO v FROM ch_preview_post(h);
	IF NOT FOUND THEN
		RETURN NULL;
	END IF;
	IF v.outcome <> 'ok' THEN
		RAISE EXCEPTION 'this preview link is %', v.outcome
		    USING ERRCODE = 'CH410';
	END IF;
	PERFORM pg_advisory_xact_lock(hashtext('chapterhouse.preview'),
	    (v.link_id & 2147483647)::integer);
	IF (SELECT count(*) FROM post_comments c WHERE c.unit_id = v.unit_id
	    AND c.preview_link_id = v.link_id
	    AND c.created_at > now() - interval '1 hour') >= 30 THEN
		RAISE EXCEPTION 'at most 30 comments an hour through a '
		    'preview link' USING ERRCODE = 'CH429';
	END IF;
	INSERT INTO post_comments (unit_id, post_id, revision, span_start,
	    span_end, guest_name, preview_link_id, body)
	    VALUES (v.unit_id, v.post_id, rev, s, e, name, v.link_id, body)
	    RETURNING id INTO made;
	RETURN made;
END
$$;
REVOKE ALL ON FUNCTION ch_preview_post(bytea),
    ch_preview_comment(bytea, text, text, integer, integer, integer)
    FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ch_preview_post(bytea),
    ch_preview_comment(bytea, text, text, integer, integer, integer)
    TO chapterhouse_web;

-- The job worker publishes the scheduled posts that are due, at most
-- max of them, each exactly once: a post is claimed with FOR UPDATE SKIP
-- LOCKED and moved out of 'scheduled' in the same statement, so a second
-- worker skips it or no longer finds it due.  The publication and its
-- post.published job are written by the trigger posts_published in the
-- same transaction.  A suspended unit's posts wait until it is
-- reinstated.  Returns what was published.
CREATE FUNCTION ch_publish_due(max integer)
RETURNS TABLE (unit_id bigint, post_id bigint, revision integer)
LANGUAGE sql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, public AS $$
	WITH due AS (
		SELECT p.unit_id, p.id FROM public.posts p
		JOIN public.units u ON u.id = p.unit_id AND u.state = 'approved'
		WHERE p.state = 'scheduled' AND p.scheduled_at <= now()
		ORDER BY p.scheduled_at, p.id LIMIT max
		FOR UPDATE OF p SKIP LOCKED
	)
	UPDATE public.posts p SET state = 'published',
	    published_revision = p.scheduled_revision, scheduled_at = NULL,
	    scheduled_revision = NULL
	FROM due WHERE p.unit_id = due.unit_id AND p.id = due.id
	AND p.state = 'scheduled'
	RETURNING p.unit_id, p.id, p.published_revision
$$;
REVOKE ALL ON FUNCTION ch_publish_due(integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ch_publish_due(integer) TO chapterhouse_worker;

-- -- Grants: what each process uses -----------------------------------------

-- The web role.  Nothing is deleted but a co-author's authorship; no
-- revision or publication is ever updated; the inbox is written by
-- triggers only.
GRANT SELECT, UPDATE (default_mode, updated_by) ON review_policy
    TO chapterhouse_web;
GRANT SELECT, INSERT (unit_id, mode, updated_by),
    UPDATE (mode, updated_by) ON unit_review_modes TO chapterhouse_web;
GRANT SELECT, INSERT (unit_id, author_id),
    UPDATE (state, scheduled_at, scheduled_revision, published_revision)
    ON posts TO chapterhouse_web;
GRANT SELECT, INSERT (unit_id, post_id, person_id, added_by), DELETE
    ON post_authors TO chapterhouse_web;
GRANT SELECT, INSERT (unit_id, post_id, base, author_id, title, body, tags,
    channels, restored_from) ON post_revisions TO chapterhouse_web;
GRANT SELECT ON post_publications TO chapterhouse_web;
GRANT SELECT, INSERT (unit_id, post_id, revision, span_start, span_end,
    replacement, comment, author_id),
    UPDATE (state, decided_by, reply, accepted_revision)
    ON post_suggestions TO chapterhouse_web;
GRANT SELECT, INSERT (unit_id, post_id, revision, span_start, span_end,
    reply_to, author_id, body), UPDATE (resolved_at, resolved_by)
    ON post_comments TO chapterhouse_web;
GRANT SELECT, INSERT (unit_id, post_id, reviewer_id, requested_by)
    ON post_review_requests TO chapterhouse_web;
GRANT SELECT (unit_id, id, post_id, created_by, created_at, expires_at,
    revoked_at, revoked_by), INSERT (unit_id, post_id, token_hash,
    created_by, expires_at), UPDATE (revoked_at, revoked_by)
    ON post_preview_links TO chapterhouse_web;
GRANT SELECT, UPDATE (read_at) ON inbox_items TO chapterhouse_web;
