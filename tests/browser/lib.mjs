// lib.mjs: shared helpers of the browser tests (Debian's Chromium driven
// by playwright-core, pages checked by axe-core, results printed as TAP).
//
// run.mjs launches one browser and runs every flow in flows/ in name
// order (or only those named on its command line).  A flow is a module
// whose default export is an async function receiving
//
//     { browser, base, t, lib }
//
// where `base` is the site's URL (http://127.0.0.1:PORT), `t` the TAP
// writer shared by all flows and `lib` this module.  A flow makes its own
// browser contexts (newContext()), visits pages with visit(), which saves
// a full-page screenshot and fails on any serious or critical axe-core
// violation, and adds its own checks with t.ok(cond, name, diag).  A
// flow that throws is reported as one failed test; the next flow runs.
//
// To add a flow (sign-up, login, ...):
//   1. create tests/browser/flows/NN-name.mjs:
//
//        export default async function ({ browser, base, t, lib }) {
//            const ctx = await lib.newContext(browser, base);
//            const page = await ctx.newPage();
//            await lib.visit(t, page, '/signup', 'signup-empty');
//            await page.getByLabel('E-mail').fill('ada@example.org');
//            ...
//            t.ok(await page.getByRole('alert').isVisible(), 'signup: ...');
//            await ctx.close();
//        }
//
//   2. add it to EXTRA_DIST in Makefile.am;
//   3. make check TESTS=tests/integration/test_browser.py and look at the
//      screenshots in tests/browser/artifacts/ (CH_BROWSER_ARTIFACTS).
//
// A state that no handler produces yet can still be shown in the real
// layout: flows/20-layout.mjs renders a view of templates/ with any
// context through tests/browser/render_view and serves it under the
// site's own address and headers.  Prefer the real pages whenever they
// exist.
//
// Screenshot names must be unique within a run: name them after the flow
// ("signup-error", "login-phone").  The standard page checks (one <h1>,
// one <main>, visible keyboard focus, no sideways scrolling, touch target
// sizes) are functions here so every flow can apply them.

import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const here = path.dirname(fileURLToPath(import.meta.url));

export const CHROMIUM = process.env.CH_CHROMIUM || '/usr/bin/chromium';
export const PHONE = { width: 375, height: 812 };
export const DESKTOP = { width: 1280, height: 800 };

// Impacts that fail a page; "moderate" and "minor" are reported as notes.
const FAILING_IMPACTS = new Set(['serious', 'critical']);

// -- TAP ------------------------------------------------------------------

export class Tap {
	constructor(out = process.stdout) {
		this.out = out;
		this.n = 0;
		this.failed = 0;
	}

	line(s) {
		this.out.write(s + '\n');
	}

	// One test point; diag (string or object) is printed under a failure.
	ok(cond, name, diag) {
		this.n++;
		const clean = String(name).replace(/[\r\n#]+/g, ' ');
		this.line(`${cond ? 'ok' : 'not ok'} ${this.n} - ${clean}`);
		if (!cond) {
			this.failed++;
			if (diag !== undefined)
				this.diag(diag);
		}
		return !!cond;
	}

	eq(got, want, name) {
		return this.ok(got === want, name,
		    `got  ${JSON.stringify(got)}\nwant ${JSON.stringify(want)}`);
	}

	skip(name, why) {
		this.n++;
		this.line(`ok ${this.n} - ${name} # SKIP ${why}`);
	}

	diag(d) {
		const s = typeof d === 'string' ? d : JSON.stringify(d, null, 2);
		for (const l of s.split('\n').slice(0, 60))
			this.line(`#   ${l}`);
	}

	note(s) {
		for (const l of String(s).split('\n'))
			this.line(`# ${l}`);
	}

	// The plan, at the end (TAP allows it there); returns the exit code.
	end() {
		this.line(`1..${this.n}`);
		this.line(`# ${this.n - this.failed} passed, ${this.failed} failed`);
		return this.failed ? 1 : 0;
	}
}

// -- the browser ----------------------------------------------------------

let playwright;
function pw() {
	playwright ??= require('playwright-core');
	return playwright;
}

// Launch Debian's Chromium, headless.  Playwright gives every launch a
// fresh temporary profile (user-data dir) and removes it on close; the
// flags keep the browser from calling home or updating itself, so the
// only traffic is to the site under test.
export async function launch() {
	return pw().chromium.launch({
		executablePath: CHROMIUM,
		headless: true,
		args: [
			'--no-sandbox',
			'--disable-background-networking',
			'--disable-gpu',
			'--disable-component-update',
			'--disable-sync',
			'--no-first-run',
			'--disable-quic',
		],
	});
}

// A browser context (cookies, viewport) for one simulated person.
// opts: phone: true for a 375x812 touch screen; any other option of
// browser.newContext() (javaScriptEnabled: false, ...) passes through.
export async function newContext(browser, base, opts = {}) {
	const { phone, ...rest } = opts;
	const ctx = await browser.newContext({
		baseURL: base,
		viewport: phone ? PHONE : DESKTOP,
		deviceScaleFactor: 1,
		isMobile: !!phone,
		hasTouch: !!phone,
		locale: 'en-GB',
		reducedMotion: 'reduce',
		...rest,
	});
	ctx.setDefaultTimeout(10000);
	ctx.setDefaultNavigationTimeout(20000);
	return ctx;
}

// A person signed in through the login form, in a context of their own
// (opts as newContext()); the password is $CH_PERSON_PW, which
// test_browser.py gives the people it creates.  Returns { ctx, page }.
export async function login(browser, base, email, opts = {}) {
	const ctx = await newContext(browser, base, opts);
	const page = await ctx.newPage();
	await page.goto('/login');
	await page.getByLabel('E-mail address').fill(email);
	await page.getByLabel('Password').fill(process.env.CH_PERSON_PW);
	await page.getByRole('button', { name: 'Log in' }).click();
	await page.waitForLoadState('load');
	return { ctx, page };
}

// -- artifacts ------------------------------------------------------------

export function artifactsDir() {
	const d = process.env.CH_BROWSER_ARTIFACTS ||
	    path.join(process.env.CH_BUILDDIR || path.join(here, '..', '..'),
	    'tests', 'browser', 'artifacts');
	fs.mkdirSync(d, { recursive: true });
	return d;
}

// Remove the screenshots and reports of an earlier run (only our files).
export function cleanArtifacts() {
	const d = artifactsDir();
	for (const f of fs.readdirSync(d))
		if (f.endsWith('.png') || f.endsWith('.axe.json'))
			fs.rmSync(path.join(d, f), { force: true });
}

const used = new Set();

// Save NAME.png: the whole page, or only what the viewport shows with
// { fullPage: false } (e.g. to show the element that has the focus).
export async function screenshot(page, name, { fullPage = true } = {}) {
	if (used.has(name))
		throw new Error(`screenshot name "${name}" used twice`);
	used.add(name);
	const file = path.join(artifactsDir(), `${name}.png`);
	await page.screenshot({ path: file, fullPage, animations: 'disabled' });
	return file;
}

// -- axe-core -------------------------------------------------------------

let axeSource;

// Run axe-core on the page as it is now; returns its violations.
//
// page.addScriptTag({content}) inserts an inline <script>, which the
// application's Content-Security-Policy (no 'unsafe-inline') blocks, as
// it should.  page.evaluate() runs the source through the DevTools
// protocol instead, which the page's CSP does not govern, so the page is
// tested under its real policy and no context needs bypassCSP.
export async function axe(page, options = {}) {
	axeSource ??= fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
	if (!(await page.evaluate('typeof window.axe === "object"')))
		await page.evaluate(axeSource);
	const res = await page.evaluate(async (opts) => {
		const r = await window.axe.run(document, {
			resultTypes: ['violations'],
			runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a',
			    'wcag21aa', 'wcag22aa', 'best-practice'] },
			...opts,
		});
		return r.violations.map((v) => ({
			id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
			targets: v.nodes.map((n) => n.target.join(' ')),
			summary: v.nodes.slice(0, 3).map((n) => n.failureSummary),
		}));
	}, options);
	return res;
}

function describeViolations(vs) {
	return vs.map((v) => `${v.id} (${v.impact}): ${v.help}\n` +
	    `  targets: ${v.targets.slice(0, 8).join(', ')}\n  help: ${v.helpUrl}` +
	    (v.summary[0] ? `\n  ${v.summary[0].replace(/\n/g, '\n  ')}` : '')).join('\n');
}

// -- visiting a page --------------------------------------------------------

// Watch a page for CSP violations, script errors and failed subresources;
// returns a function that gives (and clears) what was seen.
export function watch(page) {
	if (page.__chWatch)
		return page.__chWatch;
	let seen = [];
	page.on('console', (m) => {
		// A failed load is reported below with its URL, and an error
		// page is itself a "failed" load: only other errors count here.
		if (m.type() === 'error' && !m.text().startsWith('Failed to load resource'))
			seen.push(`console: ${m.text()}`);
	});
	page.on('pageerror', (e) => seen.push(`script error: ${e.message}`));
	page.on('requestfailed', (r) => {
		// A navigation cancels the page's own requests still in flight
		// (a preview the person's Save overtook): not a failure.
		if (r.failure()?.errorText === 'net::ERR_ABORTED' &&
		    ['fetch', 'xhr'].includes(r.resourceType()))
			return;
		seen.push(`request failed: ${r.url()} ${r.failure()?.errorText}`);
	});
	page.on('response', (r) => {
		if (r.request().resourceType() !== 'document' && r.status() >= 400)
			seen.push(`subresource ${r.url()} answered ${r.status()}`);
	});
	page.__chWatch = () => { const s = seen; seen = []; return s; };
	return page.__chWatch;
}

// Go to path (or just check the page as it is when path is null), then:
// the status is `status`, a full-page screenshot is saved as NAME.png,
// nothing went wrong in the console (CSP violations show there), and
// axe-core finds no serious or critical violation.  opts: status
// (default 200), axe (default true), axeOptions.  Returns the response.
export async function visit(t, page, urlPath, name, opts = {}) {
	const want = opts.status ?? 200;
	const problems = watch(page);
	let resp = null;
	if (urlPath !== null) {
		resp = await page.goto(urlPath, { waitUntil: 'load' });
		t.eq(resp?.status(), want, `${name}: GET ${urlPath} answers ${want}`);
	}
	await screenshot(page, name);
	const p = problems();
	t.ok(p.length === 0, `${name}: no console error, CSP violation or failed subresource`, p.join('\n'));
	if (opts.axe === false)
		return resp;
	const vs = await axe(page, opts.axeOptions);
	const bad = vs.filter((v) => FAILING_IMPACTS.has(v.impact));
	const minor = vs.filter((v) => !FAILING_IMPACTS.has(v.impact));
	if (vs.length > 0)
		fs.writeFileSync(path.join(artifactsDir(), `${name}.axe.json`),
		    JSON.stringify(vs, null, 2) + '\n');
	t.ok(bad.length === 0, `${name}: axe-core finds no serious or critical violation`,
	    describeViolations(bad));
	if (minor.length > 0)
		t.note(`${name}: axe-core, not failing:\n${describeViolations(minor)}`);
	return resp;
}

// -- checks every page should pass ------------------------------------------

// Exactly one <h1> and one main landmark; header, nav and footer present.
export async function checkLandmarks(t, page, name) {
	const c = await page.evaluate(() => ({
		h1: document.querySelectorAll('h1').length,
		main: document.querySelectorAll('main, [role="main"]').length,
		banner: document.querySelectorAll('body > header, [role="banner"]').length,
		nav: document.querySelectorAll('nav, [role="navigation"]').length,
		footer: document.querySelectorAll('body > footer, [role="contentinfo"]').length,
		lang: document.documentElement.lang,
		title: document.title,
	}));
	t.eq(c.h1, 1, `${name}: exactly one <h1>`);
	t.eq(c.main, 1, `${name}: exactly one main landmark`);
	t.ok(c.banner === 1 && c.nav >= 1 && c.footer === 1,
	    `${name}: header, navigation and footer landmarks`, c);
	t.ok(c.lang !== '' && c.title.trim() !== '', `${name}: a language and a title`, c);
}

// The focus ring of the focused element: "none" when there is none.
async function focusRing(page) {
	return page.evaluate(() => {
		const e = document.activeElement;
		if (!e || e === document.body)
			return { tag: null };
		const s = getComputedStyle(e);
		const r = e.getBoundingClientRect();
		return {
			tag: e.tagName.toLowerCase(),
			text: (e.textContent || e.value || '').trim().slice(0, 40),
			href: e.getAttribute('href'),
			outline: s.outlineStyle === 'none' || parseFloat(s.outlineWidth) === 0 ?
			    'none' : `${s.outlineWidth} ${s.outlineStyle} ${s.outlineColor}`,
			shadow: s.boxShadow,
			visible: r.width > 0 && r.height > 0 && r.bottom > 0 &&
			    r.right > 0 && r.top < innerHeight && r.left < innerWidth,
		};
	});
}

// Start the next Tab from the top of the page: blur() alone keeps the
// sequential focus starting point where the focus was.
export async function focusTop(page) {
	await page.evaluate(() => {
		const s = document.createElement('span');
		s.tabIndex = -1;
		document.body.prepend(s);
		s.focus();
		s.remove();
		window.scrollTo(0, 0);
	});
}

// Tab from the top of the page: the first stop is the skip link, and it
// and the next `stops` elements each show a focus ring while on screen.
export async function checkKeyboardFocus(t, page, name, stops = 2) {
	await focusTop(page);
	for (let i = 0; i < stops; i++) {
		await page.keyboard.press('Tab');
		const f = await focusRing(page);
		if (i === 0)
			t.ok(f.tag === 'a' && f.href === '#main',
			    `${name}: the first Tab reaches the skip link`, f);
		t.ok(f.tag !== null && f.visible && (f.outline !== 'none' || (f.shadow && f.shadow !== 'none')),
		    `${name}: Tab stop ${i + 1} (${f.tag} "${f.text}") shows a visible focus ring`, f);
	}
}

// The skip link moves keyboard focus to <main>.
export async function checkSkipLink(t, page, name) {
	await focusTop(page);
	await page.keyboard.press('Tab');
	await page.keyboard.press('Enter');
	const id = await page.evaluate(() => document.activeElement?.id ||
	    document.activeElement?.tagName.toLowerCase());
	t.eq(id, 'main', `${name}: the skip link moves focus to main`);
}

// Nothing wider than the viewport: the page never scrolls sideways.
export async function checkNoSideScroll(t, page, name) {
	const m = await page.evaluate(() => {
		const wide = [...document.querySelectorAll('body *')]
		    .filter((e) => e.getBoundingClientRect().right > innerWidth + 1)
		    .slice(0, 5).map((e) => e.tagName.toLowerCase() +
		    (e.id ? '#' + e.id : '') + (e.className ? '.' + String(e.className).replace(/ /g, '.') : ''));
		return { scrollWidth: document.scrollingElement.scrollWidth, innerWidth, wide };
	});
	t.ok(m.scrollWidth <= m.innerWidth, `${name}: no horizontal scrolling ` +
	    `(${m.scrollWidth} <= ${m.innerWidth})`, m);
}

// On a touch screen every link in the header, button and form control is
// at least 44px tall (WCAG 2.5.5), unless it is a link inside a sentence.
export async function checkTouchTargets(t, page, name) {
	const small = await page.evaluate(() => [...document.querySelectorAll(
	    'header a, nav a, button, .button, input:not([type="hidden"]):not([type="checkbox"]):not([type="radio"]), select, textarea, .check')]
	    .filter((e) => e.getClientRects().length > 0 && !e.closest('.skip') && !e.classList.contains('skip'))
	    .map((e) => ({ e: e.tagName.toLowerCase() + ' ' + (e.textContent || e.name || '').trim().slice(0, 30),
		h: Math.round(e.getBoundingClientRect().height) }))
	    .filter((x) => x.h < 44));
	t.ok(small.length === 0, `${name}: controls are at least 44px tall on a touch screen`, small);
}

// -- mail -------------------------------------------------------------------

// The decoded text of a quoted-printable body (RFC 2045 section 6.7).
export function unqp(s) {
	return s.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g,
	    (_, h) => String.fromCharCode(parseInt(h, 16)));
}

// Wait for a message to `to` (in $CH_MAIL_DIR, where the SMTP catcher
// writes) whose body links to `route` with a token; returns the link.
export async function mailedLink(to, route, timeoutMs = 30000) {
	const dir = process.env.CH_MAIL_DIR;
	const end = Date.now() + timeoutMs;
	const re = new RegExp(`https?://\\S+${route.replace(/\//g, '\\/')}\\?token=[A-Za-z0-9_-]{43}`);
	while (Date.now() < end) {
		for (const f of dir && fs.existsSync(dir) ? fs.readdirSync(dir) : []) {
			if (!f.endsWith('.eml'))
				continue;
			const raw = fs.readFileSync(path.join(dir, f), 'utf8');
			if (!new RegExp(`^To: .*${to}`, 'mi').test(raw))
				continue;
			const m = unqp(raw).match(re);
			if (m)
				return m[0];
		}
		await new Promise((r) => setTimeout(r, 200));
	}
	return null;
}
