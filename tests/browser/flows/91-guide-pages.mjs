// 91-guide-pages.mjs: the hub's guidelines and a unit's, in the browser.
// A hub admin follows the header's link to /hub/guidelines and adds a
// term rule; an invalid regular expression comes back marked, as typed.
// The owner of "pier" follows the unit page's link to its guidelines and
// mutes the rule, first without a reason (refused, marked), then with
// one; the hub's page lists the mute and its reason.  The admin deletes
// the rule after the confirmation page, leaving the hub as it was found.
// Every page is screenshotted and checked by axe-core, on a desktop and
// on a phone.
//
// test_browser.py creates the hub admin ws-admin@example.org and the
// approved unit "pier", owned by po-owner@example.org and
// po-phone@example.org (CH_PERSON_PW), all having accepted the rules.

async function submit(page, locator) {
	await locator.click();
	await page.waitForLoadState('load');
}

export default async function ({ browser, base, t, lib }) {
	if (!process.env.CH_PERSON_PW) {
		t.ok(false, 'guidelines: CH_PERSON_PW is set by test_browser.py');
		return;
	}
	const admin = await lib.login(browser, base, 'ws-admin@example.org');
	const ap = admin.page;
	await ap.goto('/');
	await submit(ap, ap.getByRole('navigation', { name: 'Main' })
	    .getByRole('link', { name: 'Guidelines' }));
	t.eq(new URL(ap.url()).pathname, '/hub/guidelines',
	    'guidelines: the header links a hub admin to the hub\'s guidelines');
	await lib.visit(t, ap, null, 'gl-hub');
	await lib.checkLandmarks(t, ap, 'gl-hub');

	// -- an invalid regular expression, then a term rule -----------------------
	await ap.getByText('Term', { exact: true }).click();
	let form = ap.getByRole('form', { name: 'Term rule' });
	await form.getByLabel('Words to look for').fill('promised((');
	await form.getByLabel('It is a regular expression').check();
	await form.getByLabel('Message to the writer').fill('We cannot promise outcomes.');
	await submit(ap, form.getByRole('button', { name: 'Add the rule' }));
	await lib.visit(t, ap, null, 'gl-hub-bad-regex');
	form = ap.getByRole('form', { name: 'Term rule' });
	t.eq(await form.getByLabel('Words to look for').getAttribute('aria-invalid'), 'true',
	    'guidelines: an invalid regular expression is marked');
	t.eq(await form.getByLabel('Words to look for').inputValue(), 'promised((',
	    'guidelines: and kept as typed');
	t.ok(await ap.getByRole('alert').getByText(/refused at character 10/).isVisible(),
	    'guidelines: the alert gives the position of the error');
	await form.getByLabel('Words to look for').fill('promised');
	await form.getByLabel('It is a regular expression').uncheck();
	await form.getByLabel('Suggested instead (optional)').fill('planned');
	await submit(ap, form.getByRole('button', { name: 'Add the rule' }));
	t.ok(await ap.getByRole('status').getByText('The rule is added.').isVisible(),
	    'guidelines: the term rule is added');
	const rule = ap.locator('.rule-list li').filter({ hasText: 'the words “promised”' });
	t.ok(await rule.isVisible() && await rule.locator('.badge', { hasText: 'on' }).isVisible(),
	    'guidelines: the hub\'s list shows it, on');
	await lib.visit(t, ap, null, 'gl-hub-added');

	// -- the owner mutes it for pier, with a reason ---------------------------
	const owner = await lib.login(browser, base, 'po-owner@example.org');
	const op = owner.page;
	await op.goto('/units/pier');
	await submit(op, op.getByRole('link', { name: /This unit's guidelines/ }));
	t.eq(new URL(op.url()).pathname, '/units/pier/guidelines',
	    'guidelines: the unit page links its owner to the unit\'s guidelines');
	await lib.visit(t, op, null, 'gl-unit');
	await lib.checkLandmarks(t, op, 'gl-unit');
	let item = op.locator('.rule-list li').filter({ hasText: 'the words “promised”' });
	await submit(op, item.getByRole('button', { name: /^Mute/ }));
	await lib.visit(t, op, null, 'gl-unit-no-reason');
	item = op.locator('.rule-list li').filter({ hasText: 'the words “promised”' });
	t.eq(await item.getByLabel(/Why .* mutes it/).getAttribute('aria-invalid'), 'true',
	    'guidelines: a mute without a reason is marked');
	await item.getByLabel(/Why .* mutes it/).fill('Our warranty is promised by law.');
	await submit(op, item.getByRole('button', { name: /^Mute/ }));
	t.ok(await op.getByRole('status').getByText(/muted for this unit/).isVisible(),
	    'guidelines: the owner muted the rule');
	t.ok(await op.getByText('“Our warranty is promised by law.”').isVisible(),
	    'guidelines: the unit page shows the reason');
	await lib.visit(t, op, null, 'gl-unit-muted');

	// -- the hub reads who muted what, and why ----------------------------------
	await lib.visit(t, ap, '/hub/guidelines', 'gl-hub-mutes');
	t.ok(await ap.getByRole('region', { name: 'Which units muted what, and why' })
	    .getByText(/pier.*mutes rule .*“Our warranty is promised by law\.”/).isVisible(),
	    'guidelines: the hub\'s page lists the mute with its reason');

	// -- on a phone --------------------------------------------------------------
	const ph = await lib.login(browser, base, 'po-phone@example.org', { phone: true });
	await lib.visit(t, ph.page, '/units/pier/guidelines', 'gl-unit-phone');
	await lib.checkNoSideScroll(t, ph.page, 'gl-unit-phone');
	const aph = await lib.login(browser, base, 'ws-admin@example.org', { phone: true });
	await lib.visit(t, aph.page, '/hub/guidelines', 'gl-hub-phone');
	await lib.checkNoSideScroll(t, aph.page, 'gl-hub-phone');
	await aph.ctx.close();
	await ph.ctx.close();

	// -- the admin deletes the rule, after the confirmation page ----------------
	await submit(ap, ap.locator('.rule-list li').filter({ hasText: 'the words “promised”' })
	    .getByRole('link', { name: /^Delete/ }));
	await lib.visit(t, ap, null, 'gl-delete');
	await submit(ap, ap.getByRole('button', { name: /^Delete rule/ }));
	t.ok(await ap.getByRole('status').getByText('The rule is deleted.').isVisible() &&
	    await ap.locator('.rule-list li').filter({ hasText: 'the words “promised”' })
		.count() === 0,
	    'guidelines: the rule is deleted after its confirmation');
	await owner.ctx.close();
	await admin.ctx.close();
}
