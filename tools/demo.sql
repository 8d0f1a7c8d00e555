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
