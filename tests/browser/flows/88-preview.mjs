// 88-preview.mjs: a preview link, in the browser.  The author makes one
// on the post's page of links and copies its address once; an outside
// reviewer without an account opens it on a phone, reads the draft and
// leaves a comment under a typed name (first forgetting the name: the
// comment stays typed); the author revokes the link, and the reviewer's
// next visit says so.  Every page passes axe-core.
//
// test_browser.py creates pv-author (CH_PERSON_PW), a member of
// "harbour" with the draft "Regatta on Sunday".

export default async function ({ browser, base, t, lib }) {
	const author = await lib.login(browser, base, 'pv-author@example.org');
	const ap = author.page;
	const list = await (await ap.request.get('/api/v1/units/harbour/posts')).json();
	const post = (list.posts || []).find((p) => p.title === 'Regatta on Sunday');
	t.ok(post !== undefined, 'preview: the author\'s draft is there');
	if (post === undefined) {
		await author.ctx.close();
		return;
	}
	await lib.visit(t, ap, `/posts/${post.id}/preview-links`, 'preview-links-empty');
	await lib.checkLandmarks(t, ap, 'preview-links-empty');
	t.ok(await ap.getByText('No link yet.').isVisible(), 'preview: no link yet');
	await ap.getByRole('button', { name: 'Make a preview link' }).click();
	await ap.waitForLoadState('load');
	await lib.visit(t, ap, null, 'preview-links-made');
	const field = ap.getByLabel('Preview link');
	const url = await field.inputValue();
	t.ok(/\/preview\/[A-Za-z0-9_-]{43}$/.test(url), 'preview: the new address is shown to copy', url);
	t.ok(await ap.getByRole('status').getByText('shown only this once').isVisible(),
	    'preview: and the author is told it is shown once');
	t.eq(await ap.getByRole('row').count(), 2, 'preview: the list has the link');

	// The outside reviewer, on a phone, without an account.
	const ctx = await lib.newContext(browser, base, { phone: true });
	const vp = await ctx.newPage();
	const path = new URL(url).pathname;
	await lib.visit(t, vp, path, 'preview-visitor-phone');
	await lib.checkNoSideScroll(t, vp, 'preview-visitor-phone');
	await lib.checkTouchTargets(t, vp, 'preview-visitor-phone');
	t.eq(await vp.getByRole('heading', { level: 1 }).innerText(), 'Regatta on Sunday',
	    'preview: the visitor reads the draft\'s title');
	t.ok(await vp.locator('.prose strong').innerText() === 'harbour',
	    'preview: and its text, rendered');
	t.eq(await vp.locator('meta[name="robots"]').getAttribute('content'),
	    'noindex, nofollow, noarchive', 'preview: the page asks not to be indexed');
	await vp.getByRole('textbox', { name: 'Comment' }).fill('Say which pier the boats leave from.');
	await vp.getByRole('button', { name: 'Send the comment' }).click();
	await vp.waitForLoadState('load');
	await lib.visit(t, vp, null, 'preview-visitor-no-name');
	t.ok(await vp.getByText('write your name').first().isVisible(),
	    'preview: without a name the form asks for it');
	t.eq(await vp.getByRole('textbox', { name: 'Comment' }).inputValue(), 'Say which pier the boats leave from.',
	    'preview: and keeps the comment typed');
	await vp.getByLabel('Your name').fill('Sam Rivers, Harbour Press');
	await vp.getByRole('button', { name: 'Send the comment' }).click();
	await vp.waitForLoadState('load');
	await lib.visit(t, vp, null, 'preview-visitor-sent');
	t.ok(await vp.getByRole('status').getByText('your comment was sent').isVisible(),
	    'preview: the visitor is thanked');
	t.ok(await vp.getByText('Say which pier the boats leave from.').isVisible() &&
	    await vp.getByText('Sam Rivers, Harbour Press').isVisible(),
	    'preview: and sees the comment under their name');

	// The author revokes it; the visitor's next visit is refused.
	await ap.goto(`/posts/${post.id}/preview-links`, { waitUntil: 'load' });
	t.eq((await ap.getByRole('row').nth(1).getByRole('cell').nth(4).innerText()).trim(), '1',
	    'preview: the author sees one comment came through the link');
	await ap.getByRole('row').nth(1).getByRole('button', { name: 'Revoke' }).click();
	await ap.waitForLoadState('load');
	await lib.visit(t, ap, null, 'preview-links-revoked');
	t.ok(await ap.getByRole('status').getByText('was revoked').isVisible(),
	    'preview: the author is told the link was revoked');
	await lib.visit(t, vp, path, 'preview-visitor-revoked', { status: 410 });
	t.ok(await vp.getByText('revoked').first().isVisible() &&
	    await vp.getByText('Regatta on Sunday').count() === 0,
	    'preview: the visitor is told, without the draft');
	await ctx.close();
	await author.ctx.close();
}
