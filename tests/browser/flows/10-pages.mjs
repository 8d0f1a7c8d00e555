// 10-pages.mjs: the front page and the error pages, as a visitor who is
// not signed in sees them: on a desktop and on a phone, with the
// keyboard, and with JavaScript turned off.

export default async function ({ browser, base, t, lib }) {
	// -- the front page on a desktop ------------------------------------
	let ctx = await lib.newContext(browser, base);
	let page = await ctx.newPage();
	await lib.visit(t, page, '/', 'front-desktop');
	await lib.checkLandmarks(t, page, 'front-desktop');
	t.ok(/ · /.test(await page.title()), 'front-desktop: the title names the page and the site',
	    await page.title());
	const nav = page.getByRole('navigation', { name: 'Main' });
	t.eq(await nav.getByRole('link', { name: 'Log in' }).getAttribute('href'), '/login',
	    'front-desktop: the navigation offers "Log in" (/login)');
	t.eq(await nav.getByRole('link', { name: 'Sign up' }).getAttribute('href'), '/signup',
	    'front-desktop: the navigation offers "Sign up" (/signup)');
	t.ok(await page.locator('a.skip').evaluate((e) => e.getBoundingClientRect().bottom <= 0),
	    'front-desktop: the stylesheet applies (the skip link waits off screen)');
	await lib.checkKeyboardFocus(t, page, 'front-desktop', 3);
	await lib.focusTop(page);
	await page.keyboard.press('Tab');
	await lib.screenshot(page, 'front-desktop-skip-focused');
	await lib.checkSkipLink(t, page, 'front-desktop');
	const cols = await page.locator('.cards .card').evaluateAll((cs) =>
	    new Set(cs.map((c) => Math.round(c.getBoundingClientRect().top))).size);
	t.eq(cols, 1, 'front-desktop: the three cards stand side by side');
	await ctx.close();

	// -- the front page on a phone --------------------------------------
	ctx = await lib.newContext(browser, base, { phone: true });
	page = await ctx.newPage();
	await lib.visit(t, page, '/', 'front-phone');
	await lib.checkLandmarks(t, page, 'front-phone');
	await lib.checkNoSideScroll(t, page, 'front-phone');
	await lib.checkTouchTargets(t, page, 'front-phone');
	await lib.checkKeyboardFocus(t, page, 'front-phone', 2);
	const h1 = await page.locator('h1').boundingBox();
	t.ok(h1 && h1.y < 812, 'front-phone: the heading is on the first screen', h1);
	await ctx.close();

	// -- error pages ----------------------------------------------------
	ctx = await lib.newContext(browser, base);
	page = await ctx.newPage();
	await lib.visit(t, page, '/no/such/page', 'not-found', { status: 404 });
	await lib.checkLandmarks(t, page, 'not-found');
	t.ok(/404/.test(await page.locator('h1').innerText()), 'not-found: the heading says 404');
	t.ok(/Not Found/.test(await page.title()), 'not-found: the title says Not Found', await page.title());
	t.eq(await page.getByRole('link', { name: 'Go to the front page' }).getAttribute('href'), '/',
	    'not-found: a link leads back to the front page');
	await lib.checkKeyboardFocus(t, page, 'not-found', 2);
	await ctx.close();

	ctx = await lib.newContext(browser, base, { phone: true });
	page = await ctx.newPage();
	await lib.visit(t, page, '/?a_field_name_far_too_long_to_fit_on_one_line_of_a_phone=%zz',
	    'bad-request-phone', { status: 400 });
	await lib.checkLandmarks(t, page, 'bad-request-phone');
	await lib.checkNoSideScroll(t, page, 'bad-request-phone');
	await lib.checkTouchTargets(t, page, 'bad-request-phone');
	await ctx.close();

	// -- without JavaScript ---------------------------------------------
	ctx = await lib.newContext(browser, base, { javaScriptEnabled: false });
	page = await ctx.newPage();
	await lib.visit(t, page, '/', 'front-nojs', { axe: false });
	t.ok(await page.locator('h1').isVisible(), 'front-nojs: the heading shows without JavaScript');
	t.ok(await page.getByRole('link', { name: 'Sign up' }).first().isVisible(),
	    'front-nojs: the navigation shows without JavaScript');
	t.eq(await page.locator('.cards .card').count(), 3, 'front-nojs: the content shows without JavaScript');
	t.ok(await page.locator('a.skip').evaluate((e) => e.getBoundingClientRect().bottom <= 0),
	    'front-nojs: the stylesheet applies without JavaScript');
	await ctx.close();
}
