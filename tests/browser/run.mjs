// run.mjs: run the browser flows against a running site and print TAP.
//
//   CH_BASE_URL=http://127.0.0.1:8080 node tests/browser/run.mjs [FLOW...]
//
// Runs every module of flows/ in name order, or only the flows named
// (file name without .mjs).  One Chromium serves all flows; each flow
// makes its own contexts.  Screenshots and axe reports go to
// $CH_BROWSER_ARTIFACTS (default tests/browser/artifacts/ of the build
// directory).  tests/integration/test_browser.py starts a stack and runs
// this; it can also be pointed at `tools/dev up`'s stack by hand.
// Exits 0 when every test passed, 1 otherwise.

import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

import * as lib from './lib.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const base = (process.env.CH_BASE_URL || 'http://127.0.0.1:8080').replace(/\/$/, '');
const limit = Number(process.env.CH_BROWSER_TIMEOUT || 600) * 1000;
const t = new lib.Tap();

const dir = path.join(here, 'flows');
const wanted = process.argv.slice(2);
let flows = fs.readdirSync(dir).filter((f) => f.endsWith('.mjs')).sort();
if (wanted.length > 0) {
	flows = wanted.map((w) => w.endsWith('.mjs') ? w : `${w}.mjs`);
	for (const f of flows)
		if (!fs.existsSync(path.join(dir, f))) {
			console.error(`run.mjs: no flow ${f} in ${dir}`);
			process.exit(2);
		}
}

// A hung browser must not hang make check.
const watchdog = setTimeout(() => {
	t.line(`Bail out! the browser flows did not finish in ${limit / 1000} s`);
	process.exit(1);
}, limit);
watchdog.unref();

t.note(`browser flows against ${base}: ${flows.join(', ')}`);
lib.cleanArtifacts();
let browser;
try {
	browser = await lib.launch();
	t.note(`Chromium ${browser.version()}, artifacts in ${lib.artifactsDir()}`);
} catch (e) {
	t.ok(false, 'Chromium starts', e.stack || String(e));
	process.exit(t.end());
}

for (const f of flows) {
	const name = f.replace(/\.mjs$/, '');
	const started = Date.now();
	try {
		const mod = await import(pathToFileURL(path.join(dir, f)).href);
		await mod.default({ browser, base, t, lib });
	} catch (e) {
		t.ok(false, `flow ${name} runs to its end`, e.stack || String(e));
	}
	t.note(`flow ${name}: ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

await browser.close();
process.exit(t.end());
