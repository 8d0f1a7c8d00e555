// 80-posts.mjs: an author drafts a post in the editor with JavaScript
// (the live preview follows the typing, autosave creates the post and
// saves it); a second tab saves first, so the first tab's autosave stops
// and its Save shows the conflict page, where the author merges; the
// history compares two revisions and restores one; the author publishes.
// The same editor without JavaScript: Preview and Save by round trips.
// Every page is checked by axe-core, on a desktop and on a phone.
//
// test_browser.py creates the approved unit "pier" owned by
// po-owner@example.org and po-phone@example.org.

async function submit(page, locator) {
	await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), locator.click()]);
}

// Wait until the editor's status line says what re matches.
async function statusSays(page, re, ms = 20000) {
	const s = page.locator('#save-status');
	const end = Date.now() + ms;
	while (Date.now() < end) {
		if (re.test(await s.innerText()))
			return true;
		await page.waitForTimeout(200);
	}
	return false;
}

export default async function ({ browser, base, t, lib }) {
	if (!process.env.CH_PERSON_PW) {
		t.ok(false, 'posts: CH_PERSON_PW is set by test_browser.py');
		return;
	}
	const a = await lib.login(browser, base, 'po-owner@example.org');
	const page = a.page;
	await lib.visit(t, page, '/units/pier/posts', 'po-list-empty');
	await lib.checkLandmarks(t, page, 'po-list-empty');
	await submit(page, page.getByRole('link', { name: 'New post' }));
	await lib.visit(t, page, null, 'po-new');
	await lib.checkLandmarks(t, page, 'po-new');

	// -- live preview and autosave ------------------------------------------
	await page.getByLabel('Title').fill('Pier reopens');
	await page.getByLabel('Body').fill('The pier reopens on **Monday**.');
	await page.locator('#preview-body strong').filter({ hasText: 'Monday' })
	    .waitFor({ timeout: 10000 });
	t.ok(await page.getByRole('heading', { name: 'Preview' }).isVisible(),
	    'posts: the live preview renders the body as it is typed');
	t.ok(await statusSays(page, /^Saved \d\d:\d\d \(revision 1\)$/),
	    'posts: autosave creates the post, and the status line says so',
	    await page.locator('#save-status').innerText());
	const m = /^\/posts\/(\d+)\/edit$/.exec(new URL(page.url()).pathname);
	t.ok(m, 'posts: the address becomes the post\'s editor', page.url());
	const id = m ? m[1] : '0';
	await page.getByLabel('Body').fill('The pier reopens on **Monday** at nine.');
	t.ok(await statusSays(page, /\(revision 2\)$/), 'posts: a later change is autosaved as revision 2');
	await lib.visit(t, page, null, 'po-autosaved');

	// -- two tabs: the conflict page -----------------------------------------
	const other = await a.ctx.newPage();
	await other.goto(`/posts/${id}/edit`);
	await other.getByLabel('Body').fill('The pier reopens on Tuesday.');
	await submit(other, other.getByRole('button', { name: 'Save' }));
	t.ok(await other.getByRole('status').getByText('Saved as revision 3.').isVisible(),
	    'posts: the second tab saves revision 3');
	await other.close();
	await page.getByLabel('Body').fill('The pier reopens on Monday at nine, with music.');
	t.ok(await statusSays(page, /Someone else saved: press Save/),
	    'posts: the first tab\'s autosave meets the newer revision and stops');
	// The 412 autosave met is the expected answer, not a fault of the page.
	lib.watch(page)();
	await submit(page, page.getByRole('button', { name: 'Save' }));
	await lib.visit(t, page, null, 'po-conflict', { status: 409 });
	t.ok(await page.getByRole('heading', { name: 'Someone else saved this post' }).isVisible() &&
	    await page.getByText('The pier reopens on Tuesday.').first().isVisible(),
	    'posts: Save shows the conflict page with the current text');
	t.ok(await page.locator('.diff ins').first().isVisible() &&
	    await page.locator('.diff del').first().isVisible(), 'posts: and the word diff, marked');
	t.eq(await page.getByLabel('Body').inputValue(), 'The pier reopens on Monday at nine, with music.',
	    'posts: the merge form keeps what was typed');
	await page.getByLabel('Body').fill('The pier reopens on Tuesday at nine, with music.');
	await submit(page, page.getByRole('button', { name: 'Save' }));
	t.ok(await page.getByRole('status').getByText('Saved as revision 4.').isVisible(),
	    'posts: the merge is saved as revision 4');

	// -- history, compare, restore ---------------------------------------------
	await page.goto(`/posts/${id}/history`);
	await lib.visit(t, page, null, 'po-history');
	await page.getByLabel('From revision').selectOption('1');
	await page.getByLabel('To revision').selectOption('4');
	await submit(page, page.getByRole('button', { name: 'Compare' }));
	t.ok(await page.getByRole('heading', { name: 'From revision 1 to revision 4' }).isVisible() &&
	    await page.locator('.diff ins').first().isVisible(), 'posts: the history compares 1 with 4');
	await submit(page, page.getByRole('button', { name: 'Restore this revision (2)' }));
	t.ok(await page.getByRole('status').getByText('Restored as revision 5.').isVisible(),
	    'posts: restoring revision 2 makes revision 5');
	t.eq(await page.getByLabel('Body').inputValue(), 'The pier reopens on **Monday** at nine.',
	    'posts: with revision 2\'s text');

	// -- publishing ---------------------------------------------------------------
	await submit(page, page.getByRole('button', { name: 'Publish the latest revision' }));
	await lib.visit(t, page, null, 'po-published');
	t.ok(await page.getByRole('status').getByText('Published.').isVisible(),
	    'posts: published, and told so');
	await page.goto('/units/pier/posts');
	await lib.visit(t, page, null, 'po-list');
	t.ok(await page.getByRole('link', { name: 'Pier reopens', exact: true }).isVisible(),
	    'posts: the list shows the post');
	await a.ctx.close();

	// -- a phone ----------------------------------------------------------------------
	const ph = await lib.login(browser, base, 'po-phone@example.org', { phone: true });
	for (const [p, name] of [['/units/pier/posts/new', 'po-new-phone'],
	    [`/posts/${id}/history?from=1&to=4`, 'po-history-phone']]) {
		await lib.visit(t, ph.page, p, name);
		await lib.checkNoSideScroll(t, ph.page, name);
	}
	await ph.ctx.close();

	// -- without JavaScript ---------------------------------------------------------------
	const n = await lib.login(browser, base, 'po-phone@example.org', { javaScriptEnabled: false });
	await n.page.goto('/units/pier/posts/new');
	t.ok(await n.page.locator('#preview').isHidden(), 'posts without JS: no preview until asked');
	await n.page.getByLabel('Title').fill('No script');
	await n.page.getByLabel('Body').fill('Plain *round trips*.');
	await n.page.getByLabel('Blog').check();
	await submit(n.page, n.page.getByRole('button', { name: 'Preview' }));
	// axe-core runs as a script, which this context does not run: the
	// same pages were checked with JavaScript above.
	await lib.visit(t, n.page, null, 'po-nojs-preview', { axe: false });
	t.ok(await n.page.locator('#preview-body em').filter({ hasText: 'round trips' }).isVisible() &&
	    await n.page.getByLabel('Title').inputValue() === 'No script' &&
	    await n.page.getByLabel('Blog').isChecked(),
	    'posts without JS: Preview renders the body and keeps what was typed');
	await submit(n.page, n.page.getByRole('button', { name: 'Save' }));
	t.ok(/^\/posts\/\d+\/edit$/.test(new URL(n.page.url()).pathname) &&
	    await n.page.getByRole('status').getByText('Saved as revision 1.').isVisible(),
	    'posts without JS: Save creates the post and opens its editor');
	await lib.visit(t, n.page, null, 'po-nojs-saved', { axe: false });
	await n.ctx.close();
}
