-- demo.sql: the demo confederation, loaded by tools/stack.py (never by
-- migrations) after the demo people exist.  Idempotent: loading it again
-- adds nothing.  Ten units in every state, members in every role, a
-- regional unit whose owner decides the requests under it, decisions
-- with reason codes, one automatic approval, a screening question, and
-- their history in the audit log.

CREATE TEMP TABLE demo_units (slug text, name text, kind text, parent text,
    region text, purpose text, audience text, channels text[], state text,
    requester text, age interval) ON COMMIT DROP;
INSERT INTO demo_units VALUES
    ('northern-region', 'Northern Region', 'regional_market', NULL, 'North',
     'Coordinate the chapters of the north and share what works.',
     'Chapter owners and the regional press', '{blog,linkedin}', 'approved',
     'region@demo.test', '60 days'),
    ('north-chapter', 'North Chapter', 'chapter', 'northern-region', 'North',
     'Tell members and neighbours what the chapter does.',
     'Members, volunteers and local press', '{blog,linkedin}', 'approved',
     'owner@demo.test', '40 days'),
    ('harbor-chapter', 'Harbor Chapter', 'chapter', 'northern-region', 'North',
     'Give the harbour volunteers a voice of their own.',
     'Boat owners and families in the bay', '{blog,facebook}', 'requested',
     'author@demo.test', '3 days'),
    ('south-franchise', 'South Franchise', 'franchise', NULL, 'South',
     'Publish local offers and stories from the south shops.',
     'Customers within 30 km', '{blog,instagram,facebook}', 'approved',
     'owner@demo.test', '30 days'),
    ('east-dealership', 'East Dealership', 'dealership', NULL, 'East',
     'Announce arrivals and service days.', 'Owners of our cars',
     '{blog,x}', 'requested', 'editor@demo.test', '5 days'),
    ('west-market', 'West Market', 'regional_market', NULL, 'West',
     'Something for the west.', 'Everyone', '{other}', 'changes_requested',
     'region@demo.test', '8 days'),
    ('bay-agency', 'Bay Agency', 'agency_team', NULL, NULL,
     'Sell our agency''s services to the chapters.', 'Chapter owners',
     '{linkedin}', 'rejected', 'guest@demo.test', '12 days'),
    ('river-department', 'River Department', 'department', NULL, NULL,
     'Report on the river clean-up work.', 'Volunteers and the city',
     '{blog}', 'suspended', 'editor@demo.test', '50 days'),
    ('old-chapter', 'Old Chapter', 'chapter', NULL, 'Centre',
     'The chapter before the merger.', 'Former members', '{blog}',
     'archived', 'owner@demo.test', '400 days'),
    ('city-chapter', 'City Chapter', 'chapter', 'northern-region', 'North',
     'Events and news of the city chapter.', 'Members in town',
     '{blog,instagram}', 'approved', 'region@demo.test', '20 days');

-- Parents first, so that their children can name them.
INSERT INTO units (slug, name, kind, region, purpose, audience, channels,
    state, requested_by, created_at, updated_at)
    SELECT d.slug, d.name, d.kind, d.region, d.purpose, d.audience,
	d.channels, d.state, p.id, now() - d.age, now() - d.age
    FROM demo_units d JOIN people p ON p.email = d.requester
    WHERE d.parent IS NULL ON CONFLICT (slug) DO NOTHING;
INSERT INTO units (slug, name, kind, parent_id, region, purpose, audience,
    channels, state, requested_by, created_at, updated_at)
    SELECT d.slug, d.name, d.kind, pu.id, d.region, d.purpose, d.audience,
	d.channels, d.state, p.id, now() - d.age, now() - d.age
    FROM demo_units d JOIN people p ON p.email = d.requester
    JOIN units pu ON pu.slug = d.parent
    ON CONFLICT (slug) DO NOTHING;

INSERT INTO unit_members (unit_id, person_id, role, expires_at)
    SELECT u.id, p.id, v.role, v.until FROM (VALUES
	('northern-region', 'region@demo.test', 'owner', NULL),
	('north-chapter', 'owner@demo.test', 'owner', NULL),
	('north-chapter', 'editor@demo.test', 'editor', NULL),
	('north-chapter', 'author@demo.test', 'author', NULL),
	('north-chapter', 'guest@demo.test', 'guest',
	 now() + interval '90 days'),
	('harbor-chapter', 'author@demo.test', 'owner', NULL),
	('south-franchise', 'owner@demo.test', 'owner', NULL),
	('south-franchise', 'author@demo.test', 'editor', NULL),
	('east-dealership', 'editor@demo.test', 'owner', NULL),
	('west-market', 'region@demo.test', 'owner', NULL),
	('bay-agency', 'guest@demo.test', 'owner', NULL),
	('river-department', 'editor@demo.test', 'owner', NULL),
	('river-department', 'author@demo.test', 'author', NULL),
	('old-chapter', 'owner@demo.test', 'owner', NULL),
	('city-chapter', 'region@demo.test', 'owner', NULL))
	AS v(slug, email, role, until)
    JOIN units u ON u.slug = v.slug JOIN people p ON p.email = v.email
    ON CONFLICT DO NOTHING;

-- The hub's decisions, made by admin@ (one by the policy), with the
-- request as it was.
INSERT INTO unit_decisions (unit_id, decision, reason, reason_code,
    automatic, decided_by, decided_at, snapshot)
    SELECT u.id, v.decision, v.reason, v.code, v.auto,
	CASE WHEN v.auto THEN NULL ELSE a.id END,
	u.created_at + v.after::interval, to_jsonb(u.*)
    FROM (VALUES
	('northern-region', 'approve', NULL, NULL, false, '1 day'),
	('north-chapter', 'approve', NULL, NULL, false, '1 day'),
	('south-franchise', 'approve', NULL, NULL, false, '2 days'),
	('west-market', 'request_changes', 'Thank you, Remy Region. Before '
	 'deciding on West Market, the hub needs a clearer purpose and '
	 'audience.', 'more_detail', false, '1 day'),
	('bay-agency', 'reject', 'The purpose of Bay Agency falls outside '
	 'what this confederation''s hub supports.', 'out_of_scope', false,
	 '2 days'),
	('river-department', 'approve', NULL, NULL, false, '1 day'),
	('river-department', 'suspend', 'Posts about a private matter were '
	 'published; reinstated once the team has taken the training.', NULL,
	 false, '45 days'),
	('old-chapter', 'approve', NULL, NULL, false, '1 day'),
	('old-chapter', 'archive', 'Merged into North Chapter.', NULL, false,
	 '390 days'),
	('city-chapter', 'approve', 'Approved automatically by the approval '
	 'policy (kind chapter).', NULL, true, '0 days'))
	AS v(slug, decision, reason, code, auto, after)
    JOIN units u ON u.slug = v.slug
    JOIN people a ON a.email = 'admin@demo.test'
    WHERE NOT EXISTS (SELECT 1 FROM unit_decisions x WHERE x.unit_id = u.id);

-- The audit log, as the application writes it in the transaction of each
-- change: every request in its requester's name, every decision in the
-- deciding admin's (the automatic one in nobody's, naming its rule), with
-- the state before and after.  Written once: a second load finds rows.
INSERT INTO audit_log (at, actor_id, action, object_type, object_id,
    unit_id, before, after)
    SELECT u.created_at, u.requested_by, 'unit.request', 'unit', u.slug,
	u.id, NULL, jsonb_build_object('slug', u.slug, 'name', u.name, 'kind',
	u.kind, 'state', 'requested')
    FROM units u JOIN demo_units d ON d.slug = u.slug
    WHERE NOT EXISTS (SELECT 1 FROM audit_log x WHERE x.unit_id = u.id);
INSERT INTO audit_log (at, actor_id, action, object_type, object_id,
    unit_id, before, after)
    SELECT h.decided_at, h.decided_by, 'unit.' || h.decision, 'unit',
	h.slug, h.unit_id,
	jsonb_build_object('state', h.was),
	CASE WHEN h.automatic THEN jsonb_build_object('state', h.state,
	    'automatic', true, 'rule', 'kind ' || h.kind)
	ELSE jsonb_strip_nulls(jsonb_build_object('state', h.state, 'reason',
	    h.reason, 'reason_code', h.reason_code)) END
    FROM (SELECT d.unit_id, d.decision, d.reason, d.reason_code,
	    d.automatic, d.decided_by, d.decided_at, u.slug, u.kind,
	    m.state, coalesce(lag(m.state) OVER (PARTITION BY d.unit_id
	    ORDER BY d.decided_at, d.id), 'requested') AS was
	FROM unit_decisions d JOIN units u ON u.id = d.unit_id
	JOIN demo_units du ON du.slug = u.slug
	JOIN (VALUES ('approve', 'approved'), ('reject', 'rejected'),
	    ('request_changes', 'changes_requested'),
	    ('suspend', 'suspended'), ('reinstate', 'approved'),
	    ('archive', 'archived'))
	    AS m(decision, state) ON m.decision = d.decision) h
    WHERE NOT EXISTS (SELECT 1 FROM audit_log x WHERE x.unit_id = h.unit_id
	AND x.action <> 'unit.request');

-- Owners of the region decide the requests under it: a change of policy
-- by admin@, audited with the policy before and after.
WITH old AS (SELECT jsonb_build_object('mode', o.mode, 'domains',
	o.domains, 'kinds', o.kinds, 'match', o.match,
	'delegate_to_parent_owners', o.delegate) AS j
	FROM approval_policy o WHERE NOT o.delegate FOR UPDATE),
    admin AS (SELECT id FROM people WHERE email = 'admin@demo.test'),
    upd AS (UPDATE approval_policy a SET delegate = true,
	updated_by = (SELECT id FROM admin), updated_at = now() - interval
	'61 days' FROM old RETURNING jsonb_build_object('mode', a.mode,
	'domains', a.domains, 'kinds', a.kinds, 'match', a.match,
	'delegate_to_parent_owners', a.delegate) AS j)
INSERT INTO audit_log (at, actor_id, action, object_type, object_id, before,
    after)
    SELECT now() - interval '61 days', (SELECT id FROM admin),
	'policy.change', 'policy', 'approval', old.j, upd.j FROM old, upd;

INSERT INTO screening_questions (prompt, help, required)
    SELECT 'Who will write and review the posts?',
	'Names or roles, so the hub can offer the right training.', false
    WHERE NOT EXISTS (SELECT 1 FROM screening_questions
	WHERE prompt = 'Who will write and review the posts?');
INSERT INTO unit_answers (unit_id, question_id, answer)
    SELECT u.id, q.id, v.answer FROM (VALUES
	('harbor-chapter', 'Avery writes; the harbour master reviews.'),
	('east-dealership', 'Eden and the service team.')) AS v(slug, answer)
    JOIN units u ON u.slug = v.slug
    JOIN screening_questions q
	ON q.prompt = 'Who will write and review the posts?'
    ON CONFLICT DO NOTHING;

-- Posts of North Chapter, in every state, written by author@ and reviewed
-- by editor@ and comms@: revisions, suggestions accepted, declined and
-- still open, a comment thread, a publication made with one suggestion
-- open, and a review request waiting in comms@'s inbox.  Each step acts
-- as its person (chapterhouse.person), as the application would, so the
-- triggers fill the inboxes and credit the right people.
DO $$
DECLARE
	u	bigint := (SELECT id FROM units WHERE slug = 'north-chapter');
	au	bigint := (SELECT id FROM people WHERE email = 'author@demo.test');
	ed	bigint := (SELECT id FROM people WHERE email = 'editor@demo.test');
	cm	bigint := (SELECT id FROM people WHERE email = 'comms@demo.test');
	p	bigint;
	s	bigint;
	c	bigint;
	body	text;
	phrase	text;
	fix	text;
	at	integer;
BEGIN
	IF u IS NULL OR au IS NULL OR ed IS NULL OR cm IS NULL OR
	    EXISTS (SELECT 1 FROM posts WHERE unit_id = u) THEN
		RETURN;
	END IF;

	-- 1. Published, after review.
	PERFORM set_config('chapterhouse.person', au::text, true);
	INSERT INTO posts (unit_id, author_id) VALUES (u, au) RETURNING id INTO p;
	body := E'# Spring fair\n\nThe North Chapter holds its spring fair on ' ||
	    'the market square on Saturday 14 March, from ten in the morning ' ||
	    E'until four.\n\nWe need volunteers for the stalls, the raffle and ' ||
	    'the clean-up. Anyone who can help for two hours is welcome.' ||
	    E'\n\nWrite to the chapter''s office to sign up.';
	INSERT INTO post_revisions (unit_id, post_id, author_id, title, body,
	    tags, channels) VALUES (u, p, au, 'Spring fair: volunteers wanted',
	    body, '{fair,volunteers}', '{blog,linkedin}');
	-- editor@ suggests a shorter sentence; author@ accepts it.
	PERFORM set_config('chapterhouse.person', ed::text, true);
	phrase := 'Anyone who can help for two hours is welcome.';
	fix := 'Two hours of your time make the difference.';
	at := strpos(body, phrase) - 1;
	INSERT INTO post_suggestions (unit_id, post_id, revision, span_start,
	    span_end, replacement, comment, author_id) VALUES (u, p, 1, at,
	    at + char_length(phrase), fix, 'Shorter, and it speaks to the ' ||
	    'reader.', ed) RETURNING id INTO s;
	PERFORM set_config('chapterhouse.person', au::text, true);
	body := overlay(body PLACING fix FROM at + 1 FOR char_length(phrase));
	INSERT INTO post_revisions (unit_id, post_id, base, author_id, title,
	    body, tags, channels) VALUES (u, p, 1, au,
	    'Spring fair: volunteers wanted', body, '{fair,volunteers}',
	    '{blog,linkedin}');
	UPDATE post_suggestions SET state = 'accepted', decided_by = au,
	    accepted_revision = 2 WHERE unit_id = u AND id = s;
	-- editor@ suggests a capital; author@ declines with a reply.
	PERFORM set_config('chapterhouse.person', ed::text, true);
	at := strpos(body, 'the market square') - 1;
	INSERT INTO post_suggestions (unit_id, post_id, revision, span_start,
	    span_end, replacement, comment, author_id) VALUES (u, p, 2, at + 4,
	    at + 17, 'Market Square', 'Is it a proper name?', ed)
	    RETURNING id INTO s;
	PERFORM set_config('chapterhouse.person', au::text, true);
	UPDATE post_suggestions SET state = 'declined', decided_by = au,
	    reply = 'Locals call it the market square; we keep it in lower ' ||
	    'case.' WHERE unit_id = u AND id = s;
	-- author@ adds a line; comms@ suggests a second way to sign up,
	-- still open when the post is published.
	body := replace(body, E'until four.\n', E'until four. Children''s ' ||
	    E'games run all day.\n');
	INSERT INTO post_revisions (unit_id, post_id, base, author_id, title,
	    body, tags, channels) VALUES (u, p, 2, au,
	    'Spring fair: volunteers wanted', body, '{fair,volunteers}',
	    '{blog,linkedin}');
	PERFORM set_config('chapterhouse.person', cm::text, true);
	phrase := 'Write to the chapter''s office to sign up.';
	at := strpos(body, phrase) - 1;
	INSERT INTO post_suggestions (unit_id, post_id, revision, span_start,
	    span_end, replacement, comment, author_id) VALUES (u, p, 3, at,
	    at + char_length(phrase), 'Sign up at the chapter''s office or by ' ||
	    'e-mail to north@demo.test.', 'Give a second way to sign up.', cm);
	-- A thread: editor@ asks, author@ answers and resolves it.
	PERFORM set_config('chapterhouse.person', ed::text, true);
	INSERT INTO post_comments (unit_id, post_id, author_id, body)
	    VALUES (u, p, ed, 'Should we add a map of the stalls?')
	    RETURNING id INTO c;
	PERFORM set_config('chapterhouse.person', au::text, true);
	INSERT INTO post_comments (unit_id, post_id, author_id, reply_to, body)
	    VALUES (u, p, au, c, 'Good idea: the office is drawing one; it ' ||
	    'goes into the next post.');
	UPDATE post_comments SET resolved_at = now(), resolved_by = au
	    WHERE unit_id = u AND id = c;
	UPDATE posts SET state = 'published' WHERE unit_id = u AND id = p;
	INSERT INTO audit_log (actor_id, action, object_type, object_id,
	    unit_id, before, after) VALUES
	    (au, 'post.create', 'post', p::text, u, NULL, jsonb_build_object(
	    'title', 'Spring fair: volunteers wanted', 'revision', 1, 'state',
	    'draft')),
	    (au, 'post.publish', 'post', p::text, u, jsonb_build_object('state',
	    'draft'), jsonb_build_object('state', 'published', 'revision', 3,
	    'open_suggestions', 1));

	-- 2. A draft with a review request waiting in comms@'s inbox.
	INSERT INTO posts (unit_id, author_id) VALUES (u, au) RETURNING id INTO p;
	INSERT INTO post_revisions (unit_id, post_id, author_id, title, body,
	    tags, channels) VALUES (u, p, au, 'What the board decided in ' ||
	    'February', E'The board met on 20 February.\n\n- The spring fair ' ||
	    E'goes ahead.\n- Dues stay as they are.', '{board}', '{blog}');
	INSERT INTO post_revisions (unit_id, post_id, base, author_id, title,
	    body, tags, channels) VALUES (u, p, 1, au, 'What the board decided ' ||
	    'in February', E'The board met on 20 February and decided three ' ||
	    E'things.\n\n- The spring fair goes ahead.\n- Dues stay as they ' ||
	    E'are.\n- A new treasurer is elected in April.', '{board}',
	    '{blog,linkedin}');
	INSERT INTO post_review_requests (unit_id, post_id, reviewer_id,
	    requested_by) VALUES (u, p, cm, au);
	INSERT INTO audit_log (actor_id, action, object_type, object_id,
	    unit_id, before, after) VALUES (au, 'post.create', 'post',
	    p::text, u, NULL, jsonb_build_object('title', 'What the board ' ||
	    'decided in February', 'revision', 1, 'state', 'draft'));

	-- 3. Scheduled for next week.
	INSERT INTO posts (unit_id, author_id) VALUES (u, au) RETURNING id INTO p;
	INSERT INTO post_revisions (unit_id, post_id, author_id, title, body,
	    tags, channels) VALUES (u, p, au, 'Harbour clean-up day',
	    E'Bring gloves: we clean the harbour front together.\n\nWe meet ' ||
	    'at the harbour master''s office at nine.', '{volunteers}',
	    '{blog}');
	UPDATE posts SET state = 'scheduled', scheduled_at = date_trunc('hour',
	    now()) + interval '7 days' WHERE unit_id = u AND id = p;
	INSERT INTO audit_log (actor_id, action, object_type, object_id,
	    unit_id, before, after) VALUES (au, 'post.schedule', 'post',
	    p::text, u, jsonb_build_object('state', 'draft'),
	    jsonb_build_object('state', 'scheduled', 'revision', 1));

	-- 4. Published, then withdrawn: the publication is kept.
	INSERT INTO posts (unit_id, author_id) VALUES (u, au) RETURNING id INTO p;
	INSERT INTO post_revisions (unit_id, post_id, author_id, title, body,
	    tags, channels) VALUES (u, p, au, 'Opening hours in winter',
	    'The office opens on Tuesdays and Thursdays from two to six.',
	    '{office}', '{blog}');
	UPDATE posts SET state = 'published' WHERE unit_id = u AND id = p;
	UPDATE posts SET state = 'withdrawn' WHERE unit_id = u AND id = p;
	INSERT INTO audit_log (actor_id, action, object_type, object_id,
	    unit_id, before, after) VALUES (au, 'post.withdraw', 'post',
	    p::text, u, jsonb_build_object('state', 'published'),
	    jsonb_build_object('state', 'withdrawn'));
	PERFORM set_config('chapterhouse.person', '', true);
END
$$;

-- The hub's guidelines, kept by admin@ and comms@: a promise the
-- organization cannot keep, confidential code names, the tag taxonomy,
-- what X and LinkedIn take, sponsored posts, a quiet period on the merger
-- talks, and dead links.  North Chapter adds a rule of its own; South
-- Franchise mutes the promise rule, saying why.  Written once, audited
-- as the application audits them.
DO $$
DECLARE
	ad	bigint := (SELECT id FROM people WHERE email = 'admin@demo.test');
	cm	bigint := (SELECT id FROM people WHERE email = 'comms@demo.test');
	ow	bigint := (SELECT id FROM people WHERE email = 'owner@demo.test');
	nc	bigint := (SELECT id FROM units WHERE slug = 'north-chapter');
	sf	bigint := (SELECT id FROM units WHERE slug = 'south-franchise');
	promise	bigint;
	r	record;
BEGIN
	IF ad IS NULL OR cm IS NULL OR ow IS NULL OR nc IS NULL OR sf IS NULL
	    OR EXISTS (SELECT 1 FROM guide_hub_rules) THEN
		RETURN;
	END IF;

	INSERT INTO guide_hub_rules (kind, fields, message, link, created_by,
	    updated_by) VALUES ('term', jsonb_build_object('pattern',
	    'guaranteed', 'regex', false, 'case_sensitive', false,
	    'replacement', 'designed to'), 'We cannot promise outcomes. ' ||
	    'Say what the work is designed to do, not what it guarantees.',
	    NULL, ad, ad) RETURNING id INTO promise;

	FOR r IN SELECT * FROM (VALUES
	    ('term', jsonb_build_object('pattern',
		'\b(Project\s+)?(Lighthouse|Bluefin)\b', 'regex', true,
		'case_sensitive', false, 'replacement', NULL),
	     'Lighthouse and Bluefin are internal code names. They stay ' ||
	     'inside the organization until the hub announces them.', NULL, ad),
	    ('tags', jsonb_build_object('allowed', jsonb_build_array('board',
		'community', 'events', 'fair', 'jobs', 'news', 'office',
		'press', 'sponsored', 'volunteers'), 'required', true),
	     'Tag each post with at least one tag of the shared taxonomy, ' ||
	     'so the hub and the other units can find it.', NULL, cm),
	    ('length', jsonb_build_object('channel', 'x', 'limit', 280,
		'link_length', 23),
	     'X shows 280 characters; each link counts as 23.', NULL, cm),
	    ('length', jsonb_build_object('channel', 'linkedin', 'limit',
		3000, 'link_length', 0),
	     'LinkedIn cuts a post at 3,000 characters.', NULL, cm),
	    ('disclosure', jsonb_build_object('tags',
		jsonb_build_array('sponsored'), 'terms', jsonb_build_array(
		'sponsored by', 'paid partnership', 'in partnership with'),
		'sentence', 'This post is sponsored: a partner paid for it.'),
	     'Readers must see at once that a post was paid for.', NULL, cm),
	    ('quiet', jsonb_build_object('terms', jsonb_build_array('merger',
		'Harbor Street site'), 'starts', to_char(now() - interval
		'3 days', 'YYYY-MM-DD'), 'ends', to_char(now() + interval
		'30 days', 'YYYY-MM-DD'), 'units', '[]'::jsonb, 'regions',
		'[]'::jsonb),
	     'Legal asks every unit to hold comment on the merger talks ' ||
	     'and the Harbor Street site until the agreement is signed.',
	     NULL, ad),
	    ('links', '{}'::jsonb,
	     'A link in this post no longer answers. Check it or remove it.',
	     NULL, cm)) AS v(kind, fields, message, link, who) LOOP
		INSERT INTO guide_hub_rules (kind, fields, message, link,
		    created_by, updated_by) VALUES (r.kind, r.fields,
		    r.message, r.link, r.who, r.who);
	END LOOP;

	INSERT INTO guide_unit_rules (unit_id, kind, fields, message,
	    created_by, updated_by) VALUES (nc, 'term', jsonb_build_object(
	    'pattern', 'Northern Chapter', 'regex', false, 'case_sensitive',
	    false, 'replacement', 'North Chapter'), 'Our name is North ' ||
	    'Chapter; Northern Region is the region above us.', ow, ow);
	INSERT INTO guide_mutes (unit_id, rule_id, reason, muted_by) VALUES
	    (sf, promise, 'Our shops sell under a written satisfaction ' ||
	    'guarantee; "guaranteed" is the accurate word for it.', ow);

	INSERT INTO audit_log (at, actor_id, action, object_type, object_id,
	    unit_id, before, after)
	    SELECT created_at, created_by, 'guideline.create',
		'guideline_rule', id::text, NULL, NULL::jsonb,
		jsonb_build_object('kind', kind, 'fields', fields, 'message',
		message, 'link', link, 'enabled', enabled)
	    FROM guide_hub_rules
	    UNION ALL
	    SELECT created_at, created_by, 'guideline.create',
		'guideline_rule', id::text, unit_id, NULL,
		jsonb_build_object('kind', kind, 'fields', fields, 'message',
		message, 'link', link, 'enabled', enabled)
	    FROM guide_unit_rules
	    UNION ALL
	    SELECT muted_at, muted_by, 'guideline.mute', 'guideline_rule',
		rule_id::text, unit_id, NULL, jsonb_build_object('reason',
		reason)
	    FROM guide_mutes;
END
$$;
