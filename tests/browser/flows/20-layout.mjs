// 20-layout.mjs: the layout in states no handler produces yet (a person
// signed in, a notice and an alert) and every class page templates use
// (forms with hints and errors, buttons, tables, prose), rendered from
// the real templates by render_view and served under the site's own
// address, headers and stylesheet.

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const ME = { name: 'Ada Lovelace', email: 'ada@example.org', is_admin: true,
    is_hr: false, is_communicator: false };
const CSRF = 'csrf-token-of-the-style-guide';

function render(view, context) {
	const src = process.env.CH_SRCDIR;
	const tool = path.join(process.env.CH_BUILDDIR || '', 'tests', 'browser', 'render_view');
	const p = spawnSync(tool, [path.join(src, 'templates'), view,
	    path.join(src, 'tests', 'browser', 'fixtures', 'styleguide.html')],
	    { input: JSON.stringify(context), encoding: 'utf8' });
	if (p.status !== 0)
		throw new Error(`render_view ${view}: ${p.error || p.stderr}`);
	return p.stdout;
}

// Serve html at base + /__view/NAME with the headers the site sends.
async function serve(ctx, base, name, html) {
	const real = await ctx.request.get('/');
	const headers = {};
	for (const h of ['content-type', 'content-security-policy', 'x-content-type-options',
	    'x-frame-options', 'referrer-policy', 'cross-origin-opener-policy', 'cache-control'])
		headers[h] = real.headers()[h];
	await ctx.route(`${base}/__view/${name}`, (r) => r.fulfill({ status: 200, headers, body: html }));
	return `/__view/${name}`;
}

async function signedInHeader(t, page, name) {
	const nav = page.getByRole('navigation', { name: 'Main' });
	t.eq(await nav.getByRole('link', { name: ME.name }).getAttribute('href'), '/account',
	    `${name}: the person's name links to /account`);
	t.eq(await nav.getByRole('link', { name: 'Use rules' }).getAttribute('href'), '/rules',
	    `${name}: "Use rules" links to /rules`);
	const form = nav.locator('form.inline');
	const f = await form.evaluate((e) => ({ method: e.method, action: e.getAttribute('action'),
	    token: e.querySelector('input[type="hidden"][name="csrf_token"]')?.value,
	    button: e.querySelector('button[type="submit"]')?.textContent }));
	t.ok(f.method === 'post' && f.action === '/logout' && f.token === CSRF && f.button === 'Log out',
	    `${name}: "Log out" is a POST form to /logout carrying the CSRF token`, f);
	t.eq(await nav.getByRole('link', { name: 'Log in' }).count(), 0,
	    `${name}: no "Log in" link for a person signed in`);
}

export default async function ({ browser, base, t, lib }) {
	const tool = path.join(process.env.CH_BUILDDIR || '', 'tests', 'browser', 'render_view');
	if (!process.env.CH_SRCDIR || !fs.existsSync(tool)) {
		t.skip('the layout signed in and the style guide', 'render_view is not built (make check builds it)');
		return;
	}
	const home = render('home', { me: ME, csrf: CSRF });
	const guide = render('styleguide', { me: ME, csrf: CSRF,
	    notice: 'Your workspace request has been sent to the hub.',
	    alert: 'Two fields need your attention before the request can be sent.' });

	// -- signed in, on a desktop and a phone ------------------------------
	for (const phone of [false, true]) {
		const n = phone ? 'home-signed-in-phone' : 'home-signed-in-desktop';
		const ctx = await lib.newContext(browser, base, { phone });
		const page = await ctx.newPage();
		await lib.visit(t, page, await serve(ctx, base, 'home', home), n);
		await lib.checkLandmarks(t, page, n);
		await signedInHeader(t, page, n);
		// Skip link, brand, name, use rules, log out.
		await lib.checkKeyboardFocus(t, page, n, 5);
		if (phone) {
			await lib.checkNoSideScroll(t, page, n);
			await lib.checkTouchTargets(t, page, n);
		}
		await ctx.close();
	}

	// -- the style guide: forms, tables, prose, messages ------------------
	for (const phone of [false, true]) {
		const n = phone ? 'styleguide-phone' : 'styleguide-desktop';
		const ctx = await lib.newContext(browser, base, { phone });
		const page = await ctx.newPage();
		await lib.visit(t, page, await serve(ctx, base, 'styleguide', guide), n);
		await lib.checkLandmarks(t, page, n);
		const first = await page.locator('main > *').first().evaluate((e) => e.className);
		t.eq(first, 'notice', `${n}: the notice opens main`);
		t.ok(await page.getByRole('status').filter({ hasText: 'has been sent' }).isVisible(),
		    `${n}: the notice is a visible status message`);
		t.ok(await page.getByRole('alert').filter({ hasText: 'Two fields' }).isVisible(),
		    `${n}: the alert is a visible alert message`);
		const email = page.getByLabel('Contact e-mail');
		const desc = await email.evaluate((e) => e.getAttribute('aria-describedby').split(' ')
		    .map((id) => document.getElementById(id)?.textContent).join(' | '));
		t.ok(/Enter an e-mail address/.test(desc) && /hub writes/.test(desc),
		    `${n}: the field's error and hint describe its input`, desc);
		const st = await email.evaluate((e) => { const s = getComputedStyle(e);
		    return { border: s.borderTopColor, width: s.borderTopWidth }; });
		t.ok(st.border === 'rgb(180, 35, 24)' && st.width === '2px',
		    `${n}: the input of a field in error has a red border`, st);
		await email.focus();
		const ring = await email.evaluate((e) => getComputedStyle(e).outlineStyle);
		t.ok(ring !== 'none', `${n}: a focused input shows a focus ring`, ring);
		if (phone) {
			await lib.checkNoSideScroll(t, page, n);
			await lib.checkTouchTargets(t, page, n);
		} else {
			const h = await email.evaluate((e) => e.getBoundingClientRect().height);
			t.ok(h >= 44, `${n}: inputs are at least 44px tall`, h);
		}
		await lib.screenshot(page, `${n}-focus`, { fullPage: false });
		await ctx.close();
	}
}
