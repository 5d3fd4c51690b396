// @ts-check
'use strict';

// npm run test:n8n — the package in a real n8n: packed, installed as a community package, the
// examples imported and executed with n8n's own CLI against the simulator and a local webhook
// receiver, then the webhook example published and run live by `n8n start`.

const assert = require('node:assert/strict');
const http = require('node:http');
const { existsSync, readFileSync } = require('node:fs');
const { join } = require('node:path');

const { startSimulator } = require('../simulator');
const { CACHE, ensureN8n, importExamples, prepareUserFolder, n8n, n8nAsync, startN8n, log } = require('./n8n-runtime');

const API_KEY = 'demo-key-5f2c9e';
let passed = 0;
let failed = 0;

async function check(/** @type {string} */ name, /** @type {() => unknown} */ fn) {
	try {
		await fn();
		passed++;
		log(`✓ ${name}`);
	} catch (error) {
		failed++;
		log(`✗ ${name}\n${/** @type {Error} */ (error).stack}`);
	}
}

/** A webhook receiver that records every request. */
async function receiver() {
	/** @type {{ method: string, path: string, headers: http.IncomingHttpHeaders, body: any }[]} */
	const received = [];
	const server = http.createServer((req, res) => {
		let text = '';
		req.on('data', (c) => (text += c));
		req.on('end', () => {
			let body = text;
			try {
				body = JSON.parse(text);
			} catch {
				// keep the text
			}
			received.push({ method: req.method ?? '', path: req.url ?? '', headers: req.headers, body });
			res.writeHead(200, { 'content-type': 'application/json' });
			res.end('{"ok":true}');
		});
	});
	await new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(undefined)));
	const address = /** @type {import('node:net').AddressInfo} */ (server.address());
	return { origin: `http://127.0.0.1:${address.port}`, received, close: () => new Promise((r) => server.close(() => r(undefined))) };
}

/** The JSON document at the end of `n8n execute --rawOutput`, after its log lines. */
function rawOutput(/** @type {string} */ stdout) {
	const start = stdout.indexOf('\n{');
	const text = start >= 0 ? stdout.slice(start + 1) : stdout.slice(stdout.indexOf('{'));
	return JSON.parse(text);
}


/** Add the workflow_history row `publish:workflow` needs, which `import:workflow` does not write. */
async function addHistory(/** @type {string} */ folder, /** @type {any} */ workflow) {
	const sqlite3 = require(join(CACHE, 'node_modules', 'sqlite3'));
	const db = new sqlite3.Database(join(folder, '.n8n', 'database.sqlite'));
	const run = (/** @type {string} */ sql, /** @type {unknown[]} */ params = []) =>
		new Promise((resolve, reject) => db.run(sql, params, (/** @type {Error | null} */ e) => (e ? reject(e) : resolve(undefined))));
	const columns = await new Promise((resolve, reject) => db.all('PRAGMA table_info(workflow_history)', (/** @type {Error | null} */ e, /** @type {{ name: string }[]} */ rows) => (e ? reject(e) : resolve(rows.map((r) => r.name)))));
	const now = new Date().toISOString().replace('T', ' ').slice(0, 23);
	/** @type {Record<string, unknown>} */
	const values = { versionId: workflow.versionId, workflowId: workflow.id, authors: 'test:n8n', createdAt: now, updatedAt: now, nodes: JSON.stringify(workflow.nodes), connections: JSON.stringify(workflow.connections), name: workflow.name, autosaved: 0 };
	const names = /** @type {string[]} */ (columns).filter((c) => c in values);
	await run(`INSERT OR REPLACE INTO workflow_history (${names.map((n) => `"${n}"`).join(', ')}) VALUES (${names.map(() => '?').join(', ')})`, names.map((n) => values[n]));
	await new Promise((resolve) => db.close(() => resolve(undefined)));
}

async function main() {
	ensureN8n();
	log('packing the package and installing it as a community package…');
	const { folder, tarball } = prepareUserFolder();
	log(`user folder ${folder}, tarball ${tarball}`);

	const sim = await startSimulator({ port: 0, apiKey: API_KEY, speed: 60, seed: 11 });
	const hook = await receiver();
	const files = join(folder, '.n8n-files');
	const workflows = importExamples(folder, { baseUrl: sim.baseUrl, apiKey: API_KEY, webhookOrigin: hook.origin });

	const execute = async (/** @type {string} */ file) => rawOutput(await n8nAsync(folder, ['execute', `--id=${workflows[file].id}`, '--rawOutput']));

	await check("the attendance example, run by n8n execute, posts yesterday's summary as one report", async () => {
		hook.received.length = 0;
		await execute('facespace-daily-attendance.json');
		const reports = hook.received.filter((r) => r.path === '/facespace-attendance');
		assert.equal(reports.length, 1);
		assert.ok(reports[0].body.people.length > 0, 'people in the report');
		assert.deepEqual(Object.keys(reports[0].body.people[0]).sort(), ['cameras', 'firstSeen', 'lastSeen', 'person', 'sightings']);
		assert.equal(reports[0].headers['x-api-key'], undefined);
		assert.ok(sim.requests().every((/** @type {any} */ r) => r.apiKey === 'valid'), 'every FaceSpace request carried the key');
	});

	// the trigger examples run the way users run them: published, with `n8n start` polling live
	log('publishing the trigger examples and starting n8n…');
	for (const file of ['facespace-events-to-webhook.json', 'facespace-events-to-log-file.json']) {
		await addHistory(folder, workflows[file]);
		n8n(folder, ['publish:workflow', `--id=${workflows[file].id}`]);
	}
	hook.received.length = 0;
	sim.clearRequests();
	const port = 5690 + Math.floor(Math.random() * 50);
	const origin = { real: Date.now(), scenario: sim.now() };
	const server = await startN8n(folder, port);
	try {
		await check('n8n loads the nodes with their icons and the credential type', async () => {
			// the editor's type files, as n8n wrote them at start (their URLs need a login)
			const types = join(folder, '.cache', 'n8n', 'public', 'types');
			for (let i = 0; i < 60 && !existsSync(join(types, 'credentials.json')); i++) await new Promise((resolve) => setTimeout(resolve, 500));
			const nodes = /** @type {any[]} */ (JSON.parse(readFileSync(join(types, 'nodes.json'), 'utf8')));
			const ours = nodes.filter((n) => String(n.name).startsWith('n8n-nodes-facespace.'));
			// usableAsTool adds the AI-agent tool variant of the action node
			assert.deepEqual(ours.map((n) => n.name).sort(), ['n8n-nodes-facespace.faceSpace', 'n8n-nodes-facespace.faceSpaceTool', 'n8n-nodes-facespace.faceSpaceTrigger']);
			for (const n of ours) {
				// the editor's routes come up a few seconds after /healthz
				let icon = await fetch(`http://127.0.0.1:${port}/${n.iconUrl.light}`);
				for (let i = 0; i < 60 && icon.status === 404; i++) {
					await new Promise((resolve) => setTimeout(resolve, 500));
					icon = await fetch(`http://127.0.0.1:${port}/${n.iconUrl.light}`);
				}
				assert.equal(icon.status, 200, `icon ${n.iconUrl.light}`);
				assert.match(await icon.text(), /<svg/);
			}
			const credentials = /** @type {any[]} */ (JSON.parse(readFileSync(join(types, 'credentials.json'), 'utf8')));
			assert.ok(credentials.some((c) => c.name === 'faceSpaceApi'));
		});

		await new Promise((resolve) => setTimeout(resolve, 45_000));
		await check('live: the webhook example posts each event with the custom header and without the API key', () => {
			const posts = hook.received.filter((r) => r.path === '/facespace-events');
			assert.ok(posts.length > 0, 'events were posted');
			for (const post of posts) {
				assert.equal(post.headers['x-webhook-token'], 'change-me');
				assert.equal(post.headers['x-api-key'], undefined);
				assert.ok(!JSON.stringify(post).includes(API_KEY));
				assert.match(post.body.event, /^person(Arrived|Left)$/);
			}
		});

		await check('live: the log-file example appends one JSON line per event', () => {
			const path = join(files, 'facespace-events.log');
			assert.ok(existsSync(path), 'the log file exists');
			const lines = readFileSync(path, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
			assert.ok(lines.length > 0);
			for (const line of lines) assert.match(line.event, /^person(Arrived|Left)$/);
			// both workflows watch the same cameras with triggers of their own: the file holds the events the webhook got,
			// give or take a poll at either end
			const what = (/** @type {any} */ e) => `${e.event}|${e.camera}|${e.person}`;
			const posted = new Set(hook.received.filter((r) => r.path === '/facespace-events').map((r) => what(r.body)));
			const common = lines.filter((l) => posted.has(what(l))).length;
			assert.ok(common >= Math.min(lines.length, posted.size) - 6, `${common} of ${lines.length} lines were also posted`);
		});

		await check('live: the receiver got the arrivals the ground truth says happened', async () => {
			const liveEnd = sim.now();
			// the triggers' first poll, on the scenario clock (×60)
			const first = sim.requests().find((/** @type {any} */ r) => r.path.endsWith('/recognition'));
			assert.ok(first, 'the triggers polled');
			const liveStart = origin.scenario + (Date.parse(first.at) - origin.real) * 60;
			const truth = /** @type {any} */ (await (await fetch(`${sim.origin}/__simulator/truth?from=${new Date(liveStart - 3_600_000).toISOString()}`)).json());
			const events = hook.received.filter((r) => r.path === '/facespace-events').map((r) => r.body);
			assert.ok(events.length > 5, `received ${events.length} events`);
			const arrivals = events.filter((e) => e.event === 'personArrived');
			for (const e of arrivals) {
				const match = truth.intervals.some((/** @type {any} */ iv) => iv.camera === e.camera && iv.person === e.person && Date.parse(iv.begin) >= liveStart - 120_000 && Date.parse(iv.begin) <= liveEnd);
				assert.ok(match, `arrival ${e.person} at ${e.camera} is in the ground truth`);
			}
			const keys = events.map((e) => e.eventId);
			assert.equal(new Set(keys).size, keys.length, 'no event twice');
			// at ×60, a 1 s poll sees every stay longer than three minutes of scenario time
			// from ten seconds after the first poll, when both triggers are surely active
			const begun = truth.intervals.filter((/** @type {any} */ iv) => Date.parse(iv.begin) > liveStart + 600_000 && Date.parse(iv.begin) < liveEnd - 120_000 && Date.parse(iv.end) - Date.parse(iv.begin) > 180_000);
			for (const iv of begun) assert.ok(arrivals.some((e) => e.person === iv.person && e.camera === iv.camera), `arrival of ${iv.person} at ${iv.camera}`);
		});
	} finally {
		await server.stop();
		await hook.close();
		await sim.close();
	}
	process.stdout.write(`\n${passed} passed, ${failed} failed\n`);
	process.exit(failed === 0 ? 0 : 1);
}

main().catch((error) => {
	process.stderr.write(`test:n8n: ${error.stack}\n`);
	process.stdout.write(`\n${passed} passed, ${failed + 1} failed\n`);
	process.exit(1);
});
