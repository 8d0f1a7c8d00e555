-- account_guards.sql: pgTAP proof of sql/009_account_guards.sql: a mail
-- cooldown is one row per recipient (whatever its case) and kind, the
-- claim used by the handlers (app/accounts/auth_db.c, MAIL_COOLDOWN) succeeds
-- once per period, only known kinds exist, and the web role may use the
-- table.  Run like rls_units.sql (as the superuser, rolled back).
\set ON_ERROR_STOP 1
\set QUIET 1
\pset format unaligned
\pset tuples_only true
\pset pager off

BEGIN;
CREATE EXTENSION IF NOT EXISTS pgtap;
SELECT plan(8);

PREPARE claim(text, text, int) AS
    INSERT INTO mail_cooldowns (recipient, kind) VALUES ($1, $2)
    ON CONFLICT ((lower(recipient)), kind) DO UPDATE
    SET recipient = EXCLUDED.recipient, sent_at = now()
    WHERE mail_cooldowns.sent_at <= now() - make_interval(secs => $3)
    RETURNING 1;

SELECT results_eq('EXECUTE claim(''ann@example.org'', ''account_exists'', 3600)',
    ARRAY[1], 'the first mail to an address may go out');
SELECT is_empty('EXECUTE claim(''ANN@Example.org'', ''account_exists'', 3600)',
    'a second one within the hour may not, whatever the case of the address');
SELECT results_eq('EXECUTE claim(''ann@example.org'', ''login_failures'', 900)',
    ARRAY[1], 'another kind of mail has its own cooldown');
SELECT is((SELECT count(*) FROM mail_cooldowns WHERE lower(recipient) = 'ann@example.org'),
    2::bigint, 'one row per recipient and kind');
UPDATE mail_cooldowns SET sent_at = now() - interval '61 minutes';
SELECT results_eq('EXECUTE claim(''ann@example.org'', ''account_exists'', 3600)',
    ARRAY[1], 'once the period is over, the next may go out');
SELECT throws_ok($$INSERT INTO mail_cooldowns (recipient, kind)
    VALUES ('b@example.org', 'newsletter')$$, '23514', NULL,
    'only the known kinds of mail have cooldowns');
SELECT ok(has_table_privilege('chapterhouse_web', 'mail_cooldowns',
    'SELECT, INSERT, UPDATE, DELETE'), 'the web role claims and forgets cooldowns');
SELECT has_index('login_failures', 'login_failures_pair',
    'failed logins are indexed per account and address');

SELECT * FROM finish();
ROLLBACK;
