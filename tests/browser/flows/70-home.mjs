// 70-home.mjs: a signed-in person's home, in the browser.  Logging in
// leads to it; it names the person, lists their workspaces with their
// state, and, for ws-comms on a phone, the invitation waiting in their
// mail (test_browser.py stores one for them, to "harbour", addressed in
// another case), without any accept link.  Signed out, / is the visitors'
// page again.
//
// test_browser.py creates ws-owner and ws-comms (CH_PERSON_PW), both
// having accepted the rules.

export default async function ({ browser, base, t, lib }) {
	if (!process.env.CH_PERSON_PW) {
		t.ok(false, 'home: CH_PERSON_PW is set by test_browser.py');
		return;
	}
	const owner = await lib.login(browser, base, 'ws-owner@example.org');
	const op = owner.page;
	t.eq(new URL(op.url()).pathname, '/', 'home: logging in leads home');
	await lib.visit(t, op, null, 'home-owner');
	await lib.checkLandmarks(t, op, 'home-owner');
	t.ok(/^Hello, /.test(await op.getByRole('heading', { level: 1 }).innerText()),
	    'home: it greets the person');
	const mine = op.getByRole('region', { name: 'Your workspaces' });
	t.ok(await mine.getByRole('listitem').count() >= 1 &&
	    await mine.locator('.badge').count() >= 1,
	    'home: their workspaces, each with its state');
	t.ok(await op.getByText('Equip your units').count() === 0,
	    'home: not the visitors\' page');
	await op.getByRole('button', { name: 'Log out' }).click();
	await op.waitForLoadState('load');
	await lib.visit(t, op, '/', 'home-signed-out');
	t.ok(await op.getByText('Equip your units').isVisible(),
	    'home: signed out, / is the visitors\' page again');
	await owner.ctx.close();

	const comms = await lib.login(browser, base, 'ws-comms@example.org', { phone: true });
	const cp = comms.page;
	await lib.visit(t, cp, null, 'home-invited-phone');
	await lib.checkNoSideScroll(t, cp, 'home-invited-phone');
	await lib.checkTouchTargets(t, cp, 'home-invited-phone');
	const inv = cp.getByRole('region', { name: 'Invitations waiting for you' });
	t.ok(await inv.isVisible() && /Harbour Chapter: Mira Owner invites you as author/.test(
	    await inv.innerText()), 'home: the invitation, who sent it and the role');
	t.ok(await inv.locator('time').count() === 1 &&
	    /in (6|7) days/.test(await inv.innerText()),
	    'home: when its link expires, as people read it');
	t.ok(await cp.locator('a[href*="token="]').count() === 0 &&
	    /invitation e-mail/.test(await inv.innerText()),
	    'home: no accept link, the e-mail has it');
	await comms.ctx.close();
}
