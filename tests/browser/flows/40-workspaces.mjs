// 40-workspaces.mjs: a person requests a workspace (first with a bad
// address); a hub admin asks for changes from the approval queue; the
// requester reads the note, edits and sends the request again; the admin
// sees what changed and approves; a second request is rejected and the
// requester reads why.  Every page is screenshotted and checked by
// axe-core.
//
// test_browser.py creates the people (CH_PERSON_PW): ws-owner@example.org
// and the hub admin ws-admin@example.org, both having accepted the rules.

async function request(page, name, slug) {
	await page.getByLabel('Name of the unit').fill(name);
	await page.getByLabel('Address').fill(slug);
	await page.getByLabel('Kind of unit').selectOption('regional_market');
	await page.getByLabel('Purpose').fill('Publish news of the region.');
	await page.getByLabel('Audience').fill('Dealers and customers');
	await page.getByLabel('Blog').check();
	await page.getByRole('button', { name: 'Send the request' }).click();
	await page.waitForLoadState('load');
}

export default async function ({ browser, base, t, lib }) {
	if (!process.env.CH_PERSON_PW) {
		t.ok(false, 'workspaces: CH_PERSON_PW is set by test_browser.py');
		return;
	}
	const owner = await lib.login(browser, base, 'ws-owner@example.org');
	const page = owner.page;
	await lib.visit(t, page, '/units', 'ws-mine-empty');
	await page.getByRole('link', { name: 'Request a workspace' }).click();
	await page.waitForLoadState('load');
	await lib.visit(t, page, null, 'ws-request');
	await lib.checkLandmarks(t, page, 'ws-request');

	await request(page, 'Alpine Market', 'Alpine Market');
	await lib.visit(t, page, null, 'ws-request-bad-slug');
	t.eq(await page.getByLabel('Address').getAttribute('aria-invalid'), 'true',
	    'workspaces: a bad address is marked');
	t.eq(await page.getByLabel('Purpose').inputValue(), 'Publish news of the region.',
	    'workspaces: the other answers are kept');
	t.eq(await page.getByLabel('Kind of unit').inputValue(), 'regional_market',
	    'workspaces: the kind chosen is kept');
	t.ok(await page.getByLabel('Blog').isChecked(), 'workspaces: the channels are kept');
	await page.getByLabel('Address').fill('alpine');
	await page.getByRole('button', { name: 'Send the request' }).click();
	await page.waitForLoadState('load');
	t.eq(new URL(page.url()).pathname, '/units/alpine', 'workspaces: the request is made');
	await lib.visit(t, page, null, 'ws-unit-requested');

	const admin = await lib.login(browser, base, 'ws-admin@example.org');
	await lib.visit(t, admin.page, '/hub/queue', 'ws-queue');
	let card = admin.page.getByRole('region', { name: /Alpine Market/ });
	await card.getByLabel('Reason or note').fill('Tell us which towns the market covers.');
	await card.getByRole('button', { name: 'Ask for changes' }).click();
	await admin.page.waitForLoadState('load');
	t.eq(new URL(admin.page.url()).pathname, '/hub/queue', 'workspaces: back to the queue');
	t.ok(!(await admin.page.getByText('Alpine Market').count()),
	    'workspaces: the decided request has left the queue');

	// -- the requester reads the note, edits and sends again -------------
	await lib.visit(t, page, '/units/alpine', 'ws-unit-changes');
	t.ok(await page.getByText('Tell us which towns the market covers.').isVisible(),
	    'workspaces: the requester reads the note');
	await page.getByRole('link', { name: 'Edit and send again' }).click();
	await page.waitForLoadState('load');
	await lib.visit(t, page, null, 'ws-edit');
	t.eq(await page.getByLabel('Purpose').inputValue(), 'Publish news of the region.',
	    'workspaces: the edit form holds the request');
	await page.getByLabel('Region (optional)').fill('Alpine valleys: Brig, Visp, Zermatt');
	await page.getByRole('button', { name: 'Send the request again' }).click();
	await page.waitForLoadState('load');
	t.eq(new URL(page.url()).pathname, '/units/alpine', 'workspaces: sent again');

	// -- the admin sees what changed and approves -------------------------
	await lib.visit(t, admin.page, '/units/alpine', 'ws-unit-diff');
	t.ok(await admin.page.getByRole('table').getByText('Alpine valleys: Brig, Visp, Zermatt')
	    .isVisible(), 'workspaces: the approver sees what changed since the last decision');
	await admin.page.goto('/hub/queue');
	await admin.page.getByRole('region', { name: /Alpine Market/ })
	    .getByRole('button', { name: 'Approve' }).click();
	await admin.page.waitForLoadState('load');

	// -- a second request is rejected with a reason ------------------------
	await page.goto('/units/new');
	await request(page, 'Bay Market', 'bay');
	await admin.page.goto('/hub/queue');
	card = admin.page.getByRole('region', { name: /Bay Market/ });
	await card.getByLabel('Reason or note').fill('The bay already has a unit.');
	await card.getByRole('button', { name: 'Reject' }).click();
	await admin.page.waitForLoadState('load');
	await lib.visit(t, page, '/units', 'ws-mine');
	t.ok(await page.getByRole('listitem').filter({ hasText: 'Alpine Market' })
	    .getByText('approved').isVisible(), 'workspaces: the resubmitted unit is approved');
	await lib.visit(t, page, '/units/bay', 'ws-unit-rejected');
	t.ok(await page.getByText('The bay already has a unit.').isVisible(),
	    'workspaces: the requester reads why a request was rejected');
	// -- the owner invites a member, who accepts through the mailed link --
	await lib.visit(t, page, '/units/alpine', 'ws-unit-approved');
	await page.getByLabel('E-mail address').fill('ws-member@example.org');
	await page.getByLabel('Role', { exact: true }).selectOption('author');
	await page.getByRole('button', { name: 'Send the invitation' }).click();
	await page.waitForLoadState('load');
	t.ok(await page.getByRole('status').getByText('The invitation is on its way.').isVisible(),
	    'workspaces: the owner is told the invitation went out');
	const link = await lib.mailedLink('ws-member@example.org', '/invitations/accept');
	t.ok(link !== null, 'workspaces: the invitee received the link');
	const member = await lib.login(browser, base, 'ws-member@example.org');
	await lib.visit(t, member.page, link, 'ws-invitation');
	await member.page.getByRole('button', { name: 'Accept the invitation' }).click();
	await member.page.waitForLoadState('load');
	t.eq(new URL(member.page.url()).pathname, '/units/alpine',
	    'workspaces: accepting leads to the unit');
	await lib.visit(t, member.page, null, 'ws-unit-member');
	t.ok(await member.page.getByRole('listitem').filter({ hasText: 'ws-member@example.org' })
	    .getByText('author').isVisible(), 'workspaces: the new member is listed as author');
	// -- an invitation to the wrong address: its link refuses others, the owner revokes it --
	await lib.visit(t, page, '/units/alpine', 'ws-unit-owner');
	await page.getByLabel('E-mail address').fill('ws-wrong@example.org');
	await page.getByLabel('Role', { exact: true }).selectOption('editor');
	await page.getByRole('button', { name: 'Send the invitation' }).click();
	await page.waitForLoadState('load');
	const wrong = await lib.mailedLink('ws-wrong@example.org', '/invitations/accept');
	await lib.visit(t, member.page, wrong, 'ws-invitation-other');
	await member.page.getByRole('button', { name: 'Accept the invitation' }).click();
	await member.page.waitForLoadState('load');
	await lib.visit(t, member.page, null, 'ws-invitation-other-refused');
	t.ok(await member.page.getByText('this invitation was sent to another e-mail address')
	    .isVisible(), 'workspaces: a link opened by someone it was not sent to says so');
	const pending = page.getByRole('region', { name: 'Pending invitations' });
	await lib.visit(t, page, '/units/alpine', 'ws-unit-pending');
	t.ok(await pending.getByText('ws-wrong@example.org').isVisible(),
	    'workspaces: the owner sees the pending invitation');
	await pending.getByRole('button', { name: 'Revoke the invitation of ws-wrong@example.org' })
	    .click();
	await page.waitForLoadState('load');
	await lib.visit(t, page, null, 'ws-unit-revoked');
	t.ok(await page.getByRole('status').getByText('The invitation is revoked').isVisible(),
	    'workspaces: revoking says so');
	t.eq(await page.getByText('ws-wrong@example.org').count(), 0,
	    'workspaces: and the invitation is gone from the page');
	await member.ctx.close();

	await lib.visit(t, admin.page, '/hub/audit?unit=alpine', 'ws-audit');
	t.ok(await admin.page.getByRole('cell', { name: 'unit.resubmit' }).isVisible(),
	    'workspaces: the audit log shows the resubmission');
	await owner.ctx.close();
	await admin.ctx.close();
}
