// 45-policy.mjs: how the hub decides, in the browser.  A hub admin adds a
// screening question and turns on automatic approval for a domain at
// /hub/policy; a request from that domain answers the question and is
// approved at once, shown as automatic.  Back to manual, the next request
// waits; the admin reads its answer in the queue and asks for changes with
// a reason code; the requester reads the composed message on "My
// workspaces".  The admin suspends the first unit from its page and its
// owner reads why.  The policy is left as it was found.  Every page is
// screenshotted and checked by axe-core.
//
// test_browser.py creates ws-owner@example.org and the hub admin
// ws-admin@example.org (CH_PERSON_PW), both having accepted the rules.

async function request(page, name, slug, answer) {
	await page.goto('/units/new');
	await page.getByLabel('Name of the unit').fill(name);
	await page.getByLabel('Address').fill(slug);
	await page.getByLabel('Kind of unit').selectOption('chapter');
	await page.getByLabel('Purpose').fill('News of the chapter.');
	await page.getByLabel('Audience').fill('Members');
	await page.getByLabel('Who will write the posts?').fill(answer);
	await page.getByRole('button', { name: 'Send the request' }).click();
	await page.waitForLoadState('load');
}

async function savePolicy(page, mode, domains) {
	await page.goto('/hub/policy');
	const form = page.getByRole('region', { name: 'Approval policy' });
	await form.getByLabel(mode === 'automatic' ? /approved at once/ :
	    'Hub admins decide every request').check();
	await form.getByLabel('E-mail domains approved automatically').fill(domains);
	await form.getByRole('button', { name: 'Save the policy' }).click();
	await page.waitForLoadState('load');
}

export default async function ({ browser, base, t, lib }) {
	if (!process.env.CH_PERSON_PW) {
		t.ok(false, 'policy: CH_PERSON_PW is set by test_browser.py');
		return;
	}
	const admin = await lib.login(browser, base, 'ws-admin@example.org');
	const ap = admin.page;
	await ap.getByRole('link', { name: 'Policy' }).click();
	await ap.waitForLoadState('load');
	await lib.visit(t, ap, null, 'policy-page');
	await lib.checkLandmarks(t, ap, 'policy-page');

	// -- a required question, then automatic approval for a domain ---------
	await ap.getByLabel('Question', { exact: true }).fill('Who will write the posts?');
	await ap.getByRole('form', { name: 'New question' }).getByLabel('An answer is required')
	    .check();
	await ap.getByRole('button', { name: 'Add the question' }).click();
	await ap.waitForLoadState('load');
	t.ok(await ap.getByRole('status').getByText('Saved.').isVisible(),
	    'policy: the question is saved');
	await savePolicy(ap, 'automatic', 'bad domain!');
	await lib.visit(t, ap, null, 'policy-bad-domain');
	t.eq(await ap.getByLabel('E-mail domains approved automatically')
	    .getAttribute('aria-invalid'), 'true', 'policy: a bad domain is marked');
	t.eq(await ap.getByLabel('E-mail domains approved automatically').inputValue(),
	    'bad domain!', 'policy: and kept as typed');
	await savePolicy(ap, 'automatic', 'example.org');
	t.eq(new URL(ap.url()).pathname, '/hub/policy', 'policy: saved');

	const owner = await lib.login(browser, base, 'ws-owner@example.org');
	const op = owner.page;
	await op.goto('/units/new');
	await lib.visit(t, op, null, 'policy-request-form');
	await request(op, 'Auto Chapter', 'auto-chapter', '');
	t.eq(await op.getByLabel('Who will write the posts?').getAttribute('aria-invalid'),
	    'true', 'policy: a required answer left blank is marked');
	t.eq(await op.getByLabel('Name of the unit').inputValue(), 'Auto Chapter',
	    'policy: what was typed is kept');
	await op.getByLabel('Who will write the posts?').fill('Anna and Jo');
	await op.getByRole('button', { name: 'Send the request' }).click();
	await op.waitForLoadState('load');
	t.eq(new URL(op.url()).pathname, '/units/auto-chapter', 'policy: the request is made');
	await lib.visit(t, op, null, 'policy-unit-automatic');
	t.ok(await op.getByText('approved', { exact: true }).first().isVisible() &&
	    await op.getByText('automatic', { exact: true }).isVisible(),
	    'policy: it was approved at once, shown as automatic');
	t.ok(await op.getByText('Anna and Jo').isVisible(), 'policy: the answer is on the unit page');

	// -- manual again: the next request waits and gets a reason code --------
	await savePolicy(ap, 'manual', '');
	await request(op, 'Second Chapter', 'second-chapter', 'Only me');
	await lib.visit(t, ap, '/hub/queue', 'policy-queue');
	const card = ap.getByRole('region', { name: /Second Chapter/ });
	t.ok(await card.getByText('Only me').isVisible(), 'policy: the queue shows the answer');
	await card.getByLabel(/Reason code/).selectOption('more_detail');
	await card.getByRole('button', { name: 'Ask for changes' }).click();
	await ap.waitForLoadState('load');
	await lib.visit(t, op, '/units', 'policy-mine');
	t.ok(await op.getByRole('listitem').filter({ hasText: 'Second Chapter' })
	    .getByText(/Before deciding on Second Chapter/).isVisible(),
	    'policy: the requester reads the composed message on My workspaces');

	// -- suspension from the unit page --------------------------------------
	await lib.visit(t, ap, '/units/auto-chapter', 'policy-unit-admin');
	await ap.getByLabel(/Reason \(required to suspend/).fill('Off-topic posts.');
	await ap.getByRole('button', { name: 'Suspend' }).click();
	await ap.waitForLoadState('load');
	await lib.visit(t, op, '/units/auto-chapter', 'policy-unit-suspended');
	t.ok(await op.getByText(/suspended by the hub/).isVisible() &&
	    await op.getByText(/Off-topic posts\./).first().isVisible(),
	    'policy: the owner reads that the unit is suspended, and why');

	// -- leave the question retired for the flows after this one -------------
	await ap.goto('/hub/policy');
	const q = ap.getByRole('form', { name: /^Question \d+$/ }).first();
	await q.getByLabel('Asked', { exact: true }).uncheck();
	await q.getByRole('button', { name: /Save question/ }).click();
	await ap.waitForLoadState('load');
	await op.goto('/units/new');
	t.eq(await op.getByLabel('Who will write the posts?').count(), 0,
	    'policy: a retired question is no longer asked');
	await owner.ctx.close();
	await admin.ctx.close();
}
