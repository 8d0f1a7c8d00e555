// 93-advisories.mjs: the hub's advisories, in the browser.  A hub admin
// follows the header's "Advisories" link to /hub/advisories and sends
// the new advisory's form empty: the page comes back (422) with the
// message beside the title, the field marked invalid and described by
// its message, and what was typed kept; then the text, the first day and
// the last day, each in turn.  The admin writes a public advisory (its
// text in CommonMark, with a link; today as its first day) and a
// members-only one, and changes the public one.  A visitor without a
// session reads the public one on the front page (nginx keeps a public
// page up to a second: the visitor asks again until it is there), never
// the members-only one; a member of an approved unit finds both on their
// home page and is refused /hub/advisories.  The admin deletes the public
// one after its confirmation page, and it leaves the front page; on a
// phone the admin deletes the other one, so the flows after this one
// start without advisories.  Every page is screenshotted and checked by
// axe-core, with no console error or CSP violation, the hub's pages and
// the front and home pages also on a phone.
//
// test_browser.py creates the hub admin ws-admin@example.org and
// gs-author@example.org, who owns the approved unit "dock", both having
// accepted the rules (CH_PERSON_PW).

const ADMIN = 'ws-admin@example.org';
const MEMBER = 'gs-author@example.org';
const PUBLIC = 'Harbour closed for dredging';
const PRIVATE = 'New radio channel for members';
const LINK = 'https://hub.example.org/notices/dredging';

// Click locator and wait for the page it leads to; returns the answer
// to the form or link (the last document loaded, after any redirect).
async function submit(page, locator) {
	const [resp] = await Promise.all([
		page.waitForResponse((r) => r.request().isNavigationRequest() &&
		    r.frame() === page.mainFrame() && (r.status() < 300 || r.status() >= 400)),
		locator.click(),
	]);
	await page.waitForLoadState('load');
	return resp;
}

// The day in UTC, YYYY-MM-DD, `days` after today.
function day(days = 0) {
	return new Date(Date.now() + days * 86400000).toISOString().slice(0, 10);
}

// Ask for path as ctx (no cookie: the public's view) until its text
// satisfies ok, at most 1.5 s after since: nginx keeps a public page up
// to a second.  Returns whether it did and how long it took.
async function publicUntil(ctx, path, ok, since) {
	for (;;) {
		const r = await ctx.request.get(path);
		if (r.status() === 200 && ok(await r.text()))
			return { ok: true, ms: Date.now() - since };
		if (Date.now() - since > 1500)
			return { ok: false, ms: Date.now() - since };
		await new Promise((res) => setTimeout(res, 50));
	}
}

// No id is used twice on the page: a label's `for` names the first
// element with its id, so a second one would leave a control unnamed
// (axe-core does not see it: it finds the label by its `for`).
async function uniqueIds(t, page, name) {
	const twice = await page.evaluate(() => {
		const n = {};
		for (const e of document.querySelectorAll('[id]'))
			n[e.id] = (n[e.id] || 0) + 1;
		return Object.keys(n).filter((id) => n[id] > 1);
	});
	t.ok(twice.length === 0, `${name}: no id is used twice`, twice.join(', '));
}

// The form of a new advisory sent as it is: 422 naming `field`, whose
// control is marked invalid and described by `message`, the one field
// so marked; returns whether all held.
async function refused(t, lib, page, field, label, message, name) {
	const resp = await submit(page, page.getByRole('button', { name: 'Add the advisory' }));
	t.eq(resp.status(), 422, `${name}: the form comes back 422`);
	await lib.visit(t, page, null, name);
	await uniqueIds(t, page, name);
	const form = page.getByRole('form', { name: 'A new advisory' });
	const control = form.getByLabel(label, { exact: true });
	t.ok(await page.getByRole('alert').filter({ hasText: message }).isVisible(),
	    `${name}: the alert says "${message}"`);
	t.eq(await control.getAttribute('aria-invalid'), 'true',
	    `${name}: ${field} is marked invalid`);
	const desc = await control.evaluate((e) => (e.getAttribute('aria-describedby') || '')
	    .split(' ').map((id) => document.getElementById(id)?.textContent || '').join(' | '));
	t.ok(desc.includes(message), `${name}: its message, beside it, describes ${field}`, desc);
	t.eq(await form.locator('[aria-invalid="true"]').count(), 1,
	    `${name}: no other field is marked`);
	await control.focus();
	const ring = await control.evaluate((e) => getComputedStyle(e).outlineStyle);
	t.ok(ring !== 'none', `${name}: the invalid ${field} shows a focus ring when focused`, ring);
}

export default async function ({ browser, base, t, lib }) {
	if (!process.env.CH_PERSON_PW) {
		t.ok(false, 'advisories: CH_PERSON_PW is set by test_browser.py');
		return;
	}

	// -- the admin finds the page ----------------------------------------------
	const admin = await lib.login(browser, base, ADMIN);
	const ap = admin.page;
	await submit(ap, ap.getByRole('navigation', { name: 'Main' })
	    .getByRole('link', { name: 'Advisories' }));
	t.eq(new URL(ap.url()).pathname, '/hub/advisories',
	    'advisories: the header links the hub admin to the advisories');
	await lib.visit(t, ap, null, 'adv-list-empty');
	await lib.checkLandmarks(t, ap, 'adv-list-empty');
	await uniqueIds(t, ap, 'adv-list-empty');
	await lib.checkKeyboardFocus(t, ap, 'adv-list-empty');
	t.ok(await ap.getByText('The hub has no advisory.').isVisible(),
	    'advisories: none yet');
	const form = ap.getByRole('form', { name: 'A new advisory' });
	t.eq(await form.getByLabel('First day').inputValue(), day(),
	    'advisories: the new one\'s first day is today');

	// -- the form sent empty, then each field in turn -----------------------------
	await form.getByLabel('Title').fill('');
	await form.getByLabel('Text').fill('');
	await refused(t, lib, ap, 'the title', 'Title', 'the title is required', 'adv-new-no-title');
	t.eq(await form.getByLabel('First day').inputValue(), day(),
	    'advisories: the first day sent is kept');
	await form.getByLabel('Title').fill(PUBLIC);
	await refused(t, lib, ap, 'the text', 'Text', 'the text is required', 'adv-new-no-text');
	t.eq(await form.getByLabel('Title').inputValue(), PUBLIC,
	    'advisories: the title typed is kept');
	await form.getByLabel('Text').fill('The harbour closes on **Monday**.');
	await form.getByLabel('First day').fill('');
	await refused(t, lib, ap, 'the first day', 'First day', 'the first day is required',
	    'adv-new-no-from');
	await form.getByLabel('First day').fill(day());
	await form.getByLabel('Last day (optional)').fill(day(-1));
	await refused(t, lib, ap, 'the last day', 'Last day (optional)',
	    'an advisory ends on or after the day it starts', 'adv-new-until-before');
	t.ok(await form.getByLabel('Text').inputValue() === 'The harbour closes on **Monday**.' &&
	    await form.getByLabel('Last day (optional)').inputValue() === day(-1),
	    'advisories: the text and the last day typed are kept');

	// -- a public advisory, and a members-only one ----------------------------------
	await form.getByLabel('Text').fill('The harbour closes on **Monday**.\n\n'
	    + `Read [the notice](${LINK}).`);
	await form.getByLabel('Last day (optional)').fill('');
	await form.getByRole('checkbox', { name: /Public/ }).check();
	let resp = await submit(ap, form.getByRole('button', { name: 'Add the advisory' }));
	t.ok(resp.status() === 200 && new URL(ap.url()).pathname === '/hub/advisories',
	    'advisories: adding one leads back to the page', ap.url());
	await lib.visit(t, ap, null, 'adv-list-added');
	t.ok(await ap.getByRole('status').getByText('The advisory is added.').isVisible(),
	    'advisories: the admin adds a public advisory');
	const item = (title) => ap.getByRole('listitem').filter({
		has: ap.getByRole('heading', { name: title }) });
	t.ok(await item(PUBLIC).getByText(/^Public, from/).isVisible() &&
	    await item(PUBLIC).locator('.prose strong', { hasText: 'Monday' }).isVisible(),
	    'advisories: listed as public, its text rendered');
	t.eq(await item(PUBLIC).locator('.prose').getByRole('link', { name: 'the notice' })
	    .getAttribute('href'), LINK, 'advisories: with its link');

	await form.getByLabel('Title').fill(PRIVATE);
	await form.getByLabel('Text').fill('Use *channel 72* from now on.');
	t.ok(!(await form.getByRole('checkbox', { name: /Public/ }).isChecked()),
	    'advisories: a new advisory is not public unless asked');
	await submit(ap, form.getByRole('button', { name: 'Add the advisory' }));
	t.ok(await ap.getByRole('status').getByText('The advisory is added.').isVisible() &&
	    await item(PRIVATE).getByText(/^Members only, from/).isVisible(),
	    'advisories: the admin adds a members-only advisory');
	await lib.visit(t, ap, null, 'adv-list-two');
	await uniqueIds(t, ap, 'adv-list-two');

	// -- the public one changed ---------------------------------------------------
	await submit(ap, item(PUBLIC).getByRole('link', { name: PUBLIC, exact: true }));
	t.ok(/^\/hub\/advisories\/\d+$/.test(new URL(ap.url()).pathname),
	    'advisories: its title leads to its form', ap.url());
	await lib.visit(t, ap, null, 'adv-edit');
	await lib.checkLandmarks(t, ap, 'adv-edit');
	await uniqueIds(t, ap, 'adv-edit');
	const edit = ap.getByRole('form', { name: 'The advisory' });
	t.ok(await edit.getByLabel('Title').inputValue() === PUBLIC &&
	    await edit.getByRole('checkbox', { name: /Public/ }).isChecked() &&
	    await edit.getByLabel('First day').inputValue() === day(),
	    'advisories: the form holds the advisory');
	await edit.getByLabel('Title').fill('');
	resp = await submit(ap, edit.getByRole('button', { name: 'Save' }));
	t.eq(resp.status(), 422, 'advisories: saving without a title comes back 422');
	await lib.visit(t, ap, null, 'adv-edit-no-title');
	t.eq(await edit.getByLabel('Title').getAttribute('aria-invalid'), 'true',
	    'advisories: the title is marked invalid on the advisory\'s form');
	await edit.getByLabel('Title').fill(PUBLIC);
	await edit.getByLabel('Text').fill('The harbour closes on **Tuesday**.\n\n'
	    + `Read [the notice](${LINK}).`);
	await submit(ap, edit.getByRole('button', { name: 'Save' }));
	const saved = Date.now();
	t.ok(new URL(ap.url()).pathname === '/hub/advisories' &&
	    await ap.getByRole('status').getByText('The advisory is saved.').isVisible() &&
	    await item(PUBLIC).locator('.prose strong', { hasText: 'Tuesday' }).isVisible(),
	    'advisories: the admin changes it; the page shows the new text');

	// -- the public's front page ------------------------------------------------------
	const vctx = await lib.newContext(browser, base);
	const seen = await publicUntil(vctx, '/', (h) => h.includes('Tuesday'), saved);
	t.ok(seen.ok, `advisories: the front page shows the change within a second and a half (${seen.ms} ms)`);
	const vp = await vctx.newPage();
	await lib.visit(t, vp, '/', 'adv-front');
	await lib.checkLandmarks(t, vp, 'adv-front');
	await uniqueIds(t, vp, 'adv-front');
	const hub = vp.getByRole('region', { name: 'From the hub' });
	t.ok(await hub.getByRole('heading', { name: PUBLIC }).isVisible() &&
	    await hub.locator('.prose strong', { hasText: 'Tuesday' }).isVisible(),
	    'advisories: a visitor reads the public advisory on the front page');
	t.eq(await hub.getByRole('link', { name: 'the notice' }).getAttribute('href'), LINK,
	    'advisories: with its link');
	t.eq(await vp.getByText(PRIVATE).count(), 0,
	    'advisories: never the members-only one');
	const vphone = await lib.newContext(browser, base, { phone: true });
	const vpp = await vphone.newPage();
	await lib.visit(t, vpp, '/', 'adv-front-phone');
	await lib.checkNoSideScroll(t, vpp, 'adv-front-phone');
	await lib.checkTouchTargets(t, vpp, 'adv-front-phone');
	await vphone.close();

	// -- a member's home ------------------------------------------------------------
	const mem = await lib.login(browser, base, MEMBER);
	const mp = mem.page;
	await lib.visit(t, mp, '/', 'adv-home-member');
	await uniqueIds(t, mp, 'adv-home-member');
	const mine = mp.getByRole('region', { name: 'From the hub' });
	const entry = (title) => mine.getByRole('listitem').filter({
		has: mp.getByRole('heading', { name: title }) });
	t.ok(await entry(PUBLIC).isVisible() && await entry(PRIVATE).isVisible(),
	    'advisories: a member\'s home page shows both');
	t.ok(await entry(PRIVATE).getByText('members only').isVisible() &&
	    await entry(PUBLIC).getByText('members only').count() === 0,
	    'advisories: the members-only one says so');
	t.ok(await mp.getByRole('navigation', { name: 'Main' })
	    .getByRole('link', { name: 'Advisories' }).count() === 0,
	    'advisories: a member\'s header has no link to the hub\'s advisories');
	await lib.visit(t, mp, '/hub/advisories', 'adv-member-refused', { status: 403 });
	t.eq(await mp.getByText(PRIVATE).count(), 0,
	    'advisories: a member is refused the hub\'s page, which shows them nothing');
	await mem.ctx.close();
	const mph = await lib.login(browser, base, MEMBER, { phone: true });
	await lib.visit(t, mph.page, '/', 'adv-home-member-phone');
	await lib.checkNoSideScroll(t, mph.page, 'adv-home-member-phone');
	await lib.checkTouchTargets(t, mph.page, 'adv-home-member-phone');
	await mph.ctx.close();

	// -- the admin deletes the public one -----------------------------------------
	await submit(ap, item(PUBLIC).getByRole('link', { name: /^Delete/ }));
	t.ok(/^\/hub\/advisories\/\d+\/delete$/.test(new URL(ap.url()).pathname),
	    'advisories: its Delete link leads to a confirmation', ap.url());
	await lib.visit(t, ap, null, 'adv-delete');
	await lib.checkLandmarks(t, ap, 'adv-delete');
	await uniqueIds(t, ap, 'adv-delete');
	t.ok(await ap.getByText(/leaves the front page and the members' home pages/).isVisible(),
	    'advisories: the confirmation says where it leaves');
	await submit(ap, ap.getByRole('button', { name: 'Delete the advisory' }));
	const gone = Date.now();
	await lib.visit(t, ap, null, 'adv-list-deleted');
	t.ok(await ap.getByRole('status').getByText('The advisory is deleted.').isVisible() &&
	    await item(PUBLIC).count() === 0 && await item(PRIVATE).isVisible(),
	    'advisories: the admin deletes it; the other stays');
	const left = await publicUntil(vctx, '/', (h) => !h.includes(PUBLIC), gone);
	t.ok(left.ok, `advisories: it leaves the front page within a second and a half (${left.ms} ms)`);
	await lib.visit(t, vp, '/', 'adv-front-after');
	t.eq(await vp.getByRole('region', { name: 'From the hub' }).count(), 0,
	    'advisories: the front page has no advisory left to show');
	await vctx.close();
	await admin.ctx.close();

	// -- on a phone: the page, the form sent empty, the other one deleted -----------
	const ph = await lib.login(browser, base, ADMIN, { phone: true });
	const pp = ph.page;
	await lib.visit(t, pp, '/hub/advisories', 'adv-list-phone');
	await lib.checkNoSideScroll(t, pp, 'adv-list-phone');
	await lib.checkTouchTargets(t, pp, 'adv-list-phone');
	await pp.getByRole('form', { name: 'A new advisory' }).getByLabel('Text').fill('');
	resp = await submit(pp, pp.getByRole('button', { name: 'Add the advisory' }));
	t.eq(resp.status(), 422, 'adv-new-invalid-phone: the form comes back 422');
	await lib.visit(t, pp, null, 'adv-new-invalid-phone');
	await lib.checkNoSideScroll(t, pp, 'adv-new-invalid-phone');
	const other = pp.getByRole('listitem').filter({
		has: pp.getByRole('heading', { name: PRIVATE }) });
	await submit(pp, other.getByRole('link', { name: PRIVATE, exact: true }));
	await lib.visit(t, pp, null, 'adv-edit-phone');
	await lib.checkNoSideScroll(t, pp, 'adv-edit-phone');
	await lib.checkTouchTargets(t, pp, 'adv-edit-phone');
	await submit(pp, pp.getByRole('link', { name: /^Delete/ }));
	await lib.visit(t, pp, null, 'adv-delete-phone');
	await lib.checkNoSideScroll(t, pp, 'adv-delete-phone');
	await lib.checkTouchTargets(t, pp, 'adv-delete-phone');
	await submit(pp, pp.getByRole('button', { name: 'Delete the advisory' }));
	await lib.visit(t, pp, null, 'adv-list-empty-phone');
	t.ok(await pp.getByRole('status').getByText('The advisory is deleted.').isVisible() &&
	    await pp.getByText('The hub has no advisory.').isVisible(),
	    'advisories: on a phone the admin deletes the other one; none is left');
	await ph.ctx.close();
}
