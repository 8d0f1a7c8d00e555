// 50-members.mjs: the owner of a unit manages its members from the
// unit's page: changes a member's role, makes another a guest (first
// without a last day, which is refused, then with one), removes a third
// after confirming; a member leaves after confirming; the last owner is
// told they cannot leave.  Every page is screenshotted and checked by
// axe-core; the owner's page is also checked on a phone.
//
// test_browser.py creates the people (CH_PERSON_PW, rules accepted) and
// the approved unit "harbour": mb-owner@example.org owns it, and
// mb-author, mb-editor, mb-remove and mb-leaver (@example.org) are an
// author, an editor and two authors in it.

// The list item of the member whose address is email.
function member(page, email) {
	return page.getByRole('listitem').filter({ hasText: email });
}

async function submit(page, locator) {
	await locator.click();
	await page.waitForLoadState('load');
}

export default async function ({ browser, base, t, lib }) {
	if (!process.env.CH_PERSON_PW) {
		t.ok(false, 'members: CH_PERSON_PW is set by test_browser.py');
		return;
	}
	const owner = await lib.login(browser, base, 'mb-owner@example.org');
	const page = owner.page;
	await lib.visit(t, page, '/units/harbour', 'mb-unit-owner');
	await lib.checkLandmarks(t, page, 'mb-unit-owner');
	t.ok(!(await page.getByLabel('Last day of Otto Author, for a guest').isVisible()),
	    'members: the last day is hidden while the role is not guest');

	// -- a role changed ---------------------------------------------------
	let item = member(page, 'mb-author@example.org');
	await item.getByLabel('Role of Otto Author').selectOption('editor');
	await submit(page, item.getByRole('button', { name: 'Save' }));
	t.eq(new URL(page.url()).pathname, '/units/harbour', 'members: saving goes back to the unit');
	await lib.visit(t, page, null, 'mb-role-saved');
	t.ok(await page.getByRole('status').getByText('role is saved').isVisible(),
	    'members: the owner is told the role is saved');
	t.eq(await member(page, 'mb-author@example.org').getByLabel('Role of Otto Author').inputValue(),
	    'editor', 'members: Otto is now an editor');

	// -- a guest needs a last day -------------------------------------------
	item = member(page, 'mb-editor@example.org');
	await item.getByLabel('Role of Edda Editor').selectOption('guest');
	const until = item.getByLabel('Last day of Edda Editor, for a guest');
	t.ok(await until.isVisible(), 'members: choosing guest shows the last day');
	await submit(page, item.getByRole('button', { name: 'Save' }));
	await lib.visit(t, page, null, 'mb-guest-no-date');
	item = member(page, 'mb-editor@example.org');
	t.eq(await item.getByLabel('Last day of Edda Editor, for a guest').getAttribute('aria-invalid'),
	    'true', 'members: a guest without a last day is refused, the date marked');
	t.ok(await item.getByText('a guest needs a last day').isVisible() &&
	    await page.getByRole('alert').isVisible(), 'members: with the reason beside it and on top');
	t.eq(await item.getByLabel('Role of Edda Editor').inputValue(), 'guest',
	    'members: the role chosen is kept');
	const last = new Date(Date.now() + 30 * 86400e3).toISOString().slice(0, 10);
	await item.getByLabel('Last day of Edda Editor, for a guest').fill(last);
	await submit(page, item.getByRole('button', { name: 'Save' }));
	const day = member(page, 'mb-editor@example.org').locator(`time[datetime="${last}"]`);
	t.ok(await day.isVisible() && /^\d{1,2} [A-Z][a-z]{2} \d{4}$/.test(await day.innerText()),
	    'members: Edda is a guest until the day chosen, written as people read it');
	await lib.visit(t, page, null, 'mb-guest-saved');

	// -- removing, after confirming ------------------------------------------
	await submit(page, member(page, 'mb-remove@example.org').getByRole('link', { name: 'Remove' }));
	await lib.visit(t, page, null, 'mb-remove-confirm');
	await lib.checkLandmarks(t, page, 'mb-remove-confirm');
	t.ok(await page.getByRole('heading', { name: 'Remove Remy Removed from Harbour Chapter?' })
	    .isVisible(), 'members: removing asks first');
	await submit(page, page.getByRole('button', { name: 'Remove Remy Removed' }));
	t.eq(new URL(page.url()).pathname, '/units/harbour', 'members: back to the unit');
	await lib.visit(t, page, null, 'mb-removed');
	t.ok(await page.getByRole('status').getByText('was removed').isVisible() &&
	    !(await member(page, 'mb-remove@example.org').count()),
	    'members: the member is removed, and the owner told so');

	// -- a member leaves ----------------------------------------------------
	const leaver = await lib.login(browser, base, 'mb-leaver@example.org');
	await lib.visit(t, leaver.page, '/units/harbour', 'mb-unit-member');
	t.ok(!(await leaver.page.getByRole('combobox').count()),
	    'members: a member who is not an owner gets no role forms');
	await submit(leaver.page, leaver.page.getByRole('link', { name: 'Leave this unit' }));
	await lib.visit(t, leaver.page, null, 'mb-leave-confirm');
	await submit(leaver.page, leaver.page.getByRole('button', { name: 'Leave Harbour Chapter' }));
	t.eq(new URL(leaver.page.url()).pathname, '/units', 'members: one who left goes to their units');
	await lib.visit(t, leaver.page, null, 'mb-left');
	t.ok(await leaver.page.getByRole('status').getByText('You left the unit.').isVisible(),
	    'members: and is told so');
	await leaver.ctx.close();
	await page.reload();
	t.ok(!(await member(page, 'mb-leaver@example.org').count()),
	    'members: the owner no longer sees them');

	// -- the last owner cannot leave ------------------------------------------
	await submit(page, page.getByRole('link', { name: 'Leave this unit' }));
	await submit(page, page.getByRole('button', { name: 'Leave Harbour Chapter' }));
	await lib.visit(t, page, null, 'mb-leave-last-owner');
	t.ok(await page.getByRole('alert').getByText('last owner').isVisible(),
	    'members: the last owner is told to name another owner first');
	await owner.ctx.close();

	// -- the owner's page on a phone -----------------------------------------
	const phone = await lib.login(browser, base, 'mb-owner@example.org', { phone: true });
	await lib.visit(t, phone.page, '/units/harbour', 'mb-unit-phone');
	await lib.checkNoSideScroll(t, phone.page, 'mb-unit-phone');
	await lib.checkTouchTargets(t, phone.page, 'mb-unit-phone');
	await phone.ctx.close();
}
