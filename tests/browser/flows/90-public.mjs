// 90-public.mjs: the public face, in the browser.  An author publishes a
// post through the JSON API; at once a visitor without an account reads
// it on its public page (desktop and phone), on the unit's page, the
// tag's page and the front page; the author withdraws it and the same
// address answers 410 Gone within a second (nginx keeps a public page
// up to a second), without the text.  Every page passes
// axe-core.
//
// test_browser.py creates pv-author (CH_PERSON_PW), an author of the
// approved unit "harbour", having accepted the rules.

export default async function ({ browser, base, t, lib }) {
	if (!process.env.CH_PERSON_PW) {
		t.ok(false, 'public: CH_PERSON_PW is set by test_browser.py');
		return;
	}
	const actx = await lib.newContext(browser, base);
	const api = actx.request;
	const s = await api.post('/api/v1/session', { data: {
	    email: 'pv-author@example.org', password: process.env.CH_PERSON_PW } });
	const token = (await s.json()).csrf_token;
	const h = { 'X-CSRF-Token': token };
	const c = await api.post('/api/v1/units/harbour/posts', { headers: h, data: {
	    title: 'Harbour open day', body: 'Come **aboard** at noon.\n\nThe pier is open.',
	    tags: ['open day'] } });
	t.eq(c.status(), 201, 'public: the author drafts a post through the API');
	const id = (await c.json()).id;
	// The visitor, signed in nowhere, on a desktop, ready before the
	// author publishes.
	const vctx = await lib.newContext(browser, base);
	const vp = await vctx.newPage();
	const p = await api.post(`/api/v1/posts/${id}/publish`, { headers: h, data: {} });
	const url = (await p.json()).url;
	const published = Date.now();
	t.ok(p.status() === 200 && /\/u\/harbour\/harbour-open-day$/.test(url || ''),
	    'public: publishing answers the public url', url);
	const path = new URL(url).pathname;

	const first = await vp.goto(path, { waitUntil: 'load' });
	const took = Date.now() - published;
	t.ok(first.status() === 200 && took < 1000,
	    `public: the visitor sees it within a second of publishing (${took} ms)`);
	await lib.visit(t, vp, null, 'public-post');
	await lib.checkLandmarks(t, vp, 'public-post');
	t.eq(await vp.getByRole('heading', { level: 1 }).innerText(), 'Harbour open day',
	    'public: the visitor reads the published post');
	t.eq(await vp.locator('.prose strong').innerText(), 'aboard', 'public: its text, rendered');
	t.eq(await vp.locator('link[rel="canonical"]').getAttribute('href'), url,
	    'public: with its canonical address');
	t.ok(await vp.locator('link[rel="alternate"][type="application/atom+xml"]').count() === 1,
	    'public: and its unit\'s feed');
	await vp.getByRole('link', { name: 'open day' }).click();
	await vp.waitForLoadState('load');
	await lib.visit(t, vp, null, 'public-tag');
	t.eq(new URL(vp.url()).pathname, '/t/open%20day', 'public: its tag leads to the tag\'s page');
	t.ok(await vp.getByRole('link', { name: 'Harbour open day' }).isVisible(),
	    'public: which lists it');
	await lib.visit(t, vp, '/u/harbour', 'public-unit');
	await lib.checkLandmarks(t, vp, 'public-unit');
	t.ok(await vp.getByRole('link', { name: 'Harbour open day' }).isVisible(),
	    'public: the unit\'s page lists it');
	await lib.visit(t, vp, '/', 'public-front');
	t.ok(await vp.getByRole('region', { name: 'Latest posts' })
	    .getByRole('link', { name: 'Harbour open day' }).isVisible() &&
	    await vp.getByRole('region', { name: 'Units' })
	    .getByRole('link', { name: 'Harbour Chapter' }).isVisible(),
	    'public: the front page lists it and the unit');

	// On a phone.
	const pctx = await lib.newContext(browser, base, { phone: true });
	const pp = await pctx.newPage();
	for (const [where, name] of [[path, 'public-post-phone'], ['/u/harbour', 'public-unit-phone'],
	    ['/', 'public-front-phone']]) {
		await lib.visit(t, pp, where, name);
		await lib.checkNoSideScroll(t, pp, name);
		await lib.checkTouchTargets(t, pp, name);
	}

	// Withdrawn: Gone.
	const w = await api.post(`/api/v1/posts/${id}/withdraw`, { headers: h, data: {} });
	t.eq(w.status(), 200, 'public: the author withdraws it');
	// nginx keeps a public page up to a second: ask as the visitor.
	const gone = Date.now();
	let st = 0;
	while (st !== 410 && Date.now() - gone < 1500) {
		st = (await vctx.request.get(path)).status();
		if (st !== 410)
			await new Promise((r) => setTimeout(r, 50));
	}
	const tookGone = Date.now() - gone;
	t.ok(st === 410 && tookGone <= 1500,
	    `public: the visitor gets 410 within a second of the withdrawal (${tookGone} ms)`);
	await lib.visit(t, vp, path, 'public-post-withdrawn', { status: 410 });
	t.ok(await vp.getByText('withdrawn').first().isVisible() &&
	    await vp.getByText('aboard').count() === 0,
	    'public: its address says it was withdrawn, without its text');
	while (Date.now() - gone < 1500 && (await (await vctx.request.get('/u/harbour'))
	    .text()).includes('Harbour open day'))
		await new Promise((r) => setTimeout(r, 50));
	await lib.visit(t, vp, '/u/harbour', 'public-unit-after');
	t.eq(await vp.getByRole('link', { name: 'Harbour open day' }).count(), 0,
	    'public: the unit\'s page no longer lists it');
	await pctx.close();
	await vctx.close();
	await actx.close();
}
