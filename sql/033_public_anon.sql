-- 033_public_anon.sql: the public pages read as chapterhouse_anon.
--
-- 025_rls_roles.sql gave anonymous reads a role of their own whose only
-- policies are the public ones; 027_public.sql made the public copy of
-- published posts, readable by the web role.  A public page (no session
-- looked up) now runs as that anonymous role too: it reads the public
-- copies of listed units and the public columns of approved units, and
-- nothing else, so a mistake in a public statement cannot reach a
-- draft, a member or a session whatever it asks; and it sends no
-- prologue to leave the role.

CREATE POLICY public_posts_anon ON public_posts FOR SELECT
    TO chapterhouse_anon USING (listed);
CREATE POLICY public_post_tags_anon ON public_post_tags FOR SELECT
    TO chapterhouse_anon USING (listed);

GRANT SELECT ON public_posts, public_post_tags TO chapterhouse_anon;
