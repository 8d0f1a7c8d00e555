// 60-directory.mjs: the hub's directory of units, in the browser.  A hub
// admin opens All units from the navigation, searches, filters by state, sees
// each unit's state, owners, members and last decision, and opens one; a
// refused filter is a page naming the field.  A communicator reads the
// same directory, with nothing on it to change anything, on a phone.  A
// person without a hub role has no All units link and is refused the page.
//
// Runs after the other flows, so their units are there.  test_browser.py
// creates ws-admin (admin), ws-comms (communicator) and ws-owner
// (CH_PERSON_PW), all having accepted the rules.

function row(page, name) {
	return page.getByRole('row').filter({ has: page.getByRole('link', { name, exact: true }) });
}

export default async function ({ browser, base, t, lib }) {
	if (!process.env.CH_PERSON_PW) {
		t.ok(false, 'directory: CH_PERSON_PW is set by test_browser.py');
		return;
	}
	const admin = await lib.login(browser, base, 'ws-admin@example.org');
	const ap = admin.page;
	await ap.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'All units' }).click();
	await ap.waitForLoadState('load');
	t.ok(new URL(ap.url()).pathname === '/hub/units', 'directory: All units in the navigation leads to it', ap.url());
	await lib.visit(t, ap, null, 'directory-admin');
	await lib.checkLandmarks(t, ap, 'directory-admin');
	await lib.checkKeyboardFocus(t, ap, 'directory-admin');
	const harbour = row(ap, 'Harbour Chapter');
	t.ok(await harbour.count() === 1, 'directory: the members flow\'s unit is listed');
	const cells = (await harbour.innerText()).replace(/\s+/g, ' ');
	t.ok(/approved/.test(cells) && /Mira Owner/.test(cells) && /chapter/.test(cells),
	    'directory: with its state, kind and owner', cells);

	// -- search, then a state ---------------------------------------------
	await ap.getByLabel('Name or address').fill('harbour');
	await ap.getByRole('button', { name: 'Show' }).click();
	await ap.waitForLoadState('load');
	await lib.visit(t, ap, null, 'directory-search');
	t.ok(await row(ap, 'Harbour Chapter').count() === 1 &&
	    await ap.getByRole('row').count() === 2,
	    'directory: a search by name leaves that unit alone (and the header row)');
	t.eq(await ap.getByLabel('Name or address').inputValue(), 'harbour',
	    'directory: the search is kept in the form');
	await ap.getByRole('link', { name: 'Clear the filters' }).click();
	await ap.waitForLoadState('load');
	await ap.getByLabel('State', { exact: true }).selectOption('approved');
	await ap.getByLabel('Sort by').selectOption('created');
	await ap.getByRole('button', { name: 'Show' }).click();
	await ap.waitForLoadState('load');
	await lib.visit(t, ap, null, 'directory-approved');
	const states = await ap.locator('tbody td .badge').allInnerTexts();
	t.ok(states.length >= 1 && states.every((s) => s === 'approved') &&
	    await row(ap, 'Harbour Chapter').count() === 1,
	    'directory: filtered by state, only approved units', states);
	t.eq(await ap.getByLabel('State', { exact: true }).inputValue(), 'approved', 'directory: the state is kept');
	await lib.visit(t, ap, '/hub/units?sort=size', 'directory-bad-sort', { status: 400 });
	t.ok(await ap.getByText(/sort is name, created or state/).isVisible(),
	    'directory: an unknown sort is refused, naming it');
	await ap.goto('/hub/units?q=harbour');
	await row(ap, 'Harbour Chapter').getByRole('link', { name: 'Harbour Chapter' }).click();
	await ap.waitForLoadState('load');
	t.eq(await ap.getByRole('heading', { level: 1 }).innerText(), 'Harbour Chapter',
	    'directory: a unit\'s name opens its page');
	await admin.ctx.close();

	// -- a communicator reads it on a phone, and can change nothing --------
	const comms = await lib.login(browser, base, 'ws-comms@example.org', { phone: true });
	const cp = comms.page;
	const nav = cp.getByRole('navigation', { name: 'Main' });
	t.ok(await nav.getByRole('link', { name: 'All units' }).count() === 1 &&
	    await nav.getByRole('link', { name: 'Queue' }).count() === 0,
	    'directory: a communicator has All units, not the queue');
	await lib.visit(t, cp, '/hub/units', 'directory-comms-phone');
	await lib.checkNoSideScroll(t, cp, 'directory-comms-phone');
	await lib.checkTouchTargets(t, cp, 'directory-comms-phone');
	t.ok(await row(cp, 'Harbour Chapter').count() === 1, 'directory: the communicator sees every unit');
	const buttons = await cp.locator('main button').allInnerTexts();
	const posts = await cp.locator('main form[method="post"]').count();
	t.ok(buttons.length === 1 && buttons[0] === 'Show' && posts === 0,
	    'directory: nothing on it changes anything for a communicator', buttons);
	await comms.ctx.close();

	// -- no hub role, no directory ------------------------------------------
	const owner = await lib.login(browser, base, 'ws-owner@example.org');
	t.ok(await owner.page.getByRole('navigation', { name: 'Main' })
	    .getByRole('link', { name: 'All units' }).count() === 0, 'directory: no All units link without a hub role');
	await lib.visit(t, owner.page, '/hub/units', 'directory-refused', { status: 403 });
	await owner.ctx.close();
}
