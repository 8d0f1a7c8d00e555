// 92-training.mjs: training, in the browser.  HR follows the header's
// "Training" link, writes a hub course with the writers' form (adding a
// question slot by the form's own round trip) and assigns it to the unit
// "wharf" from the course page.  The job worker runs once and the member
// tr-member is mailed; they follow the mail's link, read both lessons,
// fail the quiz, pass it, and find the badge on their account.  The
// unit's editor, reviewing the member's draft, sees the badge beside the
// author's name.  HR follows "Training reports" from My training, filters
// by the course and finds 1 of 2 completed in wharf, in the table and in
// the chart's bar of this week.  Every page is screenshotted and checked by axe-core, on
// a desktop and on a phone.
//
// test_browser.py creates tr-hr (hub role hr), the approved unit "wharf"
// with tr-member (author) and tr-editor (editor), all having accepted
// the rules, tr-member's draft $CH_TRAIN_POST, and gives the worker's
// command in $CH_WORKER_ONCE (a JSON array).

import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

async function submit(page, locator) {
	await locator.click();
	await page.waitForLoadState('load');
}

// The newest message to `to` in $CH_MAIL_DIR whose text holds `want`.
async function mailed(to, want, timeoutMs = 20000) {
	const dir = process.env.CH_MAIL_DIR;
	const end = Date.now() + timeoutMs;
	while (Date.now() < end) {
		for (const f of dir && fs.existsSync(dir) ? fs.readdirSync(dir) : []) {
			if (!f.endsWith('.eml'))
				continue;
			const raw = fs.readFileSync(path.join(dir, f), 'utf8');
			if (new RegExp(`^To: .*${to}`, 'mi').test(raw) && raw.includes(want))
				return raw;
		}
		await new Promise((r) => setTimeout(r, 200));
	}
	return null;
}

const TITLE = 'Speaking to the press';

export default async function ({ browser, base, t, lib }) {
	if (!process.env.CH_PERSON_PW || !process.env.CH_WORKER_ONCE) {
		t.ok(false, 'training: CH_PERSON_PW and CH_WORKER_ONCE are set by test_browser.py');
		return;
	}
	const hr = await lib.login(browser, base, 'tr-hr@example.org');
	const hp = hr.page;
	await hp.goto('/');
	await submit(hp, hp.getByRole('navigation', { name: 'Main' })
	    .getByRole('link', { name: 'Training' }));
	t.eq(new URL(hp.url()).pathname, '/training',
	    'training: the header links to My training');
	await lib.visit(t, hp, null, 'tr-mine-hr');
	await lib.checkLandmarks(t, hp, 'tr-mine-hr');

	// -- HR writes a course ----------------------------------------------------
	await submit(hp, hp.getByRole('link', { name: 'Write a course' }));
	await lib.visit(t, hp, null, 'tr-new');
	await hp.getByLabel('Title', { exact: true }).fill(TITLE);
	await hp.getByLabel('Summary').fill('Who speaks, and what to say.');
	await hp.getByLabel('Minutes').fill('15');
	await hp.getByLabel('Published').check();
	await hp.getByLabel('Title of lesson 1', { exact: true }).fill('Who speaks');
	await hp.getByLabel('Text of lesson 1', { exact: true }).fill('The **press office** speaks.');
	await hp.getByLabel('Title of lesson 2', { exact: true }).fill('What to say');
	await hp.getByLabel('Text of lesson 2', { exact: true }).fill('Facts only.');
	await hp.getByLabel('Pass mark').fill('100');
	await hp.getByLabel('Question 1', { exact: true }).fill('Who speaks to the press?');
	await hp.getByLabel('Choices of question 1', { exact: true }).fill('Anyone\nThe press office');
	await submit(hp, hp.getByRole('button', { name: 'Add a question' }));
	t.ok(await hp.getByLabel('Question 2', { exact: true }).isVisible() &&
	    await hp.getByLabel('Text of lesson 1', { exact: true }).inputValue() === 'The **press office** speaks.',
	    'training: "Add a question" brings a second slot and keeps what was typed');
	await submit(hp, hp.getByRole('button', { name: 'Save the course' }));
	await lib.visit(t, hp, null, 'tr-new-invalid');
	t.eq(await hp.getByLabel('Right choices of question 1', { exact: true }).getAttribute('aria-invalid'),
	    'true', 'training: a question without its right choice is marked');
	await hp.getByLabel('Right choices of question 1', { exact: true }).fill('2');
	await submit(hp, hp.getByRole('button', { name: 'Save the course' }));
	t.ok(await hp.getByRole('status').getByText('The course is saved.').isVisible(),
	    'training: HR saved the course');
	await lib.visit(t, hp, null, 'tr-course-hr');

	// -- and assigns it to wharf -----------------------------------------------
	const soon = new Date(Date.now() + 7 * 86400000).toISOString().slice(0, 10);
	await hp.getByLabel('Every member of a unit').fill('wharf');
	await hp.getByLabel('Due (optional)').fill(soon);
	await hp.getByLabel('Note (optional)').fill('Before the regatta');
	await submit(hp, hp.getByRole('button', { name: 'Assign' }));
	t.ok(await hp.getByRole('status').getByText(/The course is assigned/).isVisible(),
	    'training: HR assigned the course to wharf');

	// -- the worker mails the member ---------------------------------------------
	const [cmd, ...args] = JSON.parse(process.env.CH_WORKER_ONCE);
	execFileSync(cmd, args, { stdio: 'ignore' });
	const mail = await mailed('tr-member@example.org', TITLE);
	t.ok(mail !== null && /due \d{4}-\d\d-\d\d/.test(lib.unqp(mail)),
	    'training: the member is mailed the course and its due day');
	const link = mail && lib.unqp(mail).match(/https?:\/\/\S+\/courses\/\d+/);

	// -- the member reads, fails, passes -----------------------------------------
	const mem = await lib.login(browser, base, 'tr-member@example.org');
	const mp = mem.page;
	await lib.visit(t, mp, '/training', 'tr-mine-member');
	t.ok(await mp.getByRole('region', { name: 'Assigned to you' })
	    .getByRole('link', { name: TITLE }).isVisible(),
	    'training: My training lists the course as assigned');
	await lib.visit(t, mp, link ? new URL(link[0]).pathname : '/training', 'tr-course');
	await submit(mp, mp.getByRole('link', { name: 'Who speaks' }));
	await lib.visit(t, mp, null, 'tr-lesson');
	t.ok(await mp.locator('.prose strong', { hasText: 'press office' }).isVisible(),
	    'training: the lesson is rendered CommonMark');
	await submit(mp, mp.getByRole('button', { name: /Mark as read/ }));
	t.ok((await mp.getByRole('heading', { level: 1 }).textContent()).includes('What to say'),
	    'training: marking read goes on to the next lesson');
	await submit(mp, mp.getByRole('button', { name: /Mark as read/ }));
	t.ok(await mp.getByText('2 of 2 read.').isVisible(),
	    'training: both lessons are marked read');
	await submit(mp, mp.getByRole('link', { name: 'Take the quiz' }));
	await lib.visit(t, mp, null, 'tr-quiz');
	t.ok(!(await mp.content()).toLowerCase().includes('correct'),
	    'training: the quiz page holds no right answer');
	await mp.getByLabel('Anyone').check();
	await submit(mp, mp.getByRole('button', { name: 'Send my answers' }));
	await lib.visit(t, mp, null, 'tr-result-failed');
	t.ok(await mp.getByText(/You scored 0%: not passed/).isVisible(),
	    'training: a wrong answer fails');
	await submit(mp, mp.getByRole('link', { name: 'Try again' }));
	await mp.getByLabel('The press office').check();
	await submit(mp, mp.getByRole('button', { name: 'Send my answers' }));
	t.ok(await mp.getByText(/You scored 100%: passed/).isVisible(),
	    'training: the right answer passes');
	await lib.visit(t, mp, '/account', 'tr-account');
	t.ok(await mp.getByRole('list', { name: 'Courses completed' })
	    .getByText(TITLE).isVisible(), 'training: the badge shows on the account');

	// -- the editor sees it beside the author of a draft --------------------------
	const edc = await lib.login(browser, base, 'tr-editor@example.org');
	await lib.visit(t, edc.page, `/posts/${process.env.CH_TRAIN_POST}`, 'tr-review');
	t.ok(await edc.page.getByRole('list', { name: 'Courses completed' })
	    .getByText(TITLE).isVisible(),
	    'training: the reviewer sees the badge beside the author of the draft');

	// -- HR's report counts 1 of 2, and so does its chart --------------------------
	const course = link ? new URL(link[0]).pathname : '/training';
	const report = `/reports/training?course=${course.split('/').pop()}`;
	await lib.visit(t, hp, '/training', 'tr-mine-hr-after');
	await submit(hp, hp.getByRole('link', { name: 'Training reports' }));
	t.eq(new URL(hp.url()).pathname, '/reports/training',
	    'training: My training links HR to the reports');
	await hp.getByLabel('Course', { exact: true }).selectOption(course.split('/').pop());
	await submit(hp, hp.getByRole('button', { name: 'Show' }));
	t.eq(new URL(hp.url()).searchParams.get('course'), course.split('/').pop(),
	    'training: the filter is a plain GET form');
	await lib.visit(t, hp, null, 'tr-report-hr');
	await lib.checkLandmarks(t, hp, 'tr-report-hr');
	const cell = hp.getByRole('table', { name: /Completed of assigned/ })
	    .getByRole('row').filter({ has: hp.locator(`a[href="${course}"]`) });
	t.ok((await cell.textContent()).includes('1 of 2 completed'),
	    'training: HR\'s report counts 1 of 2 in wharf');
	const chart = hp.getByRole('img', { name: 'Completions per week' });
	t.ok(await chart.isVisible(), 'training: the chart is an image named by its title');
	const bars = chart.locator('rect');
	const last = (await bars.count()) - 1;
	t.ok(last >= 0 && (await bars.nth(last).locator('title').textContent()).endsWith(': 1'),
	    'training: the chart\'s bar of this week counts 1');
	const weeks = hp.getByRole('table', { name: 'Courses completed each week' })
	    .getByRole('row');
	t.eq((await weeks.last().getByRole('cell').textContent()).trim(), '1',
	    'training: the table beside the chart counts 1 this week');
	const mhp = await mem.page.goto(report);
	t.eq(mhp.status(), 403, 'training: the member may not read the reports');

	// -- on a phone --------------------------------------------------------------
	const ph = await lib.login(browser, base, 'tr-member@example.org', { phone: true });
	for (const [p, name] of [['/training', 'tr-mine-phone'], [course, 'tr-course-phone'],
	    [`${course}/lessons/1`, 'tr-lesson-phone'], [`${course}/quiz`, 'tr-quiz-phone']]) {
		await lib.visit(t, ph.page, p, name);
		await lib.checkNoSideScroll(t, ph.page, name);
	}
	const hph = await lib.login(browser, base, 'tr-hr@example.org', { phone: true });
	await lib.visit(t, hph.page, '/courses/new', 'tr-new-phone');
	await lib.checkNoSideScroll(t, hph.page, 'tr-new-phone');
	await lib.visit(t, hph.page, report, 'tr-report-phone');
	await lib.checkNoSideScroll(t, hph.page, 'tr-report-phone');
	await hph.ctx.close();
	await ph.ctx.close();
	await edc.ctx.close();
	await mem.ctx.close();
	await hr.ctx.close();
}
