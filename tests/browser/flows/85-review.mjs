// 85-review.mjs: the review loop on a post's page.  The editor suggests
// without JavaScript (quoting a passage) and with it (choosing the
// passage in the source text), suggests an insertion and comments, on
// the post and on a passage (quoted, and chosen in the source text); the
// author, told by the inbox count in the header, accepts one, declines
// one with a reply, answers the comment and accepts all that is left;
// the inbox count changes, and marking all read clears it.  Every page
// is screenshotted and checked by axe-core; the post page also on a
// phone.
//
// test_browser.py creates the approved unit "quay" (rv-author@example.org
// owns it, rv-editor@example.org is an editor) and the post
// $CH_REVIEW_POST by rv-author: "The café opens at nine." and "The quick
// brown fox jumps over the lazy dog." in two paragraphs.

async function submit(page, locator) {
	await locator.click();
	await page.waitForLoadState('load');
}

// The unread count the header shows (0 when none).
async function unread(page) {
	const c = page.locator('header .inbox-link .count');
	if (!(await c.count()))
		return 0;
	return parseInt(await c.innerText(), 10);
}

// The list item of the open suggestion whose change includes text.
function note(page, text) {
	return page.locator('li.note').filter({ hasText: text });
}

export default async function ({ browser, base, t, lib }) {
	const id = process.env.CH_REVIEW_POST;
	if (!process.env.CH_PERSON_PW || !id) {
		t.ok(false, 'review: CH_PERSON_PW and CH_REVIEW_POST are set by test_browser.py');
		return;
	}
	const post = `/posts/${id}`;

	// -- the editor, without JavaScript --------------------------------------
	const plain = await lib.login(browser, base, 'rv-editor@example.org',
	    { javaScriptEnabled: false });
	// axe-core runs in the page: without JavaScript it checks nothing.
	await lib.visit(t, plain.page, post, 'rv-post-editor-nojs', { axe: false });
	let form = plain.page.locator('#suggest-form');
	await form.getByLabel('Passage to change').fill('nine');
	await form.getByLabel('Replace it with').fill('ten');
	await form.getByLabel('Comment (optional)').fill('We open at ten now.');
	await submit(plain.page, form.getByRole('button', { name: 'Suggest' }));
	await lib.visit(t, plain.page, null, 'rv-suggested-nojs', { axe: false });
	t.ok(await plain.page.getByRole('status').getByText('Your suggestion is beside the text').isVisible(),
	    'review: a suggestion made without JavaScript is taken');
	t.ok(await note(plain.page, 'ten').locator('del', { hasText: 'nine' }).isVisible(),
	    'review: it shows the original struck beside the paragraph');

	// a passage that is not there: the form again, naming it
	form = plain.page.locator('#suggest-form');
	await form.getByLabel('Passage to change').fill('at noon');
	await form.getByLabel('Replace it with').fill('at one');
	await submit(plain.page, form.getByRole('button', { name: 'Suggest' }));
	await lib.visit(t, plain.page, null, 'rv-passage-missing', { axe: false });
	t.eq(await plain.page.getByLabel('Passage to change').getAttribute('aria-invalid'), 'true',
	    'review: a passage not in the text is marked');
	t.eq(await plain.page.getByLabel('Replace it with').inputValue(), 'at one',
	    'review: what was typed is kept');

	// an insertion, still without JavaScript
	const ins = plain.page.locator('form', { has: plain.page.getByLabel('Text to insert') });
	await ins.getByLabel('Insert after this passage').fill('The quick');
	await ins.getByLabel('Text to insert').fill(' and clever');
	await submit(plain.page, ins.getByRole('button', { name: 'Suggest the insertion' }));
	t.ok(await note(plain.page, 'and clever').isVisible(), 'review: the insertion is beside the text');

	// a comment
	await plain.page.getByLabel('Comment on the post').fill('Is the fox too quick?');
	await submit(plain.page, plain.page.getByRole('button', { name: 'Comment', exact: true }));
	t.ok(await plain.page.getByText('Is the fox too quick?').isVisible(), 'review: the comment is posted');

	// a comment on a quoted passage, shown beside its paragraph
	form = plain.page.locator('#span-form');
	await form.getByLabel('Passage').fill('lazy dog');
	await form.getByLabel('Your comment').fill('Which dog is it?');
	await submit(plain.page, form.getByRole('button', { name: 'Comment on the passage' }));
	await lib.visit(t, plain.page, null, 'rv-span-comment-nojs', { axe: false });
	const beside = plain.page.locator('.para-notes li.span-comment').filter({ hasText: 'Which dog is it?' });
	t.ok(await beside.locator('blockquote', { hasText: 'lazy dog' }).isVisible(),
	    'review: a comment on a passage, made without JavaScript, is beside its paragraph with the quote');
	await plain.ctx.close();

	// -- the editor, with JavaScript: a passage chosen in the source text --------
	const ed = await lib.login(browser, base, 'rv-editor@example.org');
	await lib.visit(t, ed.page, post, 'rv-post-editor');
	await lib.checkLandmarks(t, ed.page, 'rv-post-editor');
	await ed.page.locator('details.source summary').click();
	await ed.page.evaluate(() => {
		const pre = document.getElementById('source');
		const node = pre.firstChild;
		const i = node.data.indexOf('lazy');
		const r = document.createRange();
		r.setStart(node, i);
		r.setEnd(node, i + 4);
		const sel = window.getSelection();
		sel.removeAllRanges();
		sel.addRange(r);
		pre.dispatchEvent(new MouseEvent('mouseup', { bubbles: true }));
	});
	form = ed.page.locator('#suggest-form');
	t.eq(await form.getByLabel('Passage to change').inputValue(), 'lazy',
	    'review: selecting in the source text fills the passage');
	t.eq(await form.locator('input[name="start"]').inputValue(),
	    String('The café opens at nine.\n\nThe quick brown fox jumps over the '.length),
	    'review: with its place in code points');
	await form.getByLabel('Replace it with').fill('sleepy');
	await submit(ed.page, form.getByRole('button', { name: 'Suggest' }));
	t.ok(await note(ed.page, 'sleepy').isVisible(), 'review: the chosen passage is suggested');

	// a comment on a passage chosen in the source text
	await ed.page.locator('details.source summary').click();
	await ed.page.evaluate(() => {
		const pre = document.getElementById('source');
		const node = pre.firstChild;
		const i = node.data.indexOf('café');
		const r = document.createRange();
		r.setStart(node, i);
		r.setEnd(node, i + 4);
		const sel = window.getSelection();
		sel.removeAllRanges();
		sel.addRange(r);
		pre.dispatchEvent(new MouseEvent('mouseup', { bubbles: true }));
	});
	form = ed.page.locator('#span-form');
	t.eq(await form.getByLabel('Passage').inputValue(), 'café',
	    'review: selecting in the source text fills the passage of the comment form too');
	t.eq(await form.locator('input[name="start"]').inputValue(), '4',
	    'review: with its place in code points');
	await form.getByLabel('Your comment').fill('Café or cafe?');
	await submit(ed.page, form.getByRole('button', { name: 'Comment on the passage' }));
	await lib.visit(t, ed.page, null, 'rv-span-comment');
	t.ok(await ed.page.locator('.para-notes li.span-comment').filter({ hasText: 'Café or cafe?' })
	    .locator('blockquote', { hasText: 'café' }).isVisible(),
	    'review: the comment on the chosen passage is beside its paragraph');
	await ed.ctx.close();

	// -- the author ---------------------------------------------------------------
	const au = await lib.login(browser, base, 'rv-author@example.org');
	await lib.visit(t, au.page, post, 'rv-post-author');
	const before = await unread(au.page);
	t.ok(before >= 4, `review: the header shows the author's unread count (${before})`);
	await submit(au.page, note(au.page, 'ten').getByRole('button', { name: /^Accept/ }));
	t.ok(await au.page.getByRole('status').getByText('accepted').isVisible(),
	    'review: the author accepts one');
	const sleepy = note(au.page, 'sleepy');
	await sleepy.locator('summary').click();
	await sleepy.getByLabel('Reply (optional)').fill('The dog is lazy indeed.');
	await submit(au.page, sleepy.getByRole('button', { name: /^Decline suggestion/ }));
	t.ok(await au.page.locator('#decided').getByText('The dog is lazy indeed.').isVisible(),
	    'review: declines one with a reply');
	const thread = au.page.locator('article.thread').filter({ hasText: 'Is the fox too quick?' });
	await thread.locator('summary').click();
	await thread.getByLabel('Your answer').fill('Just quick enough.');
	await submit(au.page, thread.getByRole('button', { name: 'Answer' }));
	await lib.visit(t, au.page, null, 'rv-answered');
	t.ok(await au.page.locator('article.thread').getByText('Just quick enough.').isVisible(),
	    'review: answers the comment in its thread');
	await submit(au.page, au.page.getByRole('button', { name: 'Accept all' }));
	await lib.visit(t, au.page, null, 'rv-accepted-all');
	t.ok(await au.page.getByRole('status').getByText('accepted into one new revision: 1').isVisible(),
	    'review: accepts all that is left');
	t.ok(await au.page.locator('.para-text').getByText('The quick and clever brown fox').isVisible(),
	    'review: the text has the insertion');

	// -- the inbox ------------------------------------------------------------
	await lib.visit(t, au.page, '/inbox', 'rv-inbox');
	t.ok(await au.page.getByRole('link', { name: /suggested a change to/ }).first().isVisible(),
	    'review: the inbox lists the suggestions');
	const n = await unread(au.page);
	await submit(au.page, au.page.getByRole('button', { name: /^Mark read/ }).first());
	t.eq(await unread(au.page), n - 1, 'review: Mark read lowers the count by one');
	await submit(au.page, au.page.getByRole('button', { name: 'Mark all read' }));
	await lib.visit(t, au.page, null, 'rv-inbox-read');
	t.eq(await unread(au.page), 0, 'review: Mark all read clears the count');
	await au.ctx.close();

	// -- on a phone ------------------------------------------------------------
	const phone = await lib.login(browser, base, 'rv-author@example.org', { phone: true });
	await lib.visit(t, phone.page, post, 'rv-post-phone');
	await lib.checkNoSideScroll(t, phone.page, 'rv-post-phone');
	await lib.visit(t, phone.page, '/inbox', 'rv-inbox-phone');
	await lib.checkNoSideScroll(t, phone.page, 'rv-inbox-phone');
	await phone.ctx.close();
}
