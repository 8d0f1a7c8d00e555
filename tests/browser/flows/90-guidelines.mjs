// 90-guidelines.mjs: the hub's guidelines reach a draft as suggestions.
// A hub communicator adds a term rule through the JSON API; the author
// saves the draft in the editor, which lists the finding under
// "Guidelines" as advice, and the term in the title as a note under
// "Guidelines on the title and tags"; on the post's page the finding sits beside
// its paragraph, labelled "Guidelines" with the rule's link, and the
// author accepts it: the text takes the replacement.  On a phone the
// author dismisses the note (no JavaScript needed: a form).  Last, the
// hub's /hub/guidelines counts both under "What each rule achieves":
// fired twice, accepted once, declined once.  Every page is screenshotted and checked by
// axe-core, the editor and the hub's page also on a phone.  The hub
// then deletes its rule, which applies to every unit, so the flows
// after this one start from an empty rule set (its counts stay).
//
// test_browser.py creates the hub communicator gs-hub@example.org, the
// approved unit "dock" owned by gs-author@example.org and the draft
// $CH_GUIDE_POST by gs-author.

const LINK = 'https://hub.example.org/guidelines/promises';

async function submit(page, locator) {
	await locator.click();
	await page.waitForLoadState('load');
}

export default async function ({ browser, base, t, lib }) {
	const id = process.env.CH_GUIDE_POST;
	if (!process.env.CH_PERSON_PW || !id) {
		t.ok(false, 'guidelines: CH_PERSON_PW and CH_GUIDE_POST are set by test_browser.py');
		return;
	}

	// -- the hub adds a rule through the API ----------------------------------
	const hub = await lib.newContext(browser, base);
	let r = await hub.request.post('/api/v1/session', {
		data: { email: 'gs-hub@example.org', password: process.env.CH_PERSON_PW } });
	const token = (await r.json()).csrf_token;
	r = await hub.request.post('/api/v1/guidelines/rules', {
		headers: { 'X-CSRF-Token': token },
		data: { kind: 'term', pattern: 'guaranteed', replacement: 'designed to',
		    message: 'We cannot promise outcomes: say what it is designed to do.',
		    link: LINK } });
	t.eq(r.status(), 201, 'guidelines: the hub adds a term rule through the API');
	const rule = (await r.json()).id;
	await hub.close();

	// -- the author saves the draft ------------------------------------------
	const au = await lib.login(browser, base, 'gs-author@example.org');
	await lib.visit(t, au.page, `/posts/${id}/edit`, 'gs-editor');
	await au.page.getByLabel('Title').fill('Guaranteed fresh fish');
	await au.page.getByLabel('Body').fill('Fresh fish every morning, guaranteed.');
	await submit(au.page, au.page.getByRole('button', { name: 'Save' }));
	await lib.visit(t, au.page, null, 'gs-editor-saved');
	const g = au.page.locator('#guidelines');
	t.ok(await g.getByRole('heading', { name: 'Guidelines' }).isVisible(),
	    'guidelines: the editor lists the finding under Guidelines');
	t.ok(await g.getByText('We cannot promise outcomes').isVisible(),
	    'guidelines: with the rule\'s message');
	t.eq(await g.getByRole('link', { name: /Read the guideline/ }).getAttribute('href'), LINK,
	    'guidelines: and its link');
	t.ok(await au.page.locator('.alert').count() === 0,
	    'guidelines: as advice, never as an error');
	const gn = au.page.locator('#guideline-notes');
	t.ok(await gn.getByRole('heading', { name: 'Guidelines on the title and tags' }).isVisible()
	    && await gn.getByText('Guaranteed').first().isVisible(),
	    'guidelines: the term in the title is a note beside them');
	t.ok(await gn.getByRole('button', { name: /^Dismiss/ }).isVisible(),
	    'guidelines: which the author may dismiss');

	// -- the post's page: accept it -------------------------------------------
	await lib.visit(t, au.page, `/posts/${id}`, 'gs-post');
	const note = au.page.locator('li.note').filter({ hasText: 'designed to' });
	t.ok(await note.locator('p.muted', { hasText: /^Guidelines/ }).isVisible(),
	    'guidelines: the post page labels the suggestion Guidelines');
	t.eq(await note.getByRole('link', { name: /the guideline/ }).getAttribute('href'), LINK,
	    'guidelines: with the rule\'s link');
	await submit(au.page, note.getByRole('button', { name: /^Accept/ }));
	await lib.visit(t, au.page, null, 'gs-accepted');
	t.ok(await au.page.getByRole('status').getByText('accepted').isVisible(),
	    'guidelines: the author accepts it');
	t.ok(await au.page.locator('.para-text').getByText('every morning, designed to.').isVisible(),
	    'guidelines: the text takes the replacement');
	await au.ctx.close();

	// -- on a phone -------------------------------------------------------------
	const phone = await lib.login(browser, base, 'gs-author@example.org', { phone: true });
	await lib.visit(t, phone.page, `/posts/${id}/edit`, 'gs-editor-phone');
	await lib.checkNoSideScroll(t, phone.page, 'gs-editor-phone');
	await submit(phone.page, phone.page.locator('#guideline-notes')
	    .getByRole('button', { name: /^Dismiss/ }));
	await lib.visit(t, phone.page, null, 'gs-note-dismissed-phone');
	t.ok(await phone.page.getByText('Note dismissed').isVisible()
	    && await phone.page.locator('#guideline-notes').count() === 0,
	    'guidelines: the author dismisses the note on a phone; it is gone');
	await phone.ctx.close();

	// -- the hub's statistics count it ----------------------------------------
	const stats = await lib.login(browser, base, 'gs-hub@example.org');
	await lib.visit(t, stats.page, '/hub/guidelines', 'gs-hub-stats');
	const table = stats.page.getByRole('table', { name: 'What each rule achieves', exact: true });
	const row = table.getByRole('row', { name: new RegExp(`^Rule ${rule}: Term`) });
	const cells = await row.getByRole('cell').allTextContents();
	t.eq(cells.slice(0, 7).join(' | '), '2 | 0 | 2 | 1 | 1 | 0 | 50%',
	    'guidelines: the hub\'s statistics count both: fired twice, accepted once, '
	    + 'the dismissed note declined');
	t.ok(await stats.page.getByRole('link', { name: /Download as CSV/ }).isVisible(),
	    'guidelines: with a link to the CSV');
	await stats.ctx.close();
	const hubPhone = await lib.login(browser, base, 'gs-hub@example.org', { phone: true });
	await lib.visit(t, hubPhone.page, '/hub/guidelines', 'gs-hub-stats-phone');
	await lib.checkNoSideScroll(t, hubPhone.page, 'gs-hub-stats-phone');
	await hubPhone.ctx.close();

	const bye = await lib.newContext(browser, base);
	r = await bye.request.post('/api/v1/session', {
		data: { email: 'gs-hub@example.org', password: process.env.CH_PERSON_PW } });
	r = await bye.request.delete(`/api/v1/guidelines/rules/${rule}`, {
		headers: { 'X-CSRF-Token': (await r.json()).csrf_token } });
	t.eq(r.status(), 204, 'guidelines: the hub deletes its rule, which applied to every unit');
	await bye.close();
}
