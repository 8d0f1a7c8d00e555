// 30-accounts.mjs: a person signs up, confirms through the link the SMTP
// server received, accepts the use rules, logs out and logs in again; a
// wrong password and a mismatched sign-up show clear errors.  Every page
// is screenshotted and checked by axe-core.
//
// The stack's mail goes through "chapterhouse worker" to the aiosmtpd
// catcher, which writes each message as a file in $CH_MAIL_DIR; the
// hub's use rules (version 1) are published by test_browser.py.

const PW = 'walnut glacier pavilion 9';

export default async function ({ browser, base, t, lib }) {
	if (!process.env.CH_MAIL_DIR) {
		t.ok(false, 'accounts: CH_MAIL_DIR names the SMTP catcher\'s directory');
		return;
	}
	const email = `ada.${Date.now()}@example.org`;
	const ctx = await lib.newContext(browser, base);
	const page = await ctx.newPage();

	// -- sign up, with a mistake first -----------------------------------
	await lib.visit(t, page, '/signup', 'accounts-signup');
	await lib.checkLandmarks(t, page, 'accounts-signup');
	await page.getByLabel('Your name').fill('Ada Lovelace');
	await page.getByLabel('E-mail address').fill(email);
	await page.getByLabel('Password', { exact: true }).fill(PW);
	await page.getByLabel('Password again').fill(PW + ' typo');
	await page.getByRole('button', { name: 'Create account' }).click();
	await page.waitForLoadState('load');
	await lib.visit(t, page, null, 'accounts-signup-mismatch');
	t.ok(await page.getByRole('alert').isVisible(),
	    'accounts: a mismatched password shows an alert');
	t.eq(await page.getByLabel('Password again').getAttribute('aria-invalid'), 'true',
	    'accounts: the second password field is marked invalid');
	t.eq(await page.getByLabel('E-mail address').inputValue(), email,
	    'accounts: the address typed is kept');

	await page.getByLabel('Password', { exact: true }).fill(PW);
	await page.getByLabel('Password again').fill(PW);
	await page.getByRole('button', { name: 'Create account' }).click();
	await page.waitForLoadState('load');
	await lib.visit(t, page, null, 'accounts-signup-done');
	t.eq(await page.locator('h1').textContent(), 'Check your e-mail',
	    'accounts: sign-up asks to check the mail');

	// -- confirm through the link the SMTP server received ----------------
	const link = await lib.mailedLink(email, '/confirm');
	t.ok(link !== null, 'accounts: the confirmation mail reached the SMTP server with a link');
	if (link === null) {
		await ctx.close();
		return;
	}
	t.ok(link.startsWith(base), 'accounts: the link points at the site', link);
	await lib.visit(t, page, link, 'accounts-confirm');
	await page.getByRole('button', { name: 'Confirm my address' }).click();
	await page.waitForLoadState('load');

	// -- the use rules come first ----------------------------------------
	t.ok(new URL(page.url()).pathname === '/rules',
	    'accounts: after confirming, the person is asked to accept the use rules', page.url());
	await lib.visit(t, page, null, 'accounts-rules');
	await page.getByRole('button', { name: 'I accept these rules' }).click();
	await page.waitForLoadState('load');
	t.eq(new URL(page.url()).pathname, '/', 'accounts: accepting leads on to the site');
	const nav = page.getByRole('navigation', { name: 'Main' });
	t.ok(await nav.getByText('Ada Lovelace').isVisible(), 'accounts: the header names the person');
	await lib.visit(t, page, '/account', 'accounts-account');

	// -- log out, then a wrong password, then the right one ---------------
	await page.getByRole('button', { name: 'Log out' }).click();
	await page.waitForLoadState('load');
	t.ok(await nav.getByRole('link', { name: 'Log in' }).isVisible(),
	    'accounts: after logging out the header offers "Log in"');
	await lib.visit(t, page, '/login', 'accounts-login');
	await page.getByLabel('E-mail address').fill(email);
	await page.getByLabel('Password').fill('not my password at all');
	await page.getByRole('button', { name: 'Log in' }).click();
	await page.waitForLoadState('load');
	await lib.visit(t, page, null, 'accounts-login-wrong');
	t.ok(/the e-mail address or the password is wrong/.test(
	    await page.getByRole('alert').textContent()),
	    'accounts: a wrong password shows a clear error');
	t.eq(await page.getByLabel('Password').getAttribute('aria-invalid'), 'true',
	    'accounts: the password field is marked');
	await page.getByLabel('Password').fill(PW);
	await page.getByRole('button', { name: 'Log in' }).click();
	await page.waitForLoadState('load');
	t.eq(new URL(page.url()).pathname, '/', 'accounts: the right password logs in');
	t.ok(await nav.getByText('Ada Lovelace').isVisible(), 'accounts: signed in again');
	await lib.visit(t, page, '/rules', 'accounts-rules-accepted');
	t.ok(await page.getByText(/You accepted this version/).isVisible(),
	    'accounts: the rules page says when they were accepted');
	await ctx.close();
}
